import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Browser tests: real Chromium (playwright-core) against the exported site in out/, served on localhost.
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // One browser at a time: measured on two cores, two files side by side took 165 s against 175 s one after the
    // other (the pages are CPU-bound), and one page's work no longer slows another's waits into flakiness.
    fileParallelism: false,
  },
});
