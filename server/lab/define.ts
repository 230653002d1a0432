/**
 * What an experiment folder exports. `index.ts` (default export, `defineExperiment`): its
 * parameters with defaults and presets, its texts in each language, the views the page shows
 * and the facts lessons may quote. `program.ts` (default export, `defineProgram`): the program
 * that runs. A run's process imports the program alone, so it starts without loading the
 * schema library, the texts or the facts.
 */
import type { Static, TObject } from 'typebox';
import type { Lang, Localized, ExperimentText, ParamCondition, Params, ViewSpec } from '../contract/experiment.js';
import type { Facts } from '../contract/facts.js';
import type { ProgramLang, Trace } from '../contract/trace.js';
import type { ExperimentContext } from './experiment.js';

/** The facts of an experiment: their names, and how a trace gives their values. */
export interface FactSource {
  /** Every fact name `compute` may give (`syn.seq`). */
  names: readonly string[];
  /** Every mark name `compute` may give (`syn`: the trace event a step link points at). */
  marks: readonly string[];
  /** Pure: values and marks of one trace; absent when the run did not show them. */
  compute(trace: Trace): Facts;
  /** The run in one line of English for the terminal, from its facts (null: nothing to say). */
  summary?(facts: Facts): string | null;
  /**
   * What its packets are in the lesson, by event `seq`, in `lang`: the comments a pcapng export
   * carries (over the lab's own, which say what each TCP packet's flags make it).
   */
  packetComments?(trace: Trace, lang: Lang): Map<number, string>;
}

export interface ExperimentDefinition<S extends TObject = TObject> {
  /** The folder's name. */
  id: string;
  /** TypeBox object with `additionalProperties: false`; every property has a `default`. */
  params: S;
  /** Named parameter sets worth running (labels in `texts[lang].presets`). */
  presets?: Record<string, Partial<Static<S>>>;
  /**
   * Parameters that matter only for some values of others: the page disables them otherwise and
   * says why (`pauseMs: { close: ['end-after-pause'] }`).
   */
  appliesWhen?: { [K in keyof Static<S>]?: { [O in keyof Static<S>]?: Static<S>[O][] } };
  /** Title, description, parameter labels, preset labels and step notes, per language. */
  texts: Localized<ExperimentText>;
  /** What the page shows for a run, in order. */
  views: ViewSpec[];
  facts?: FactSource;
  /** Longest a run may take; the runner's default (10 s) applies when absent. */
  timeLimitMs?: number;
  /**
   * The languages the experiment's programs come in (the first is the default) and, for each,
   * the program files in the folder's `programs/` that a student sees and may edit:
   * `{ python: ['server.py', 'client.py'], node: ['server.js', 'client.js'] }`. Their settings
   * are top-level lines the lab rewrites (Python `PORT = 9000`, JavaScript `const PORT = 9000;`).
   * Its `program.ts` runs them, in `ctx.lang`, through `ctx.runProgram('server', ...)`.
   * `node` with no files: its `program.ts` is the program (the lab's own sockets).
   */
  programs?: ProgramsByLang;
  /**
   * For parameters whose run serves clients from outside the lab (a student's own program in a
   * terminal): how long it may listen. Such a run takes place in the host's network namespace,
   * its packets captured on the host's loopback filtered by its ports; its own programs only.
   */
  outside?: (params: Static<S>) => OutsideRun | null;
  /**
   * A rule across parameters that the schema cannot say (`count × size` at most so much): a
   * sentence in each language saying what is too much and what is allowed, or null. A run it
   * refuses is refused with PARAMS_INVALID (its English sentence as the message) before it starts.
   */
  limits?: (params: Static<S>) => Localized<string> | null;
}

/** A run that serves clients from outside the lab. */
export interface OutsideRun {
  /** Its limit, instead of the experiment's `timeLimitMs`. */
  timeLimitMs: number;
}

export type ProgramsByLang = Partial<Record<ProgramLang, readonly string[]>>;

/** An experiment with its parameter type erased, as the registry and runner hold it. */
export interface Experiment {
  id: string;
  params: TObject;
  presets?: Record<string, Params>;
  appliesWhen?: Record<string, ParamCondition>;
  texts: Localized<ExperimentText>;
  views: ViewSpec[];
  facts?: FactSource;
  timeLimitMs?: number;
  programs?: ProgramsByLang;
  outside?: (params: Params) => OutsideRun | null;
  limits?: (params: Params) => Localized<string> | null;
}

/** What runs: the default export of an experiment's `program.ts`, given checked and complete parameters. */
export type Program<P = Params> = (ctx: ExperimentContext, params: P) => Promise<void>;

/** Declares an experiment; keeps the presets typed by the schema. */
export function defineExperiment<S extends TObject>(def: ExperimentDefinition<S>): Experiment {
  return def as unknown as Experiment;
}

/**
 * Declares an experiment's program, typed by its parameters (import that type with
 * `import type`, so the program does not load the schema).
 */
export function defineProgram<P>(program: Program<P>): Program {
  return program as unknown as Program;
}
