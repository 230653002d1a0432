/**
 * Facts of the `handshake` experiment: one TCP connection opened, used once and closed
 * (or refused). Everything is read from the trace: the captured packets for what crossed the
 * wire, the socket events for what the programs and the kernel reported.
 */
import type { SocketEvent, Trace, TraceEvent } from '../../contract/trace.js';
import type { Facts } from '../../lab/facts.js';
import { microsBetween, readTcpOptions, seqDiff, tcpPackets, type TcpPacket } from '../../lab/tcp-packets.js';

export const HANDSHAKE_FACTS = [
  'client',
  'server',
  'ipVersion',
  'syn.seq',
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
  'synack.mss',
  'synack.wscale',
  'handshake.rttUs',
  'data.clientBytes',
  'data.serverBytes',
  'data.serverAckAfterData',
  'teardown.segments',
  'teardown.firstFin',
  'rst.count',
  'rst.from',
  'timewait.side',
  'packets.total',
  'connect.error',
] as const;

export const HANDSHAKE_MARKS = [
  'syn',
  'synack',
  'ack',
  'data',
  'dataack',
  'reply',
  'fin1',
  'fin2',
  'lastack',
  'rst',
  'timewait',
  'connecterror',
] as const;

type Side = 'client' | 'server';

function isSocket(event: TraceEvent): event is SocketEvent {
  return event.kind === 'socket';
}

/** The actor's role: `client-2` → `client`. */
function roleOf(actor: string): string {
  return actor.replace(/-\d+$/, '');
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

  const conn =
    client === undefined || server === undefined
      ? []
      : all.filter((p) => (p.from === client && p.to === server) || (p.from === server && p.to === client));
  const sideOf = (p: TcpPacket): Side => (p.from === client ? 'client' : 'server');
  const after = (p: TcpPacket | undefined) => (p ? conn.slice(conn.indexOf(p) + 1) : []);

  const syn = conn.find((p) => sideOf(p) === 'client' && p.flags.has('SYN') && !p.flags.has('ACK'));
  if (syn) {
    marks.syn = syn.eventSeq;
    values['syn.seq'] = syn.summary.seq ?? 0;
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
  }

  // Data both ways, and the server's acknowledgement of the client's bytes.
  if (syn && synack) {
    const sum = (side: Side) =>
      conn.filter((p) => sideOf(p) === side).reduce((n, p) => n + p.summary.payloadLength, 0);
    values['data.clientBytes'] = sum('client');
    values['data.serverBytes'] = sum('server');
    const data = conn.find((p) => sideOf(p) === 'client' && p.summary.payloadLength > 0);
    if (data) {
      marks.data = data.eventSeq;
      const synSeq = syn.summary.seq ?? 0;
      const dataack = after(data).find(
        (p) => sideOf(p) === 'server' && p.flags.has('ACK') && seqDiff(p.summary.ack ?? 0, synSeq) > 1,
      );
      if (dataack) {
        marks.dataack = dataack.eventSeq;
        values['data.serverAckAfterData'] = seqDiff(dataack.summary.ack ?? 0, synSeq);
      }
    }
    const reply = conn.find((p) => sideOf(p) === 'server' && p.summary.payloadLength > 0);
    if (reply) marks.reply = reply.eventSeq;
  }

  // Teardown: FINs, the last ACK, resets.
  const fin1 = conn.find((p) => p.flags.has('FIN'));
  const fin2 = fin1 && after(fin1).find((p) => p.flags.has('FIN') && sideOf(p) !== sideOf(fin1));
  if (fin1) {
    marks.fin1 = fin1.eventSeq;
    values['teardown.firstFin'] = sideOf(fin1);
  }
  if (fin1 && fin2) {
    marks.fin2 = fin2.eventSeq;
    const finEnd = ((fin2.summary.seq ?? 0) + fin2.summary.payloadLength + 1) % 2 ** 32;
    const lastack = after(fin2).find(
      (p) => sideOf(p) === sideOf(fin1) && p.flags.has('ACK') && p.summary.ack === finEnd,
    );
    if (lastack) marks.lastack = lastack.eventSeq;
  }
  const resets = conn.filter((p) => p.flags.has('RST'));
  const rst = resets[0];
  if (conn.length > 0) {
    values['rst.count'] = resets.length;
    values['rst.from'] = rst ? sideOf(rst) : 'none';
  }
  if (rst) marks.rst = rst.eventSeq;
  const closing = conn.find((p) => p.flags.has('FIN') || p.flags.has('RST'));
  if (closing) values['teardown.segments'] = conn.length - conn.indexOf(closing);

  // What the kernel and the programs reported.
  const socketEvents = trace.events.filter(isSocket);
  const stateEvents = socketEvents.filter((e) => e.op === 'state');
  const timewait = stateEvents.find((e) => e.state === 'TIME_WAIT');
  if (timewait) {
    values['timewait.side'] = roleOf(timewait.actor);
    marks.timewait = timewait.seq;
  } else if (stateEvents.length > 0) {
    values['timewait.side'] = 'none';
  }

  const connectError = socketEvents.find((e) => e.op === 'error' && roleOf(e.actor) === 'client');
  const connected = socketEvents.some((e) => e.op === 'connected' && roleOf(e.actor) === 'client');
  if (connectError && !connected) {
    values['connect.error'] = connectError.code ?? 'error';
    marks.connecterror = connectError.seq;
  } else if (connected) {
    values['connect.error'] = 'none';
  }

  return { values, marks };
}
