/** Where the replay after Run starts. DOM-free. */
import type { TraceEvent } from './trace-types.ts';

/** Steps before the first packet a replay shows at most, so the first packet is in view at once. */
const REPLAY_LEAD_STEPS = 6;

/**
 * Where the replay after Run starts: step 0, or a few steps before the first packet when more
 * come before it (a program's set-up), so the handshake is on screen from the start.
 */
export function replayStart(events: readonly TraceEvent[]): number {
  const first = events.findIndex((e) => e.kind === 'wire');
  return first > REPLAY_LEAD_STEPS ? first - REPLAY_LEAD_STEPS : 0;
}
