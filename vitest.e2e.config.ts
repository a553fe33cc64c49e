import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

/**
 * Browser test files of the full tier only (tests/e2e/tier.ts explains the tiers): `npm run test:full` and CI run
 * them, `npm test` does not. Tests inside the other files are marked with `itFull` where they belong to the full tier.
 */
const FULL_TIER_FILES = [
  'tests/e2e/classroom.test.ts',
  'tests/e2e/course-extra.test.ts',
  'tests/e2e/gpu-loss.test.ts',
  'tests/e2e/isolation.test.ts',
  'tests/e2e/new-figures.test.ts',
  'tests/e2e/offline.test.ts',
  'tests/e2e/playground-failures.test.ts',
  'tests/e2e/predict-ap.test.ts',
  'tests/e2e/retinanet.test.ts',
  'tests/e2e/webgpu.test.ts',
];
const FULL = process.env.FOCAL_TEST_TIER === 'full';

// Browser tests: real Chromium (playwright-core) against the exported site in out/, served on localhost.
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    exclude: FULL ? [] : FULL_TIER_FILES,
    globalSetup: ['tests/e2e/global-setup.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // One browser at a time: measured on two cores, two files side by side took 165 s against 175 s one after the
    // other (the pages are CPU-bound), and one page's work no longer slows another's waits into flakiness.
    fileParallelism: false,
  },
});
