/**
 * A made-up run of any length, for the timeline's tests and its benchmark: several clients
 * talking to one server over TCP, a UDP flow, an ICMP packet now and then, kernel states, and
 * notes carrying structured data (the 64 rounds of an MD5 block). Deterministic; DOM-free.
 * The packets carry a summary only (no layers) except ICMP, which has the IPv4 header field
 * that names its protocol.
 */
import type { Lane, TraceEvent, WireEvent } from '../../lib/trace-types.ts';

const SERVER = '127.0.0.1:9000';

function b64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function packet(
  seq: number,
  t: number,
  lane: string | undefined,
  summary: WireEvent['decoded']['summary'],
  layers: WireEvent['decoded']['layers'] = [],
): WireEvent {
  return {
    seq,
    t,
    kind: 'wire',
    frame: seq + 1,
    tsNs: String(Math.round(t * 1000)),
    caplen: 54 + summary.payloadLength,
    len: 54 + summary.payloadLength,
    linktype: 1,
    data: '',
    decoded: { layers, summary },
    ...(lane === undefined ? {} : { lane }),
  };
}

/** The rounds of an MD5 block as a table, the kind of data a note carries for a view. */
export function md5Rounds(): { round: number; f: string; g: number; shift: number }[] {
  const shifts = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
  return Array.from({ length: 64 }, (_, i) => ({
    round: i + 1,
    f: ['F', 'G', 'H', 'I'][i >> 4]!,
    g: i < 16 ? i : i < 32 ? (5 * i + 1) % 16 : i < 48 ? (3 * i + 5) % 16 : (7 * i) % 16,
    shift: shifts[(i >> 4) * 4 + (i % 4)]!,
  }));
}

export interface SyntheticTrace {
  lanes: Lane[];
  events: TraceEvent[];
}

