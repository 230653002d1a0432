/**
 * A live run as the page sees it over the WebSocket: the messages of the contract applied in
 * order. Event batches are appended by `seq`; duplicates are dropped; a hole in the numbering or
 * a `gap` message means the live view is incomplete, so the page must load the recording.
 * Pure and DOM-free.
 */
import type { Facts } from '../../../server/contract/facts.ts';
import type { ServerMessage } from '../../../server/contract/ws.ts';
import type { Counters, Lane, TraceEvent } from './trace-types.ts';

export type { ServerMessage };

export type LivePhase = 'starting' | 'running' | 'finished' | 'failed';

export interface LiveRun {
  requestId: string;
  phase: LivePhase;
  runId?: string;
  experiment?: string;
  startedAtUs?: number;
  lanes: Lane[];
  events: TraceEvent[];
  /** The `seq` the next event should have. */
  nextSeq: number;
  /** Events known to be missing from the live view (holes, or the server's `gap` count). */
  missing: number;
  /** The server said this viewer fell behind; it closes the socket after that. */
  gap: boolean;
  recordingId?: string;
  outcome?: { ok: boolean; error?: { code: string; message: string } };
  counters?: Counters;
  durationUs?: number;
  /** What the run showed (`run-finished`), for the lesson's facts and questions. */
  facts?: Facts;
  error?: { code: string; message: string; messages?: Record<string, string> };
}

export function newLiveRun(requestId: string): LiveRun {
  return { requestId, phase: 'starting', lanes: [], events: [], nextSeq: 0, missing: 0, gap: false };
}

/** Parses one text frame; null when it is not a message of the contract. */
export function parseServerMessage(text: string): ServerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const type = (value as { type?: unknown }).type;
  const known = ['welcome', 'run-started', 'events', 'gap', 'run-finished', 'error', 'room-joined', 'room-view', 'room-roster', 'room-closed'];
  if (typeof type !== 'string' || !known.includes(type)) return null;
  if (type === 'events') {
    const v = value as { lanes?: unknown; events?: unknown };
    if (!Array.isArray(v.events) || (v.lanes !== undefined && !Array.isArray(v.lanes))) return null;
  }
  return value as ServerMessage;
}

function appendEvents(run: LiveRun, lanes: readonly Lane[], events: readonly TraceEvent[]): LiveRun {
  const known = new Set(run.lanes.map((l) => l.id));
  const newLanes = lanes.filter((l) => !known.has(l.id));
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const added: TraceEvent[] = [];
  let next = run.nextSeq;
  let missing = run.missing;
  for (const e of sorted) {
    if (e.seq < next) continue;
    if (e.seq > next) missing += e.seq - next;
    added.push(e);
    next = e.seq + 1;
  }
  return {
    ...run,
    phase: run.phase === 'starting' ? 'running' : run.phase,
    lanes: newLanes.length > 0 ? [...run.lanes, ...newLanes] : run.lanes,
    events: added.length > 0 ? [...run.events, ...added] : run.events,
    nextSeq: next,
    missing,
  };
}

/** Applies one server message. Messages for other runs or requests leave the run unchanged. */
export function applyServerMessage(run: LiveRun, msg: ServerMessage): LiveRun {
  switch (msg.type) {
    case 'welcome':
      return run;
    case 'run-started':
      if (msg.requestId !== run.requestId) return run;
      return { ...run, phase: 'running', runId: msg.runId, experiment: msg.experiment, startedAtUs: msg.startedAtUs };
    case 'events':
      if (msg.runId !== run.runId) return run;
      return appendEvents(run, Array.isArray(msg.lanes) ? msg.lanes : [], msg.events);
    case 'gap':
      if (msg.runId !== run.runId) return run;
      return { ...run, gap: true, missing: run.missing + Math.max(0, msg.missed) };
    case 'run-finished':
      if (msg.runId !== run.runId) return run;
      return {
        ...run,
        phase: 'finished',
        recordingId: msg.recordingId,
        outcome: msg.outcome,
        counters: msg.counters,
        durationUs: msg.durationUs,
        ...(isFacts(msg.facts) ? { facts: msg.facts } : {}),
      };
    case 'error':
      if (msg.requestId !== undefined && msg.requestId !== run.requestId) return run;
      if (run.phase === 'finished') return run;
      return { ...run, phase: 'failed', error: { code: msg.code, message: msg.message, ...(msg.messages ? { messages: msg.messages } : {}) } };
    default:
      // A room's own messages say nothing about the run.
      return run;
  }
}

/** Whether a message's facts have the contract's shape (a server may predate them). */
function isFacts(value: unknown): value is Facts {
  if (typeof value !== 'object' || value === null) return false;
  const { values, marks } = value as Partial<Facts>;
  return typeof values === 'object' && values !== null && typeof marks === 'object' && marks !== null;
}

/** Whether the events shown live are not the whole story (the recording must be loaded). */
export function isIncomplete(run: LiveRun): boolean {
  return run.gap || run.missing > 0;
}

export type CloseOutcome = 'expected' | 'recover' | 'unreachable' | 'lost';

/**
 * What a closed socket means for a live run: `expected` after run-finished (the recording is
 * being loaded), `recover` when the run started but the live view has holes (load the recording
 * once it appears), `unreachable` when the server never answered, else `lost`.
 */
export function closeOutcome(run: LiveRun, serverAnswered: boolean): CloseOutcome {
  if (run.phase === 'finished') return 'expected';
  if (run.runId && isIncomplete(run)) return 'recover';
  return serverAnswered ? 'lost' : 'unreachable';
}
