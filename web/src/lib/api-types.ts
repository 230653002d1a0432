/** The API's shapes, from the contract the server shares (types only). */
export type { Health, ImportReply, RunReply } from '../../../server/contract/api.ts';
export type { ExperimentInfo, ExperimentText, Lang, ParamValue, Params, ViewSpec } from '../../../server/contract/experiment.ts';
export type { Facts } from '../../../server/contract/facts.ts';
export type { Choice, Lesson, LessonBlock, LessonSummary, Preset } from '../../../server/contract/lessons.ts';
import type { ImportReply } from '../../../server/contract/api.ts';

/** What `POST /api/recordings` answers. */
export type RecordingCreated = ImportReply;
