import { describe, expect, it } from 'vitest';
import type { StreamAnalysis } from '../../../../server/contract/byte-stream.ts';
import { compareStreams, paramDifferences } from './compare.ts';

const run = (counts: Partial<StreamAnalysis['counts']>, verdict: StreamAnalysis['verdict'], captured = true): StreamAnalysis =>
  ({ counts: { messages: 5, writes: 5, segments: 5, reads: 5, rebuilt: 5, exact: 5, ...counts }, verdict, captured }) as StreamAnalysis;

describe('comparing two runs', () => {
  it('puts what differs first, each with both values', () => {
    const diffs = compareStreams(run({ reads: 1, segments: 1, exact: 0 }, 'lost'), run({}, 'kept'));
    expect(diffs.filter((d) => !d.same).map((d) => `${d.what}: ${d.a} vs ${d.b}`)).toEqual([
      'segments: 1 vs 5',
      'reads: 1 vs 5',
      'exact: 0 vs 5',
      'verdict: lost vs kept',
    ]);
    expect(diffs.slice(4).every((d) => d.same)).toBe(true);
  });

  it('says the segments are not known for a run without capture', () => {
    const [first] = compareStreams(run({}, 'kept', false), run({}, 'kept'));
    expect(first).toEqual({ what: 'segments', a: '—', b: 5, same: false });
  });

  it('names the parameters set differently', () => {
    expect(paramDifferences({ nagle: true, warmup: 3 }, { nagle: false, warmup: 3 })).toEqual([{ name: 'nagle', a: true, b: false }]);
  });
});
