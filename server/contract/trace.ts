/**
 * The trace: the unit of recording, replay, comparison and export.
 *
 * One run of one experiment gives one trace: an ordered list of events on one clock
 * (`t`, microseconds since `startedAtUs`), plus what was run and where. The schemas here are
 * used both to type the code and to validate imported traces.
 */
import { Type, type Static } from 'typebox';
import { Params, ProgramLang } from './experiment.js';

export { ProgramLang };

export const TRACE_FORMAT = 'socket-lab-trace';
export const TRACE_VERSION = 1;

/** Link-layer type numbers (pcap LINKTYPE_*). Loopback on Linux is Ethernet. */
export const LINKTYPE_ETHERNET = 1;

// ---------------------------------------------------------------- decoded packets

/** Whether a checksum was verified, and how it came out. `offload`: partial on loopback. */
export const ChecksumStatus = Type.Union([
  Type.Literal('ok'),
  Type.Literal('bad'),
  Type.Literal('offload'),
  Type.Literal('unchecked'),
]);

/** A parameter of a text: a number or a word that reads the same in every language. */
const TextArg = Type.Union([Type.String(), Type.Number()]);

/** A text by key with its parameters, used as a parameter of another text. */
export const InnerTextRef = Type.Object({
  key: Type.String(),
  args: Type.Optional(Type.Record(Type.String(), TextArg)),
});
export type InnerTextRef = Static<typeof InnerTextRef>;

/**
 * Words by key and parameters (`{ key: 'value.bytes', args: { n: 65495 } }`); the wording in
 * each language is in `packet-texts.ts`. A parameter may itself be a text (one level deep).
 */
export const TextRef = Type.Object({
  key: Type.String(),
  args: Type.Optional(Type.Record(Type.String(), Type.Union([TextArg, InnerTextRef]))),
});
export type TextRef = Static<typeof TextRef>;

const fieldProperties = {
  /** Machine name, unique within its layer (`seq`, `flags.syn`, `options.mss`). */
  name: Type.String(),
  /** Key into the explanation texts (`tcp.seq`), see `explanations/`. */
  explain: Type.String(),
  /** Byte offset from the start of the frame. */
  offset: Type.Integer({ minimum: 0 }),
  /** Length in bytes (for bit fields: the bytes that hold the bits). */
  length: Type.Integer({ minimum: 0 }),
  /** For bit fields: first bit within `offset` (0 = most significant) and bit count. */
  bitOffset: Type.Optional(Type.Integer({ minimum: 0 })),
  bitLength: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Raw value as read: a number, or lowercase hex for byte strings. */
  raw: Type.Union([Type.Number(), Type.String()]),
  /**
   * The value as text, in English when it has words (`SYN, ACK`, `127.0.0.1`, `65495 bytes`):
   * for tools and terminals. A page shows `text` in its language instead, when there is one.
   */
  display: Type.String(),
  /**
   * The value's words by key and parameters, when it has words (`value.bytes` {n: 65495});
   * absent for numbers, hex, names and addresses, which read the same in every language. A list
   * is said one after another. `fieldValue` in `packet-texts.ts` says it in a language.
   */
  text: Type.Optional(Type.Union([TextRef, Type.Array(TextRef)])),
  checksum: Type.Optional(ChecksumStatus),
};

/** A part of a field (a flag bit, one TCP option); one level deep. */
export const SubField = Type.Object(fieldProperties);
export type SubField = Static<typeof SubField>;

export const Field = Type.Object({ ...fieldProperties, children: Type.Optional(Type.Array(SubField)) });
export type Field = Static<typeof Field>;

export const LayerName = Type.Union([
  Type.Literal('ethernet'),
  Type.Literal('ipv4'),
  Type.Literal('ipv6'),
  Type.Literal('tcp'),
  Type.Literal('udp'),
  Type.Literal('payload'),
  Type.Literal('unknown'),
]);
export type LayerName = Static<typeof LayerName>;

/** The five-layer model the course teaches. `physical` has no bytes in a capture. */
export const OsiLayer = Type.Union([
  Type.Literal('application'),
  Type.Literal('transport'),
  Type.Literal('network'),
  Type.Literal('link'),
  Type.Literal('physical'),
]);
export type OsiLayer = Static<typeof OsiLayer>;

