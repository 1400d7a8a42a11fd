import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/helpers/globalSetup.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/helpers/summaryReporter.ts'],
  },
});
