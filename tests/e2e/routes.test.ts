/**
 * Every page of the build (read from out/**\/index.html, so a new page is covered without editing this file; the
 * fast tier of ./tier.ts visits the first /embed/ and /present/ page only, the full tier all of them), each visited once by crawlRoute (./crawl.ts) under the site's Content-Security-Policy (the <meta> and the
 * _headers policy sent as HTTP headers), with every check below reading that one visit:
 *
 * - it renders (a heading, no "undefined" in the text, no NaN/Infinity in a figure), with no console error, no
 *   failed or third-party request and no CSP violation;
 * - JavaScript budget: chapter pages load at most CHAPTER_BUDGET_KB kB gzip JS before the page is interactive
 *   (the `focal-lab:interactive` User Timing mark components/site/InteractiveMark sets after hydration), no
 *   page loads the training stack (the trainer worker, any .wasm, the tfjs WASM/WebGL backends) before Play, and
 *   none prefetches the pages it links to;
 *   every route prints its size;
 * - axe-core finds nothing in light mode (all rules) and in dark mode (the colour rules), with the lazily drawn
 *   figures in the scan, on every page except the one-figure pages (/embed/<figure>/, /present/<chapter>/), which
 *   share one layout: the first of each kind is scanned (every figure is scanned where its chapter shows it);
 * - chapters typeset all their math with KaTeX and their table of contents and chapter navigation resolve;
 * - an embed page shows its one figure without the site's chrome and links back to it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser } from './harness';
import { crawlRoute, type RouteReport } from './crawl';
import { builtRoutes } from './routes';
import { FULL_TIER } from './tier';

afterAll(closeBrowser);

/** kB (1024 bytes) of gzip JavaScript a chapter may load before it is interactive, training stack excluded. */
const CHAPTER_BUDGET_KB = 200;

const ONE_FIGURE = ['/embed/', '/present/'];
const isFirstOfKind = (r: string, all: string[]) => {
  const kind = ONE_FIGURE.find((k) => r.startsWith(k));
  return !kind || all.find((o) => o.startsWith(kind)) === r;
};
const BUILT = builtRoutes();
/**
 * The routes visited: all of them in the full tier; in the fast tier (./tier.ts) every page but the one-figure
 * pages (/embed/<figure>/, /present/<chapter>/), which share one layout each, of which the first of each kind.
 */
const ROUTES = FULL_TIER ? BUILT : BUILT.filter((r) => isFirstOfKind(r, BUILT));
/** Routes scanned with axe: all but the one-figure pages, of which the first of each kind. */
const AXE_ROUTES = new Set(ROUTES.filter((r) => isFirstOfKind(r, ROUTES)));
/**
 * Two visits at a time: asking for a route's report starts its visit and the next route's, so while the tests of
 * one route read their report the next page is already loading. A visit spends much of its time waiting (network
 * idle, a frame, lazily loaded figures), which the other visit's work fills on a two-core machine.
 */
const reports = new Map<string, Promise<RouteReport>>();
function start(route: string): Promise<RouteReport> {
  if (!reports.has(route)) {
    const visit = crawlRoute(route, { axe: AXE_ROUTES.has(route) });
    // Its tests await it and report a failure; this only keeps a failure before they run from counting as unhandled.
    visit.catch(() => undefined);
    reports.set(route, visit);
  }
  return reports.get(route)!;
}
/** The route's one visit. */
function report(route: string): Promise<RouteReport> {
  const next = ROUTES[ROUTES.indexOf(route) + 1];
  if (next) void start(next);
  return start(route);
}

it('finds every route the site has (at least the home page, /figures/, /playground/ and five chapters)', () => {
  expect(BUILT).toContain('/');
  expect(BUILT).toContain('/figures/');
  expect(BUILT).toContain('/playground/');
  expect(BUILT.filter((r) => r.startsWith('/learn/')).length).toBeGreaterThanOrEqual(5);
  // Both tiers visit every chapter and every page that is not a one-figure page.
  expect(ROUTES.filter((r) => r.startsWith('/learn/'))).toEqual(BUILT.filter((r) => r.startsWith('/learn/')));
});

for (const route of ROUTES) {
  const isChapter = route.startsWith('/learn/');
  describe(route, () => {
    it('renders with no console error, no failed or third-party request and no CSP violation', async () => {
      const r = await report(route);
      expect(r.h1.length, 'a non-empty <h1>').toBeGreaterThan(0);
      expect(r.errors).toEqual([]);
      expect(r.externalRequests).toEqual([]);
      expect(r.failedRequests).toEqual([]);
      expect(r.cspViolations).toEqual([]);
      expect(r.cspConsole).toEqual([]);
      expect(r.bodyText).not.toMatch(/\bundefined\b/);
      // Prose may discuss NaN (chapter 5 does); a figure may never show it.
      for (const text of r.figureTexts) expect(text).not.toMatch(/\bNaN\b|\bundefined\b|\bInfinity\b/);
    });

    it(`loads ${isChapter ? `at most ${CHAPTER_BUDGET_KB} kB gzip JS, ` : ''}no training stack before Play and no other page`, async () => {
      const r = await report(route);
      expect(r.js.interactiveMark, 'the interactive mark').not.toBeNull();
      expect(r.js.trainingStack, 'training stack requested before Play').toEqual([]);
      expect(r.js.prefetches, 'other pages prefetched by their links').toEqual([]);
      if (isChapter) {
        expect(
          r.js.beforeBytes / 1024,
          `${route}: kB gzip JS before interactive; largest: ${r.js.largestBefore.slice(0, 8).join(', ')}`,
        ).toBeLessThanOrEqual(CHAPTER_BUDGET_KB);
      }
    });

    if (AXE_ROUTES.has(route)) {
      it('passes an axe-core scan in light and dark mode', async () => {
        const { axe } = await report(route);
        expect([...axe!.light, ...axe!.dark]).toEqual([]);
      });
    }

    if (route.startsWith('/embed/')) {
      it('shows its figure alone, without the site around it, with a link back to the figure in its chapter', async () => {
        const id = route.split('/')[2];
        const e = (await report(route)).embed!;
        expect(e.figures).toEqual([id]);
        expect(e.chrome).toBe(0);
        expect(e.backText).toMatch(/^Open in Focal Lab: \S/);
        expect(e.backHref).toMatch(new RegExp(`/(learn/[a-z0-9-]+|figures)/#figure-${id}$`));
        // Every series named for "predict, then reveal" exists (a typo would hide nothing).
        expect(e.revealMissing).toEqual([]);
      });
    }

    if (isChapter) {
      it('typesets all math with KaTeX and has a working table of contents and chapter navigation', async () => {
        const c = (await report(route)).chapter!;
        expect(c.katex).toBeGreaterThan(0);
        expect(c.katexErrors).toBe(0);
        expect(c.articleText).not.toMatch(/\\(frac|gamma|alpha|log|sigma|mathrm)\b/);
        expect(c.articleText).not.toMatch(/\$\$|(^|\s)\$[^$\s]/);
        expect(c.tocLinks).toBeGreaterThan(2);
        expect(c.tocMissing, 'table-of-contents links without a heading').toEqual([]);
        expect(c.pagerLinks).toBeGreaterThan(0);
      });
    }
  });
}
