/**
 * The playground when things go wrong: no WebGL, no WebAssembly, a worker that cannot start, a worker that
 * crashes mid-run, a run pushed to diverge. Each must end in a visible explanation and a usable page — never a
 * frozen page, a blank chart or a NaN on screen.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, closeBrowser, openPage, siteURL } from './harness';
import { waitFor } from './playground-helpers';

afterAll(closeBrowser);

const SMALL = '?pg.batch=2&pg.steps=100&pg.clutter=light';
/**
 * What scripts/serve.mjs sends with the real worker: the page is cross-origin isolated (COEP require-corp), so a
 * stand-in worker script without these headers would be blocked before it runs, not crash as the test intends.
 */
const SAME_SERVER_HEADERS = {
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** No "NaN", "undefined" or "Infinity" anywhere in the visible text of the page. */
async function expectNoBadNumbers(page: Page) {
  const text = await page.evaluate(() => document.body.innerText);
  expect(text).not.toMatch(/\bNaN\b|\bundefined\b|Infinity/);
}

describe('playground failures', () => {
  it('falls back to WASM when WebGL is disabled, and says why', async () => {
    // A separate browser: WebGL off for the whole process, the way a locked-down school laptop might be.
    // (Measured here: --disable-webgl and --disable-3d-apis turn WebGL off for pages but NOT for an
    // OffscreenCanvas in a worker; --use-gl=disabled turns it off for both.)
    const browser: Browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        '--use-gl=disabled',
        '--disable-webgl',
        '--disable-webgl2',
      ],
    });
    try {
      const page = await (await browser.newContext()).newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(siteURL(`/playground/${SMALL}&pg.backend=webgl`));
      await page.waitForSelector('[data-playground][data-loaded]');
      await page.click('[data-action=play]');
      const d = await waitFor(page, (x) => x.phase === 'ready' && Number(x.step) > 0, 90_000);
      expect(d.backend).toBe('wasm');
      const label = (await page.textContent('[data-backend-label]')) ?? '';
      expect(label).toMatch(/not webgl: (OffscreenCanvas gave no WebGL context|failed to start)/);
      await page.click('[data-action=play]');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('falls back to the CPU when the WebAssembly binaries cannot load', async () => {
    const p = await openPage(`/playground/${SMALL}&pg.backend=wasm`);
    try {
      await p.page.route('**/*.wasm', (route) => route.abort());
      await p.page.click('[data-action=play]');
      const d = await waitFor(p.page, (x) => x.phase === 'ready' && Number(x.step) > 0, 120_000);
      expect(d.backend).toBe('cpu');
      expect((await p.page.textContent('[data-backend-label]')) ?? '').toMatch(/not wasm: failed to start/);
      await p.page.click('[data-action=play]');
      await expectNoBadNumbers(p.page);
    } finally {
      await p.close();
    }
  });

  // Under cross-origin isolation the page's own thread must load tfjs's single-threaded WASM build: the threaded
  // one's pthread workers cannot start there (lib/tf/backend.ts wasmThreadsWanted).
  it('trains on the page when the worker cannot start, and tells the reader', async () => {
    const p = await openPage(`/playground/${SMALL}`);
    try {
      await p.page.route('**/workers/trainer.worker.js', (route) =>
        route.fulfill({
          contentType: 'text/javascript',
          headers: SAME_SERVER_HEADERS,
          body: 'throw new Error("worker exploded at start");',
        }),
      );
      await p.page.click('[data-action=play]');
      const d = await waitFor(p.page, (x) => x.phase === 'ready' && Number(x.step) > 0, 120_000);
      expect(['wasm', 'cpu', 'webgl']).toContain(d.backend);
      expect((await p.page.textContent('[data-errors]')) ?? '').toMatch(/training worker failed/);
      expect((await p.page.textContent('[data-backend-label]')) ?? '').toMatch(/page’s own thread/);
      await p.page.click('[data-action=play]');
      await waitFor(p.page, (x) => x.status === 'paused', 20_000);
    } finally {
      await p.close();
    }
  });

  it('reports a worker that crashes mid-run and restarts it on request', async () => {
    const p = await openPage(`/playground/${SMALL}`);
    try {
      // A worker that starts, says it is ready, then dies.
      await p.page.route('**/workers/trainer.worker.js', (route) =>
        route.fulfill({
          contentType: 'text/javascript',
          headers: SAME_SERVER_HEADERS,
          body: `self.onmessage = (e) => {
            if (e.data && e.data.type === 'init') {
              postMessage({ type: 'ready', backend: 'cpu', reason: 'a stand-in worker', attempts: [] });
              setTimeout(() => { throw new Error('worker exploded mid-run'); }, 50);
            }
          };`,
        }),
      );
      await p.page.click('[data-action=play]');
      await waitFor(p.page, (x) => x.phase === 'failed', 30_000);
      expect((await p.page.textContent('[data-errors]')) ?? '').toMatch(/worker exploded mid-run/);
      await p.page.unroute('**/workers/trainer.worker.js');
      await p.page.click('[data-action=restart]');
      await p.page.click('[data-action=play]');
      await waitFor(p.page, (x) => x.phase === 'ready' && Number(x.step) > 0, 90_000);
      await p.page.click('[data-action=play]');
      await expectNoBadNumbers(p.page);
    } finally {
      await p.close();
    }
  });

  it('stops a diverging run within a few steps, explains it, offers Reset, and shows no NaN', async () => {
    // Plain CE, no prior init, learning rate 0.1, every weight from scratch and the paper's 9 anchors: the loss
    // explodes within about a dozen steps. (From the pretrained backbone the same run does not explode in 120 s.)
    const p = await openPage(
      '/playground/?pg.batch=4&pg.steps=200&pg.loss=ce&pg.alpha=none&pg.prior=0&pg.lr=0.1&pg.pretrained=0&pg.anchors=9',
    );
    try {
      await p.page.click('[data-action=play]');
      await p.page.waitForSelector('[data-diverged]', { timeout: 120_000 });
      const d = await waitFor(p.page, (x) => x.status === 'done', 20_000);
      expect(Number(d.step)).toBeLessThanOrEqual(40);
      const banner = (await p.page.textContent('[data-diverged]')) ?? '';
      expect(banner).toMatch(/exploded|NaN|infinite|non-finite/);
      expect(banner).toMatch(/smaller learning rate|prior/);
      expect(await p.page.$('[data-diverged] button')).not.toBeNull();
      await expectNoBadNumbers(p.page);
      // Reset brings back a trainable state.
      await p.page.click('[data-diverged] button');
      await waitFor(p.page, (x) => x.step === '0' && x.status === 'paused', 20_000);
      expect(await p.page.$('[data-diverged]')).toBeNull();
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });
});
