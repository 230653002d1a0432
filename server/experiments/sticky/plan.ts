/**
 * The messages a run sends and how they go on the stream, from its parameters: what the
 * programs' settings say, and the `stream.plan` note the views and facts read.
 */
import type { StreamPlan } from '../../contract/byte-stream.js';
import type { StickyParams } from './params.js';

/** The bytes of the warm-up's request (`b'ping'`), once per round. */
export const PING_BYTES = 4;

/** Each message's size in bytes: the list's texts in UTF-8, or `count` made-up ones of `size`. */
export function messageSizes(params: Pick<StickyParams, 'messages' | 'count' | 'size'>): number[] {
  if (params.count > 0) return new Array<number>(params.count).fill(params.size);
  return params.messages.split('|').map((text) => new TextEncoder().encode(text).length);
}

export function streamPlan(params: StickyParams): StreamPlan {
  const sizes = messageSizes(params);
  return {
    framing: params.framing,
    sender: 'client',
    receiver: 'server',
    warmupBytes: PING_BYTES * params.warmup,
    sizes,
    fixedSize: params.framing === 'fixed' ? Math.max(1, ...sizes) : 0,
  };
}
