/**
 * JavaScript budgets, measured in real Chromium against the exported site. The per-route part (every chapter
 * within its kB budget before it is interactive, and no page loading the training stack before Play) reads the
 * one visit per route that routes.test.ts makes (crawlRoute in ./crawl.ts). Here: on /playground/ the trainer
 * worker is requested only after Play is pressed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser } from './harness';
import { openWatched, shortUrl, TRAINING_URL } from './crawl';

afterAll(closeBrowser);

describe('JavaScript budget', () => {
  it('/playground/ requests the trainer worker only after Play', async () => {
    const p = await openWatched('/playground/');
    try {
      await p.page.waitForLoadState('networkidle');
      await p.page.waitForSelector('html[data-interactive]', { state: 'attached', timeout: 30_000 });
      expect(p.requests.filter((u) => TRAINING_URL.test(u)).map(shortUrl)).toEqual([]);
      const worker = p.page.waitForEvent('worker', { timeout: 30_000 });
      await p.page.locator('[data-action=play]').first().click();
      expect((await worker).url()).toMatch(/\/workers\/trainer\.worker\.js$/);
      expect(p.requests.some((u) => /trainer\.worker\.js/.test(u))).toBe(true);
      // Stop training: the page is closed next, but a paused model leaves nothing running meanwhile.
      await p.page.locator('[data-action=play][aria-pressed=true]').click();
    } finally {
      await p.close();
    }
  });
});
