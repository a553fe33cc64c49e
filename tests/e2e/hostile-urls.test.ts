/**
 * Hostile links, opened as real URLs: values that are not numbers, non-finite or absurd numbers, HTML and script
 * payloads, repeated and prototype-named keys, very long values and many keys, broken percent-encoding. On the
 * all-figures page, a chapter and the playground (once it is built), the page must not crash, must render no
 * NaN / undefined / Infinity of its own, must never turn a value into markup or run it, and must say politely
 * (role="status") that it adjusted the settings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { quote } from '../../lib/params/schema';
import { closeBrowser, openPage, showAllFigures } from './harness';
import { siteDir } from './routes';
import { FULL_TIER } from './tier';

afterAll(closeBrowser);

/** A payload that would set window.__pwned if it ever ran. */
const pwn = (n: number) => `window.__pwned=${n}`;

/** Each case is a list of raw (undecoded) key/value pairs; values are percent-encoded into the URL. */
const FIGURE_CASES: Record<string, [string, string][]> = {
  'non-numbers and non-finite numbers': [
    ['fl.gamma', 'NaN'],
    ['mf.gamma', 'Infinity'],
    ['mf.pt', '-Infinity'],
    ['ab.alpha', 'abc'],
    ['gr.gamma', '1e400'],
    ['im.neg', '-1e309'],
    ['im.alpha', '0x10'],
    ['mf.logy', 'maybe'],
    ['gr.target', 'undefined'],
  ],
  'huge, negative and tiny numbers': [
    ['fl.gamma', '-5'],
    ['ab.alpha', '1e308'],
    ['mf.pt', '-0'],
    ['im.neg', '99999999999999999999999'],
    ['im.pos', '-1'],
    ['gr.gamma', '1e-400'],
    ['im.easy', '-1e-8'],
  ],
  'HTML and script payloads': [
    ['fl.gamma', `<img src=x onerror="${pwn(1)}">`],
    ['ab.alpha', `"><script>${pwn(2)}</script>`],
    ['mf.pt', `<svg onload=${pwn(3)}>`],
    ['gr.target', `javascript:${pwn(4)}`],
    ['im.view', '<b data-bold>bold</b>'],
    [`<img src=x onerror=${pwn(5)}>`, '1'],
  ],
  'repeated, unknown and prototype-named keys': [
    ['fl.gamma', '1'],
    ['fl.gamma', '2'],
    ['fl.gamma', 'x'],
    ['__proto__', '1'],
    ['fl.__proto__', '1'],
    ['constructor', '1'],
    ['fl.constructor.prototype', '1'],
    ['ab.hasOwnProperty', '1'],
    ['im.toString', '1'],
  ],
  'a very long value and hundreds of keys': [
    ['fl.gamma', '9'.repeat(5000)],
    ['ab.alpha', '<'.repeat(600)],
    ...Array.from({ length: 300 }, (_, i): [string, string] => [`im.junk${i}`, String(i)]),
  ],
};

/** Query strings with broken encodings, used as they are (not built from pairs). */
const RAW_CASES: Record<string, string> = {
  'broken percent-encoding and control characters':
    'fl.gamma=%E0%A4%A&ab.alpha=%&mf.pt=%00%0A%1B[31m&gr.gamma=%F0%9F%92%A9&%=%&&&=&==',
};

const toQuery = (pairs: [string, string][]) =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

/**
 * The page's own text with every quoted echo of the user's input removed (a notice may rightly say
 * `fl.gamma="NaN" is not a number`), so what remains must not contain NaN, undefined or Infinity.
 */
async function ownText(page: Page, query: string, scope: string): Promise<string> {
  let text = (await page.locator(scope).allInnerTexts()).join('\n');
  for (const [k, v] of new URLSearchParams(query)) {
    text = text.replaceAll(quote(v), '""').replaceAll(quote(k), '""');
  }
  return text;
}

/**
 * `scope`: where the page's own numbers are (the figures on chapter pages, whose prose may discuss NaN).
 */
async function expectSafe(page: Page, query: string, scope: string): Promise<void> {
  // Nothing was turned into markup…
  expect(await page.locator('img[src="x"], img[src=x]').count()).toBe(0);
  expect(await page.locator('svg[onload], [onerror], [data-bold]').count()).toBe(0);
  // …or run.
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await ownText(page, query, scope)).not.toMatch(/\bNaN\b|\bundefined\b|\bInfinity\b/);
  // Every slider holds a finite value inside its range.
  const sliders = await page
    .locator('input[type="range"]')
    .evaluateAll((els) =>
      els.map((e) => [
        Number((e as HTMLInputElement).value),
        Number(e.getAttribute('min')),
        Number(e.getAttribute('max')),
      ]),
    );
  for (const [v, min, max] of sliders) {
    expect(Number.isFinite(v)).toBe(true);
    if (Number.isFinite(min)) expect(v).toBeGreaterThanOrEqual(min);
    if (Number.isFinite(max)) expect(v).toBeLessThanOrEqual(max);
  }
}

