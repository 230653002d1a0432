/**
 * The lanes (connections and flows) of a run, and which events of the trace show in one of
 * them, on which side. Which lane a packet belongs to is the contract's rule (`packetSide`).
 */
import { packetSide, type LaneSide } from '../../../../server/contract/lanes.ts';
import type { Lane, Trace, TraceEvent } from '../../lib/trace-types.ts';

export type { LaneSide };

/** The lanes to draw. A trace without lanes (nothing connected, nothing captured) gets one. */
export function lanesOf(trace: Pick<Trace, 'lanes' | 'events'>): Lane[] {
  if (trace.lanes.length > 0) return trace.lanes;
  let client = 'client';
  let server = 'server';
  for (const e of trace.events) {
    if (e.kind !== 'socket') continue;
    if (e.actor.startsWith('client')) {
      if (e.remote && server === 'server') server = e.remote;
      if (e.local && client === 'client') client = e.local;
    } else if (e.actor.startsWith('server') && e.local && server === 'server') {
      server = e.local;
    }
  }
  return [{ id: '', transport: 'tcp', client, server, clientActor: 'client', serverActor: 'server' }];
}

/** Which side of the lane an actor is on, or null when it is not on this lane. */
export function actorSide(lane: Lane, actor: string | undefined): LaneSide | null {
  if (!actor) return null;
  if (lane.clientActor !== undefined || lane.serverActor !== undefined) {
    if (actor === lane.clientActor) return 'client';
    if (actor === lane.serverActor) return 'server';
    return null;
  }
  if (actor.startsWith('client')) return 'client';
  if (actor.startsWith('server')) return 'server';
  return null;
}

function sideByName(actor: string): LaneSide {
  return actor.startsWith('server') ? 'server' : 'client';
}

/**
 * The side an event shows on in one lane (`both`: a note about the whole lane), or null when it
 * belongs elsewhere. `onlyLane`: the run has this lane alone, so every program's event is on it.
 */
export function laneSide(lane: Lane, e: TraceEvent, onlyLane: boolean): LaneSide | 'both' | null {
  if (e.lane !== undefined && e.lane !== lane.id) return null;
  switch (e.kind) {
    case 'wire':
      return packetSide(lane, e.decoded.summary) ?? (e.lane === lane.id ? 'client' : null);
    case 'app':
    case 'socket':
    case 'program':
      return actorSide(lane, e.actor) ?? (onlyLane || e.lane === lane.id ? sideByName(e.actor) : null);
    case 'note': {
      const side = actorSide(lane, e.actor);
      if (side) return side;
      return e.lane === lane.id || onlyLane ? 'both' : null;
    }
  }
}
