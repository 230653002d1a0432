/**
 * Facts of the `handshake` experiment: one TCP connection opened, used once and closed
 * (or refused). Everything is read from the trace: the captured packets for what crossed the
 * wire, the socket events for what the programs and the kernel reported.
 *
 * When the capture ended or stalled before the run did (`captureIncomplete`), the packets it
 * holds are the run's first ones, without the rest: a fact about a packet found is still true,
 * but a count, a sum or a "none" over the whole capture is not known, and is left out.
 */
import type { SocketEvent, Trace, TraceEvent } from '../../contract/trace.js';
import { packetSide } from '../../contract/lanes.js';
import { captureIncomplete } from '../../contract/capture-notes.js';
import type { Facts } from '../../lab/facts.js';
import { seqBefore } from '../../contract/tcp-seq.js';
import { microsBetween, readTcpOptions, seqDiff, tcpPackets, type TcpPacket } from '../../lab/tcp-packets.js';

export const HANDSHAKE_FACTS = [
  'client',
  'server',
  'ipVersion',
  'syn.seq',
  'syn.count',
  'synack.seq',
  'synack.ack',
  'ack.seq',
  'ack.ack',
  'synack.ackMinusSynSeq',
  'ack.ackMinusSynackSeq',
  'ack.seqMinusSynSeq',
  'syn.mss',
  'syn.wscale',
  'syn.sackPerm',
  'syn.timestamps',
  'syn.window',
  'ack.window',
  'ack.windowBytes',
  'synack.mss',
  'synack.wscale',
  'handshake.rttUs',
  'data.clientBytes',
  'data.serverBytes',
  'data.serverAckAfterData',
  'data.ackSeparate',
  'data.ackBeforeRead',
  'data.psh',
  'teardown.segments',
  'teardown.firstFin',
  'fin1.ackMinusSeq',
  'fin1.ackAlone',
  'fin1.ackAfterUs',
  'fin2.ackMinusSeq',
  'rst.count',
  'rst.from',
  'rst.peerError',
  'timewait.side',
  'states.active',
  'states.passive',
  'packets.total',
  'packets.withoutAck',
  'connect.error',
  'connect.errorUs',
] as const;

export const HANDSHAKE_MARKS = [
  'syn',
  'synack',
  'ack',
  'data',
  'dataack',
  'reply',
  'fin1',
  'fin1ack',
  'fin2',
  'lastack',
  'rst',
  'timewait',
  'connecterror',
] as const;

type Side = 'client' | 'server';

/** Facts that count, sum or deny over the whole capture: unknown when it missed the run's end. */
const OVER_WHOLE_CAPTURE = [
  'packets.total',
  'packets.withoutAck',
  'syn.count',
  'data.clientBytes',
  'data.serverBytes',
  'teardown.segments',
  'rst.count',
] as const;

function isSocket(event: TraceEvent): event is SocketEvent {
  return event.kind === 'socket';
}

