import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run mutate` runs against each mutant: the fast, pure tests of the logic that
 * Stryker mutates (stryker.config.mjs). Nothing here starts a run, tcpdump or a browser, so a
 * mutant is judged in seconds. The full suite (vitest.config.ts) still runs in `npm test`.
 */
export default defineConfig({
  test: {
    include: [
      'server/decode/**/*.test.ts',
      'server/contract/**/*.test.ts',
      'server/experiments/handshake/facts.crafted.test.ts',
      'server/http/ws/stream.test.ts',
      'server/lab/tcp-packets.test.ts',
      'web/src/lessons/predict.test.ts',
      'web/src/views/ladder/*.test.ts',
      'web/src/views/timeline/*.test.ts',
    ],
    exclude: ['server/decode/real-captures.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // These tests are pure and share no state: reusing the workers (not a fresh one per file)
    // makes each mutant's run several times faster.
    isolate: false,
    // …and so each test starts with the module-wide caches empty.
    setupFiles: ['server/setup/mutation-setup.ts'],
    env: { SOCKET_LAB_MUTATION: '1' },
  },
});
