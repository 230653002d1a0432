/**
 * Handshake facts on real runs: each fact is checked against the captured packets' own
 * summaries and the socket events, computed here independently.
 */
import { seqAdd } from '../../contract/tcp-seq.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeCapture } from '../../capture/probe.js';
import { runExperiment } from '../../runner/run.js';
import { ensureRunnerBuilt } from '../../runner/vitest-global-setup.js';
import type { AppEvent, CaptureInfo, PacketSummary, ProgramLang, SocketEvent, Trace, WireEvent } from '../../contract/trace.js';
import type { Facts } from '../../contract/facts.js';
import { labCatalog, type ExperimentCatalog } from '../registry.js';
import { HANDSHAKE_FACTS, HANDSHAKE_MARKS } from './facts.js';

let capture: CaptureInfo;
let catalog: ExperimentCatalog;

beforeAll(async () => {
  ensureRunnerBuilt();
  capture = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '' });
  catalog = await labCatalog();
}, 180_000);

/** The facts of a trace, as the lab computes them for lessons and the page. */
const computeFacts = (trace: Trace): Facts => catalog.facts(trace);

/** Every fact and mark the real runs below produced (the lists must hold nothing else, and nothing more). */
const seenFacts = new Set<string>();
const seenMarks = new Set<string>();

interface Run {
  trace: Trace;
  facts: Facts;
  wire: WireEvent[];
  tcp: PacketSummary[];
  /** The wire event a mark points at. */
  at(mark: string): WireEvent;
}

/** The language of the programs the runs below use (both give the same facts). */
let lang: ProgramLang = 'python';

async function run(params: Record<string, unknown>): Promise<Run> {
  expect(capture.available, `packet capture is needed for these tests: ${capture.reason ?? ''} ${capture.fix ?? ''}`).toBe(true);
  const trace = await runExperiment({ experiment: 'handshake', params, capture, lang });
  expect(trace.outcome).toEqual({ ok: true });
  const facts = computeFacts(trace);
  for (const name of Object.keys(facts.values)) seenFacts.add(name);
  for (const name of Object.keys(facts.marks)) seenMarks.add(name);
  const wire = trace.events.filter((e): e is WireEvent => e.kind === 'wire');
  return {
    trace,
    facts,
    wire,
    tcp: wire.map((w) => w.decoded.summary).filter((s) => s.proto === 'tcp'),
    at(mark) {
      const seq = facts.marks[mark];
      const event = trace.events.find((e) => e.seq === seq);
      if (event?.kind !== 'wire') throw new Error(`mark ${mark} (${seq}) is not a packet`);
      return event;
    },
  };
}

const flagsOf = (s: PacketSummary) => [...(s.flags ?? [])].sort().join(',');
const add = seqAdd;

function expectOnlyKnownNames(facts: Facts) {
  const known = new Set(catalog.info('handshake').facts);
  const marks = new Set(catalog.info('handshake').marks);
  expect(Object.keys(facts.values).filter((k) => !known.has(k))).toEqual([]);
  expect(Object.keys(facts.marks).filter((k) => !marks.has(k))).toEqual([]);
}

function stateEvents(trace: Trace, state: string): SocketEvent[] {
  return trace.events.filter((e): e is SocketEvent => e.kind === 'socket' && e.op === 'state' && e.state === state);
}

/** The states the kernel showed for one side's socket of the connection, in order, joined. */
function statesOf(r: Run, side: 'client' | 'server'): string {
  const [local, remote] = side === 'client' ? [r.facts.values['client'], r.facts.values['server']] : [r.facts.values['server'], r.facts.values['client']];
  return r.trace.events
    .filter((e): e is SocketEvent => e.kind === 'socket' && e.op === 'state' && e.actor === side && e.local === local && e.remote === remote)
    .map((e) => e.state)
    .join(' → ');
}

/** The first error a side's program reported after the event `afterSeq`. */
function errorAfter(trace: Trace, actor: string, afterSeq: number): SocketEvent | undefined {
  return trace.events.find((e): e is SocketEvent => e.kind === 'socket' && e.op === 'error' && e.actor === actor && e.seq > afterSeq);
}

