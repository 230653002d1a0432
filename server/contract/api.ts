/** Request and response shapes of the HTTP API, in one place (the routes and the page use them). */
import { Type, type Static } from 'typebox';
import { ExperimentInfo, Lang, ProgramLang } from './experiment.js';
import { Facts } from './facts.js';
import { Lesson, LessonSummary } from './lessons.js';
import { CaptureInfo, Trace, TraceMeta } from './trace.js';
import { ParamsInput, RunProgramsInput } from './ws.js';

export const ErrorReply = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});
export type ErrorReply = Static<typeof ErrorReply>;

export const HealthReply = Type.Object({
  ok: Type.Boolean(),
  version: Type.String(),
  capture: CaptureInfo,
});
export type Health = Static<typeof HealthReply>;

export const RunBody = Type.Object(
  {
    experiment: Type.String({ minLength: 1, maxLength: 64 }),
    params: Type.Optional(ParamsInput),
    ...RunProgramsInput,
  },
  { additionalProperties: false },
);
export type RunBody = Static<typeof RunBody>;

/** `GET /api/experiments/:id/programs/:lang`: the experiment's own program files in a language. */
export const ProgramsParams = Type.Object({ id: Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' }), lang: ProgramLang });
export const ProgramFilesReply = Type.Object({
  lang: ProgramLang,
  files: Type.Array(Type.Object({ name: Type.String(), source: Type.String() })),
});
export type ProgramFilesReply = Static<typeof ProgramFilesReply>;

export const IdParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });

export const LangQuery = Type.Object({ lang: Type.Optional(Lang) }, { additionalProperties: false });

export const RecordingList = Type.Array(TraceMeta);
/** `POST /api/runs` answers with the whole trace; `POST /api/recordings` with its meta. */
export const RunReply = Type.Object({ recordingId: Type.String(), trace: Trace });
export type RunReply = Static<typeof RunReply>;
export const ImportReply = Type.Object({ recordingId: Type.String(), trace: TraceMeta });
export type ImportReply = Static<typeof ImportReply>;

export const LessonList = Type.Array(LessonSummary);
export const LessonReply = Lesson;
export const ExperimentList = Type.Array(ExperimentInfo);
export const FactsReply = Facts;
/** A pcapng file (binary). */
export const Pcapng = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' });
