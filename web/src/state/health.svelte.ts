/** The server's health: version and whether packets can be captured. */
import { getJson } from '../lib/api.ts';
import type { Health } from '../lib/api-types.ts';

class HealthState {
  info = $state<Health | null>(null);
  error = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      this.info = await getJson<Health>('/api/health');
      this.error = null;
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
  }
}

export const health = new HealthState();
