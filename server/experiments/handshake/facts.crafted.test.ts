/**
 * Handshake facts on crafted traces: frames built byte by byte here, decoded by the real
 * decoder, then read by the facts. Each expected value is written from what the frames were
 * made to say, so a fact that reads the wrong packet, the wrong direction or forgets the
 * 2^32 wrap disagrees. Real runs (facts.test.ts) cannot reach these cases on demand: two
 * directions of different lengths, sequence numbers that wrap during the connection, different
 * window scales on the two SYNs, a FIN that carries data, a capture that missed the end.
 */
import { describe, expect, it } from 'vitest';
import type { SocketEvent, Trace, TraceEvent, WireEvent } from '../../contract/trace.js';
import { TRACE_FORMAT, TRACE_VERSION } from '../../contract/trace.js';
import { decodeFrame } from '../../decode/index.js';
import { concat, ethernet, ipv4, ipv6 } from '../../decode/fixtures/craft.js';
import { assignLanes } from '../../recordings/lanes.js';
import { handshakeFacts } from './facts.js';

const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const MOD = 2 ** 32;
const wrap = (n: number): number => ((n % MOD) + MOD) % MOD;

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;

/** TCP options as bytes. */
const MSS = (n: number) => [2, 4, ...u16(n)];
const WS = (shift: number) => [1, 3, 3, shift];
const SACK_PERM = [4, 2];
const TS = (val: number, ecr: number) => [1, 1, 8, 10, ...u32(val), ...u32(ecr)];

interface Segment {
  from: 'client' | 'server';
  /** The client's port, when not the lesson's connection's (another connection on the same server). */
  clientPort?: number;
  flags: number;
  seq: number;
  ack?: number;
  window?: number;
  options?: number[];
  payload?: string;
}

const CLIENT_PORT = 40000;
const SERVER_PORT = 8080;

function segmentBytes(s: Segment): Uint8Array {
  const options = s.options ?? [];
  const padded = [...options, ...new Array((4 - (options.length % 4)) % 4).fill(0)];
  const client = s.clientPort ?? CLIENT_PORT;
  const [sport, dport] = s.from === 'client' ? [client, SERVER_PORT] : [SERVER_PORT, client];
  return concat(
    [...u16(sport), ...u16(dport), ...u32(s.seq), ...u32(s.ack ?? 0), (5 + padded.length / 4) << 4, s.flags, ...u16(s.window ?? 65483), 0, 0, 0, 0],
    padded,
    [...Buffer.from(s.payload ?? '')],
  );
}

type Step = Segment | Omit<SocketEvent, 'seq' | 't' | 'kind'> | { app: 'read' | 'write'; actor: string; size: number } | { note: string };

/**
 * A trace from steps 10 µs apart: segments become wire events (decoded by `decodeFrame`), the
 * rest socket, app and note events. `ip` chooses loopback over IPv4 or IPv6.
 */
function craftTrace(steps: Step[], opts: { ip?: 4 | 6; capture?: boolean } = {}): Trace {
  const ip = opts.ip ?? 4;
  const host = ip === 4 ? '127.0.0.1' : '[::1]';
  const events: TraceEvent[] = [];
  const base = 1_700_000_000_000_000_000n;
  let frame = 0;
  for (const [i, step] of steps.entries()) {
    const t = 10 * (i + 1);
    if ('flags' in step) {
      const bytes = segmentBytes(step);
      const data = ethernet(ip === 4 ? 0x0800 : 0x86dd, ip === 4 ? ipv4(6, bytes) : ipv6(6, bytes));
      const wire: WireEvent = {
        kind: 'wire',
        seq: i,
        t,
        frame: ++frame,
        // The capture clock runs 3 µs ahead of the trace clock's steps: rtt and delays use it.
        tsNs: String(base + BigInt(t * 1000 + 3000 * frame)),
        caplen: data.length,
        len: data.length,
        linktype: 1,
        data: Buffer.from(data).toString('base64'),
        decoded: decodeFrame(data, 1),
      };
      events.push(wire);
    } else if ('app' in step) {
      events.push({ kind: 'app', seq: i, t, actor: step.actor, op: step.app, data: '', size: step.size });
    } else if ('note' in step) {
      events.push({ kind: 'note', seq: i, t, key: step.note, values: { cause: 'SIGKILL' } });
    } else {
      events.push({ kind: 'socket', seq: i, t, ...step });
    }
  }
  const wire = events.filter((e): e is WireEvent => e.kind === 'wire');
  const capture = opts.capture ?? true;
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    id: 'crafted',
    title: 'crafted',
    experiment: 'handshake',
    params: {},
    startedAt: new Date(0).toISOString(),
    startedAtUs: 0,
    durationUs: 10 * steps.length,
    env: { kernel: 'Linux', platform: 'linux x64', node: 'v20', capture: capture ? { available: true, method: 'netns' } : { available: false }, snaplen: 262144 },
    lanes: assignLanes(wire),
    events,
    counters: { packets: wire.length, truncated: 0, received: wire.length },
    outcome: { ok: true },
  } as Trace;
}

