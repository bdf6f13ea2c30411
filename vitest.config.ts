import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/build.ts'],
    // Chevrotain's grammar validation is skipped in users' runs (src/parser/parser.ts); every
    // test, and every process a test starts, builds the parser with it.
    env: { FLOWLANE_VALIDATE_GRAMMAR: '1' },
    // The machine has two cores; browser and LSP suites start real processes.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
