/**
 * Setup of the mutation run's tests (vitest.mutate.config.ts): the run reuses its workers, so a
 * module-wide cache would keep values an earlier test made without the mutant; each test starts
 * with every cache empty, as in a fresh process.
 */
import { beforeEach } from 'vitest';
import { BoundedCache } from '../contract/bounded-cache.js';

beforeEach(() => BoundedCache.clearAll());