/** A non-empty, visible polite live region (role="status" is polite by definition). */
async function expectPoliteNotice(page: Page): Promise<string> {
  // Other polite regions exist (e.g. a "Copy BibTeX" button's feedback); the one wanted reports adjustments. The
  // chapter's figures load after the page is interactive, so their notice may come a moment later.
  const notices = page.locator('[role="status"], [aria-live="polite"]').filter({ hasText: /adjusted/ });
  await expect.poll(() => notices.count(), { timeout: 10_000 }).toBeGreaterThan(0);
  await notices.first().waitFor({ state: 'visible' });
  return notices.first().innerText();
}

const hasPlayground = fs.existsSync(path.join(siteDir(), 'playground', 'index.html'));

const cases: [string, string][] = [
  ...Object.entries(FIGURE_CASES).map(([name, pairs]): [string, string] => [name, toQuery(pairs)]),
  ...Object.entries(RAW_CASES),
];

/**
 * Every case on the page with every figure; on a chapter (whose prose may rightly say NaN, so only its figures'
 * text is checked) the two cases that attack what the page shows: non-numbers and markup. The figures and their URL
 * parsing are the same components on both pages.
 */
/** The two cases that attack what a page shows; the only ones the fast tier (./tier.ts) runs on the playground. */
const SHOWN = ['non-numbers and non-finite numbers', 'HTML and script payloads'];
const ROUTE_CASES: [string, [string, string][]][] = [
  // The fast tier: the two cases that attack what the page shows; the URL parsers' other cases are fuzzed by the
  // unit tests (tests/unit/params/property.test.ts, tests/unit/playground/schema.fuzz.test.ts).
  ['/figures/', FULL_TIER ? cases : cases.filter(([name]) => SHOWN.includes(name))],
  // The same figure components as /figures/: in the full tier only.
  ...(FULL_TIER
    ? [['/learn/focal-loss/', cases.filter(([name]) => SHOWN.includes(name))] as [string, [string, string][]]]
    : []),
];

for (const [route, routeCases] of ROUTE_CASES) {
  describe(`${route} opened with hostile query strings`, () => {
    it.each(routeCases)('%s: no crash, no NaN, nothing injected, a polite notice', async (_name, query) => {
      const p = await openPage(`${route}?${query}`);
      try {
        await showAllFigures(p.page);
        await p.page.locator('[data-figure] path[data-series]').first().waitFor({ state: 'attached' });
        const notice = await expectPoliteNotice(p.page);
        expect(notice).toMatch(/adjusted/);
        await expectSafe(p.page, query, '[data-figure]');
        expect(p.errors).toEqual([]);
        expect(p.externalRequests).toEqual([]);
        expect(p.failedRequests).toEqual([]);
      } finally {
        await p.close();
      }
    });
  });
}

const PLAYGROUND_CASES: Record<string, string> = {
  'non-numbers and non-finite numbers': toQuery([
    ['pg.gamma', 'NaN'],
    ['pg.lr', 'Infinity'],
    ['pg.pi', '-Infinity'],
    ['pg.steps', '1e400'],
    ['pg.batch', '-1e309'],
    ['pg.seed', '0x10'],
    ['pg.prior', 'maybe'],
  ]),
  'HTML and script payloads': toQuery([
    ['pg.loss', `<img src=x onerror="${pwn(1)}">`],
    ['pg.r2.loss', `"><script>${pwn(2)}</script>`],
    ['pg.clutter', `<svg onload=${pwn(3)}>`],
    ['pg.r3.alpha', '<b data-bold>bold</b>'],
  ]),
  'runs out of range, repeated and prototype-named keys': toQuery([
    ['pg.runs', '99'],
    ['pg.r9.gamma', '1'],
    ['pg.r1.gamma', '1'],
    ['pg.r02.gamma', '1'],
    ['pg.gamma', '1'],
    ['pg.gamma', '2'],
    ['pg.__proto__', '1'],
    ['pg.r2.constructor', '1'],
  ]),
  'a very long value and hundreds of keys': toQuery([
    ['pg.lr', '9'.repeat(5000)],
    ...Array.from({ length: 300 }, (_, i): [string, string] => [`pg.r${(i % 5) + 2}.gamma`, String(i)]),
  ]),
  'broken percent-encoding and control characters':
    'pg.gamma=%E0%A4%A&pg.alpha=%&pg.lr=%00%0A%1B[31m&pg.loss=%F0%9F%92%A9&%=%&&&=&==',
};

describe('/playground/ opened with hostile query strings', () => {
  it.for(Object.entries(PLAYGROUND_CASES).filter(([name]) => FULL_TIER || SHOWN.includes(name)))(
    '%s: no crash, no NaN, nothing injected, a polite notice',
    async ([, query]) => {
      // The playground is part of every build: a missing page is a failure, not a skip.
      expect(hasPlayground, 'out/playground/index.html exists').toBe(true);
      const p = await openPage(`/playground/?${query}`);
      try {
        await expectPoliteNotice(p.page);
        await expectSafe(p.page, query, 'main');
        expect(p.errors).toEqual([]);
        expect(p.externalRequests).toEqual([]);
        expect(p.failedRequests).toEqual([]);
      } finally {
        await p.close();
      }
    },
  );
});