// ISNs two and one below 2^32: every later sequence number wraps to a small one.
const C = MOD - 3;
const S = MOD - 1;
const ADDR = { 4: { client: `127.0.0.1:${CLIENT_PORT}`, server: `127.0.0.1:${SERVER_PORT}` }, 6: { client: `[::1]:${CLIENT_PORT}`, server: `[::1]:${SERVER_PORT}` } };

/** A whole conversation: the client sends 5 bytes, the server answers with 12, the client closes first. */
function conversation(ip: 4 | 6 = 4): Step[] {
  const { client, server } = ADDR[ip];
  const state = (actor: 'client' | 'server', s: string): Step => ({
    actor,
    op: 'state',
    state: s,
    local: actor === 'client' ? client : server,
    remote: actor === 'client' ? server : client,
  });
  return [
    { actor: 'server', op: 'listen', local: server }, // 0
    { actor: 'client', op: 'connect', remote: server }, // 1
    { from: 'client', flags: SYN, seq: C, window: 65495, options: [...MSS(65495), ...SACK_PERM, ...TS(100, 0), ...WS(7)] }, // 2
    { from: 'server', flags: SYN | ACK, seq: S, ack: wrap(C + 1), window: 65483, options: [...MSS(65483), ...SACK_PERM, ...TS(200, 100), ...WS(9)] }, // 3
    { from: 'client', flags: ACK, seq: wrap(C + 1), ack: wrap(S + 1), window: 512 }, // 4
    { actor: 'client', op: 'connected', local: client, remote: server }, // 5
    state('client', 'ESTABLISHED'), // 6
    state('server', 'ESTABLISHED'), // 7
    { from: 'client', flags: PSH | ACK, seq: wrap(C + 1), ack: wrap(S + 1), payload: 'hello' }, // 8: data
    { from: 'server', flags: ACK, seq: wrap(S + 1), ack: wrap(C + 6) }, // 9: dataack, bare
    { app: 'read', actor: 'server', size: 5 }, // 10
    { from: 'server', flags: PSH | ACK, seq: wrap(S + 1), ack: wrap(C + 6), payload: 'HELLO, WORLD' }, // 11: reply
    { from: 'client', flags: ACK, seq: wrap(C + 6), ack: wrap(S + 13) }, // 12
    { actor: 'client', op: 'end' }, // 13
    { from: 'client', flags: FIN | ACK, seq: wrap(C + 6), ack: wrap(S + 13) }, // 14: fin1
    state('client', 'FIN_WAIT1'), // 15
    { from: 'server', flags: FIN | ACK, seq: wrap(S + 13), ack: wrap(C + 7) }, // 16: fin2, acknowledging fin1
    state('server', 'LAST_ACK'), // 17
    { from: 'client', flags: ACK, seq: wrap(C + 7), ack: wrap(S + 14) }, // 18: lastack
    state('client', 'TIME_WAIT'), // 19
    state('server', 'CLOSED'), // 20
  ];
}

