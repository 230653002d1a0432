/**
 * Which lane (connection or flow) each event belongs to, and on which side of it.
 */
import type { Lane, Trace, TraceEvent, WireEvent } from '../../lib/trace-types.ts';
import type { Side } from './tcp-state.ts';

export interface Endpoint {
  ip: string;
  port: number;
}

/** `127.0.0.1:8080` or `[::1]:8080` → parts; null when it is not an address. */
export function parseEndpoint(text: string): Endpoint | null {
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  if (v6) return { ip: v6[1]!.toLowerCase(), port: Number(v6[2]) };
  const v4 = /^([^:\s]+):(\d+)$/.exec(text);
  if (v4) return { ip: v4[1]!.toLowerCase(), port: Number(v4[2]) };
  return null;
}

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
export function actorSide(lane: Lane, actor: string | undefined): Side | null {
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

function sameEndpoint(a: Endpoint | null, ip: string | undefined, port: number | undefined): boolean {
  if (!a || port === undefined || a.port !== port) return false;
  return ip === undefined || a.ip === ip.toLowerCase();
}

/** Which side sent a captured packet, or null when it is not on this lane. */
export function wireSide(lane: Lane, e: WireEvent): Side | null {
  const s = e.decoded.summary;
  const client = parseEndpoint(lane.client);
  const server = parseEndpoint(lane.server);
  if (sameEndpoint(client, s.src, s.sport) && sameEndpoint(server, s.dst, s.dport)) return 'client';
  if (sameEndpoint(server, s.src, s.sport) && sameEndpoint(client, s.dst, s.dport)) return 'server';
  return null;
}

/** The side an event shows on in this lane, or null when it belongs elsewhere. */
export function eventSide(lane: Lane, e: TraceEvent, onlyLane: boolean): Side | 'both' | null {
  if (e.lane !== undefined && e.lane !== lane.id) return null;
  switch (e.kind) {
    case 'wire':
      return wireSide(lane, e) ?? (e.lane === lane.id ? 'client' : null);
    case 'app':
    case 'socket':
      return actorSide(lane, e.actor) ?? (onlyLane || e.lane === lane.id ? sideByName(e.actor) : null);
    case 'note': {
      const side = actorSide(lane, e.actor);
      if (side) return side;
      return e.lane === lane.id || onlyLane ? 'both' : null;
    }
  }
}

function sideByName(actor: string): Side {
  return actor.startsWith('server') ? 'server' : 'client';
}
