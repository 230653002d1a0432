/**
 * Explanation texts for every `explain` key the decoder emits, in English and Simplified
 * Chinese, each with a short title: one file per protocol layer, plus the OSI layer texts.
 * Keys: `<layer>.<field>` (`tcp.seq`), `<layer>.<field>.<part>` (`tcp.flags.syn`,
 * `tcp.options.mss`), `layer.<name>` (`layer.tcp`, `layer.physical`) and `osi.<layer>`.
 * The decoder's field definitions name these keys; a decoder test checks that the two agree.
 */
import { ethernetExplanations } from './ethernet.js';
import { ipv4Explanations } from './ipv4.js';
import { ipv6Explanations } from './ipv6.js';
import { osiExplanations } from './osi.js';
import { payloadExplanations } from './payload.js';
import { tcpExplanations } from './tcp.js';
import type { Explanation } from './types.js';
import { udpExplanations } from './udp.js';
import { unknownExplanations } from './unknown.js';

export type { Explanation };

const all = {
  ...osiExplanations,
  ...ethernetExplanations,
  ...ipv4Explanations,
  ...ipv6Explanations,
  ...tcpExplanations,
  ...udpExplanations,
  ...payloadExplanations,
  ...unknownExplanations,
};

/** Every explanation key. */
export type ExplainKey = keyof typeof all;

/**
 * Text by explain key (`explanations['tcp.seq'].title['zh-CN']` is `序号`,
 * `explanations['tcp.seq'].text.en` says what a sequence number is).
 */
export const explanations: Readonly<Record<string, Explanation>> = all;

/** The explanation for `key`, or undefined when there is none. */
export function explanationOf(key: string): Explanation | undefined {
  return Object.hasOwn(explanations, key) ? explanations[key] : undefined;
}