describe('handshake facts on a crafted conversation whose sequence numbers wrap past 2^32', () => {
  // Computed in each test, not once when the file loads: mutation testing switches the code
  // under test per test, after the file has loaded.
  const facts = () => handshakeFacts(craftTrace(conversation()));

  it('names the client by its SYN, the server by the SYN’s destination, and the IP version', () => {
    const { values, marks } = facts();
    expect(values.client).toBe(ADDR[4].client);
    expect(values.server).toBe(ADDR[4].server);
    expect(values.ipVersion).toBe(4);
  });

  it('quotes the handshake’s sequence numbers as sent, and their differences modulo 2^32', () => {
    const { values, marks } = facts();
    expect(values['syn.seq']).toBe(C);
    expect(values['syn.count']).toBe(1);
    expect(values['synack.seq']).toBe(S);
    expect(values['synack.ack']).toBe(MOD - 2);
    expect(values['ack.seq']).toBe(MOD - 2);
    expect(values['ack.ack']).toBe(0);
    // Each is 1 across the wrap, never a negative number or one near 2^32.
    expect(values['synack.ackMinusSynSeq']).toBe(1);
    expect(values['ack.ackMinusSynackSeq']).toBe(1);
    expect(values['ack.seqMinusSynSeq']).toBe(1);
  });

  it('reads each SYN’s own options: the SYN/ACK’s window scale is not the SYN’s', () => {
    const { values, marks } = facts();
    expect(values['syn.mss']).toBe(65495);
    expect(values['syn.wscale']).toBe(7);
    expect(values['syn.sackPerm']).toBe('yes');
    expect(values['syn.timestamps']).toBe('yes');
    expect(values['syn.window']).toBe(65495);
    expect(values['synack.mss']).toBe(65483);
    expect(values['synack.wscale']).toBe(9);
  });

  it('scales the client’s window by the client’s own shift, since both SYNs offered scaling', () => {
    const { values, marks } = facts();
    expect(values['ack.window']).toBe(512);
    expect(values['ack.windowBytes']).toBe(512 * 2 ** 7);
  });

  it('times the handshake on the capture clock', () => {
    const { values, marks } = facts();
    // SYN at step 2 (frame 1), SYN/ACK at step 3 (frame 2): 10 µs of steps + 3 µs of clock.
    expect(values['handshake.rttUs']).toBe(13);
  });

  it('counts each direction’s bytes on its own: 5 from the client, 12 from the server', () => {
    const { values, marks } = facts();
    expect(values['data.clientBytes']).toBe(5);
    expect(values['data.serverBytes']).toBe(12);
    expect(values['data.psh']).toBe('yes');
  });

  it('finds the server’s acknowledgement of the data: 6 after the client’s ISN, a bare ACK, before the read', () => {
    const { values, marks } = facts();
    expect(values['data.serverAckAfterData']).toBe(6);
    expect(values['data.ackSeparate']).toBe('yes');
    expect(values['data.ackBeforeRead']).toBe('yes');
  });

  it('points each mark at its packet: data is the client’s, reply the server’s answer', () => {
    const { values, marks } = facts();
    expect(marks).toEqual({
      syn: 2,
      synack: 3,
      ack: 4,
      data: 8,
      dataack: 9,
      reply: 11,
      fin1: 14,
      fin1ack: 16,
      fin2: 16,
      lastack: 18,
      timewait: 19,
    });
  });

  it('reads the teardown: the client’s FIN first, acknowledged by the server’s FIN, each FIN one number', () => {
    const { values, marks } = facts();
    expect(values['teardown.firstFin']).toBe('client');
    expect(values['teardown.segments']).toBe(3);
    expect(values['fin1.ackMinusSeq']).toBe(1);
    expect(values['fin1.ackAlone']).toBe('no');
    // fin1 is frame 8 at step 14, its ACK frame 9 at step 16: 20 µs of steps + 3 µs of clock.
    expect(values['fin1.ackAfterUs']).toBe(23);
    expect(values['fin2.ackMinusSeq']).toBe(1);
  });

  it('counts packets, those without ACK, and no reset', () => {
    const { values, marks } = facts();
    expect(values['packets.total']).toBe(10);
    expect(values['packets.withoutAck']).toBe(1);
    expect(values['rst.count']).toBe(0);
    expect(values['rst.from']).toBe('none');
  });

  it('reads the kernel’s states: TIME_WAIT on the client, each side’s states in order', () => {
    const { values, marks } = facts();
    expect(values['timewait.side']).toBe('client');
    expect(values['states.active']).toBe('ESTABLISHED → FIN_WAIT1 → TIME_WAIT');
    expect(values['states.passive']).toBe('ESTABLISHED → LAST_ACK → CLOSED');
    expect(values['connect.error']).toBe('none');
  });

  it('gives exactly these facts, with no key for a fact it did not see', () => {
    const { values } = facts();
    expect(values).toStrictEqual({
      client: ADDR[4].client,
      server: ADDR[4].server,
      ipVersion: 4,
      'packets.total': 10,
      'packets.withoutAck': 1,
      'syn.seq': C,
      'syn.count': 1,
      'syn.window': 65495,
      'syn.mss': 65495,
      'syn.wscale': 7,
      'syn.sackPerm': 'yes',
      'syn.timestamps': 'yes',
      'synack.seq': S,
      'synack.ack': MOD - 2,
      'synack.ackMinusSynSeq': 1,
      'handshake.rttUs': 13,
      'synack.mss': 65483,
      'synack.wscale': 9,
      'ack.seq': MOD - 2,
      'ack.ack': 0,
      'ack.ackMinusSynackSeq': 1,
      'ack.seqMinusSynSeq': 1,
      'ack.window': 512,
      'ack.windowBytes': 65536,
      'data.clientBytes': 5,
      'data.serverBytes': 12,
      'data.psh': 'yes',
      'data.serverAckAfterData': 6,
      'data.ackSeparate': 'yes',
      'data.ackBeforeRead': 'yes',
      'teardown.firstFin': 'client',
      'teardown.segments': 3,
      'fin1.ackMinusSeq': 1,
      'fin1.ackAlone': 'no',
      'fin1.ackAfterUs': 23,
      'fin2.ackMinusSeq': 1,
      'rst.count': 0,
      'rst.from': 'none',
      'timewait.side': 'client',
      'states.active': 'ESTABLISHED → FIN_WAIT1 → TIME_WAIT',
      'states.passive': 'ESTABLISHED → LAST_ACK → CLOSED',
      'connect.error': 'none',
    });
  });

  it('reads only the lesson’s connection: another connection’s packets and states between its own change nothing', () => {
    const other = (seg: Segment): Segment => ({ ...seg, clientPort: 40999 });
    const noise: Step[] = [
      other({ from: 'server', flags: SYN | ACK, seq: 7, ack: 1, options: WS(3) }),
      other({ from: 'client', flags: SYN, seq: 1 }),
      other({ from: 'client', flags: ACK | PSH, seq: 2, ack: 8, payload: 'other bytes' }),
      other({ from: 'server', flags: ACK, seq: 8, ack: 99 }),
      other({ from: 'client', flags: FIN | ACK, seq: 13, ack: 8 }),
      other({ from: 'server', flags: RST | ACK, seq: 8, ack: 14 }),
      { actor: 'client', op: 'state', state: 'SYN_SENT', local: '127.0.0.1:40999', remote: ADDR[4].server },
      { actor: 'server', op: 'state', state: 'SYN_RECV', local: ADDR[4].server, remote: '127.0.0.1:40999' },
    ];
    const steps = conversation();
    // The other connection's segments come before and between the lesson's own.
    const mixed = [...steps.slice(0, 3), ...noise.slice(0, 3), ...steps.slice(3, 12), ...noise.slice(3), ...steps.slice(12)];
    const shifted = handshakeFacts(craftTrace(mixed));
    const { values } = facts();
    // The timings move with the packets put between (the crafted clock runs 3 µs per frame).
    expect({ ...shifted.values, 'packets.total': values['packets.total'], 'handshake.rttUs': values['handshake.rttUs'] }).toStrictEqual(values);
    expect(shifted.values['packets.total']).toBe(16);
    // SYN at step 2 (frame 1), its SYN/ACK now at step 6 (frame 5): 40 µs + 4 × 3 µs.
    expect(shifted.values['handshake.rttUs']).toBe(52);
  });

  it('finds the connection by its SYN when the trace has no lanes (a recording made before lanes)', () => {
    const trace = craftTrace(conversation());
    trace.lanes = [];
    expect(handshakeFacts(trace)).toStrictEqual(facts());
  });

  it('gives only facts of the list, and the same over IPv6 apart from the addresses', () => {
    const { values, marks } = facts();
    const six = handshakeFacts(craftTrace(conversation(6), { ip: 6 }));
    expect(six.values.client).toBe(ADDR[6].client);
    expect(six.values.ipVersion).toBe(6);
    const strip = (v: Record<string, unknown>) => Object.fromEntries(Object.entries(v).filter(([k]) => !['client', 'server', 'ipVersion'].includes(k)));
    expect(strip(six.values)).toEqual(strip(values));
    expect(six.marks).toEqual(marks);
  });
});

