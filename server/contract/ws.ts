/**
 * Messages on `/ws`. Every message a client sends is checked against `ClientMessage` (unknown
 * types and unknown fields are refused with an `error` reply, and the connection stays open).
 */
import { Type, type Static } from 'typebox';
import { Params, ProgramLang } from './experiment.js';
import { Facts } from './facts.js';
import { CaptureInfo, Counters, ErrorInfo, Lane, TraceEvent } from './trace.js';

const closed = { additionalProperties: false } as const;

/** A parameter's value as a request carries it (bounded). */
export const ParamValueInput = Type.Union([Type.String({ maxLength: 4096 }), Type.Number(), Type.Boolean()]);
export const ParamsInput = Type.Record(Type.String({ maxLength: 64 }), ParamValueInput, { maxProperties: 32 });
/** Sources to run instead of the experiment's own program files, by file name (`client.py`). */
export const ProgramsInput = Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.String({ maxLength: 262_144 }), { maxProperties: 8 });
/** What a run request may say besides its parameters: the programs' language, and edited sources. */
export const RunProgramsInput = {
  lang: Type.Optional(ProgramLang),
  programs: Type.Optional(ProgramsInput),
};

export const HelloMessage = Type.Object(
  { type: Type.Literal('hello'), token: Type.Optional(Type.String({ maxLength: 256 })) },
  closed,
);
export const RunMessage = Type.Object(
  {
    type: Type.Literal('run'),
    requestId: Type.String({ minLength: 1, maxLength: 64 }),
    experiment: Type.String({ minLength: 1, maxLength: 64 }),
    params: ParamsInput,
    ...RunProgramsInput,
  },
  closed,
);
export const CancelMessage = Type.Object(
  { type: Type.Literal('cancel'), runId: Type.String({ minLength: 1, maxLength: 64 }) },
  closed,
);
export const ClientMessage = Type.Union([HelloMessage, RunMessage, CancelMessage]);
export type ClientMessage = Static<typeof ClientMessage>;
export const CLIENT_MESSAGE_TYPES = ['hello', 'run', 'cancel'] as const;

export const WelcomeMessage = Type.Object({
  type: Type.Literal('welcome'),
  version: Type.String(),
  capture: CaptureInfo,
  authorized: Type.Boolean(),
});
export const RunStartedMessage = Type.Object({
  type: Type.Literal('run-started'),
  requestId: Type.String(),
  runId: Type.String(),
  experiment: Type.String(),
  params: Params,
  startedAtUs: Type.Number(),
});
export const EventsMessage = Type.Object({
  type: Type.Literal('events'),
  runId: Type.String(),
  lanes: Type.Array(Lane),
  events: Type.Array(TraceEvent),
});
/** The viewer was too slow: `missed` events were not sent; the recording has them all. */
export const GapMessage = Type.Object({ type: Type.Literal('gap'), runId: Type.String(), missed: Type.Integer({ minimum: 0 }) });
export const RunFinishedMessage = Type.Object({
  type: Type.Literal('run-finished'),
  runId: Type.String(),
  recordingId: Type.String(),
  outcome: Type.Object({ ok: Type.Boolean(), error: Type.Optional(ErrorInfo) }),
  counters: Counters,
  durationUs: Type.Number(),
  /** What the run showed, for the lesson's facts and predict questions. */
  facts: Facts,
});
export const ErrorMessage = Type.Object({
  type: Type.Literal('error'),
  code: Type.String(),
  message: Type.String(),
  requestId: Type.Optional(Type.String()),
});
export const ServerMessage = Type.Union([
  WelcomeMessage,
  RunStartedMessage,
  EventsMessage,
  GapMessage,
  RunFinishedMessage,
  ErrorMessage,
]);
export type ServerMessage = Static<typeof ServerMessage>;
