import { describe, expect, it } from 'vitest';
import { judge } from './predict.ts';

const choices = [
  { label: 'x', value: 'x' },
  { label: '3', value: 3 },
  { label: '4', value: 4 },
];

describe('judge', () => {
  it('compares the pick with the run’s fact, whatever the value type', () => {
    expect(judge(choices, '3', { 'teardown.segments': 3 }, 'teardown.segments')).toMatchObject({
      kind: 'answered',
      correct: true,
      right: choices[1],
    });
    expect(judge(choices, '4', { 'teardown.segments': '3' }, 'teardown.segments')).toMatchObject({ correct: false });
  });

  it('reports no pick, and a value none of the choices names', () => {
    expect(judge(choices, null, { n: 4 }, 'n')).toMatchObject({ correct: null, right: choices[2] });
    expect(judge(choices, '3', { n: 7 }, 'n')).toMatchObject({ right: null, correct: false, value: 7 });
  });

  it('says unknown when the run has no such fact', () => {
    expect(judge(choices, '3', {}, 'n')).toEqual({ kind: 'unknown' });
    expect(judge(choices, '3', null, 'n')).toEqual({ kind: 'unknown' });
  });
});
