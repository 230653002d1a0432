/** The catalogue tests use: the lab's own experiments and the test-only ones beside this file. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExperimentCatalog, experimentsDir } from '../experiments/registry.js';

export const testExperimentsDir = dirname(fileURLToPath(import.meta.url));
export const testLessonsDir = join(testExperimentsDir, 'lessons');

let loaded: Promise<ExperimentCatalog> | null = null;

export function testCatalog(): Promise<ExperimentCatalog> {
  loaded ??= ExperimentCatalog.load([experimentsDir, testExperimentsDir]);
  return loaded;
}
