/** Long work in slices: the event loop gets a turn at least every `TURN_MS` of it. */

/** Longest stretch of work between two turns of the event loop (ms). */
export const TURN_MS = 10;

/** Gives the event loop a turn once `TURN_MS` of work has passed since the last one. */
/** Call `maybe()` often (every item); it yields once `TURN_MS` have passed since the last turn. */
export class Turns {
  #since = performance.now();
  #calls = 0;
  async maybe(): Promise<void> {
    if (this.due()) await this.take();
  }

  /** Whether a turn is due (for loops too hot to await `maybe()` on every item). */
  due(): boolean {
    return (++this.#calls & 15) === 0 && performance.now() - this.#since >= TURN_MS;
  }

  /** Gives the event loop a turn now. */
  async take(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.#since = performance.now();
  }
}
