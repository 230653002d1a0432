/**
 * TCP flags as a person reads them, and the colour family a segment belongs to (the ladder
 * and the inspector colour SYN, FIN, RST and data the same way).
 */

/** Wireshark's order: lowest bit first, so `SYN, ACK`, `FIN, ACK`, `PSH, ACK`, `RST, ACK`. */
const LABEL_ORDER = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

export function flagsLabel(flags: readonly string[]): string {
  const upper = flags.map((f) => f.toUpperCase());
  const known = LABEL_ORDER.filter((f) => upper.includes(f));
  const other = upper.filter((f) => !LABEL_ORDER.includes(f));
  return [...known, ...other].join(', ');
}

export type FlagKind = 'syn' | 'fin' | 'rst' | 'data' | 'ack' | 'udp';

/** The colour family of a segment: RST wins, then SYN, FIN, data, plain ACK. */
export function flagKind(flags: readonly string[], payloadLength: number, transport: 'tcp' | 'udp' = 'tcp'): FlagKind {
  if (transport === 'udp') return 'udp';
  const upper = flags.map((f) => f.toUpperCase());
  if (upper.includes('RST')) return 'rst';
  if (upper.includes('SYN')) return 'syn';
  if (upper.includes('FIN')) return 'fin';
  if (payloadLength > 0 || upper.includes('PSH')) return 'data';
  return 'ack';
}

/** The colour family of a single flag bit, for the inspector's flag chips. */
export function flagBitKind(name: string): FlagKind | null {
  switch (name.toUpperCase()) {
    case 'SYN':
      return 'syn';
    case 'FIN':
      return 'fin';
    case 'RST':
      return 'rst';
    case 'PSH':
      return 'data';
    case 'ACK':
      return 'ack';
    default:
      return null;
  }
}
