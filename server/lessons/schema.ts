/**
 * Lessons: what the API serves (`LessonSummary`, `Lesson`) and what an author writes
 * (`LessonFile` for `lesson.yaml`, `Frontmatter` for `<lang>.md`, `PredictSource` for a
 * ```` ```predict ```` block).
 */
import { Type, type Static } from 'typebox';

import { Params } from '../contract/experiment.js';
export type { Lesson, LessonSummary, LessonBlock, PredictBlock, MarkdownBlock, Choice, Preset } from '../contract/lessons.js';

const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 });
const Text = Type.String({ minLength: 1 });

// ---------------------------------------------------------------- authored

/** `lesson.yaml`. */
export const LessonFile = Type.Object(
  {
    experiment: Id,
    params: Type.Optional(Params),
    /** Each: the id of one of the experiment's presets, or a preset of the lesson's own. */
    presets: Type.Optional(
      Type.Array(
        Type.Union([Id, Type.Object(
          {
            id: Id,
            /** `en` required; other languages optional. */
            label: Type.Object({ en: Text }, { additionalProperties: Text }),
            params: Params,
          },
          { additionalProperties: false },
        )]),
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
    /** The lesson preset whose run the question is about. */
    preset: Type.Optional(Id),
    /** Or the parameters it assumes (only those named must match). */
    when: Type.Optional(Params),
  },
  { additionalProperties: false },
);
export type PredictSource = Static<typeof PredictSource>;
