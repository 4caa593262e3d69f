import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Database suites create their own scratch databases, so files can run in parallel.
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
