/** The experiments the server offers, fetched once per page load. */
import { getJson } from './api.ts';
import type { ExperimentInfo } from './api-types.ts';

let experiments: Promise<ExperimentInfo[]> | null = null;

export function loadExperiments(): Promise<ExperimentInfo[]> {
  experiments ??= getJson<ExperimentInfo[]>('/api/experiments').catch((err: unknown) => {
    experiments = null;
    throw err;
  });
  return experiments;
}
