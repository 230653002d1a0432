/**
 * The one clock of a trace. tcpdump stamps packets with the kernel's real-time clock in
 * nanoseconds; socket-level events are stamped in the same clock, in microseconds, from
 * `performance.timeOrigin + performance.now()` (real-time based, sub-millisecond). A trace's
 * `t` is microseconds since its `startedAtUs`.
 */
import { performance } from 'node:perf_hooks';

/** Now, in microseconds since the epoch (fractional). */
export function nowUs(): number {
  return (performance.timeOrigin + performance.now()) * 1000;
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
