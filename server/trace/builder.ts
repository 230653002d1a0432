/**
 * Assembles a Trace: numbers events as they are added (calling `onEvent` for each, live),
 * keeps the lanes, tells which lane a captured packet belongs to, and closes the trace with
 * its counters and outcome.
 */
import os from 'node:os';
import { LaneIndex } from '../contract/lanes.js';
import { usToIso } from './clock.js';
import {
  TRACE_FORMAT,
  TRACE_VERSION,
  type CaptureInfo,
  type Counters,
  type ErrorInfo,
  type Lane,
  type PacketSummary,
  type ProgramSource,
  type Trace,
  type TraceEvent,
} from '../contract/trace.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before it has its position in the trace. */
export type UnnumberedEvent = DistributiveOmit<TraceEvent, 'seq'>;

export interface TraceMetaInput {
  id: string;
  title: string;
  experiment: string;
  params: Trace['params'];
  capture: CaptureInfo;
  snaplen: number;
  startedAtUs: number;
}

export function currentEnv(capture: CaptureInfo, snaplen: number): Trace['env'] {
  return {
    kernel: `${os.type()} ${os.release()}`,
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    capture,
    snaplen,
  };
}

function safely<A>(fn: ((arg: A) => void) | undefined, arg: A): void {
  if (!fn) return;
  try {
    fn(arg);
  } catch {
    // A listener's failure must not break the recording.
  }
}

export class TraceBuilder {
  readonly events: TraceEvent[] = [];
  readonly lanes: Lane[] = [];
  private programs: ProgramSource[] = [];
  startedAtUs: number;
  private readonly laneIndex = new LaneIndex();

  constructor(
    private readonly meta: TraceMetaInput,
    private readonly hooks: { onEvent?: (event: TraceEvent) => void; onLane?: (lane: Lane) => void } = {},
  ) {
    this.startedAtUs = meta.startedAtUs;
  }

  add(event: UnnumberedEvent): TraceEvent {
    const numbered = { ...event, seq: this.events.length } as TraceEvent;
    this.events.push(numbered);
    safely(this.hooks.onEvent, numbered);
    return numbered;
  }

  /** A program the run ran as its own process (one per actor; a second for the same actor replaces it). */
  addProgram(program: ProgramSource): void {
    this.programs = [...this.programs.filter((p) => p.actor !== program.actor), program];
  }

  addLane(lane: Lane): void {
    if (this.lanes.some((l) => l.id === lane.id)) return;
    this.lanes.push(lane);
    this.laneIndex.add(lane);
    safely(this.hooks.onLane, lane);
  }

  /** The lane a decoded packet belongs to, by protocol and both endpoints. */
  laneOfPacket(summary: PacketSummary): string | undefined {
    return this.laneIndex.ofPacket(summary)?.lane.id;
  }

  finish(end: { durationUs: number; counters: Counters; error?: ErrorInfo }): Trace {
    const trace: Trace = {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      id: this.meta.id,
      title: this.meta.title,
      experiment: this.meta.experiment,
      params: this.meta.params,
      startedAt: usToIso(this.startedAtUs),
      startedAtUs: this.startedAtUs,
      durationUs: Math.max(0, end.durationUs),
      env: currentEnv(this.meta.capture, this.meta.snaplen),
      lanes: this.lanes,
      ...(this.programs.length > 0 ? { programs: this.programs } : {}),
      events: this.events,
      counters: end.counters,
      outcome: end.error ? { ok: false, error: end.error } : { ok: true },
    };
    return trace;
  }
}
