/** Predict-then-run: how a learner's choice compares with what the run produced. DOM-free. */
import type { Choice } from '../lib/api-types.ts';

export type Verdict =
  /** The run has no value for the fact (e.g. capture was off). */
  | { kind: 'unknown' }
  /** The run's value, the choice that matches it (if any), and whether the learner picked it. */
  | { kind: 'answered'; value: string | number; right: Choice | null; picked: Choice | null; correct: boolean | null };

export function judge(
  choices: readonly Choice[],
  pickedValue: string | null,
  facts: Readonly<Record<string, string | number>> | null,
  answer: string,
): Verdict {
  const value = facts?.[answer];
  if (value === undefined) return { kind: 'unknown' };
  const right = choices.find((c) => String(c.value) === String(value)) ?? null;
  const picked = pickedValue === null ? null : (choices.find((c) => String(c.value) === pickedValue) ?? null);
  return { kind: 'answered', value, right, picked, correct: picked === null ? null : String(picked.value) === String(value) };
}
