/**
 * Mutation testing (`npm run mutate`, not part of `npm test`): Stryker changes the pure logic
 * where a wrong answer would teach something false, one small change at a time, and runs the
 * fast tests of vitest.mutate.config.ts against each change. A change that no test notices
 * "survives". The clear-text report gives the score per file; README.md ("Mutation testing")
 * says what survives and why.
 *
 * One module while working: `npm run mutate -- --mutate server/contract/tcp-seq.ts`.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: true },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    // The decoder: every field and summary the inspector and the facts read.
    'server/decode/*.ts',
    '!server/decode/*.test.ts',
    // The contract's one copy of each rule: sequence arithmetic, relative numbers, lanes, endpoints.
    'server/contract/tcp-seq.ts',
    'server/contract/relative-seq.ts',
    'server/contract/lanes.ts',
    'server/contract/endpoint.ts',
    'server/contract/bounded-cache.ts',
    // Lesson facts.
    'server/experiments/handshake/facts.ts',
    'server/lab/tcp-packets.ts',
    // The live stream's batcher.
    'server/http/ws/stream.ts',
    // The page: predict grading, the TCP state machine, the ladder and timeline models.
    'web/src/lessons/predict.ts',
    'web/src/views/ladder/tcp-state.ts',
    'web/src/views/ladder/ladder-model.ts',
    'web/src/views/timeline/timeline-model.ts',
  ],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, reportTests: false, reportMutants: false, reportScoreTable: true },
  thresholds: { high: 85, low: 70, break: null },
  ignorePatterns: ['dist', 'e2e', 'bench', 'reports', 'test-results', 'playwright-report', 'data', '*.png', '*.pcapng'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
