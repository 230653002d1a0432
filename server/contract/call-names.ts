/**
 * The call behind a socket or app event, named as the program's language names it: a Python
 * program's FIN comes from `shutdown(SHUT_WR)`, a Node.js one's from `end()`. Every view and the
 * terminal name calls through here; a run's language is its programs' (Node.js when the lab's own
 * sockets ran, without program files).
 */
import type { ProgramLang } from './experiment.js';

/** The events that are a program's call: socket ops; app writes, reads, the read of the end of a stream; a datagram sent or taken. */
export type NamedCall =
  | 'listen'
  | 'bind'
  | 'connect'
  | 'accept'
  | 'end'
  | 'destroy'
  | 'reset'
  | 'close'
  | 'write'
  | 'read'
  | 'eof'
  | 'sendDatagram'
  | 'recvDatagram';

export const CALL_NAMES: Readonly<Record<ProgramLang, Readonly<Record<NamedCall, string>>>> = {
  python: {
    listen: 'listen()',
    bind: 'bind()',
    connect: 'connect()',
    accept: 'accept()',
    end: 'shutdown(SHUT_WR)',
    destroy: 'close()',
    reset: 'close() with SO_LINGER 0',
    close: 'close()',
    write: 'sendall()',
    read: 'recv()',
    eof: "recv() → b''",
    sendDatagram: 'sendto()',
    recvDatagram: 'recvfrom()',
  },
  node: {
    listen: 'listen()',
    bind: 'bind()',
    connect: 'connect()',
    accept: "'connection'",
    end: 'end()',
    destroy: 'destroy()',
    reset: 'resetAndDestroy()',
    close: 'close()',
    write: 'write()',
    read: "'data'",
    eof: "'end'",
    sendDatagram: 'send()',
    recvDatagram: "'message'",
  },
};

/** The language a run's calls are named in: its programs', else Node.js (the lab's own sockets are Node's). */
export function callLangOf(trace: { programs?: readonly { lang: ProgramLang }[] } | null | undefined): ProgramLang {
  return trace?.programs?.[0]?.lang ?? 'node';
}

/** The name of the call behind an event's op; undefined for what is not a call (`connected`, `state`, `error`). */
export function callName(lang: ProgramLang, op: string): string | undefined {
  const names = CALL_NAMES[lang] as Readonly<Record<string, string>>;
  return Object.hasOwn(names, op) ? names[op] : undefined;
}

/** The name of an app event's call: a read of 0 bytes is the end of the stream; with a peer, a datagram. */
export function appCallName(lang: ProgramLang, event: { op: 'write' | 'read'; size: number; peer?: string }): string {
  const names = CALL_NAMES[lang];
  if (event.peer !== undefined) return event.op === 'write' ? names.sendDatagram : names.recvDatagram;
  return names[event.op === 'read' && event.size === 0 ? 'eof' : event.op];
}
