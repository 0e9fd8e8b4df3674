import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // Builds dist/ when stale: the CLI tests run `node dist/cli.js`.
    globalSetup: ['test/global-setup.ts'],
    // The JSON file feeds the "N passed, N failed" line printed by .ci/run.
    reporters: ['default', ['json', { outputFile: '.ci/test-results.json' }]],
  },
});
