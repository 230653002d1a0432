/**
 * Facts and marks of a run, computed from its trace, for the lesson text (`{{syn.seq}}`,
 * `[the SYN](#step:syn)`). Pure TS without Node APIs: the page imports it too.
 */
import type { Trace } from '../../contract/trace.js';
import type { Facts } from '../../lab/facts.js';
import { HANDSHAKE_FACTS, HANDSHAKE_MARKS, handshakeFacts } from '../../experiments/handshake/facts.js';

export type { Facts } from '../../lab/facts.js';

interface ExperimentFacts {
  compute: (trace: Trace) => Facts;
  facts: readonly string[];
  marks: readonly string[];
}

const byExperiment: Record<string, ExperimentFacts> = {
  handshake: { compute: handshakeFacts, facts: HANDSHAKE_FACTS, marks: HANDSHAKE_MARKS },
};

/** Facts and marks of one trace; empty for an experiment without facts. Never throws. */
export function computeFacts(trace: Trace): Facts {
  const entry = Object.hasOwn(byExperiment, trace.experiment) ? byExperiment[trace.experiment] : undefined;
  if (!entry) return { values: {}, marks: {} };
  try {
    return entry.compute(trace);
  } catch {
    return { values: {}, marks: {} };
  }
}

/** Every fact name `computeFacts` can produce for this experiment (empty when unknown). */
export function factNames(experiment: string): readonly string[] {
  return Object.hasOwn(byExperiment, experiment) ? (byExperiment[experiment]?.facts ?? []) : [];
}

/** Every mark name `computeFacts` can produce for this experiment (empty when unknown). */
export function markNames(experiment: string): readonly string[] {
  return Object.hasOwn(byExperiment, experiment) ? (byExperiment[experiment]?.marks ?? []) : [];
}
