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
    /** Shows the run live to this room's followers (the room's instructor only). */
    room: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
  },
  closed,
);
export const CancelMessage = Type.Object(
  { type: Type.Literal('cancel'), runId: Type.String({ minLength: 1, maxLength: 64 }) },
  closed,
);

// ------------------------------------------------------------ rooms

/** A room's short code: what students type (letters and digits that cannot be mistaken for another). */
export const RoomCode = Type.String({ pattern: '^[A-HJ-NP-Z2-9]{6}$' });
/** What the instructor points at on every follower's screen. */
export const RoomPointer = Type.Union([
  Type.Object({ kind: Type.Literal('field'), id: Type.String({ pattern: '^L\\d{1,3}(\\.F\\d{1,4})*$', maxLength: 64 }) }, closed),
  Type.Object({ kind: Type.Literal('bytes'), from: Type.Integer({ minimum: 0, maximum: 262_144 }), to: Type.Integer({ minimum: 0, maximum: 262_144 }) }, closed),
  Type.Object({ kind: Type.Literal('line'), file: Type.String({ minLength: 1, maxLength: 128 }), line: Type.Integer({ minimum: 1, maximum: 100_000 }) }, closed),
]);
export type RoomPointer = Static<typeof RoomPointer>;
/** What the instructor's screen shows, as followers copy it. */
export const RoomView = Type.Object(
  {
    /** The page (`/lessons/02-tcp-handshake`). */
    path: Type.String({ pattern: '^/(?![/\\\\])', maxLength: 256 }),
    /** The recording shown; null while none (or while a run is live). */
    recordingId: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]),
    /** The selected step of the run (0-based). */
    step: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    pointer: Type.Union([RoomPointer, Type.Null()]),
    /** "Eyes on me": followers cannot detach while it is on. */
    locked: Type.Boolean(),
  },
  closed,
);
export type RoomView = Static<typeof RoomView>;
/** A predict question put to the class: its id and the answers it offers. */
export const RoomPoll = Type.Object(
  {
    question: Type.String({ minLength: 1, maxLength: 128 }),
    options: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { minItems: 1, maxItems: 12 }),
  },
  closed,
);
export type RoomPoll = Static<typeof RoomPoll>;
const FollowerName = Type.String({ maxLength: 40 });

/** The instructor opens a room (or takes back the one with `code`, after a reconnect). Needs the token. */
export const RoomOpenMessage = Type.Object(
  { type: Type.Literal('room-open'), code: Type.Optional(RoomCode), view: Type.Optional(RoomView) },
  closed,
);
/** A student joins; `clientId` (made by the page) resumes the same place after a reconnect. */
export const RoomJoinMessage = Type.Object(
  {
    type: Type.Literal('room-join'),
    code: RoomCode,
    name: Type.Optional(FollowerName),
    clientId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' })),
  },
  closed,
);
/** The instructor's screen changed. */
export const RoomViewMessage = Type.Object({ type: Type.Literal('room-view'), view: RoomView }, closed);
/** The instructor opens a poll (or closes it: null). */
export const RoomPollMessage = Type.Object(
  { type: Type.Literal('room-poll'), poll: Type.Union([RoomPoll, Type.Null()]) },
  closed,
);
export const RoomCloseMessage = Type.Object({ type: Type.Literal('room-close') }, closed);
/** A follower explores on its own (true) or follows again (false). */
export const RoomDetachMessage = Type.Object({ type: Type.Literal('room-detach'), detached: Type.Boolean() }, closed);
/** A follower's answer to the open poll. */
export const RoomAnswerMessage = Type.Object(
  { type: Type.Literal('room-answer'), question: Type.String({ minLength: 1, maxLength: 128 }), answer: Type.String({ minLength: 1, maxLength: 128 }) },
  closed,
);

export const ClientMessage = Type.Union([
  HelloMessage,
  RunMessage,
  CancelMessage,
  RoomOpenMessage,
  RoomJoinMessage,
  RoomViewMessage,
  RoomPollMessage,
  RoomCloseMessage,
  RoomDetachMessage,
  RoomAnswerMessage,
]);
export type ClientMessage = Static<typeof ClientMessage>;
export const CLIENT_MESSAGE_TYPES = [
  'hello',
  'run',
  'cancel',
  'room-open',
  'room-join',
  'room-view',
  'room-poll',
  'room-close',
  'room-detach',
  'room-answer',
] as const;
/** What only a room's instructor may send: from a follower each is refused (`ROOM_READ_ONLY`) and counted. */
export const INSTRUCTOR_MESSAGE_TYPES = ['run', 'cancel', 'room-open', 'room-view', 'room-poll', 'room-close'] as const;

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
  /** The message in each language the page speaks, for errors a student acts on. */
  messages: Type.Optional(Type.Record(Type.String(), Type.String())),
  requestId: Type.Optional(Type.String()),
});
/** This connection is in a room: as its instructor or as a follower. */
export const RoomJoinedMessage = Type.Object({
  type: Type.Literal('room-joined'),
  code: RoomCode,
  role: Type.Union([Type.Literal('instructor'), Type.Literal('follower')]),
  /** The follower's id (to resume after a reconnect); the instructor's is empty. */
  clientId: Type.String(),
  /** Addresses students can open to join (the lab's LAN addresses, with the code). */
  joinUrls: Type.Array(Type.String()),
});
/** The instructor's screen, to followers (at once on joining, then on every change). */
export const RoomViewUpdate = Type.Object({
  type: Type.Literal('room-view'),
  view: RoomView,
  /** The open poll (followers may answer it), or null. */
  poll: Type.Union([RoomPoll, Type.Null()]),
});
/** Who is in the room, to the instructor. */
export const RoomRosterMessage = Type.Object({
  type: Type.Literal('room-roster'),
  followers: Type.Integer({ minimum: 0 }),
  detached: Type.Integer({ minimum: 0 }),
  /** Followers who gave a name (at most 200 listed). */
  names: Type.Array(Type.Object({ name: Type.String(), detached: Type.Boolean() })),
  /** Control messages refused from followers since the room opened. */
  refused: Type.Integer({ minimum: 0 }),
  /** The open poll's answers so far, by answer. */
  poll: Type.Union([Type.Object({ question: Type.String(), counts: Type.Record(Type.String(), Type.Integer({ minimum: 0 })), answered: Type.Integer({ minimum: 0 }) }), Type.Null()]),
});
export const RoomClosedMessage = Type.Object({ type: Type.Literal('room-closed'), code: RoomCode });

export const ServerMessage = Type.Union([
  RoomJoinedMessage,
  RoomViewUpdate,
  RoomRosterMessage,
  RoomClosedMessage,
  WelcomeMessage,
  RunStartedMessage,
  EventsMessage,
  GapMessage,
  RunFinishedMessage,
  ErrorMessage,
]);
export type ServerMessage = Static<typeof ServerMessage>;
