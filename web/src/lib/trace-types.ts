/** The trace types the page uses, from the shared schema (types only). */
export type {
  AppEvent,
  CaptureInfo,
  Counters,
  DecodedPacket,
  Field,
  Lane,
  Layer,
  NoteEvent,
  ProgramEvent,
  ProgramSource,
  SocketEvent,
  SubField,
  Trace,
  TraceEvent,
  TraceMeta,
  WireEvent,
} from '../../../server/contract/trace.ts';
