/**
 * Which line of which program an event comes from, as a debugger would show it: the line of the
 * call itself for a socket call, a read or a write; for a packet, the call that made the kernel
 * send it (the `connect()` behind a SYN, the `sendall()` behind data, the `shutdown()` or
 * `close()` behind a FIN) or the kernel alone (a SYN-ACK, a bare ACK). DOM-free.
 */
import { packetSide } from './lanes.js';
import type { Lane, TraceEvent, WireEvent } from './trace.js';

/** A line of a program, and the step (event index) that put the program there. */
export interface ProgramLine {
  actor: string;
  line: number;
  step: number;
}

/** What a packet comes from: a line of a program, the kernel on its own, or not known. */
export type PacketCause = ProgramLine | 'kernel' | null;

function lineOf(e: TraceEvent | undefined): number | undefined {
  return e && (e.kind === 'app' || e.kind === 'socket' || e.kind === 'program') ? e.line : undefined;
}

/** The ops of the calls that make the kernel send a packet of each kind. */
function callsFor(e: WireEvent): readonly string[] | 'kernel' {
  const s = e.decoded.summary;
  const flags = s.flags ?? [];
  if (s.proto === 'udp') return s.payloadLength > 0 || flags.length === 0 ? ['write'] : 'kernel';
  if (flags.includes('RST')) return ['reset', 'destroy', 'close'];
  if (flags.includes('SYN')) return flags.includes('ACK') ? 'kernel' : ['connect'];
  if (flags.includes('FIN')) return ['end', 'destroy', 'close', 'reset'];
  if (s.payloadLength > 0) return ['write'];
  return 'kernel';
}

/** The actor whose program sent a packet on `lane` (the lane's actors, else the side's name). */
function senderOf(e: WireEvent, lanes: readonly Lane[]): string | null {
  const lane = lanes.find((l) => l.id === e.lane);
  if (!lane) return null;
  const side = packetSide(lane, e.decoded.summary);
  if (!side) return null;
  return (side === 'client' ? lane.clientActor : lane.serverActor) ?? side;
}

/**
 * The line behind the packet at `step`: the latest call before it, by the program that sent it,
 * of a kind that sends such a packet. A RST with no such call (a closed port answering) is the
 * kernel's own.
 */
export function causeOfPacket(events: readonly TraceEvent[], step: number, lanes: readonly Lane[]): PacketCause {
  const e = events[step];
  if (e?.kind !== 'wire') return null;
  const calls = callsFor(e);
  if (calls === 'kernel') return 'kernel';
  const actor = senderOf(e, lanes);
  if (!actor) return null;
  for (let i = step - 1; i >= 0; i--) {
    const before = events[i]!;
    if (before.kind !== 'app' && before.kind !== 'socket') continue;
    if (before.actor !== actor || (before.lane !== undefined && before.lane !== e.lane)) continue;
    if (!calls.includes(before.op)) continue;
    const line = lineOf(before);
    return line === undefined ? null : { actor, line, step: i };
  }
  return e.decoded.summary.flags?.includes('RST') ? 'kernel' : null;
}

/**
 * Where each program is at `step`: the line of its latest event with a line at or before it
 * (a program that has not made a call yet is not in the map).
 */
export function programPositions(events: readonly TraceEvent[], step: number): Map<string, ProgramLine> {
  const at = new Map<string, ProgramLine>();
  for (let i = Math.min(step, events.length - 1); i >= 0; i--) {
    const e = events[i]!;
    const line = lineOf(e);
    if (line === undefined || !('actor' in e) || !e.actor || at.has(e.actor)) continue;
    at.set(e.actor, { actor: e.actor, line, step: i });
  }
  return at;
}

/** The line the event at `step` points at: its own, or for a packet the call behind it. */
export function lineForStep(events: readonly TraceEvent[], step: number, lanes: readonly Lane[]): PacketCause {
  const e = events[step];
  if (!e) return null;
  if (e.kind === 'wire') return causeOfPacket(events, step, lanes);
  const line = lineOf(e);
  return line !== undefined && 'actor' in e && e.actor ? { actor: e.actor, line, step } : null;
}

/** What a program printed up to and including `step`, in order. */
export function outputUpTo(events: readonly TraceEvent[], step: number, actor: string): { text: string; stream: 'stdout' | 'stderr' }[] {
  const out: { text: string; stream: 'stdout' | 'stderr' }[] = [];
  for (let i = 0; i <= step && i < events.length; i++) {
    const e = events[i]!;
    if (e.kind === 'program' && e.op === 'output' && e.actor === actor && e.text) out.push({ text: e.text, stream: e.stream ?? 'stdout' });
  }
  return out;
}