/** The actor's role: `client-2` → `client`. */
function roleOf(actor: string): string {
  return actor.replace(/-\d+$/, '');
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

/** Whether `ack` acknowledges sequence number `seq` (it lies after it, within half the space). */
function acknowledges(ack: number, seq: number): boolean {
  return seqBefore(seq, ack);
}

export function handshakeFacts(trace: Trace): Facts {
  const values: Facts['values'] = {};
  const marks: Facts['marks'] = {};
  const all = tcpPackets(trace);

  // The connection: the first SYN without ACK names the client; otherwise the first TCP lane.
  const firstSyn = all.find((p) => p.flags.has('SYN') && !p.flags.has('ACK'));
  const lane = trace.lanes.find((l) => l.transport === 'tcp');
  const client = firstSyn?.from ?? lane?.client;
  const server = firstSyn?.to ?? lane?.server;
  if (client !== undefined) values.client = client;
  if (server !== undefined) values.server = server;
  if (firstSyn?.summary.ip !== undefined) values.ipVersion = firstSyn.summary.ip;
  else if (client !== undefined) values.ipVersion = client.startsWith('[') ? 6 : 4;

  if (trace.env.capture.available) {
    values['packets.total'] = trace.events.filter((e) => e.kind === 'wire').length;
  }

  // The connection's packets and which end sent each, by the contract's one lane rule.
  const sent = new Map<TcpPacket, Side>();
  if (client !== undefined && server !== undefined) {
    const connection = { transport: 'tcp' as const, client, server };
    for (const p of all) {
      const side = packetSide(connection, p.summary);
      if (side) sent.set(p, side);
    }
  }
  const conn = all.filter((p) => sent.has(p));
  const sideOf = (p: TcpPacket): Side => sent.get(p)!;
  const after = (p: TcpPacket | undefined) => (p ? conn.slice(conn.indexOf(p) + 1) : []);
  if (conn.length > 0) values['packets.withoutAck'] = conn.filter((p) => !p.flags.has('ACK')).length;

  const syns = conn.filter((p) => sideOf(p) === 'client' && p.flags.has('SYN') && !p.flags.has('ACK'));
  const syn = syns[0];
  if (syn) {
    marks.syn = syn.eventSeq;
    values['syn.seq'] = syn.summary.seq ?? 0;
    values['syn.count'] = syns.length;
    if (syn.summary.window !== undefined) values['syn.window'] = syn.summary.window;
    const opts = readTcpOptions(syn.event);
    if (opts?.mss !== undefined) values['syn.mss'] = opts.mss;
    if (opts?.wscale !== undefined) values['syn.wscale'] = opts.wscale;
    if (opts) values['syn.sackPerm'] = opts.sackPerm ? 'yes' : 'no';
    if (opts) values['syn.timestamps'] = opts.timestamps ? 'yes' : 'no';
  }

  const synack = after(syn).find((p) => sideOf(p) === 'server' && p.flags.has('SYN') && p.flags.has('ACK'));
  if (syn && synack) {
    marks.synack = synack.eventSeq;
    values['synack.seq'] = synack.summary.seq ?? 0;
    values['synack.ack'] = synack.summary.ack ?? 0;
    values['synack.ackMinusSynSeq'] = seqDiff(synack.summary.ack ?? 0, syn.summary.seq ?? 0);
    values['handshake.rttUs'] = microsBetween(syn, synack);
    const opts = readTcpOptions(synack.event);
    if (opts?.mss !== undefined) values['synack.mss'] = opts.mss;
    if (opts?.wscale !== undefined) values['synack.wscale'] = opts.wscale;
  }

  const ack = after(synack).find((p) => sideOf(p) === 'client' && p.flags.has('ACK') && !p.flags.has('SYN'));
  if (syn && synack && ack) {
    marks.ack = ack.eventSeq;
    values['ack.seq'] = ack.summary.seq ?? 0;
    values['ack.ack'] = ack.summary.ack ?? 0;
    values['ack.ackMinusSynackSeq'] = seqDiff(ack.summary.ack ?? 0, synack.summary.seq ?? 0);
    values['ack.seqMinusSynSeq'] = seqDiff(ack.summary.seq ?? 0, syn.summary.seq ?? 0);
    const window = ack.summary.window;
    if (window !== undefined) {
      values['ack.window'] = window;
      // Scaling is in use only when both SYNs carried the option; the client's shift applies
      // to the windows the client sends.
      const shift = values['syn.wscale'];
      const scaled = typeof shift === 'number' && values['synack.wscale'] !== undefined;
      values['ack.windowBytes'] = scaled ? window * 2 ** shift : window;
    }
  }

  const socketEvents = trace.events.filter(isSocket);

  // Data both ways, and the server's acknowledgement of the client's bytes.
  if (syn && synack) {
    const sum = (side: Side) =>
      conn.filter((p) => sideOf(p) === side).reduce((n, p) => n + p.summary.payloadLength, 0);
    values['data.clientBytes'] = sum('client');
    values['data.serverBytes'] = sum('server');
    const data = conn.find((p) => sideOf(p) === 'client' && p.summary.payloadLength > 0);
    if (data) {
      marks.data = data.eventSeq;
      values['data.psh'] = yesNo(data.flags.has('PSH'));
      const synSeq = syn.summary.seq ?? 0;
      const dataack = after(data).find(
        (p) => sideOf(p) === 'server' && p.flags.has('ACK') && seqDiff(p.summary.ack ?? 0, synSeq) > 1,
      );
      if (dataack) {
        marks.dataack = dataack.eventSeq;
        values['data.serverAckAfterData'] = seqDiff(dataack.summary.ack ?? 0, synSeq);
        // A bare ACK, or the reply carrying the acknowledgement (piggy-backed).
        values['data.ackSeparate'] = yesNo(dataack.summary.payloadLength === 0);
        const read = trace.events.find(
          (e) => e.kind === 'app' && e.op === 'read' && e.size > 0 && roleOf(e.actor) === 'server',
        );
        if (read) values['data.ackBeforeRead'] = yesNo(dataack.t < read.t);
      }
    }
    const reply = conn.find((p) => sideOf(p) === 'server' && p.summary.payloadLength > 0);
    if (reply) marks.reply = reply.eventSeq;
  }

  // Teardown: the FINs and their acknowledgements. A FIN uses one sequence number, after the
  // segment's data: the ACK of a FIN at seq s (with no data) carries s + 1.
  const fin1 = conn.find((p) => p.flags.has('FIN'));
  const fin2 = fin1 && after(fin1).find((p) => p.flags.has('FIN') && sideOf(p) !== sideOf(fin1));
  const ackOfFin = (fin: TcpPacket) => {
    const finSeq = fin.summary.seq ?? 0;
    return after(fin).find(
      (p) =>
        sideOf(p) !== sideOf(fin) &&
        p.flags.has('ACK') &&
        seqDiff(p.summary.ack ?? 0, finSeq) > fin.summary.payloadLength &&
        acknowledges(p.summary.ack ?? 0, finSeq),
    );
  };
  if (fin1) {
    marks.fin1 = fin1.eventSeq;
    values['teardown.firstFin'] = sideOf(fin1);
    values['teardown.segments'] = conn.length - conn.indexOf(fin1);
    const fin1ack = ackOfFin(fin1);
    if (fin1ack) {
      marks.fin1ack = fin1ack.eventSeq;
      values['fin1.ackMinusSeq'] = seqDiff(fin1ack.summary.ack ?? 0, fin1.summary.seq ?? 0);
      values['fin1.ackAlone'] = yesNo(!fin1ack.flags.has('FIN') && fin1ack.summary.payloadLength === 0);
      values['fin1.ackAfterUs'] = microsBetween(fin1, fin1ack);
    }
  }
  if (fin1 && fin2) {
    marks.fin2 = fin2.eventSeq;
    const lastack = ackOfFin(fin2);
    if (lastack) {
      marks.lastack = lastack.eventSeq;
      values['fin2.ackMinusSeq'] = seqDiff(lastack.summary.ack ?? 0, fin2.summary.seq ?? 0);
    }
  }

  // Resets, and what the side that received the first one reported.
  const resets = conn.filter((p) => p.flags.has('RST'));
  const rst = resets[0];
  if (conn.length > 0) {
    values['rst.count'] = resets.length;
    values['rst.from'] = rst ? sideOf(rst) : 'none';
  }
  if (rst) {
    marks.rst = rst.eventSeq;
    const receiver: Side = sideOf(rst) === 'client' ? 'server' : 'client';
    const error = socketEvents.find((e) => e.op === 'error' && roleOf(e.actor) === receiver && e.seq > rst.eventSeq);
    values['rst.peerError'] = error ? (error.code ?? 'error') : 'none';
  }

  // What the kernel's socket table showed: TIME_WAIT, and each side's states in order.
  const stateEvents = socketEvents.filter((e) => e.op === 'state');
  const timewait = stateEvents.find((e) => e.state === 'TIME_WAIT');
  if (timewait) {
    values['timewait.side'] = roleOf(timewait.actor);
    marks.timewait = timewait.seq;
  } else if (stateEvents.length > 0) {
    values['timewait.side'] = 'none';
  }
  const statesOf = (side: Side) => {
    const [local, remote] = side === 'client' ? [client, server] : [server, client];
    const seen = stateEvents
      .filter((e) => roleOf(e.actor) === side && e.local === local && e.remote === remote && e.state !== undefined)
      .map((e) => e.state!);
    return seen.filter((state, i) => i === 0 || seen[i - 1] !== state);
  };
  // The active closer: the first FIN's sender; without packets, the first program to call end().
  const firstEnd = socketEvents.find((e) => e.op === 'end');
  const closer: Side | undefined = fin1
    ? sideOf(fin1)
    : !trace.env.capture.available && firstEnd
      ? (roleOf(firstEnd.actor) as Side)
      : undefined;
  if (closer === 'client' || closer === 'server') {
    const active = statesOf(closer);
    const passive = statesOf(closer === 'client' ? 'server' : 'client');
    if (active.length > 0) values['states.active'] = active.join(' → ');
    if (passive.length > 0) values['states.passive'] = passive.join(' → ');
  }

  // What the client's connect reported.
  const connectError = socketEvents.find((e) => e.op === 'error' && roleOf(e.actor) === 'client');
  const connected = socketEvents.some((e) => e.op === 'connected' && roleOf(e.actor) === 'client');
  if (connectError && !connected) {
    values['connect.error'] = connectError.code ?? 'error';
    marks.connecterror = connectError.seq;
    const call = socketEvents.find((e) => e.op === 'connect' && roleOf(e.actor) === 'client' && e.seq < connectError.seq);
    if (call) values['connect.errorUs'] = Math.round((connectError.t - call.t) * 10) / 10;
  } else if (connected) {
    values['connect.error'] = 'none';
  }

  if (captureIncomplete(trace)) {
    for (const name of OVER_WHOLE_CAPTURE) delete values[name];
    if (values['rst.from'] === 'none') delete values['rst.from'];
  }
  return { values, marks };
}