/**
 * The same run with one side's sequence space shifted by `delta` (mod 2^32): that side's seq
 * numbers and the other side's ack numbers move together, so every relative fact stays the same.
 */
function shiftSeqSpace(trace: Trace, from: string, delta: number): Trace {
  const events = trace.events.map((e) => {
    if (e.kind !== 'wire' || e.decoded.summary.proto !== 'tcp') return e;
    const s = { ...e.decoded.summary };
    const sender = `${s.src}:${s.sport}`;
    if (sender === from && s.seq !== undefined) s.seq = add(s.seq, delta);
    if (sender !== from && s.ack !== undefined && s.flags?.includes('ACK')) s.ack = add(s.ack, delta);
    return { ...e, decoded: { ...e.decoded, summary: s } };
  });
  return { ...trace, events };
}

describe.each(['python', 'node'] as const)('handshake facts on real runs of the %s programs', (programs) => {
  beforeAll(() => {
    lang = programs;
    seenFacts.clear();
    seenMarks.clear();
  });

  it('end: the handshake numbers, options, data and a 3- or 4-segment teardown, as on the wire', async () => {
    const r = await run({ close: 'end', message: 'hello there' });
    const v = r.facts.values;
    expectOnlyKnownNames(r.facts);

    const [syn, synack, ack] = r.tcp;
    expect([syn, synack, ack].map((s) => flagsOf(s!))).toEqual(['SYN', 'ACK,SYN', 'ACK']);
    expect(v['client']).toBe(`${syn!.src}:${syn!.sport}`);
    expect(v['server']).toBe(`${syn!.dst}:${syn!.dport}`);
    expect(v['ipVersion']).toBe(4);
    expect(v['syn.seq']).toBe(syn!.seq);
    expect(v['synack.seq']).toBe(synack!.seq);
    expect(v['synack.ack']).toBe(add(syn!.seq!, 1));
    expect(v['synack.ackMinusSynSeq']).toBe(1);
    expect(v['ack.seq']).toBe(ack!.seq);
    expect(v['ack.ack']).toBe(add(synack!.seq!, 1));
    expect(v['ack.ackMinusSynackSeq']).toBe(1);
    expect(v['ack.seqMinusSynSeq']).toBe(1);

    // Options read from the bytes agree with the decoder's summary of the same SYN.
    expect(v['syn.mss']).toBe(Number(syn!.options?.['mss']));
    expect(String(v['syn.wscale'])).toBe(/^\d+/.exec(syn!.options?.['wscale'] ?? '')?.[0]);
    expect(v['syn.sackPerm']).toBe(syn!.options?.['sackPerm'] === 'yes' ? 'yes' : 'no');
    expect(v['syn.timestamps']).toBe(syn!.options?.['ts'] ? 'yes' : 'no');
    expect(v['synack.mss']).toBe(Number(synack!.options?.['mss']));

    // Windows: the SYN's field is never scaled; the final ACK's is, by the client's own shift.
    expect(v['syn.window']).toBe(syn!.window);
    expect(v['ack.window']).toBe(ack!.window);
    expect(synack!.options?.['wscale']).toBeDefined();
    expect(v['ack.windowBytes']).toBe(ack!.window! * 2 ** Number(v['syn.wscale']));
    expect(v['syn.count']).toBe(r.tcp.filter((s) => flagsOf(s) === 'SYN').length);
    expect(v['syn.count']).toBe(1);
    // Only the SYN goes without the ACK flag; both FINs carry it.
    expect(v['packets.withoutAck']).toBe(r.tcp.filter((s) => !s.flags?.includes('ACK')).length);
    expect(v['packets.withoutAck']).toBe(1);

    const rtt = (Number(BigInt(r.at('synack').tsNs) - BigInt(r.at('syn').tsNs)) / 1000);
    expect(v['handshake.rttUs']).toBeCloseTo(rtt, 0);
    expect(v['handshake.rttUs']).toBeGreaterThanOrEqual(0);

    const sent = Buffer.byteLength('hello there');
    expect(v['data.clientBytes']).toBe(sent);
    expect(v['data.serverBytes']).toBe(sent);
    expect(v['data.serverAckAfterData']).toBe(1 + sent);
    expect(r.at('data').decoded.summary.payloadLength).toBeGreaterThan(0);
    expect(r.at('dataack').decoded.summary.ack).toBe(add(syn!.seq!, 1 + sent));
    expect(v['data.psh']).toBe(r.at('data').decoded.summary.flags?.includes('PSH') ? 'yes' : 'no');
    // The server's first segment acknowledging the data: a bare ACK, or the reply carrying it.
    const dataAt = r.tcp.indexOf(r.at('data').decoded.summary);
    const firstAck = r.tcp.slice(dataAt + 1).find((s) => s.sport === syn!.dport && s.ack === add(syn!.seq!, 1 + sent))!;
    expect(r.at('dataack').decoded.summary).toBe(firstAck);
    expect(v['data.ackSeparate']).toBe(firstAck.payloadLength === 0 ? 'yes' : 'no');
    const serverRead = r.trace.events.find((e): e is AppEvent => e.kind === 'app' && e.actor === 'server' && e.op === 'read' && e.size > 0)!;
    expect(v['data.ackBeforeRead']).toBe(r.at('dataack').t < serverRead.t ? 'yes' : 'no');

    const firstFin = r.tcp.findIndex((s) => s.flags?.includes('FIN'));
    expect(v['teardown.segments']).toBe(r.tcp.length - firstFin);
    expect([3, 4]).toContain(v['teardown.segments']);
    expect(v['teardown.firstFin']).toBe('client');
    expect(r.at('fin1').decoded.summary.src).toBe(syn!.src);
    expect(r.at('fin1').decoded.summary.sport).toBe(syn!.sport);
    const fin2 = r.at('fin2').decoded.summary;
    expect(fin2.flags).toContain('FIN');
    expect(fin2.sport).toBe(syn!.dport);
    expect(r.at('lastack').decoded.summary.ack).toBe(add(fin2.seq!, 1));
    // Each FIN uses one sequence number: its ACK carries its seq + 1.
    const fin1 = r.at('fin1').decoded.summary;
    const fin1ack = r.at('fin1ack').decoded.summary;
    expect(fin1ack.sport).toBe(syn!.dport);
    expect(fin1ack.ack).toBe(add(fin1.seq!, 1));
    expect(v['fin1.ackMinusSeq']).toBe(1);
    expect(v['fin2.ackMinusSeq']).toBe(1);
    const finToAck = Number(BigInt(r.at('fin1ack').tsNs) - BigInt(r.at('fin1').tsNs)) / 1000;
    expect(v['fin1.ackAfterUs']).toBeCloseTo(finToAck, 0);
    // Three segments: the peer's FIN carried that ACK; four: the ACK went alone first.
    if (v['teardown.segments'] === 3) {
      expect(r.facts.marks['fin1ack']).toBe(r.facts.marks['fin2']);
      expect(v['fin1.ackAlone']).toBe('no');
    } else {
      expect(flagsOf(fin1ack)).toBe('ACK');
      expect(v['fin1.ackAlone']).toBe('yes');
    }
    expect(v['rst.count']).toBe(0);
    expect(v['rst.from']).toBe('none');
    expect(r.facts.marks['rst']).toBeUndefined();
    expect(v['rst.peerError']).toBeUndefined();

    expect(v['packets.total']).toBe(r.wire.length);
    expect(v['connect.error']).toBe('none');
    // The active closer enters TIME_WAIT; the kernel's socket table showed it.
    const timewait = stateEvents(r.trace, 'TIME_WAIT');
    expect(timewait.map((e) => e.actor)).toEqual(['client']);
    expect(v['timewait.side']).toBe('client');
    expect(r.facts.marks['timewait']).toBe(timewait[0]!.seq);
    // Each side's states as the kernel's table showed them, the active closer's ending in TIME_WAIT.
    expect(v['states.active']).toBe(statesOf(r, 'client'));
    expect(v['states.passive']).toBe(statesOf(r, 'server'));
    expect(String(v['states.active'])).toMatch(/^ESTABLISHED → .*TIME_WAIT$/);
    expect(String(v['states.passive'])).toMatch(/^ESTABLISHED → /);
    expect(v['connect.errorUs']).toBeUndefined();
  });

  it('sequence numbers that wrap past 2^32: the same relative facts and marks', async () => {
    const r = await run({ close: 'end-after-pause', pauseMs: 100 });
    const client = String(r.facts.values['client']);
    const server = String(r.facts.values['server']);
    // Put each FIN on the last number of the space: its ACK then carries 0.
    const toTop = (seq: number) => (2 ** 32 - 1 - seq + 2 ** 32) % 2 ** 32;
    const fin1Seq = r.at('fin1').decoded.summary.seq!;
    const fin2Seq = r.at('fin2').decoded.summary.seq!;
    const wrapped = shiftSeqSpace(shiftSeqSpace(r.trace, client, toTop(fin1Seq)), server, toTop(fin2Seq));
    const w = computeFacts(wrapped);
    const at = (mark: string) => wrapped.events.find((e) => e.seq === w.marks[mark]) as WireEvent;
    expect(at('fin1').decoded.summary.seq).toBe(2 ** 32 - 1);
    expect(at('fin1ack').decoded.summary.ack).toBe(0);
    expect(at('lastack').decoded.summary.ack).toBe(0);
    expect(w.marks).toEqual(r.facts.marks);
    for (const name of [
      'synack.ackMinusSynSeq',
      'ack.ackMinusSynackSeq',
      'ack.seqMinusSynSeq',
      'data.serverAckAfterData',
      'teardown.segments',
      'fin1.ackMinusSeq',
      'fin1.ackAlone',
      'fin2.ackMinusSeq',
    ]) {
      expect(w.values[name], name).toBe(r.facts.values[name]);
    }
    expect(w.values['fin1.ackMinusSeq']).toBe(1);
    expect(w.values['fin2.ackMinusSeq']).toBe(1);
  });

  it('end-after-pause: four teardown segments, the FIN after the pause', async () => {
    const r = await run({ close: 'end-after-pause', pauseMs: 300 });
    const v = r.facts.values;
    expectOnlyKnownNames(r.facts);
    expect(v['teardown.segments']).toBe(4);
    const fin1 = r.at('fin1');
    const fin2 = r.at('fin2');
    expect(fin2.t - fin1.t).toBeGreaterThanOrEqual(250_000);
    const between = r.wire.filter((w) => w.seq > fin1.seq && w.seq < fin2.seq).map((w) => w.decoded.summary);
    expect(between.map(flagsOf)).toEqual(['ACK']);
    expect(between[0]!.ack).toBe(add(fin1.decoded.summary.seq!, 1));
    // The lone ACK of the first FIN has its own mark.
    expect(r.at('fin1ack').decoded.summary).toBe(between[0]);
    expect(v['fin1.ackAlone']).toBe('yes');
    expect(v['fin1.ackMinusSeq']).toBe(1);
    // Held back by the delayed-ACK timer, yet sent well before the peer's FIN.
    expect(v['fin1.ackAfterUs']).toBeCloseTo(Number(BigInt(r.at('fin1ack').tsNs) - BigInt(fin1.tsNs)) / 1000, 0);
    expect(Number(v['fin1.ackAfterUs'])).toBeLessThan(fin2.t - fin1.t);
    expect(r.at('lastack').decoded.summary.ack).toBe(add(fin2.decoded.summary.seq!, 1));
    expect(v['fin2.ackMinusSeq']).toBe(1);
  });

  it('server closes first: the first FIN and TIME_WAIT move to the server', async () => {
    const r = await run({ closer: 'server' });
    const v = r.facts.values;
    expect(v['teardown.firstFin']).toBe('server');
    expect(r.at('fin1').decoded.summary.sport).toBe(r.tcp[0]!.dport);
    expect(stateEvents(r.trace, 'TIME_WAIT').map((e) => e.actor)).toEqual(['server']);
    expect(v['timewait.side']).toBe('server');
    expect(v['states.active']).toBe(statesOf(r, 'server'));
    expect(v['states.passive']).toBe(statesOf(r, 'client'));
    expect(String(v['states.active'])).toMatch(/TIME_WAIT$/);
  });

  it('destroy: one RST from the client ends it, no FIN, no TIME_WAIT', async () => {
    const r = await run({ close: 'reset' });
    const v = r.facts.values;
    expectOnlyKnownNames(r.facts);
    const resets = r.tcp.filter((s) => s.flags?.includes('RST'));
    expect(v['rst.count']).toBe(resets.length);
    expect(resets.length).toBeGreaterThanOrEqual(1);
    expect(v['rst.from']).toBe('client');
    expect(r.at('rst').decoded.summary.sport).toBe(r.tcp[0]!.sport);
    expect(r.tcp.some((s) => s.flags?.includes('FIN'))).toBe(false);
    expect(v['teardown.firstFin']).toBeUndefined();
    // The teardown is counted from a FIN; an RST is no teardown.
    expect(v['teardown.segments']).toBeUndefined();
    expect(r.facts.marks['fin1']).toBeUndefined();
    expect(r.facts.marks['fin1ack']).toBeUndefined();
    expect(v['fin1.ackMinusSeq']).toBeUndefined();
    expect(v['states.active']).toBeUndefined();
    // The side that received the RST reported it (an 'error' with ECONNRESET: Python's ConnectionResetError).
    const peerError = errorAfter(r.trace, 'server', r.facts.marks['rst']!);
    expect(peerError?.code).toBe('ECONNRESET');
    expect(v['rst.peerError']).toBe(peerError?.code);
    expect(errorAfter(r.trace, 'client', r.facts.marks['rst']!)).toBeUndefined();
    expect(stateEvents(r.trace, 'TIME_WAIT')).toEqual([]);
    expect(v['timewait.side']).toBe('none');
  });

  it('closed port: the SYN meets an RST and connect reports the error', async () => {
    const r = await run({ target: 'closed-port' });
    const v = r.facts.values;
    expectOnlyKnownNames(r.facts);
    const error = r.trace.events.find((e): e is SocketEvent => e.kind === 'socket' && e.op === 'error');
    expect(error?.actor).toBe('client');
    expect(v['connect.error']).toBe(error?.code);
    expect(v['connect.error']).toBe('ECONNREFUSED');
    expect(r.facts.marks['connecterror']).toBe(error?.seq);
    expect(flagsOf(r.at('syn').decoded.summary)).toBe('SYN');
    expect(r.at('rst').decoded.summary.ack).toBe(add(r.at('syn').decoded.summary.seq!, 1));
    expect(v['rst.from']).toBe('server');
    expect(v['synack.seq']).toBeUndefined();
    expect(r.facts.marks['synack']).toBeUndefined();
    expect(v['teardown.segments']).toBeUndefined();
    expect(v['rst.peerError']).toBe('ECONNREFUSED');
    // One SYN, no retry: the error came from the connect call within the same moment.
    expect(v['syn.count']).toBe(r.tcp.filter((s) => flagsOf(s) === 'SYN').length);
    expect(v['syn.count']).toBe(1);
    const call = r.trace.events.find((e): e is SocketEvent => e.kind === 'socket' && e.op === 'connect' && e.actor === 'client')!;
    expect(v['connect.errorUs']).toBeCloseTo(error!.t - call.t, 0);
    expect(v['connect.errorUs']).toBeGreaterThan(0);
    expect(v['connect.errorUs']).toBeLessThan(500_000);
  });

  it('IPv6: bracketed endpoints and the MSS the kernel announced over ::1', async () => {
    const r = await run({ ipVersion: 6 });
    const v = r.facts.values;
    expectOnlyKnownNames(r.facts);
    const syn = r.tcp[0]!;
    expect(syn.ip).toBe(6);
    expect(v['ipVersion']).toBe(6);
    expect(v['client']).toBe(`[${syn.src}]:${syn.sport}`);
    expect(v['syn.mss']).toBe(Number(syn.options?.['mss']));
    expect(v['synack.ackMinusSynSeq']).toBe(1);
  });

  it('without packets, only what the sockets reported', async () => {
    const r = await run({ target: 'closed-port' });
    const withoutWire: Trace = {
      ...r.trace,
      env: { ...r.trace.env, capture: { available: false, method: 'none' } },
      events: r.trace.events.filter((e) => e.kind !== 'wire'),
    };
    const facts = computeFacts(withoutWire);
    expect(facts.values['connect.error']).toBe('ECONNREFUSED');
    expect(facts.values['packets.total']).toBeUndefined();
    expect(facts.values['syn.seq']).toBeUndefined();
    expect(facts.marks['syn']).toBeUndefined();
    expect(facts.values['syn.count']).toBeUndefined();
    expect(facts.values['connect.errorUs']).toBe(r.facts.values['connect.errorUs']);
  });

  it('every fact and mark facts.ts lists was produced by one of the runs above', () => {
    expect(HANDSHAKE_FACTS.filter((name) => !seenFacts.has(name))).toEqual([]);
    expect(HANDSHAKE_MARKS.filter((name) => !seenMarks.has(name))).toEqual([]);
  });

  it('without packets, the kernel states of each side still, the closer known from end()', async () => {
    const r = await run({ closer: 'server' });
    const withoutWire: Trace = {
      ...r.trace,
      env: { ...r.trace.env, capture: { available: false, method: 'none' } },
      events: r.trace.events.filter((e) => e.kind !== 'wire'),
    };
    const facts = computeFacts(withoutWire);
    expect(facts.values['states.active']).toBe(r.facts.values['states.active']);
    expect(facts.values['states.passive']).toBe(r.facts.values['states.passive']);
    expect(facts.values['states.active']).toBe(statesOf(r, 'server'));
    expect(facts.values['teardown.segments']).toBeUndefined();
    expect(facts.values['packets.withoutAck']).toBeUndefined();
    expect(facts.values['timewait.side']).toBe('server');
  });
});

