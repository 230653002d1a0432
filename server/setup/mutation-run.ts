import { expect } from 'vitest';

/**
 * Tests only. True inside `npm run mutate` (vitest.mutate.config.ts sets SOCKET_LAB_MUTATION=1):
 * the corpus-wide decoder tests (random corruption, every prefix of every packet, tshark and the
 * public captures, every text rendered) take tens of seconds and would run once per mutant, so
 * they skip there; `npm test` runs them. The focused tests must catch a wrong answer on their own.
 */
export const MUTATION_RUN = process.env.SOCKET_LAB_MUTATION === '1';

/**
 * Tests only. A value made inside a test, once per test: what a test file builds while its tests
 * are collected (outside any `it`) is covered by every test of the mutation run, and an error
 * there fails the file before any test runs, which the mutation run does not count as a failure.
 * Not once per file either: the mutation run reruns only the tests that ran a changed line, so
 * each test that reads the value must make it itself.
 */
export function once<T>(make: () => T): () => T {
  let made: { test: string | undefined; value: T } | undefined;
  return () => {
    const test = expect.getState().currentTestName;
    if (!made || made.test !== test) made = { test, value: make() };
    return made.value;
  };
}
