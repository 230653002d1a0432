/**
 * TCP connection states derived from the segments alone, with the RFC 793 state machine.
 *
 * The capture on loopback holds each segment once, at the moment it was sent (and, on loopback,
 * received): so every segment moves its sender and then its receiver.
 */
import type { LaneSide } from '../../../../server/contract/lanes.ts';
import { seqAdd, seqBefore } from '../../../../server/contract/tcp-seq.ts';

export const TCP_STATES = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RECEIVED',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
] as const;
export type TcpState = (typeof TCP_STATES)[number];

export type Side = LaneSide;

/** What the state machine needs from one segment. */
export interface SegmentInput {
  from: Side;
  /** Flag names as in the decoded summary (`SYN`, `ACK`, `FIN`, `RST`, `PSH`...). */
  flags: readonly string[];
  seq: number;
  ack: number;
  payloadLength: number;
}

export interface StatesAfter {
  client: TcpState;
  server: TcpState;
  clientChanged: boolean;
  serverChanged: boolean;
}

interface Endpoint {
  state: TcpState;
  /** Sequence number just after our FIN, once we sent one (what the peer must acknowledge). */
  finEnd?: number;
}

/** `a >= b` in 32-bit sequence space. */
export function seqAtLeast(a: number, b: number): boolean {
  return !seqBefore(a, b);
}

function onSend(me: Endpoint, seg: SegmentInput, has: (f: string) => boolean): void {
  if (has('RST')) {
    me.state = 'CLOSED';
    return;
  }
  if (has('SYN') && !has('ACK')) {
    if (me.state === 'CLOSED' || me.state === 'LISTEN') me.state = 'SYN_SENT';
  } else if (has('SYN') && has('ACK')) {
    if (me.state === 'LISTEN' || me.state === 'SYN_SENT' || me.state === 'CLOSED') me.state = 'SYN_RECEIVED';
  }
  if (has('FIN')) {
    me.finEnd = seqAdd(seg.seq, seg.payloadLength + (has('SYN') ? 1 : 0) + 1);
    if (me.state === 'ESTABLISHED' || me.state === 'SYN_RECEIVED') me.state = 'FIN_WAIT_1';
    else if (me.state === 'CLOSE_WAIT') me.state = 'LAST_ACK';
  }
}

function onReceive(me: Endpoint, seg: SegmentInput, has: (f: string) => boolean): void {
  if (has('RST')) {
    if (me.state !== 'LISTEN') me.state = 'CLOSED';
    return;
  }
  if (has('SYN')) {
    if (!has('ACK')) {
      if (me.state === 'LISTEN' || me.state === 'SYN_SENT') me.state = 'SYN_RECEIVED';
    } else if (me.state === 'SYN_SENT') {
      me.state = 'ESTABLISHED';
    }
  } else if (has('ACK')) {
    const acksOurFin = me.finEnd !== undefined && seqAtLeast(seg.ack, me.finEnd);
    if (me.state === 'SYN_RECEIVED') me.state = 'ESTABLISHED';
    else if (me.state === 'FIN_WAIT_1' && acksOurFin) me.state = 'FIN_WAIT_2';
    else if (me.state === 'CLOSING' && acksOurFin) me.state = 'TIME_WAIT';
    else if (me.state === 'LAST_ACK' && acksOurFin) me.state = 'CLOSED';
  }
  if (has('FIN')) {
    if (me.state === 'ESTABLISHED' || me.state === 'SYN_RECEIVED') me.state = 'CLOSE_WAIT';
    else if (me.state === 'FIN_WAIT_1') me.state = 'CLOSING';
    else if (me.state === 'FIN_WAIT_2') me.state = 'TIME_WAIT';
  }
}

/** The states before the first segment: the client is CLOSED, the server LISTENs when it listens. */
export function initialStates(serverListening: boolean): { client: TcpState; server: TcpState } {
  return { client: 'CLOSED', server: serverListening ? 'LISTEN' : 'CLOSED' };
}

/** Both sides' states after each segment, in order. */
export function deriveTcpStates(segments: readonly SegmentInput[], serverListening: boolean): StatesAfter[] {
  const start = initialStates(serverListening);
  const sides: Record<Side, Endpoint> = { client: { state: start.client }, server: { state: start.server } };
  const out: StatesAfter[] = [];
  for (const seg of segments) {
    const flags = new Set(seg.flags.map((f) => f.toUpperCase()));
    const has = (f: string): boolean => flags.has(f);
    const before = { client: sides.client.state, server: sides.server.state };
    const sender = sides[seg.from];
    const receiver = sides[seg.from === 'client' ? 'server' : 'client'];
    onSend(sender, seg, has);
    onReceive(receiver, seg, has);
    out.push({
      client: sides.client.state,
      server: sides.server.state,
      clientChanged: sides.client.state !== before.client,
      serverChanged: sides.server.state !== before.server,
    });
  }
  return out;
}
