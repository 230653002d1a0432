/** Shapes of the HTTP API's answers that the schema module does not define. */
import type { CaptureInfo, Trace, TraceMeta } from './trace-types.ts';

export interface Health {
  ok: boolean;
  version: string;
  capture: CaptureInfo;
}

export interface LessonSummary {
  id: string;
  order: number;
  title: string;
  summary: string;
  experiment: string;
  lang: string;
}

export type ParamValue = string | number | boolean;

export interface Choice {
  label: string;
  value: string | number;
}

export type LessonBlock =
  | { type: 'markdown'; text: string }
  | { type: 'predict'; id: string; ask: string; answer: string; choices: Choice[]; explain?: string };

export interface Preset {
  id: string;
  label: string;
  params: Record<string, ParamValue>;
}

export interface Lesson {
  id: string;
  order: number;
  lang: string;
  languages: string[];
  title: string;
  summary: string;
  experiment: string;
  params: Record<string, ParamValue>;
  presets: Preset[];
  blocks: LessonBlock[];
}

export interface ExperimentInfo {
  id: string;
  title: { en: string; 'zh-CN': string };
  description: { en: string; 'zh-CN': string };
  params: unknown;
  defaults: Record<string, ParamValue>;
}

export interface RecordingCreated {
  recordingId: string;
  trace: TraceMeta | Trace;
}
