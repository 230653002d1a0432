/**
 * Handshake facts on real runs: each fact is checked against the captured packets' own
 * summaries and the socket events, computed here independently.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { probeCapture } from '../../capture/probe.js';
import { runExperiment } from '../../runner/run.js';
import { ensureRunnerBuilt } from '../../runner/vitest-global-setup.js';
import type { CaptureInfo, PacketSummary, SocketEvent, Trace, WireEvent } from '../../contract/trace.js';
import { computeFacts, factNames, markNames, type Facts } from '../../lessons/facts/index.js';

let capture: CaptureInfo;

beforeAll(async () => {
  ensureRunnerBuilt();
  capture = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '' });
}, 180_000);

interface Run {
  trace: Trace;
  facts: Facts;
  wire: WireEvent[];
  tcp: PacketSummary[];
  /** The wire event a mark points at. */
  at(mark: string): WireEvent;
}

async function run(params: Record<string, unknown>): Promise<Run> {
  expect(capture.available, `packet capture is needed for these tests: ${capture.reason ?? ''} ${capture.fix ?? ''}`).toBe(true);
  const trace = await runExperiment({ experiment: 'handshake', params, capture });
  expect(trace.outcome).toEqual({ ok: true });
  const facts = computeFacts(trace);
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
const add = (a: number, b: number) => (a + b) % 2 ** 32;

function expectOnlyKnownNames(facts: Facts) {
  const known = new Set(factNames('handshake'));
  const marks = new Set(markNames('handshake'));
  expect(Object.keys(facts.values).filter((k) => !known.has(k))).toEqual([]);
  expect(Object.keys(facts.marks).filter((k) => !marks.has(k))).toEqual([]);
}

function stateEvents(trace: Trace, state: string): SocketEvent[] {
  return trace.events.filter((e): e is SocketEvent => e.kind === 'socket' && e.op === 'state' && e.state === state);
}

describe('handshake facts on real runs', () => {
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

    const rtt = (Number(BigInt(r.at('synack').tsNs) - BigInt(r.at('syn').tsNs)) / 1000);
    expect(v['handshake.rttUs']).toBeCloseTo(rtt, 0);
    expect(v['handshake.rttUs']).toBeGreaterThanOrEqual(0);

    const sent = Buffer.byteLength('hello there');
    expect(v['data.clientBytes']).toBe(sent);
    expect(v['data.serverBytes']).toBe(sent);
    expect(v['data.serverAckAfterData']).toBe(1 + sent);
    expect(r.at('data').decoded.summary.payloadLength).toBeGreaterThan(0);
    expect(r.at('dataack').decoded.summary.ack).toBe(add(syn!.seq!, 1 + sent));

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
    expect(v['rst.count']).toBe(0);
    expect(v['rst.from']).toBe('none');
    expect(r.facts.marks['rst']).toBeUndefined();

    expect(v['packets.total']).toBe(r.wire.length);
    expect(v['connect.error']).toBe('none');
    // The active closer enters TIME_WAIT; the kernel's socket table showed it.
    const timewait = stateEvents(r.trace, 'TIME_WAIT');
    expect(timewait.map((e) => e.actor)).toEqual(['client']);
    expect(v['timewait.side']).toBe('client');
    expect(r.facts.marks['timewait']).toBe(timewait[0]!.seq);
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
    expect(r.at('lastack').decoded.summary.ack).toBe(add(fin2.decoded.summary.seq!, 1));
  });

  it('server closes first: the first FIN and TIME_WAIT move to the server', async () => {
    const r = await run({ closer: 'server' });
    const v = r.facts.values;
    expect(v['teardown.firstFin']).toBe('server');
    expect(r.at('fin1').decoded.summary.sport).toBe(r.tcp[0]!.dport);
    expect(stateEvents(r.trace, 'TIME_WAIT').map((e) => e.actor)).toEqual(['server']);
    expect(v['timewait.side']).toBe('server');
  });

  it('destroy: one RST from the client ends it, no FIN, no TIME_WAIT', async () => {
    const r = await run({ close: 'destroy' });
    const v = r.facts.values;
    expectOnlyKnownNames(r.facts);
    const resets = r.tcp.filter((s) => s.flags?.includes('RST'));
    expect(v['rst.count']).toBe(resets.length);
    expect(resets.length).toBeGreaterThanOrEqual(1);
    expect(v['rst.from']).toBe('client');
    expect(r.at('rst').decoded.summary.sport).toBe(r.tcp[0]!.sport);
    expect(r.tcp.some((s) => s.flags?.includes('FIN'))).toBe(false);
    expect(v['teardown.firstFin']).toBeUndefined();
    expect(v['teardown.segments']).toBe(r.tcp.length - r.tcp.indexOf(resets[0]!));
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
  });
});

describe('computeFacts on other input', () => {
  it('gives nothing for an experiment without facts, and lists no names for it', () => {
    expect(factNames('no-such-experiment')).toEqual([]);
    expect(markNames('no-such-experiment')).toEqual([]);
    expect(factNames('handshake')).toContain('teardown.segments');
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
