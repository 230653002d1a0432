import { describe, expect, it } from 'vitest';
import { replayStart } from './replay.ts';
import type { TraceEvent } from './trace-types.ts';

const note = (seq: number): TraceEvent => ({ kind: 'note', seq, t: seq, key: 'x' });
const wire = (seq: number): TraceEvent => ({ kind: 'wire', seq, t: seq, frame: 1, tsNs: '0', caplen: 0, len: 0, linktype: 1, data: '', decoded: { layers: [], summary: { payloadLength: 0, info: '' } } });

describe('replayStart', () => {
  it('starts at step 1 when the first packet comes early, else a few steps before it', () => {
    expect(replayStart([note(0), note(1), wire(2)])).toBe(0);
    const late = [...Array.from({ length: 25 }, (_, i) => note(i)), wire(25)];
    expect(replayStart(late)).toBe(19);
    expect(replayStart([note(0), note(1)])).toBe(0);
  });
});
