/** The server's health: version and whether packets can be captured. Retried while unreachable. */
import { getJson } from '../lib/api.ts';
import type { Health } from '../lib/api-types.ts';
import { retryDelayMs } from '../lib/backoff.ts';

class HealthState {
  info = $state<Health | null>(null);
  error = $state<string | null>(null);
  #failures = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  async load(): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    try {
      this.info = await getJson<Health>('/api/health');
      this.error = null;
      this.#failures = 0;
    } catch (err) {
      // What the server said before no longer holds: the banner says it is not answering.
      this.info = null;
      this.error = err instanceof Error ? err.message : String(err);
      this.#timer = setTimeout(() => void this.load(), retryDelayMs(this.#failures++));
    }
  }

  /** Asks again now (e.g. after a run could not reach the server), restarting the backoff. */
  retry(): void {
    this.#failures = 0;
    void this.load();
  }
}

export const health = new HealthState();
