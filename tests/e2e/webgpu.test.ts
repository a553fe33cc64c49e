/**
 * The playground on WebGPU (issue 13, item 2): where Chromium grants an adapter, a forced `pg.backend=webgpu`
 * trains in the worker and its numbers are WASM's. Without a GPU, Chromium's adapter is SwiftShader (a CPU
 * emulation: a step of batch 2 takes seconds, so this is a full-tier test), which is exactly what exercises the
 * asynchronous reads: tfjs's synchronous WebGPU read gave zeros there, and the gradient smoke test refused the
 * backend. `auto` never picks a software adapter (tests/unit/playground/protocol.test.ts).
 */
import { afterAll, describe, expect } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_PATH, siteURL } from './harness';
import { waitFor } from './playground-helpers';
import { itFull } from './tier';

let browser: Browser | null = null;
afterAll(async () => {
  await browser?.close();
});

/** One step of a tiny race on `backend`; the loss readout's rows, the backend the page reports and its label. */
async function oneStep(backend: 'webgpu' | 'wasm'): Promise<{ d: Record<string, string>; rows: string[] }> {
  browser ??= await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // No --disable-gpu here: WebGPU needs the GPU process (SwiftShader's Vulkan on a machine without a GPU).
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--enable-unsafe-webgpu', '--no-first-run'],
  });
  const context = await browser.newContext({
    serviceWorkers: 'block',
    viewport: { width: 1280, height: 900 },
  });
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(
      siteURL(
        `/playground/?pg.backend=${backend}&pg.runs=2&pg.batch=2&pg.steps=50&pg.loss=ce&pg.r2.loss=focal`,
      ),
      { waitUntil: 'load' },
    );
    await page.waitForSelector('[data-playground][data-loaded]');
    await page.click('[data-action=step]');
    const d = await waitFor(page, (s) => s.phase === 'ready' && Number(s.step) >= 1, 240_000);
    await page.waitForFunction(
      () => /step 1\b/.test(document.querySelector('[data-readout=loss]')?.textContent ?? ''),
      undefined,
      {
        timeout: 60_000,
      },
    );
    const rows = await page.$$eval('[data-readout=loss] tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(errors).toEqual([]);
    return { d, rows };
  } finally {
    await context.close();
  }
}

describe('the playground on WebGPU', () => {
  itFull(
    'trains a step where an adapter is granted, with the losses WASM computes',
    async () => {
      const gpu = await oneStep('webgpu');
      if (gpu.d.backend !== 'webgpu') {
        // A Chromium without any WebGPU adapter: the page must say why it fell back, and that is all to test.
        expect(gpu.d.backend).toBe('wasm');
        return;
      }
      expect(gpu.d.backend).toBe('webgpu');
      const cpu = await oneStep('wasm');
      expect(cpu.d.backend).toBe('wasm');
      const losses = (rows: string[]) => rows.map((r) => Number(/(-?[\d.]+(?:e-?\d+)?)\s*$/.exec(r)?.[1]));
      const [g, c] = [losses(gpu.rows), losses(cpu.rows)];
      expect(g).toHaveLength(2);
      // Same seed, batch and weights: WebGPU's step-1 losses are WASM's up to float32 summation order (measured in
      // a worker: 2 × 10⁻⁶ relative), well inside the readout's four significant digits.
      console.log(`[webgpu] step-1 losses on WebGPU ${g.join(', ')}; on WASM ${c.join(', ')}`);
      for (let i = 0; i < 2; i++) {
        expect(Number.isFinite(g[i]) && g[i] > 0).toBe(true);
        expect(Math.abs(g[i] - c[i])).toBeLessThanOrEqual(2e-3 * c[i]);
      }
    },
    420_000,
  );
});
