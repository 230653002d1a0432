/**
 * The server's health: version and whether packets can be captured, and whether the server
 * answers at all. Asked again every few seconds while the page is shown (so an outage shows at
 * once, on an idle page too) and every two seconds while it does not answer (so the page
 * recovers by itself when the server is back).
 */
import { untrack } from 'svelte';
import { getJson } from '../lib/api.ts';
import type { Health } from '../lib/api-types.ts';

/** How often a page that is shown asks while the server answers. */
export const HEALTH_POLL_MS = 4000;
/** How often it asks while the server does not answer. */
export const HEALTH_RETRY_MS = 2000;

class HealthState {
  info = $state<Health | null>(null);
  /** True while the server does not answer (after it was asked at least once). */
  down = $state(false);
  /** Counts the returns after an outage: views that could not load reload when it changes. */
  returns = $state(0);
  #timer: ReturnType<typeof setTimeout> | null = null;
  #listening = false;

  async load(): Promise<void> {
    this.#listen();
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    try {
      const info = await getJson<Health>('/api/health');
      this.info = info;
      if (this.down) this.returns++;
      this.down = false;
    } catch {
      // What the server said before no longer holds (it may come back with capture changed).
      this.info = null;
      this.down = true;
    }
    this.#schedule();
  }

  /** Asks again now (e.g. after a run could not reach the server). */
  retry(): void {
    void this.load();
  }

  #schedule(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    // A hidden tab asks only while the server is down; it asks at once when shown again.
    if (!this.down && document.visibilityState === 'hidden') return;
    this.#timer = setTimeout(() => void this.load(), this.down ? HEALTH_RETRY_MS : HEALTH_POLL_MS);
  }

  #listen(): void {
    if (this.#listening) return;
    this.#listening = true;
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void this.load();
    });
    window.addEventListener('online', () => void this.load());
  }
}

export const health = new HealthState();

/**
 * During a component's set-up: each time the server answers again after an outage, `reload()`
 * when `failed()` says the view could not load (what did load is left as it is).
 */
export function reloadWhenBack(failed: () => boolean, reload: () => void): void {
  $effect(() => {
    if (health.returns === 0) return;
    untrack(() => {
      if (failed()) reload();
    });
  });
}
