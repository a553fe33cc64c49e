/**
 * The course overview. Every route's own checks (console errors, requests, CSP, axe, KaTeX, table of contents,
 * JavaScript budget) are in routes.test.ts, which visits each page once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { chapterRoutes, closeBrowser, openPage } from './harness';

afterAll(closeBrowser);

describe('the course overview', () => {
  it('has at least five chapters to list', () => {
    expect(chapterRoutes().length).toBeGreaterThanOrEqual(5);
  });

  it('lists every chapter with a summary and links that resolve', async () => {
    const p = await openPage('/');
    try {
      const links = await p.page
        .locator('.chapter-list a')
        .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      expect(links.length).toBe(chapterRoutes().length);
      for (const href of links) {
        const res = await p.page.request.get(href);
        expect(res.status(), href).toBe(200);
      }
    } finally {
      await p.close();
    }
  });
});
