/**
 * The one clock of a trace. tcpdump stamps packets with the kernel's real-time clock in
 * nanoseconds; socket-level events are stamped in the same clock, in microseconds, from
 * `performance.timeOrigin + performance.now()` (real-time based, sub-millisecond). A trace's
 * `t` is microseconds since its `startedAtUs`.
 */
import { performance } from 'node:perf_hooks';

/** The real-time clock, in ms since the epoch, when `performance.now()` was 0. */
let originMs = performance.timeOrigin;

/** Now, in microseconds since the epoch (fractional). */
export function nowUs(): number {
  return (originMs + performance.now()) * 1000;
}

/**
 * Re-anchors `nowUs` to the real-time clock if that clock was set (stepped) since this process
 * started, as it may be while a spare run process waits: packets are stamped by the real-time
 * clock, and the run's events must be on the same one. Costs nothing when the clocks agree
 * (within 20 ms: a reading can be late by a preemption); else waits for the next tick of
 * `Date.now()` (at most ~1 ms) to take the anchor from the tick's exact moment.
 */
export function followRealtimeSteps(): void {
  if (Math.abs(Date.now() - (originMs + performance.now())) < 20) return;
  const before = Date.now();
  const giveUp = performance.now() + 5;
  let tick = before;
  while ((tick = Date.now()) === before && performance.now() < giveUp) {
    // spin until the millisecond changes
  }
  originMs = tick - performance.now();
}

/** A capture timestamp (ns since the epoch) as microseconds since `startedAtUs`. */
export function nsToTraceUs(tsNs: bigint, startedAtUs: number): number {
  const startNs = BigInt(Math.round(startedAtUs * 1000));
  return Number(tsNs - startNs) / 1000;
}

/** Microseconds since the epoch → ISO 8601 with milliseconds. */
export function usToIso(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}
