/**
 * Lessons: what the API serves (`LessonSummary`, `Lesson`) and what an author writes
 * (`LessonFile` for `lesson.yaml`, `Frontmatter` for `<lang>.md`, `PredictSource` for a
 * ```` ```predict ```` block).
 */
import { Type, type Static } from 'typebox';

/** A parameter value, as experiments take them. */
export const ParamValue = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
export const Params = Type.Record(Type.String(), ParamValue);
export type Params = Static<typeof Params>;

const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 });
const Text = Type.String({ minLength: 1 });

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

// ---------------------------------------------------------------- authored

/** `lesson.yaml`. */
export const LessonFile = Type.Object(
  {
    experiment: Id,
    params: Type.Optional(Params),
    presets: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Id,
            /** `en` required; other languages optional. */
            label: Type.Object({ en: Text }, { additionalProperties: Text }),
            params: Params,
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);
export type LessonFile = Static<typeof LessonFile>;

/** The `---` block at the top of `<lang>.md`. */
export const Frontmatter = Type.Object({ title: Text, summary: Text }, { additionalProperties: false });
export type Frontmatter = Static<typeof Frontmatter>;

/** The YAML inside a ```` ```predict ```` block. */
export const PredictSource = Type.Object(
  {
    id: Id,
    ask: Text,
    answer: Type.String({ pattern: '^[A-Za-z0-9_.-]+$' }),
    choices: Type.Array(
      Type.Object({ label: Text, value: Type.Union([Type.String(), Type.Number()]) }, { additionalProperties: false }),
      { minItems: 2 },
    ),
    explain: Type.Optional(Text),
  },
  { additionalProperties: false },
);
export type PredictSource = Static<typeof PredictSource>;
