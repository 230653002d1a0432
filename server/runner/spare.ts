/**
 * A spare run process, started ahead so that a run does not wait for a process (and its
 * network namespace) to start and load. It serves one run, like any run's process, and exits
 * with it: no two runs ever share a process, a namespace or a socket. After each run a new
 * spare is started; `close()` (when the server stops) kills the one waiting.
 *
 * While it waits, the spare has loaded the runner and nothing else; it hears nothing of a run
 * until the run's `start` (its stdout is read only by the run that takes it).
 */
import type { CaptureMethod } from '../contract/trace.js';
import { endGroup, isRunning, spawnRunProcess, type RunProcess } from './process.js';

export class SpareRunProcess {
  #waiting: RunProcess | null = null;
  #closed = false;
  readonly #forget = (): void => {
    this.#waiting = null;
  };

  constructor(readonly method: CaptureMethod) {}

  /** The process waiting now, if any (for diagnostics and tests). */
  get pid(): number | undefined {
    return this.#waiting?.pid;
  }

  /**
   * Hands over the waiting process for a run with this capture method, or null (none waiting,
   * it has died, or it was made for another method). The caller owns it from then on.
   */
  take(method: CaptureMethod): RunProcess | null {
    const child = this.#waiting;
    if (!child || method !== this.method) return null;
    this.#waiting = null;
    child.off('exit', this.#forget);
    return isRunning(child) ? child : null;
  }

  /** Starts a spare when none is waiting (call after a run, when the machine is quiet again). */
  refill(): void {
    if (this.#closed || (this.#waiting && isRunning(this.#waiting))) return;
    let child: RunProcess;
    try {
      child = spawnRunProcess(this.method);
    } catch {
      this.#waiting = null;
      return;
    }
    // Not started: the next run starts its own process.
    child.once('error', () => undefined);
    child.once('exit', this.#forget);
    this.#waiting = child;
  }

  /** Kills the waiting process and its group, and starts no more. */
  async close(): Promise<void> {
    this.#closed = true;
    const child = this.#waiting;
    this.#waiting = null;
    if (!child) return;
    child.stdin.destroy();
    await endGroup(child.pid);
  }
}
