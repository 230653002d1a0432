/** Predict-then-run: how a learner's choice compares with what the run produced. DOM-free. */
import { paramsMatch } from '../../../server/contract/experiment.ts';
import type { Choice, LessonBlock, ParamValue } from '../lib/api-types.ts';

type Predict = Extract<LessonBlock, { type: 'predict' }>;

export type Verdict =
  /** The run has no value for the fact (e.g. capture was off). */
  | { kind: 'unknown' }
  /** The question is about another run (a preset or parameters this run did not have). */
  | { kind: 'other-run' }
  /** The run's value, the choice that matches it (if any), and whether the learner picked it. */
  | { kind: 'answered'; value: string | number; right: Choice | null; picked: Choice | null; correct: boolean | null };

/** Whether a run with these parameters is the one the question is about. */
export function isAbout(block: Pick<Predict, 'assumes'>, runParams: Readonly<Record<string, ParamValue>> | null): boolean {
  if (!block.assumes) return true;
  return runParams !== null && paramsMatch(runParams, block.assumes.params);
}

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

/** The verdict on a question for a finished run: graded only when the run is the one it is about. */
export function verdictFor(
  block: Predict,
  pickedValue: string | null,
  run: { params: Readonly<Record<string, ParamValue>>; facts: Readonly<Record<string, string | number>> | null },
): Verdict {
  if (!isAbout(block, run.params)) return { kind: 'other-run' };
  return judge(block.choices, pickedValue, run.facts, block.answer);
}
