/**
 * JavaScript budgets (issue 5), measured in real Chromium against the exported site.
 *
 * For every built route (read from out/**\/index.html, so a new page is covered without editing this file):
 * load it, wait for `load` and network idle, and sum the gzip size of every JavaScript response requested
 * before the page became interactive: before the `focal-lab:interactive` User Timing mark that
 * components/site/InteractiveMark sets when React has hydrated (request start times from Resource Timing).
 * Figures load their chunks (and the tfjs loss core) after that mark, on the first idle moment. The gzip
 * size is computed here with zlib (default level 6, what most static hosts use) from the response body, so
 * the figure does not depend on whether the test server compresses. Each route prints
 * `[budget] <route>: N kB gzip JS (M files)`.
 *
 * - Chapter pages (/learn/…) must stay within CHAPTER_BUDGET_KB.
 * - No page may load the training stack before Play: the trainer worker, any .wasm, or the tfjs WASM/WebGL
 *   backend code (recognised by the flags those backends register, wherever a bundler puts them).
 * - On /playground/ the worker is requested only after clicking Play.
 *
 * /embed/… and /present/… are measured too: an embed is loaded inside someone else's page and a presenter on
 * a classroom projector, so they deserve the same "no training stack" guarantee and their sizes are worth
 * seeing. Only chapters carry the hard kB assertion, as the issue asks.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page, Response } from 'playwright-core';
import { closeBrowser, getBrowser, siteURL } from './harness';
import { builtRoutes } from './routes';

afterAll(closeBrowser);

/** kB (1024 bytes) of gzip JavaScript a chapter may load before it is interactive, training stack excluded. */
const CHAPTER_BUDGET_KB = 200;

/** A request that belongs to the training stack, by URL. */
const TRAINING_URL = /trainer\.worker\.js|\.wasm(\?|$)|tfjs-backend-(wasm|webgl)/;
/** Flags only the tfjs WebGL / WASM backends register: their code, whatever chunk it was bundled into. */
const TRAINING_CODE = /['"](WEBGL_PACK|WEBGL_VERSION|WASM_HAS_SIMD_SUPPORT|WASM_HAS_MULTITHREAD_SUPPORT)['"]/;

interface JsFile {
  url: string;
  gzipBytes: number;
  training: boolean;
}

/** Records every JavaScript response of a page (and its workers): gzip size and whether it is training code. */
function recordJs(page: Page): { files: Map<string, JsFile>; requests: string[]; settle(): Promise<void> } {
  const files = new Map<string, JsFile>();
  const requests: string[] = [];
  const pending: Promise<void>[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('worker', (w) => requests.push(w.url()));
  page.on('response', (r: Response) => {
    const url = r.url();
    const type = r.headers()['content-type'] ?? '';
    const isJs =
      r.request().resourceType() === 'script' || /javascript/.test(type) || /\.m?js(\?|$)/.test(url);
    if (!isJs || r.status() >= 300 || url.startsWith('data:')) return;
    pending.push(
      r
        .body()
        .then((body) => {
          files.set(url, {
            url,
            gzipBytes: gzipSync(body).length,
            training: TRAINING_URL.test(url) || TRAINING_CODE.test(body.toString('latin1')),
          });
        })
        .catch(() => undefined), // a body that went away with a navigation is not a loaded script
    );
  });
  return { files, requests, settle: async () => void (await Promise.all(pending)) };
}

const kB = (bytes: number) => bytes / 1024;
const short = (url: string) => new URL(url).pathname.replace(/^.*\/_next\/static\/chunks\//, '');

/**
 * Opens a route in a fresh context (empty cache), waits for load + network idle, and returns its JavaScript.
 * Like the harness's openPage, but the recorder is attached before the first request.
 */
async function measure(route: string) {
  const context = await (await getBrowser()).newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const rec = recordJs(page);
  await page.goto(siteURL(route), { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  await page.waitForSelector('html[data-interactive]', { state: 'attached', timeout: 30_000 });
  await rec.settle();
  const timing = await page.evaluate(() => ({
    mark: performance.getEntriesByName('focal-lab:interactive')[0]?.startTime ?? null,
    starts: Object.fromEntries(performance.getEntriesByType('resource').map((e) => [e.name, e.startTime])),
  }));
  expect(timing.mark, 'the interactive mark').not.toBeNull();
  const all = [...rec.files.values()];
  // A script missing from Resource Timing counts as early (conservative).
  const files = all.filter((f) => !(f.url in timing.starts) || timing.starts[f.url] <= timing.mark!);
  const total = files.reduce((s, f) => s + f.gzipBytes, 0);
  const later = all.reduce((s, f) => s + f.gzipBytes, 0) - total;
  return { p: { page, close: () => context.close() }, rec, files, all, total, later };
}

const ROUTES = builtRoutes();

describe('JavaScript budget', () => {
  it('finds the built routes', () => {
    expect(ROUTES.length).toBeGreaterThan(5);
    expect(ROUTES).toContain('/learn/focal-loss/');
  });

  for (const route of ROUTES) {
    const chapter = route.startsWith('/learn/');
    it(`${route} loads ${chapter ? `at most ${CHAPTER_BUDGET_KB} kB gzip JS and ` : ''}no training stack before Play`, async () => {
      const { p, rec, files, all, total, later } = await measure(route);
      try {
        console.log(
          `[budget] ${route}: ${kB(total).toFixed(1)} kB gzip JS before interactive (${files.length} files); ` +
            `${kB(later).toFixed(1)} kB more after (${all.length - files.length} files)`,
        );
        const training = [
          ...all.filter((f) => f.training).map((f) => f.url),
          ...rec.requests.filter((u) => TRAINING_URL.test(u)),
        ];
        expect([...new Set(training)].map(short), 'training stack requested before Play').toEqual([]);
        if (chapter && kB(total) > CHAPTER_BUDGET_KB) {
          const biggest = files
            .sort((a, b) => b.gzipBytes - a.gzipBytes)
            .map((f) => `${short(f.url)} ${kB(f.gzipBytes).toFixed(1)} kB`);
          console.log(`[budget] ${route} files: ${biggest.join(', ')}`);
        }
        if (chapter) expect(kB(total), `${route}: kB gzip JS`).toBeLessThanOrEqual(CHAPTER_BUDGET_KB);
      } finally {
        await p.close();
      }
    });
  }

  it('/playground/ requests the trainer worker only after Play', async () => {
    const { p, rec } = await measure('/playground/');
    try {
      expect(rec.requests.filter((u) => TRAINING_URL.test(u)).map(short)).toEqual([]);
      const worker = p.page.waitForEvent('worker', { timeout: 30_000 });
      await p.page.locator('[data-action=play]').first().click();
      expect((await worker).url()).toMatch(/\/workers\/trainer\.worker\.js$/);
      expect(rec.requests.some((u) => /trainer\.worker\.js/.test(u))).toBe(true);
      // Stop training: the page is closed next, but a paused model leaves nothing running meanwhile.
      await p.page.locator('[data-action=play][aria-pressed=true]').click();
    } finally {
      await p.close();
    }
  });
});