describe('handshake facts on other crafted runs', () => {
  it('counts a FIN that carries data: its ACK lies data + 1 after it, and the bytes count', () => {
    const { client, server } = ADDR[4];
    const { values, marks } = handshakeFacts(
      craftTrace([
        { from: 'client', flags: SYN, seq: 1000, options: MSS(1460) },
        { from: 'server', flags: SYN | ACK, seq: 5000, ack: 1001, options: MSS(1460) },
        { from: 'client', flags: ACK, seq: 1001, ack: 5001 },
        { from: 'client', flags: FIN | PSH | ACK, seq: 1001, ack: 5001, payload: 'bye' },
        // An ACK of the data alone does not acknowledge the FIN.
        { from: 'server', flags: ACK, seq: 5001, ack: 1004 },
        { from: 'server', flags: ACK, seq: 5001, ack: 1005 },
        { from: 'server', flags: FIN | ACK, seq: 5001, ack: 1005 },
        { from: 'client', flags: ACK, seq: 1005, ack: 5002 },
        { actor: 'client', op: 'connected', local: client, remote: server },
      ]),
    );
    expect(values['data.clientBytes']).toBe(3);
    expect(values['data.serverBytes']).toBe(0);
    expect(marks.data).toBe(3);
    expect(marks.fin1).toBe(3);
    expect(marks.reply).toBeUndefined();
    expect(values['data.serverAckAfterData']).toBe(4);
    expect(marks.dataack).toBe(4);
    expect(marks.fin1ack).toBe(5);
    expect(values['fin1.ackMinusSeq']).toBe(4);
    expect(values['fin1.ackAlone']).toBe('yes');
    expect(values['data.psh']).toBe('yes');
    expect(values['teardown.segments']).toBe(5);
    expect(marks.fin2).toBe(6);
    expect(marks.lastack).toBe(7);
    expect(values['fin2.ackMinusSeq']).toBe(1);
    // No window scale on either SYN: the window is taken as it is; no SACK, no timestamps.
    expect(values['syn.sackPerm']).toBe('no');
    expect(values['syn.timestamps']).toBe('no');
    expect(values['syn.wscale']).toBeUndefined();
    expect(values['ack.windowBytes']).toBe(65483);
  });

  it('does not scale the window when only the client offered scaling', () => {
    const { values } = handshakeFacts(
      craftTrace([
        { from: 'client', flags: SYN, seq: 1, options: WS(7) },
        { from: 'server', flags: SYN | ACK, seq: 9, ack: 2 },
        { from: 'client', flags: ACK, seq: 2, ack: 10, window: 100 },
      ]),
    );
    expect(values['syn.wscale']).toBe(7);
    expect(values['ack.windowBytes']).toBe(100);
    // A run with no data, no teardown and no socket events: none of their facts, not even as undefined.
    expect(Object.keys(values).sort()).toEqual(
      ['client', 'server', 'ipVersion', 'packets.total', 'packets.withoutAck', 'syn.seq', 'syn.count', 'syn.window', 'syn.wscale', 'syn.sackPerm', 'syn.timestamps', 'synack.seq', 'synack.ack', 'synack.ackMinusSynSeq', 'handshake.rttUs', 'ack.seq', 'ack.ack', 'ack.ackMinusSynackSeq', 'ack.seqMinusSynSeq', 'ack.window', 'ack.windowBytes', 'data.clientBytes', 'data.serverBytes', 'rst.count', 'rst.from'].sort(),
    );
  });

  it('shows a piggy-backed acknowledgement, an ACK after the read, and a retransmitted SYN', () => {
    const { values, marks } = handshakeFacts(
      craftTrace([
        { from: 'client', flags: SYN, seq: 1 },
        { from: 'client', flags: SYN, seq: 1 },
        { from: 'server', flags: SYN | ACK, seq: 9, ack: 2 },
        { from: 'client', flags: ACK, seq: 2, ack: 10 },
        { from: 'client', flags: ACK, seq: 2, ack: 10, payload: 'ping' },
        { app: 'read', actor: 'server-1', size: 4 },
        { from: 'server', flags: PSH | ACK, seq: 10, ack: 6, payload: 'pong!' },
      ]),
    );
    expect(values['syn.count']).toBe(2);
    expect(marks.syn).toBe(0);
    expect(marks.synack).toBe(2);
    expect(values['data.psh']).toBe('no');
    expect(marks.dataack).toBe(6);
    expect(marks.reply).toBe(6);
    expect(values['data.ackSeparate']).toBe('no');
    expect(values['data.ackBeforeRead']).toBe('no');
    expect(values['data.clientBytes']).toBe(4);
    expect(values['data.serverBytes']).toBe(5);
    expect(values['packets.withoutAck']).toBe(2);
  });

  it('reads a refused connection: a reset from the server, the client’s error and how long connect took', () => {
    const { values, marks } = handshakeFacts(
      craftTrace([
        { actor: 'server', op: 'connect', remote: ADDR[4].client },
        { actor: 'client', op: 'connect', remote: ADDR[4].server },
        { from: 'client', flags: SYN, seq: 77 },
        { from: 'server', flags: RST | ACK, seq: 0, ack: 78 },
        { actor: 'client', op: 'error', code: 'ECONNREFUSED', message: 'refused' },
      ]),
    );
    expect(values['rst.count']).toBe(1);
    expect(values['rst.from']).toBe('server');
    expect(values['rst.peerError']).toBe('ECONNREFUSED');
    expect(marks.rst).toBe(3);
    expect(values['connect.error']).toBe('ECONNREFUSED');
    expect(marks.connecterror).toBe(4);
    // From the client's connect (step 1) to its error (step 4), not from the server's call.
    expect(values['connect.errorUs']).toBe(30);
    // No socket states were reported, and no FIN: nothing about TIME_WAIT or the closers.
    expect(values['timewait.side']).toBeUndefined();
    expect(values['states.active']).toBeUndefined();
    expect(marks.synack).toBeUndefined();
    expect(values['packets.withoutAck']).toBe(1);
    expect(Object.keys(values).sort()).toEqual(
      ['client', 'server', 'ipVersion', 'packets.total', 'packets.withoutAck', 'syn.seq', 'syn.count', 'syn.window', 'syn.sackPerm', 'syn.timestamps', 'rst.count', 'rst.from', 'rst.peerError', 'connect.error', 'connect.errorUs'].sort(),
    );
  });

  it('says "error" for a reset whose receiver reported an error without a code, and none when it reported nothing', () => {
    const steps: Step[] = [
      { from: 'client', flags: SYN, seq: 1 },
      { from: 'server', flags: SYN | ACK, seq: 9, ack: 2 },
      { from: 'client', flags: ACK, seq: 2, ack: 10 },
      { actor: 'server', op: 'error' },
      { from: 'client', flags: RST | ACK, seq: 2, ack: 10 },
    ];
    expect(handshakeFacts(craftTrace(steps)).values['rst.peerError']).toBe('none');
    // The sender's own error is not the receiver's; a numbered server actor is the server.
    const after = handshakeFacts(craftTrace([...steps, { actor: 'client', op: 'error', code: 'EPIPE' }, { actor: 'server-12', op: 'error' }]));
    expect(after.values['rst.peerError']).toBe('error');
    expect(after.values['rst.from']).toBe('client');
    // The client never said it connected: its error is what its connect reported.
    expect(after.values['connect.error']).toBe('EPIPE');
  });

  it('leaves out counts over the whole capture when the capture ended early, and keeps the rest', () => {
    const steps = conversation();
    const { values, marks } = handshakeFacts(craftTrace([...steps.slice(0, 12), { note: 'capture.ended' }]));
    for (const name of ['packets.total', 'packets.withoutAck', 'syn.count', 'data.clientBytes', 'data.serverBytes', 'teardown.segments', 'rst.count', 'rst.from']) {
      expect(values[name], name).toBeUndefined();
    }
    expect(values['syn.seq']).toBe(C);
    expect(values['data.serverAckAfterData']).toBe(6);
    expect(marks.reply).toBe(11);
  });

  it('without capture: the lane names the ends, the first end() the active closer, and no packet facts', () => {
    const { client, server } = ADDR[4];
    const trace = craftTrace(
      [
        { actor: 'client', op: 'connected', local: client, remote: server },
        { actor: 'client', op: 'state', state: 'ESTABLISHED', local: client, remote: server },
        { actor: 'server', op: 'end' },
        { actor: 'server', op: 'state', state: 'FIN_WAIT2', local: server, remote: client },
        { actor: 'server', op: 'state', state: 'FIN_WAIT2', local: server, remote: client },
        { actor: 'client', op: 'state', state: 'CLOSE_WAIT', local: client, remote: server },
        // Another connection's state is not this one's.
        { actor: 'client', op: 'state', state: 'SYN_SENT', local: client, remote: '127.0.0.1:1' },
      ],
      { capture: false },
    );
    trace.lanes = [{ id: 'L1', transport: 'tcp', client, server }];
    const { values } = handshakeFacts(trace);
    expect(values.client).toBe(client);
    expect(values.server).toBe(server);
    expect(values.ipVersion).toBe(4);
    expect(values['packets.total']).toBeUndefined();
    expect(values['rst.count']).toBeUndefined();
    expect(values['states.active']).toBe('FIN_WAIT2');
    expect(values['states.passive']).toBe('ESTABLISHED → CLOSE_WAIT');
    expect(values['timewait.side']).toBe('none');
    expect(values['connect.error']).toBe('none');
    expect(Object.keys(values).sort()).toEqual(['client', 'server', 'ipVersion', 'timewait.side', 'states.active', 'states.passive', 'connect.error'].sort());
  });

  it('with capture on and no FIN captured, names no active closer even when a program called end()', () => {
    const { client, server } = ADDR[4];
    const { values } = handshakeFacts(
      craftTrace([
        { from: 'client', flags: SYN, seq: 1 },
        { from: 'server', flags: SYN | ACK, seq: 9, ack: 2 },
        { from: 'client', flags: ACK, seq: 2, ack: 10 },
        { actor: 'client', op: 'end' },
        { actor: 'client', op: 'state', state: 'ESTABLISHED', local: client, remote: server },
      ]),
    );
    expect('states.active' in values).toBe(false);
    expect('states.passive' in values).toBe(false);
    expect('teardown.firstFin' in values).toBe(false);
    expect(values['timewait.side']).toBe('none');
  });

  it('keeps the side of a reset it saw when the capture ended early', () => {
    const { values } = handshakeFacts(
      craftTrace([
        { from: 'client', flags: SYN, seq: 77 },
        { from: 'server', flags: RST | ACK, seq: 0, ack: 78 },
        { note: 'capture.ended' },
      ]),
    );
    expect(values['rst.from']).toBe('server');
    expect(values['rst.count']).toBeUndefined();
  });

  it('knows nothing from a trace without packets or lanes, and reads IPv6 from a lane without packets', () => {
    expect(handshakeFacts(craftTrace([{ actor: 'client', op: 'connect' }])).values).toStrictEqual({ 'packets.total': 0 });
    const trace = craftTrace([], { capture: false });
    trace.lanes = [{ id: 'L', transport: 'tcp', client: ADDR[6].client, server: ADDR[6].server }];
    expect(handshakeFacts(trace).values).toStrictEqual({ client: ADDR[6].client, server: ADDR[6].server, ipVersion: 6 });
  });
});
