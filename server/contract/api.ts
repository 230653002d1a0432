/** Request and response shapes of the HTTP API, in one place (the routes and the page use them). */
import { Type, type Static } from 'typebox';
import { ExperimentInfo, Lang, ProgramLang } from './experiment.js';
import { Facts } from './facts.js';
import { Lesson, LessonSummary } from './lessons.js';
import { CaptureInfo, DecodedPacket, Trace, TraceEvent, TraceMeta } from './trace.js';
import { ParamsInput, RunProgramsInput } from './ws.js';

/** The message in each language the page speaks (`{ en, 'zh-CN' }`), for errors a student acts on. */
export const ErrorMessages = Type.Record(Type.String(), Type.String());
export const ErrorReply = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), messages: Type.Optional(ErrorMessages) }),
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

/**
 * `GET /api/recordings/:id/events?from=&count=`: a window of a recording's events, whole (wire
 * events with their bytes and decoded layers), so a page shows any step of a big recording
 * without downloading the rest. `total`: events in the recording.
 */
export const EventsQuery = Type.Object(
  {
    /** First event, from 0 (decimal digits: a query string is text). */
    from: Type.String({ pattern: '^[0-9]{1,9}$' }),
    /** How many, 1–1000. */
    count: Type.String({ pattern: '^(1000|[1-9][0-9]{0,2})$' }),
  },
  { additionalProperties: false },
);
export type EventsQuery = Static<typeof EventsQuery>;
/**
 * Each connection's numbering over the whole run (`ConnectionBase` in relative-seq.ts): each
 * side's ISN and its SYN's window scale shift (−1: none), by connection key.
 */
const SidesNumber = Type.Object({ client: Type.Optional(Type.Number()), server: Type.Optional(Type.Number()) }, { additionalProperties: false });
export const NumberingBase = Type.Record(Type.String(), Type.Object({ isn: SidesNumber, wscale: SidesNumber }, { additionalProperties: false }));
/**
 * `GET /api/recordings/:id/events`: a window of events, and what numbering them as the whole run
 * takes: the base of the connections they are on, and the time of the run's first packet (µs).
 */
export const EventsReply = Type.Object({
  total: Type.Integer({ minimum: 0 }),
  from: Type.Integer({ minimum: 0 }),
  events: Type.Array(TraceEvent),
  numbering: Type.Optional(NumberingBase),
  firstPacketT: Type.Optional(Type.Number()),
});
export type EventsReply = Static<typeof EventsReply>;
/** `GET /api/recordings/:id/meta`: the recording without its events. */
export const MetaReply = TraceMeta;

export const LessonList = Type.Array(LessonSummary);
export const LessonReply = Lesson;
export const ExperimentList = Type.Array(ExperimentInfo);
export const FactsReply = Facts;
/** A pcapng file (binary). */
export const Pcapng = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' });

/**
 * One packet to decode whole: a live run's packet arrives without its field tree
 * (`decoded.deferred`), and the page asks for it when it shows the packet. `data`: its captured
 * bytes, base64 (at most 256 KiB); `loopback`: captured by the lab on `lo`.
 */
export const DecodeBody = Type.Object(
  {
    data: Type.String({ maxLength: 349_528, pattern: '^[A-Za-z0-9+/]*={0,2}$' }),
    linktype: Type.Integer({ minimum: 0, maximum: 0xffff }),
    len: Type.Integer({ minimum: 0, maximum: 0xffffffff }),
    loopback: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type DecodeBody = Static<typeof DecodeBody>;
export const DecodeReply = DecodedPacket;