export const Layer = Type.Object({
  name: LayerName,
  osi: OsiLayer,
  offset: Type.Integer({ minimum: 0 }),
  length: Type.Integer({ minimum: 0 }),
  fields: Type.Array(Field),
  /** Set when the bytes do not form a valid layer: the reason, in English. */
  malformed: Type.Optional(Type.String()),
  /** The same reason(s) by key and parameters; `malformedReason` says them in a language. */
  malformedText: Type.Optional(Type.Array(TextRef)),
});
export type Layer = Static<typeof Layer>;

/** The TCP options of a segment as values, for facts and lessons (no need to parse the bytes). */
export const TcpOptionValues = Type.Object({
  /** Maximum segment size, bytes. */
  mss: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Window scale shift count as sent (a receiver treats more than 14 as 14). */
  wscale: Type.Optional(Type.Integer({ minimum: 0 })),
  /** SACK permitted. */
  sackPerm: Type.Boolean(),
  /** Timestamps: TSval and TSecr. */
  ts: Type.Optional(Type.Object({ val: Type.Number(), ecr: Type.Number() })),
  /** SACK blocks, left and right edges. */
  sack: Type.Optional(Type.Array(Type.Object({ left: Type.Number(), right: Type.Number() }))),
});
export type TcpOptionValues = Static<typeof TcpOptionValues>;

/** What the ladder and lessons need without walking fields. */
export const PacketSummary = Type.Object({
  /** 4 or 6 when an IP layer decoded. */
  ip: Type.Optional(Type.Union([Type.Literal(4), Type.Literal(6)])),
  src: Type.Optional(Type.String()),
  dst: Type.Optional(Type.String()),
  proto: Type.Optional(Type.Union([Type.Literal('tcp'), Type.Literal('udp'), Type.Literal('other')])),
  sport: Type.Optional(Type.Integer()),
  dport: Type.Optional(Type.Integer()),
  /** TCP only. */
  seq: Type.Optional(Type.Number()),
  ack: Type.Optional(Type.Number()),
  /** TCP flag names set, in wire order: `CWR ECE URG ACK PSH RST SYN FIN`. */
  flags: Type.Optional(Type.Array(Type.String())),
  window: Type.Optional(Type.Integer()),
  /** TCP options by name, as text (`mss: "65495"`, `wscale: "7 (×128)"`, `sackPerm: "yes"`). */
  options: Type.Optional(Type.Record(Type.String(), Type.String())),
  /**
   * TCP options as values, set whenever the TCP header decoded (all false/absent when it has no
   * options). Recordings made before it existed lack it.
   */
  tcpOptions: Type.Optional(TcpOptionValues),
  /** Transport payload bytes present in this packet. */
  payloadLength: Type.Integer({ minimum: 0 }),
  /** One line, Wireshark-like, in English: `49152 → 8080 [SYN] Seq=0 Win=65495 Len=0`. */
  info: Type.String(),
});
export type PacketSummary = Static<typeof PacketSummary>;

export const DecodedPacket = Type.Object({
  layers: Type.Array(Layer),
  summary: PacketSummary,
  /**
   * True on the live stream: `layers` were left out (sent empty) to keep each packet small; the
   * page asks for them when it shows the packet (`POST /api/decode` with the event's `data`).
   */
  deferred: Type.Optional(Type.Literal(true)),
});
export type DecodedPacket = Static<typeof DecodedPacket>;

// ---------------------------------------------------------------- events

const EventBase = {
  /** Position in the trace, from 0. */
  seq: Type.Integer({ minimum: 0 }),
  /** Microseconds since the trace's `startedAtUs` (may be fractional). */
  t: Type.Number(),
  /** The connection or datagram flow this event belongs to (see `lanes`). */
  lane: Type.Optional(Type.String()),
};

/** Who did it: `client`, `server`, or a numbered actor such as `client-2`. */
const Actor = Type.String({ minLength: 1, maxLength: 64 });

/** The line of the actor's program (see `Trace.programs`) that made the call, from 1. */
const SourceLine = Type.Optional(Type.Integer({ minimum: 1 }));

/** A program wrote or read bytes: exactly what the socket call saw. */
export const AppEvent = Type.Object({
  ...EventBase,
  kind: Type.Literal('app'),
  actor: Actor,
  op: Type.Union([Type.Literal('write'), Type.Literal('read')]),
  /** The bytes, base64. */
  data: Type.String(),
  size: Type.Integer({ minimum: 0 }),
  /** UDP: the peer address. */
  peer: Type.Optional(Type.String()),
  line: SourceLine,
});
export type AppEvent = Static<typeof AppEvent>;

