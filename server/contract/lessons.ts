/** Lessons as the API serves them (`GET /api/lessons`, `GET /api/lessons/:id`). */
import { Type, type Static } from 'typebox';
import { Params } from './experiment.js';

// ---------------------------------------------------------------- served

export const LessonSummary = Type.Object({
  /** The folder name, e.g. `02-tcp-handshake`. */
  id: Type.String(),
  order: Type.Integer({ minimum: 0 }),
  title: Type.String(),
  summary: Type.String(),
  experiment: Type.String(),
  /** The language served (`en` when the lesson lacks the one asked for). */
  lang: Type.String(),
});
export type LessonSummary = Static<typeof LessonSummary>;

export const MarkdownBlock = Type.Object({
  type: Type.Literal('markdown'),
  /** Markdown with `{{fact.name}}` placeholders and `[text](#step:<mark>)` links. */
  text: Type.String(),
  /**
   * Shown only about a run whose parameters include these (`::: when { target: closed-port }`):
   * the run shown, or before any run the parameters Run would use.
   */
  when: Type.Optional(Params),
});
export type MarkdownBlock = Static<typeof MarkdownBlock>;

export const Choice = Type.Object({ label: Type.String(), value: Type.Union([Type.String(), Type.Number()]) });
export type Choice = Static<typeof Choice>;

/** A predict-then-run question: the learner picks a choice; the run's fact `answer` decides. */
export const PredictBlock = Type.Object({
  type: Type.Literal('predict'),
  id: Type.String(),
  ask: Type.String(),
  /** A fact name; after the run, its value is compared with the choice picked. */
  answer: Type.String(),
  choices: Type.Array(Choice),
  /** Markdown shown after the run. */
  explain: Type.Optional(Type.String()),
  /**
   * The run the question is about: graded only against a run whose parameters include these;
   * otherwise the page offers to run them (the preset, when the question names one).
   */
  assumes: Type.Optional(Type.Object({ preset: Type.Optional(Type.String()), params: Params })),
});
export type PredictBlock = Static<typeof PredictBlock>;

export const LessonBlock = Type.Union([MarkdownBlock, PredictBlock]);
export type LessonBlock = Static<typeof LessonBlock>;

export const Preset = Type.Object({
  id: Type.String(),
  label: Type.String(),
  /** The lesson's params with the preset's applied on top. */
  params: Params,
});
export type Preset = Static<typeof Preset>;

export const Lesson = Type.Object({
  id: Type.String(),
  order: Type.Integer({ minimum: 0 }),
  lang: Type.String(),
  /** Languages this lesson is written in, `en` first. */
  languages: Type.Array(Type.String()),
  title: Type.String(),
  summary: Type.String(),
  experiment: Type.String(),
  /** This lesson's defaults, over the experiment's own. */
  params: Params,
  presets: Type.Array(Preset),
  blocks: Type.Array(LessonBlock),
});
export type Lesson = Static<typeof Lesson>;

