import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/build.ts'],
    // The machine has two cores; browser and LSP suites start real processes.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