/** `count` events (exactly), over `clients` TCP connections and one UDP flow. */
export function syntheticTrace(count: number, clients = 3): SyntheticTrace {
  const lanes: Lane[] = [];
  for (let c = 0; c < clients; c++) {
    lanes.push({
      id: `tcp-${c + 1}`,
      transport: 'tcp',
      client: `127.0.0.1:${40000 + c}`,
      server: SERVER,
      clientActor: c === 0 ? 'client' : `client-${c + 1}`,
      serverActor: 'server',
    });
  }
  lanes.push({ id: 'udp-1', transport: 'udp', client: '127.0.0.1:5353', server: '127.0.0.1:5354', clientActor: 'client', serverActor: 'server' });
  const events: TraceEvent[] = [];
  let t = 0;
  const add = (make: (seq: number, t: number) => TraceEvent): void => {
    if (events.length < count) events.push(make(events.length, t));
  };
  const tcpSummary = (from: 'client' | 'server', c: number, flags: string[], seq: number, ack: number, len: number) => {
    const port = 40000 + c;
    const [src, sport, dport] = from === 'client' ? ['127.0.0.1', port, 9000] : ['127.0.0.1', 9000, port];
    return {
      ip: 4 as const,
      src,
      dst: '127.0.0.1',
      proto: 'tcp' as const,
      sport,
      dport,
      seq,
      ack,
      flags,
      window: 65495,
      payloadLength: len,
      info: `${sport} → ${dport} [${flags.join(', ')}] Len=${len}`,
    };
  };

  add((seq, t) => ({ seq, t, kind: 'socket', actor: 'server', op: 'listen', local: SERVER }));
  let round = 0;
  while (events.length < count) {
    const c = round % clients;
    const lane = lanes[c]!;
    const actor = lane.clientActor!;
    const cseq = 1000 * (round + 1);
    const sseq = 5000 * (round + 1);
    const message = `message ${round} from ${actor}`;
    const reply = message.toUpperCase();
    t += 40;
    add((seq, t) => ({ seq, t, kind: 'note', key: 'demo.round', values: { round, actor } }));
    add((seq, t) => ({ seq, t, kind: 'socket', actor, op: 'connect', remote: SERVER, lane: lane.id }));
    t += 12;
    add((seq, t) => packet(seq, t, lane.id, tcpSummary('client', c, ['SYN'], cseq, 0, 0)));
    t += 9;
    add((seq, t) => packet(seq, t, lane.id, tcpSummary('server', c, ['SYN', 'ACK'], sseq, cseq + 1, 0)));
    t += 7;
    add((seq, t) => packet(seq, t, lane.id, tcpSummary('client', c, ['ACK'], cseq + 1, sseq + 1, 0)));
    add((seq, t) => ({ seq, t, kind: 'socket', actor: 'server', op: 'accept', lane: lane.id }));
    add((seq, t) => ({ seq, t, kind: 'socket', actor, op: 'state', state: 'ESTABLISHED', lane: lane.id }));
    t += 30;
    add((seq, t) => ({ seq, t, kind: 'app', actor, op: 'write', data: b64(message), size: message.length, lane: lane.id }));
    t += 5;
    add((seq, t) => packet(seq, t, lane.id, tcpSummary('client', c, ['PSH', 'ACK'], cseq + 1, sseq + 1, message.length)));
    t += 5;
    add((seq, t) => ({ seq, t, kind: 'app', actor: 'server', op: 'read', data: b64(message), size: message.length, lane: lane.id }));
    add((seq, t) => ({
      seq,
      t,
      kind: 'note',
      key: 'demo.digest',
      actor: 'server',
      values: { bytes: message.length },
      data: { algorithm: 'MD5', rounds: md5Rounds() },
    }));
    t += 20;
    add((seq, t) => ({ seq, t, kind: 'app', actor: 'server', op: 'write', data: b64(reply), size: reply.length, lane: lane.id }));
    add((seq, t) => packet(seq, t, lane.id, tcpSummary('server', c, ['PSH', 'ACK'], sseq + 1, cseq + 1 + message.length, reply.length)));
    add((seq, t) => ({ seq, t, kind: 'app', actor, op: 'read', data: b64(reply), size: reply.length, lane: lane.id }));
    if (round % 4 === 0) {
      t += 15;
      add((seq, t) => ({ seq, t, kind: 'app', actor: 'client', op: 'write', data: b64('ping'), size: 4, peer: '127.0.0.1:5354', lane: 'udp-1' }));
      add((seq, t) =>
        packet(seq, t, 'udp-1', {
          ip: 4,
          src: '127.0.0.1',
          dst: '127.0.0.1',
          proto: 'udp',
          sport: 5353,
          dport: 5354,
          payloadLength: 4,
          info: '5353 → 5354 Len=4',
        }),
      );
      add((seq, t) => ({ seq, t, kind: 'app', actor: 'server', op: 'read', data: b64('ping'), size: 4, peer: '127.0.0.1:5353', lane: 'udp-1' }));
    }
    if (round % 7 === 3) {
      add((seq, t) =>
        packet(
          seq,
          t,
          undefined,
          { ip: 4, src: '127.0.0.1', dst: '127.0.0.1', proto: 'other', payloadLength: 0, info: '127.0.0.1 → 127.0.0.1 IPv4, protocol 1 (ICMP) is not decoded' },
          [
            {
              name: 'ipv4',
              osi: 'network',
              offset: 14,
              length: 20,
              fields: [{ name: 'protocol', explain: 'ipv4.protocol', offset: 23, length: 1, raw: 1, display: '1 (ICMP)' }],
            },
          ],
        ),
      );
    }
    // Now and then the programs pause (a long idle gap the timeline compresses).
    t += round % 10 === 9 ? 250_000 : 25;
    add((seq, t) => packet(seq, t, lane.id, tcpSummary('client', c, ['FIN', 'ACK'], cseq + 1 + message.length, sseq + 1 + reply.length, 0)));
    add((seq, t) => packet(seq, t, lane.id, tcpSummary('server', c, ['FIN', 'ACK'], sseq + 1 + reply.length, cseq + 2 + message.length, 0)));
    add((seq, t) => packet(seq, t, lane.id, tcpSummary('client', c, ['ACK'], cseq + 2 + message.length, sseq + 2 + reply.length, 0)));
    add((seq, t) => ({ seq, t, kind: 'socket', actor, op: 'close', lane: lane.id }));
    round++;
  }
  return { lanes, events };
}
