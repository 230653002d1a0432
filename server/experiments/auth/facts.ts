/**
 * Facts of the `auth` experiment, read from the trace: the steps the programs reported
 * (`socketlab.step` notes), the checks made with node:crypto, and the captured packets that
 * carried the challenge and the answer.
 */
import type { NoteEvent, Trace } from '../../contract/trace.js';
import type { Facts } from '../../lab/facts.js';
import { tcpPackets } from '../../lab/tcp-packets.js';

export const AUTH_FACTS = [
  'port',
  'verdict',
  'replay.verdict',
  'answer.bytes',
  'answer.expectedBytes',
  'answer.packetBytes',
  'challenge.bytes',
  'challenge.packetBytes',
  'challenge.hex',
  'challenges.differ',
  'inner',
  'outer',
  'md5.digest',
  'md5.blocks',
  'check.equal',
  'check.total',
  'client.error',
  'compare.ns',
  'forge.accepted',
  'forge.keyLength',
  'forge.tries',
  'signed.role',
  'listener.port',
  'listener.clients',
] as const;

export const AUTH_MARKS = [
  'challenge',
  'challenge.packet',
  'compute',
  'inner',
  'outer',
  'md5.padding',
  'md5.block',
  'answer.packet',
  'verdict',
  'check',
  'replay',
  'forge',
  'forge.accepted',
  'listening',
] as const;

const notes = (trace: Trace, key: string): NoteEvent[] => trace.events.filter((e): e is NoteEvent => e.kind === 'note' && e.key === key);
const dataOf = (note: NoteEvent | undefined): Record<string, unknown> =>
  note && typeof note.data === 'object' && note.data !== null ? (note.data as Record<string, unknown>) : {};

export function authFacts(trace: Trace): Facts {
  const values: Facts['values'] = {};
  const marks: Facts['marks'] = {};
  const first = (key: string) => notes(trace, key)[0];
  const mark = (name: string, note: NoteEvent | undefined) => {
    if (note) marks[name] = note.seq;
  };

  const start = first('auth.start');
  const port = start?.values?.port;
  if (typeof port === 'number') values.port = port;

  const challenges = notes(trace, 'auth.challenge');
  mark('challenge', challenges[0]);
  const challengeHex = dataOf(challenges[0]).challenge;
  if (typeof challengeHex === 'string') {
    values['challenge.hex'] = challengeHex;
    values['challenge.bytes'] = challengeHex.length / 2;
  }
  if (challenges.length >= 2) values['challenges.differ'] = dataOf(challenges[0]).challenge !== dataOf(challenges[1]).challenge ? 'yes' : 'no';

  mark('compute', first('auth.compute'));
  const inner = first('auth.hmac.inner');
  mark('inner', inner);
  if (typeof inner?.values?.inner === 'string') values.inner = inner.values.inner;
  const outer = first('auth.hmac.outer');
  mark('outer', outer);
  if (typeof outer?.values?.outer === 'string') values.outer = outer.values.outer;
  mark('md5.padding', first('auth.md5.padding'));
  const blocks = notes(trace, 'auth.md5.block');
  mark('md5.block', blocks[0]);
  if (blocks.length > 0) values['md5.blocks'] = blocks.length;
  const digest = first('auth.md5.digest')?.values?.digest;
  if (typeof digest === 'string') values['md5.digest'] = digest;

  const verdicts = notes(trace, 'auth.verdict');
  mark('verdict', verdicts[0]);
  const verdict = verdicts[0]?.values;
  if (verdict) {
    if (typeof verdict.result === 'string') values.verdict = verdict.result;
    if (typeof verdict.received === 'number') values['answer.bytes'] = verdict.received;
    if (typeof verdict.expected === 'number') values['answer.expectedBytes'] = verdict.expected;
    if (typeof verdict.compareNs === 'number') values['compare.ns'] = verdict.compareNs;
  }
  const replayed = verdicts[1]?.values?.result;
  if (typeof replayed === 'string') values['replay.verdict'] = replayed;
  mark('replay', first('auth.replay'));

  const check = first('auth.check') ?? first('auth.forge.check');
  mark('check', check);
  if (typeof check?.values?.equal === 'number') values['check.equal'] = check.values.equal;
  if (typeof check?.values?.total === 'number') values['check.total'] = check.values.total;

  const exception = trace.events.find((e) => e.kind === 'program' && e.op === 'exception' && e.actor === 'client');
  if (exception?.kind === 'program') values['client.error'] = exception.error?.type ?? 'error';
  else if (trace.events.some((e) => e.kind === 'program' && e.actor === 'client' && e.op === 'exit')) values['client.error'] = 'none';

  const tries = notes(trace, 'auth.forge.try');
  mark('forge', tries[0]);
  const signed = notes(trace, 'auth.signed.verdict');
  if (tries.length > 0) values['forge.tries'] = tries.length;
  const accepted = signed.find((n) => n.values?.result === 'accepted');
  if (signed.length > 0) values['forge.accepted'] = accepted ? 'yes' : 'no';
  mark('forge.accepted', accepted);
  if (accepted) {
    values['signed.role'] = String(accepted.values?.role ?? '');
    const index = signed.indexOf(accepted);
    const keyLength = tries[index]?.values?.keyLength;
    if (typeof keyLength === 'number') values['forge.keyLength'] = keyLength;
  }

  const listening = first('auth.listening');
  mark('listening', listening);
  if (typeof listening?.values?.port === 'number') {
    values['listener.port'] = listening.values.port;
    values['listener.clients'] = verdicts.length;
  }

  // The captured packets that carried the challenge (server → client) and the answer (client → server).
  if (typeof port === 'number') {
    const packets = tcpPackets(trace).filter((p) => p.summary.payloadLength > 0);
    const challengePacket = packets.find((p) => p.summary.sport === port);
    const answerPacket = packets.find((p) => p.summary.dport === port && (!challengePacket || p.eventSeq > challengePacket.eventSeq));
    if (challengePacket) {
      marks['challenge.packet'] = challengePacket.eventSeq;
      values['challenge.packetBytes'] = challengePacket.summary.payloadLength;
    }
    if (answerPacket) {
      marks['answer.packet'] = answerPacket.eventSeq;
      values['answer.packetBytes'] = answerPacket.summary.payloadLength;
    }
  }
  return { values, marks };
}

/** The run in one line, in English, for the terminal: the server's verdict, and what the attack did. */
export function authSummary(facts: Facts): string | null {
  const v = facts.values;
  const parts: string[] = [];
  if (typeof v['verdict'] === 'string') {
    const sizes = typeof v['answer.bytes'] === 'number' && typeof v['answer.expectedBytes'] === 'number' ? ` (answer ${String(v['answer.bytes'])} of ${String(v['answer.expectedBytes'])} bytes)` : '';
    parts.push(`the server ${v['verdict']} the client${sizes}`);
  }
  if (typeof v['client.error'] === 'string' && v['client.error'] !== 'none') parts.push(`the client raised ${v['client.error']}`);
  if (typeof v['replay.verdict'] === 'string') parts.push(`the replayed answer was ${v['replay.verdict']}`);
  const role = typeof v['signed.role'] === 'string' && v['signed.role'] ? ` (role=${v['signed.role']})` : '';
  if (v['forge.accepted'] === 'yes') parts.push(`the message forged without the key${role} was accepted`);
  if (v['forge.accepted'] === 'no') parts.push('the message forged without the key was rejected');
  return parts.length > 0 ? parts.join('; ') : null;
}