describe('computeFacts on other input', () => {
  it('gives nothing for an experiment without facts; lists the names facts.ts exports', () => {
    expect(computeFacts({ experiment: 'no-such-experiment', events: [], lanes: [] } as unknown as Trace)).toEqual({ values: {}, marks: {} });
    expect(catalog.info('handshake').facts).toEqual([...HANDSHAKE_FACTS]);
    expect(catalog.info('handshake').marks).toEqual([...HANDSHAKE_MARKS]);
    expect(new Set(HANDSHAKE_FACTS).size).toBe(HANDSHAKE_FACTS.length);
    expect(new Set(HANDSHAKE_MARKS).size).toBe(HANDSHAKE_MARKS.length);
  });

  it('does not throw on a trace whose packets could not be decoded', () => {
    const trace = {
      format: 'socket-lab-trace',
      version: 1,
      id: 'broken',
      title: 'broken',
      experiment: 'handshake',
      params: {},
      startedAt: '2026-01-01T00:00:00.000Z',
      startedAtUs: 0,
      durationUs: 0,
      env: { kernel: '', platform: '', node: '', capture: { available: true, method: 'file' }, snaplen: 0 },
      lanes: [],
      events: [
        { kind: 'wire', seq: 0, t: 0, frame: 1, tsNs: '1', caplen: 3, len: 3, linktype: 1, data: 'AAAA',
          decoded: { layers: [{ name: 'tcp', osi: 'transport', offset: 0, length: 40, fields: [] }],
            summary: { proto: 'tcp', src: '127.0.0.1', dst: '127.0.0.1', sport: 1, dport: 2, flags: ['SYN'], payloadLength: 0, info: '' } } },
        { kind: 'socket', seq: 1, t: 1, actor: 'client', op: 'error' },
      ],
      counters: { packets: 1, truncated: 0 },
      outcome: { ok: true },
    } as Trace;
    const facts = computeFacts(trace);
    expect(facts.values['packets.total']).toBe(1);
    expect(facts.values['syn.mss']).toBeUndefined();
    expect(facts.values['connect.error']).toBe('error');
    expect(facts.marks['syn']).toBe(0);
  });
});
