/**
 * The two tiers of browser tests. `npm test` runs the fast tier, the gate a change must pass in under six minutes on
 * two cores; `npm run test:full` (what CI runs, .ci/run) runs every browser test and the base-path build as well.
 *
 * Why two: a browser test is CPU-bound on a two-core machine (measured: 88 % of both cores busy through
 * tests/e2e/figures.test.ts; a chapter visit costs about 6 CPU-seconds, most of it Chromium laying out, painting and
 * running the page), so the whole suite needs about 1,100 CPU-seconds, over nine minutes however it is scheduled.
 * The fast tier keeps one check of every kind: every chapter and top-level page crawled (rendering, console, CSP,
 * JavaScript budget, axe), the first embed and presenter page, the security policy's enforcement, the two hostile
 * URL cases that attack what a page shows (on the all-figures page and the playground), one figure's keyboard,
 * URL and crosshair tests, and the playground's training. The full tier adds the other embed and presenter pages,
 * the other figures' and hostile cases, failure injection, offline, isolation, training on (SwiftShader's) WebGPU, the loss shaders against the golden values and the base-path site. Measured on
 * the project's two-core machine: `npm test` from a fresh clone 343 s (browser tests 194 s of it), `npm run
 * test:full` 915 s.
 */
import { describe, it } from 'vitest';

/** True under `npm run test:full` (FOCAL_TEST_TIER=full). */
export const FULL_TIER = process.env.FOCAL_TEST_TIER === 'full';

/** A test that runs in the full tier only (reported as skipped by `npm test`). */
export const itFull = it.skipIf(!FULL_TIER);

/** A group of tests that runs in the full tier only. */
export const describeFull = describe.skipIf(!FULL_TIER);
