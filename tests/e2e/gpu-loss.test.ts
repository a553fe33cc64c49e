/**
 * The fused loss shaders (lib/loss/fusedBinaryGpu.ts) against the golden values, in Chromium: every golden
 * hard-target case (tests/golden/data/focal, or $FOCAL_GOLDEN_DIR) through lib/loss's hard-target core on WebGL and
 * on WebGPU, where the kernel is the fused one, to the golden tolerance. Without a GPU, Chromium's WebGL and WebGPU
 * are SwiftShader: slow to compile shaders, so this is a full-tier test. The page is any page of the site (WebGPU
 * needs a secure context such as localhost); the cases run in a script bundled here from ./gpu-loss.entry.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_PATH, siteURL } from './harness';
import { describeFull, itFull } from './tier';
import { expectClose, FOCAL_GOLDEN_TOLERANCE } from '../helpers/close';
import type { GpuResult, HardCase } from './gpu-loss.entry';

const here = path.dirname(fileURLToPath(import.meta.url));
const goldenDir = process.env.FOCAL_GOLDEN_DIR ?? path.resolve(here, '../golden/data/focal');

interface GoldenCase extends HardCase {
  name: string;
  loss: number | number[];
  grad: number[];
}

/** Every golden sigmoid case whose targets are all exactly 0 or 1 (what the hard-target core accepts). */
function hardCases(): (GoldenCase & { label: string })[] {
  return fs
    .readdirSync(goldenDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((file) =>
      (JSON.parse(fs.readFileSync(path.join(goldenDir, file), 'utf8')) as { cases: GoldenCase[] }).cases
        .filter(
          (c) =>
            (c.fn === 'sigmoid_focal_loss' || c.fn === 'sigmoid_focal_loss_star') &&
            Array.isArray(c.targets) &&
            c.targets.every((v) => v === 0 || v === 1),
        )
        .map((c) => ({ ...c, label: `${file} ${c.name} (${c.fn})` })),
    );
}

let browser: Browser | null = null;
let page: Page | null = null;

describeFull('the fused loss shaders against the golden values', () => {
  const cases = hardCases();

  beforeAll(async () => {
    const bundled = await build({
      entryPoints: [path.join(here, 'gpu-loss.entry.ts')],
      bundle: true,
      format: 'iife',
      write: false,
      logLevel: 'silent',
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      // No --disable-gpu: WebGL and WebGPU need the GPU process (SwiftShader on a machine without a GPU).
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        '--enable-unsafe-webgpu',
        '--enable-unsafe-swiftshader',
      ],
    });
    // The site's CSP allows only its own hashed scripts; this test page is the test's, not the site's.
    const context = await browser.newContext({ bypassCSP: true, serviceWorkers: 'block' });
    page = await context.newPage();
    await page.goto(siteURL('/404.html'), { waitUntil: 'load' });
    await page.addScriptTag({ content: bundled.outputFiles[0].text });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('has hard-target cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const backend of ['webgl', 'webgpu'] as const) {
    itFull(
      `on ${backend}: loss and gradient of every case, through the fused kernel`,
      async () => {
        const got = await page!.evaluate(
          ([b, cs]) =>
            (
              globalThis as unknown as { focalLabGpuLoss: (b: string, c: HardCase[]) => Promise<GpuResult> }
            ).focalLabGpuLoss(b, cs),
          [backend, cases] as const,
        );
        expect(got.error).toBeUndefined();
        if (got.backend !== backend) {
          console.log(`[gpu-loss] ${backend}: not available in this Chromium; not tested`);
          return;
        }
        expect(got.fused).toBe(true);
        console.log(`[gpu-loss] ${backend}: ${cases.length} golden cases through the fused shader`);
        cases.forEach((c, i) => {
          const r = got.results[i];
          expectClose(
            c.reduction === 'none' ? r.loss : r.loss[0],
            c.loss,
            FOCAL_GOLDEN_TOLERANCE,
            `${c.label} loss`,
          );
          expectClose(r.grad, c.grad, FOCAL_GOLDEN_TOLERANCE, `${c.label} grad`);
        });
      },
      300_000,
    );
  }
});