export const SocketOp = Type.Union([
  Type.Literal('listen'),
  Type.Literal('bind'),
  Type.Literal('connect'),
  Type.Literal('connected'),
  Type.Literal('accept'),
  Type.Literal('end'),
  Type.Literal('destroy'),
  /** Closed with a reset (RST): `SO_LINGER` 0, like `resetAndDestroy()`. */
  Type.Literal('reset'),
  Type.Literal('close'),
  Type.Literal('error'),
  Type.Literal('state'),
]);
export type SocketOp = Static<typeof SocketOp>;

/** A socket call or a change of socket state. */
export const SocketEvent = Type.Object({
  ...EventBase,
  kind: Type.Literal('socket'),
  actor: Actor,
  op: SocketOp,
  /** Local and remote address as `ip:port` / `[ip]:port`. */
  local: Type.Optional(Type.String()),
  remote: Type.Optional(Type.String()),
  /** TCP state as the kernel reports it (`ESTABLISHED`, `TIME_WAIT`...), for op `state`. */
  state: Type.Optional(Type.String()),
  /** For op `error`: the errno code (`ECONNREFUSED`) and message. */
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  line: SourceLine,
});
export type SocketEvent = Static<typeof SocketEvent>;

/** One captured packet. */
export const WireEvent = Type.Object({
  ...EventBase,
  kind: Type.Literal('wire'),
  /** Frame number in the capture, from 1 (as Wireshark counts). */
  frame: Type.Integer({ minimum: 1 }),
  /**
   * Capture timestamp, nanoseconds since the epoch, as a decimal string. At most 19 digits
   * (before the year 2286), so it always fits pcapng's unsigned 64-bit timestamp.
   */
  tsNs: Type.String({ pattern: '^[0-9]{1,19}$' }),
  /** Bytes captured (may be less than `len` when the snapshot length cut it). */
  caplen: Type.Integer({ minimum: 0 }),
  len: Type.Integer({ minimum: 0 }),
  linktype: Type.Integer({ minimum: 0 }),
  /** The captured bytes, base64. */
  data: Type.String(),
  decoded: DecodedPacket,
});
export type WireEvent = Static<typeof WireEvent>;

/** A lesson step marker or an experiment-specific step with values (e.g. HMAC digests). */
export const NoteEvent = Type.Object({
  ...EventBase,
  kind: Type.Literal('note'),
  /** Stable key the lessons and the page translate (`hmac.digest`). */
  key: Type.String({ minLength: 1, maxLength: 128 }),
  actor: Type.Optional(Actor),
  values: Type.Optional(
    Params,
  ),
  /**
   * Structured content for a view (any JSON: e.g. the 64 rounds of an MD5 block as a table),
   * shown with the step rather than as one marker per item.
   */
  data: Type.Optional(Type.Unknown()),
});
export type NoteEvent = Static<typeof NoteEvent>;

/**
 * A program of the run started, printed, failed or exited (programs the lab runs as their own
 * processes: see `Trace.programs`).
 */
export const ProgramEvent = Type.Object({
  ...EventBase,
  kind: Type.Literal('program'),
  actor: Actor,
  op: Type.Union([Type.Literal('start'), Type.Literal('output'), Type.Literal('exception'), Type.Literal('exit')]),
  /** For `output`: which stream, and what was written. */
  stream: Type.Optional(Type.Union([Type.Literal('stdout'), Type.Literal('stderr')])),
  text: Type.Optional(Type.String()),
  /** For `exit`: the exit status (null when a signal ended it), and the signal. */
  code: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  signal: Type.Optional(Type.String({ maxLength: 32 })),
  /** For `exception`: the exception the program did not catch (`ConnectionRefusedError`). */
  error: Type.Optional(Type.Object({ type: Type.String({ maxLength: 200 }), message: Type.String() })),
  /** Why the program could not start or was stopped. */
  message: Type.Optional(Type.String()),
  line: SourceLine,
});
export type ProgramEvent = Static<typeof ProgramEvent>;

export const TraceEvent = Type.Union([AppEvent, SocketEvent, WireEvent, NoteEvent, ProgramEvent]);
export type TraceEvent = Static<typeof TraceEvent>;

// ---------------------------------------------------------------- the trace

/** A connection (TCP) or flow (UDP) between two endpoints; the page draws one lane each. */
export const Lane = Type.Object({
  id: Type.String(),
  transport: Type.Union([Type.Literal('tcp'), Type.Literal('udp')]),
  /** Endpoints as `ip:port` / `[ip]:port`; the client is the side that connected or sent first. */
  client: Type.String(),
  server: Type.String(),
  clientActor: Type.Optional(Actor),
  serverActor: Type.Optional(Actor),
});
export type Lane = Static<typeof Lane>;

