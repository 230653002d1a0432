/**
 * Which protocol decodes which number. Adding a protocol: write its file (a `Protocol`), add
 * its texts to `contract/explanations/`, then register it in the right table here.
 */
import { ethernet } from './ethernet.js';
import { explainKeysOf } from './fields.js';
import { ipv4 } from './ipv4.js';
import { ipv6 } from './ipv6.js';
import { payload } from './payload.js';
import type { Protocol } from './protocol.js';
import { tcp } from './tcp.js';
import { udp } from './udp.js';
import { unknownDef } from './unknown.js';

/** By pcap link type: the first protocol of a frame, chosen from the link type (and bytes). */
export const linkTypes = new Map<number, (data: Uint8Array) => Protocol | undefined>([
  [1, () => ethernet],
  // Raw IP: the version nibble says which.
  [101, (data) => ((data[0] ?? 0) >> 4 === 6 ? ipv6 : (data[0] ?? 0) >> 4 === 4 ? ipv4 : undefined)],
  [228, () => ipv4],
  [229, () => ipv6],
]);

export const etherTypes = new Map<number, Protocol>([
  [0x0800, ipv4],
  [0x86dd, ipv6],
]);

export const ipProtocols = new Map<number, Protocol>([
  [6, tcp],
  [17, udp],
]);

/** Every protocol. */
export const allProtocols: Protocol[] = [ethernet, ipv4, ipv6, tcp, udp, payload];

/** Every explain key the decoder's layers declare (`layer.tcp`, `tcp.seq`, `tcp.options.mss`...). */
export function declaredExplainKeys(): Set<string> {
  return new Set([...allProtocols.map((p) => p.def), unknownDef].flatMap(explainKeysOf));
}

export { payload };
