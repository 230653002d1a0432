/**
 * What the page and scripts learn about an experiment (`GET /api/experiments`): its parameters
 * and defaults, presets, texts in each language, the views to show and the facts a lesson may
 * quote. Built by the registry from the experiment's own folder.
 */
import { Type, type Static } from 'typebox';

export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];
export const Lang = Type.Union([Type.Literal('en'), Type.Literal('zh-CN')]);

/** One text in every language the lab speaks. */
export type Localized<T = string> = { [L in Lang]: T };

export const ParamValue = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
export type ParamValue = string | number | boolean;
export const Params = Type.Record(Type.String(), ParamValue);
export type Params = Record<string, ParamValue>;

/**
 * When a parameter matters: the values other parameters must have (each listed one must have one
 * of its values). `pauseMs: { close: ['end-after-pause'] }` — the pause applies only to that close.
 */
export const ParamCondition = Type.Record(Type.String(), Type.Array(ParamValue));
export type ParamCondition = Record<string, ParamValue[]>;

/** A parameter's label and one-line meaning; `values` names the choices of an enum. */
export const ParamText = Type.Object({
  label: Type.String(),
  help: Type.String(),
  values: Type.Optional(Type.Record(Type.String(), Type.String())),
});
export type ParamText = Static<typeof ParamText>;

/**
 * An experiment's texts in one language. `notes` maps a note key to a template whose `{name}`
 * placeholders are filled from the note's values. `words` gives the word values its programs
 * and facts report (`accepted`, `kept`) in this language: a note's `{result}` and a lesson's
 * `{{verdict}}` read them.
 */
export const ExperimentText = Type.Object({
  title: Type.String(),
  description: Type.String(),
  params: Type.Record(Type.String(), ParamText),
  presets: Type.Record(Type.String(), Type.String()),
  notes: Type.Record(Type.String(), Type.String()),
  words: Type.Optional(Type.Record(Type.String(), Type.String())),
});
export type ExperimentText = Static<typeof ExperimentText>;

/**
 * A view the page shows for a run.
 * - `ladder`: one connection or flow as a sequence diagram between its two ends, with TCP states.
 * - `timeline`: every event once on a shared time axis, in lanes: one per program (`programs`),
 *   one per connection or flow (`connections`), or the stages bytes pass through
 *   (`stages`: writes → wire → reads).
 * - `notes`: the run's step notes with their structured data (e.g. the rounds of a hash).
 * - `stream`: one direction of a connection as a byte stream (byte-stream.ts): the sender's
 *   writes, the segments, the receiver's reads and the messages it rebuilt, every byte coloured
 *   by its message, with the run's verdict.
 */
export const ViewSpec = Type.Union([
  Type.Object({ kind: Type.Literal('ladder') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('timeline'),
      lanes: Type.Union([Type.Literal('programs'), Type.Literal('connections'), Type.Literal('stages')]),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('notes') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('stream') }, { additionalProperties: false }),
]);
export type ViewSpec = Static<typeof ViewSpec>;

/** A named run: the parameters it sets (the others keep their defaults). */
export const ExperimentPreset = Type.Object({ id: Type.String(), params: Params });
export type ExperimentPreset = Static<typeof ExperimentPreset>;

/** The language of a run's programs. */
export const ProgramLang = Type.Union([Type.Literal('python'), Type.Literal('node')]);
export type ProgramLang = Static<typeof ProgramLang>;

/** The program files an experiment has in one language (none: its programs are not shown yet). */
export const ProgramFiles = Type.Object({ lang: ProgramLang, files: Type.Array(Type.String()) });
export type ProgramFiles = Static<typeof ProgramFiles>;

export const ExperimentInfo = Type.Object({
  id: Type.String(),
  /** Same as `texts[lang].title` / `.description`, for scripts. */
  title: Type.Object({ en: Type.String(), 'zh-CN': Type.String() }),
  description: Type.Object({ en: Type.String(), 'zh-CN': Type.String() }),
  /** JSON schema of the parameters: an object; each property has a default and its limits. */
  params: Type.Object({}, { additionalProperties: true }),
  defaults: Params,
  presets: Type.Array(ExperimentPreset),
  texts: Type.Object({ en: ExperimentText, 'zh-CN': ExperimentText }),
  views: Type.Array(ViewSpec),
  /** Fact and mark names a lesson may use (`{{syn.seq}}`, `#step:syn`). */
  facts: Type.Array(Type.String()),
  marks: Type.Array(Type.String()),
  /** Parameters that matter only for some values of others, by name (absent: always). */
  appliesWhen: Type.Optional(Type.Record(Type.String(), ParamCondition)),
  /** Longest a run may take, in milliseconds. */
  timeLimitMs: Type.Integer({ minimum: 1 }),
  /** The languages its programs come in, the default first, with their files. */
  programs: Type.Array(ProgramFiles, { minItems: 1 }),
});
export type ExperimentInfo = Static<typeof ExperimentInfo>;

/**
 * `{name}` placeholders in `template` filled from `values` (word values through `wordsOf`, an
 * experiment's `words` in one language); unknown names stay as written.
 */
export function fillTemplate(
  template: string,
  values: Readonly<Record<string, unknown>> = {},
  wordsOf: Readonly<Record<string, string>> = {},
): string {
  return template.replace(/\{([A-Za-z0-9_.]+)\}/g, (whole, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined || value === null || typeof value === 'object') return whole;
    return typeof value === 'string' ? (wordFor(value, wordsOf) ?? value) : String(value);
  });
}

/** A word value (`accepted`) in an experiment's `words` for one language; undefined when it has none. */
export function wordFor(value: string, wordsOf: Readonly<Record<string, string>> | undefined): string | undefined {
  return wordsOf && Object.hasOwn(wordsOf, value) ? wordsOf[value] : undefined;
}

/** Whether a run's parameters match the ones a question assumes (every named one equal). */
export function paramsMatch(run: Readonly<Params>, assumed: Readonly<Params>): boolean {
  return Object.entries(assumed).every(([name, value]) => Object.hasOwn(run, name) && run[name] === value);
}

/**
 * The first condition a parameter's `appliesWhen` sets that `params` do not meet (the other
 * parameter and the values it would need), or null when the parameter applies.
 */
export function unmetCondition(
  name: string,
  params: Readonly<Params>,
  appliesWhen: Readonly<Record<string, ParamCondition>> | undefined,
): { param: string; values: ParamValue[] } | null {
  const condition = appliesWhen?.[name];
  if (!condition) return null;
  for (const [param, values] of Object.entries(condition)) {
    if (!values.includes(params[param] as ParamValue)) return { param, values };
  }
  return null;
}
