/**
 * Offline after the first visit: the service worker (scripts/build-sw.mjs → out/sw.js) precaches the course, so
 * with the network gone a reader can still open other chapters and train in the playground.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, openPage, siteURL } from './harness';

afterAll(closeBrowser);

describe('offline', () => {
  it('reads chapters and trains in the playground with the network off, after one online visit', async () => {
    const p = await openPage('/', { serviceWorkers: 'allow' });
    const { page } = p;
    try {
      // The worker registers when the page is idle, precaches, then takes control (clients.claim).
      await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
        timeout: 60_000,
        polling: 250,
      });
      const cached = await page.evaluate(async () => {
        const keys = await caches.keys();
        const cache = await caches.open(keys.find((k) => k.startsWith('focal-lab-'))!);
        return (await cache.keys()).map((r) => new URL(r.url).pathname);
      });
      expect(cached).toContain('/learn/focal-loss/');
      expect(cached).toContain('/workers/trainer.worker.js');
      console.log(`[offline] ${cached.length} files precached`);

      await page.context().setOffline(true);

      await page.goto(siteURL('/learn/gradients/'));
      expect(await page.locator('h1').first().innerText()).toMatch(/gradient/i);
      expect(await page.locator('.katex').count()).toBeGreaterThan(5);
      await page.waitForSelector('[data-figure] svg path.line');

      await page.goto(siteURL('/playground/?pg.batch=2&pg.steps=50&pg.clutter=light'));
      await page.waitForSelector('[data-playground][data-loaded]');
      await page.click('[data-action=play]');
      await page.waitForFunction(
        () => Number((document.querySelector('[data-playground]') as HTMLElement).dataset.step) > 2,
        undefined,
        { timeout: 90_000, polling: 250 },
      );
      const backend = await page.$eval('[data-playground]', (e) => (e as HTMLElement).dataset.backend);
      expect(['wasm', 'webgl', 'cpu']).toContain(backend);
      await page.click('[data-action=play]');
    } finally {
      await page.context().setOffline(false);
      await p.close();
    }
  });
  it('waits for the reader to pause before downloading the offline copy', async () => {
    const p = await openPage('/learn/focal-loss/', { serviceWorkers: 'allow' });
    const { page } = p;
    try {
      await page.waitForFunction(() => document.readyState === 'complete');
      // A reader dragging a slider for 6 s (an input event every 400 ms): no registration, so no download.
      const registeredWhileBusy = await page.evaluate(async () => {
        const input = document.querySelector('input[type="range"]') ?? document.body;
        const end = performance.now() + 6000;
        while (performance.now() < end) {
          input.dispatchEvent(new Event('input', { bubbles: true }));
          await new Promise((r) => setTimeout(r, 400));
        }
        return (await navigator.serviceWorker.getRegistration()) !== undefined;
      });
      expect(registeredWhileBusy).toBe(false);
      // Then a pause: the worker registers, precaches and takes control.
      await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
        timeout: 60_000,
        polling: 250,
      });
    } finally {
      await p.close();
    }
  });
});
