import { describe, expect, it } from 'vitest';
import { isAbout, judge, verdictFor } from './predict.ts';

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

describe('verdictFor: a question is graded only against the run it is about', () => {
  const block = {
    type: 'predict' as const,
    id: 'closed-port',
    ask: 'What happens?',
    answer: 'connect.error',
    choices: [
      { label: 'refused', value: 'ECONNREFUSED' },
      { label: 'nothing', value: 'none' },
    ],
    assumes: { preset: 'closed-port', params: { target: 'closed-port' } },
  };

  it('grades a run with the parameters the question assumes', () => {
    const verdict = verdictFor(block, 'ECONNREFUSED', {
      params: { target: 'closed-port', ipVersion: 4 },
      facts: { 'connect.error': 'ECONNREFUSED' },
    });
    expect(verdict).toMatchObject({ kind: 'answered', correct: true });
  });

  it('does not grade another run, even one whose fact matches a choice', () => {
    const verdict = verdictFor(block, 'ECONNREFUSED', {
      params: { target: 'listening', ipVersion: 4 },
      facts: { 'connect.error': 'none' },
    });
    expect(verdict).toEqual({ kind: 'other-run' });
  });

  it('grades any run when the question assumes nothing', () => {
    const { assumes: _, ...free } = block;
    expect(verdictFor(free, 'none', { params: { target: 'listening' }, facts: { 'connect.error': 'none' } })).toMatchObject({
      kind: 'answered',
      correct: true,
    });
  });

  it('treats a value of 0 as a value, not as missing', () => {
    const zero = { ...block, answer: 'n', choices: [{ label: '0', value: 0 }, { label: '1', value: 1 }], assumes: undefined };
    expect(verdictFor(zero, '0', { params: {}, facts: { n: 0 } })).toMatchObject({ kind: 'answered', correct: true, value: 0 });
  });
});

describe('isAbout', () => {
  const assumes = { assumes: { params: { close: 'reset' } } } as Parameters<typeof isAbout>[0];
  it('holds for any run when the question assumes nothing, and never for a run without parameters when it does', () => {
    expect(isAbout({}, null)).toBe(true);
    expect(isAbout(assumes, null)).toBe(false);
    expect(isAbout(assumes, { close: 'reset', pauseMs: 200 })).toBe(true);
    expect(isAbout(assumes, { close: 'end' })).toBe(false);
  });
});