/** The source of a program the run ran, exactly as it ran. */
export const ProgramSource = Type.Object({
  actor: Actor,
  /** Its file name (`client.py`). */
  name: Type.String({ minLength: 1, maxLength: 128 }),
  lang: ProgramLang,
  source: Type.String({ maxLength: 262_144 }),
  /** Whether it is the experiment's own program or one given for this run (edited). */
  edited: Type.Boolean(),
});
export type ProgramSource = Static<typeof ProgramSource>;

export const CaptureMethod = Type.Union([
  /** A private network namespace for the run: the capture holds only its traffic. */
  Type.Literal('netns'),
  /** The host's loopback with a port filter. */
  Type.Literal('loopback'),
  Type.Literal('none'),
  /** Imported from a file. */
  Type.Literal('file'),
]);
export type CaptureMethod = Static<typeof CaptureMethod>;

export const CaptureInfo = Type.Object({
  available: Type.Boolean(),
  method: CaptureMethod,
  /** Why capture is off or limited, in plain words. */
  reason: Type.Optional(Type.String()),
  /** The one command that enables capture, when it is off. */
  fix: Type.Optional(Type.String()),
});
export type CaptureInfo = Static<typeof CaptureInfo>;

export const Counters = Type.Object({
  /** Packets in this trace's capture. */
  packets: Type.Integer({ minimum: 0 }),
  /** As tcpdump reports at exit; absent when not known. */
  received: Type.Optional(Type.Integer({ minimum: 0 })),
  droppedByKernel: Type.Optional(Type.Integer({ minimum: 0 })),
  droppedByInterface: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Packets whose captured length is less than their length on the wire. */
  truncated: Type.Integer({ minimum: 0 }),
  /** Events a slow live viewer missed (the recording itself has them all). */
  gaps: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type Counters = Static<typeof Counters>;

export const ErrorInfo = Type.Object({ code: Type.String(), message: Type.String() });
export type ErrorInfo = Static<typeof ErrorInfo>;

export const Trace = Type.Object({
  format: Type.Literal(TRACE_FORMAT),
  version: Type.Literal(TRACE_VERSION),
  id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  /** Human title, e.g. the experiment and its key parameters. */
  title: Type.String({ maxLength: 200 }),
  experiment: Type.String({ maxLength: 64 }),
  params: Params,
  /** Wall-clock start, ISO 8601, and the same in microseconds since the epoch. */
  startedAt: Type.String(),
  startedAtUs: Type.Number(),
  durationUs: Type.Number({ minimum: 0 }),
  env: Type.Object({
    kernel: Type.String(),
    platform: Type.String(),
    node: Type.String(),
    capture: CaptureInfo,
    snaplen: Type.Integer({ minimum: 0 }),
  }),
  lanes: Type.Array(Lane),
  /** The programs that ran as their own processes, one per actor (absent: the lab's Node programs). */
  programs: Type.Optional(Type.Array(ProgramSource)),
  events: Type.Array(TraceEvent),
  counters: Counters,
  /** How the run ended. `error` set when it failed or timed out (the trace is still kept). */
  outcome: Type.Object({
    ok: Type.Boolean(),
    error: Type.Optional(ErrorInfo),
  }),
  /**
   * Set when the recording holds less than the run did: `RECORDING_INTERRUPTED` (the lab stopped
   * while writing it; what was written before is kept) or `RECORDING_LIMIT` (it reached the
   * stated size limit and later events were not recorded) — or, with a disk error's code
   * (`DISK_FULL`, `DISK_READ_ONLY`…), when it could not be saved: it is whole but held in memory
   * until the disk takes it, and lost if the lab stops first (see `savedState`).
   */
  incomplete: Type.Optional(ErrorInfo),
});
export type Trace = Static<typeof Trace>;

/** Whether a recording is whole and on disk, holds less than its run did, or is not saved yet. */
export function savedState(trace: { incomplete?: { code: string } | undefined }): 'saved' | 'incomplete' | 'unsaved' {
  const code = trace.incomplete?.code;
  if (code === undefined) return 'saved';
  return code.startsWith('DISK_') ? 'unsaved' : 'incomplete';
}

/** A trace without its events, and how many it has: what the recordings list shows. */
export const TraceMeta = Type.Intersect([Type.Omit(Trace, ['events']), Type.Object({ eventCount: Type.Integer({ minimum: 0 }) })]);
export type TraceMeta = Static<typeof TraceMeta>;
