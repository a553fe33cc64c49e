import { afterAll, describe, expect, it } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import { chapterRoutes, closeBrowser, openPage } from './harness';
import { builtRoutes } from './routes';

afterAll(closeBrowser);

// Every page of the build, so a new page is checked without editing this file. The one-figure pages
// (/embed/<figure>/, /present/<chapter>/) share their layout: one of each here, all of them in classroom.test.ts.
const all = builtRoutes();
const routes = [
  ...all.filter((r) => !r.startsWith('/embed/') && !r.startsWith('/present/')),
  ...['/embed/', '/present/'].flatMap((prefix) => all.filter((r) => r.startsWith(prefix)).slice(0, 1)),
];

describe('every route', () => {
  it('has at least five chapters to test', () => {
    expect(chapterRoutes().length).toBeGreaterThanOrEqual(5);
  });

  for (const route of routes) {
    it(`${route} renders with no console errors, no failed or third-party requests`, async () => {
      const p = await openPage(route);
      try {
        const h1 = await p.page.locator('h1').first().innerText();
        expect(h1.trim().length).toBeGreaterThan(0);
        await p.page.waitForTimeout(300);
        expect(p.errors).toEqual([]);
        expect(p.externalRequests).toEqual([]);
        expect(p.failedRequests).toEqual([]);
        expect(await p.page.locator('body').innerText()).not.toMatch(/\bundefined\b/);
        // Prose may discuss NaN (chapter 5 does); a figure may never show it.
        for (const text of await p.page.locator('[data-figure]').allInnerTexts()) {
          expect(text).not.toMatch(/\bNaN\b|\bundefined\b|\bInfinity\b/);
        }
      } finally {
        await p.close();
      }
    });

    it(`${route} passes an axe-core scan in light and dark mode`, async () => {
      for (const colorScheme of ['light', 'dark'] as const) {
        const p = await openPage(route, { colorScheme });
        try {
          const result = await new AxeBuilder({ page: p.page }).analyze();
          const summary = result.violations.map(
            (v) =>
              `${colorScheme} ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
          );
          expect(summary).toEqual([]);
        } finally {
          await p.close();
        }
      }
    });
  }
});

describe('chapters', () => {
  for (const route of chapterRoutes()) {
    it(`${route} typesets all math with KaTeX (no raw TeX left in the text)`, async () => {
      const p = await openPage(route);
      try {
        expect(await p.page.locator('.katex').count()).toBeGreaterThan(0);
        expect(await p.page.locator('.katex-error').count()).toBe(0);
        // innerText skips KaTeX's hidden MathML, so raw TeX here means a formula was not typeset.
        const text = await p.page.locator('article').innerText();
        expect(text).not.toMatch(/\\(frac|gamma|alpha|log|sigma|mathrm)\b/);
        expect(text).not.toMatch(/\$\$|(^|\s)\$[^$\s]/);
      } finally {
        await p.close();
      }
    });

    it(`${route} has a working table of contents and chapter navigation`, async () => {
      const p = await openPage(route);
      try {
        const hrefs = await p.page
          .locator('.toc a')
          .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        expect(hrefs.length).toBeGreaterThan(2);
        for (const href of hrefs) {
          const id = decodeURIComponent(String(href).slice(1));
          expect(await p.page.evaluate((i) => !!document.getElementById(i), id), `heading ${id}`).toBe(true);
        }
        expect(await p.page.locator('nav.pager a').count()).toBeGreaterThan(0);
      } finally {
        await p.close();
      }
    });
  }
});

describe('the course overview', () => {
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
