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
  SocketEvent,
  SubField,
  Trace,
  TraceEvent,
  TraceMeta,
  WireEvent,
} from '../../../server/contract/trace.ts';
