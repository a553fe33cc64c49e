/**
 * Cross-origin isolation and WASM threads (issue 13, item 1).
 *
 * - scripts/serve.mjs sends COOP + COEP: /playground/ is `crossOriginIsolated` and the WASM backend trains with
 *   more than one thread.
 * - A host that cannot send headers (GitHub Pages; serve.mjs with `isolate: false`): the service worker adds
 *   them; the playground page reloads exactly once, at a pause, and is then isolated, with threads.
 * - Inside a third-party iframe the embed page still works, with one thread, and says why.
 */
import http from 'node:http';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
// @ts-expect-error -- plain ESM script without type declarations
import { serveStatic } from '../../scripts/serve.mjs';
import { closeBrowser, getBrowser, openPage } from './harness';

const SITE = path.resolve(process.env.E2E_SITE_DIR ?? 'out');
const BASE = process.env.NEXT_PUBLIC_BASE_PATH ?? '';
const SMALL = '?pg.batch=2&pg.steps=40&pg.clutter=light&pg.backend=wasm';

afterAll(closeBrowser);

/** Waits until the playground in `where` trains (step > 0); returns its data attributes. */
async function trainAndRead(where: Page | Frame): Promise<Record<string, string>> {
  await where.waitForSelector('[data-playground][data-loaded]', { timeout: 60_000 });
  await where.click('[data-action=play]');
  await where.waitForFunction(
    () => {
      const d = (document.querySelector('[data-playground]') as HTMLElement).dataset;
      return d.phase === 'ready' && Number(d.step) > 0;
    },
    undefined,
    { timeout: 120_000, polling: 250 },
  );
  const d = await where.$eval('[data-playground]', (e) => ({ ...(e as HTMLElement).dataset }));
  await where.click('[data-action=play]');
  return d as Record<string, string>;
}

/** Threads the backend should report in this browser: every core up to the pool of 8. */
async function coresOf(page: Page): Promise<number> {
  return page.evaluate(() => Math.min(8, navigator.hardwareConcurrency || 1));
}

describe('cross-origin isolation', () => {
  it('serve.mjs: /playground/ is cross-origin isolated and WASM trains with threads', async () => {
    const p = await openPage(`/playground/${SMALL}`);
    try {
      expect(await p.page.evaluate(() => window.crossOriginIsolated)).toBe(true);
      const d = await trainAndRead(p.page);
      expect(d.backend).toBe('wasm');
      const cores = await coresOf(p.page);
      expect(cores, 'this test needs a machine with at least 2 cores').toBeGreaterThan(1);
      expect(Number(d.threads)).toBe(cores);
      expect(await p.page.textContent('[data-backend-label]')).toMatch(
        new RegExp(`WebAssembly \\(CPU\\), ${cores} threads`),
      );
      console.log(`[isolation] WASM backend: ${d.threads} threads, ${d.stepsPerSecond} steps/s (batch 2)`);
      expect(p.errors).toEqual([]);
      expect(p.failedRequests).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('a host without headers: the service worker isolates the page after one reload, and never again', async () => {
    const plain = (await serveStatic({ root: SITE, port: 0, basePath: BASE, isolate: false })) as {
      server: http.Server;
      url: string;
    };
    const b = await getBrowser();
    const context = await b.newContext({ serviceWorkers: 'allow' });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      let loads = 0;
      page.on('load', () => loads++);
      await page.goto(`${plain.url}/playground/${SMALL}`, { waitUntil: 'load' });
      expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(false);
      // The worker registers at the first pause, precaches, takes control; the page reloads at the next pause.
      await page.waitForFunction(() => window.crossOriginIsolated, undefined, {
        timeout: 90_000,
        polling: 500,
      });
      // The isolated document can answer the poll before its own load event has fired.
      await expect.poll(() => loads, { timeout: 10_000 }).toBe(2);
      // No loop: the isolated page stays put.
      await page.waitForTimeout(5000);
      expect(loads).toBe(2);
      const d = await trainAndRead(page);
      expect(d.backend).toBe('wasm');
      expect(Number(d.threads)).toBe(await coresOf(page));
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await new Promise<void>((resolve) => plain.server.close(() => resolve()));
    }
  });

  it('an embed page in a third-party iframe works with one thread and says what the embedder must set', async () => {
    const site = (await serveStatic({ root: SITE, port: 0, basePath: BASE })) as {
      server: http.Server;
      url: string;
    };
    // The embedder: another site (localhost is not the same site as 127.0.0.1), without COOP/COEP.
    const embedSrc = `${site.url}/embed/playground/${SMALL}`;
    const embedder = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><title>A course page</title><iframe src="${embedSrc}" width="1000" height="900" title="Focal Lab"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => embedder.listen(0, '127.0.0.1', () => resolve()));
    const port = (embedder.address() as { port: number }).port;
    const b = await getBrowser();
    const context = await b.newContext({ serviceWorkers: 'block' });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`http://localhost:${port}/`, { waitUntil: 'load' });
      const frame = await (await page.waitForSelector('iframe')).contentFrame();
      if (!frame) throw new Error('no iframe content');
      expect(await frame.evaluate(() => window.crossOriginIsolated)).toBe(false);
      const d = await trainAndRead(frame);
      expect(d.backend).toBe('wasm');
      expect(d.threads).toBe('1');
      expect(await frame.textContent('[data-backend-label]')).toMatch(
        /1 thread \(inside another site’s frame.*Cross-Origin-Embedder-Policy: require-corp.*allow="cross-origin-isolated"/,
      );
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await new Promise<void>((resolve) => embedder.close(() => resolve()));
      await new Promise<void>((resolve) => site.server.close(() => resolve()));
    }
  });
});
