import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, fig, nextFrame, openPage, setLayout, siteURL, waitForCurves } from './harness';
import { itFull } from './tier';

afterAll(closeBrowser);

/**
 * The five live figures. `route` is where each one is tested (one constant per figure, so pointing a
 * test at a chapter route is a one-line change); `sliders` are the `data-param` names of its range inputs;
 * `toggles` are other controls (checkbox or radio) whose activation must redraw something.
 */
const FIGURES = [
  {
    id: 'loss-vs-pt',
    route: '/learn/focal-loss/',
    prefix: 'fl',
    sliders: ['gamma'],
    toggles: [] as string[],
  },
  {
    id: 'alpha-balance',
    route: '/learn/cross-entropy/',
    prefix: 'ab',
    sliders: ['alpha', 'gamma'],
    toggles: [],
  },
  {
    id: 'modulating-factor',
    route: '/learn/focal-loss/',
    prefix: 'mf',
    sliders: ['pt', 'gamma'],
    toggles: ['input[data-param="logy"]'],
  },
  {
    id: 'gradients',
    route: '/learn/gradients/',
    prefix: 'gr',
    sliders: ['gamma'],
    toggles: ['fieldset[data-param="target"] input[value="neg"]', 'input[data-param="star"]'],
  },
  {
    id: 'imbalance',
    route: '/learn/class-imbalance/',
    prefix: 'im',
    sliders: ['neg', 'hard', 'easy', 'pos', 'gamma', 'alpha'],
    toggles: ['fieldset[data-param="view"] input[value="total"]'],
  },
] as const;

type Snapshot = { paths: Record<string, string>; readouts: string[] };

async function snapshot(page: Page, id: string): Promise<Snapshot> {
  return page.evaluate((sel) => {
    const paths: Record<string, string> = {};
    for (const p of document.querySelectorAll(`${sel} path[data-series]`)) {
      paths[p.getAttribute('data-series') ?? '?'] = p.getAttribute('d') ?? '';
    }
    const readouts = [...document.querySelectorAll(`${sel} [data-readout]`)].map((r) => r.textContent ?? '');
    return { paths, readouts };
  }, fig(id));
}

const changedPaths = (a: Snapshot, b: Snapshot) =>
  Object.keys(b.paths).filter((k) => a.paths[k] !== b.paths[k]);
const changedReadouts = (a: Snapshot, b: Snapshot) => b.readouts.filter((r, i) => a.readouts[i] !== r);

/** No figure shows NaN, undefined or Infinity (chapter prose may legitimately discuss NaN). */
async function expectClean(page: Page): Promise<void> {
  const texts = await page.locator('[data-figure]').allInnerTexts();
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) expect(text).not.toMatch(/\bNaN\b|\bundefined\b|\bInfinity\b/);
}

/** The page with every figure on it, for tests about several figures sharing one URL. */
const ALL_FIGURES_ROUTE = '/figures/';

/** The figure whose slider test the fast tier runs (./tier.ts): the one with the most controls. */
const FAST_TIER_FIGURE = 'imbalance';

describe.each(FIGURES)('the $id figure', (f) => {
  (f.id === FAST_TIER_FIGURE ? it : itFull)(
    'redraws when each slider and toggle moves by keyboard, writes the URL, and the URL reproduces the state',
    async () => {
      const p = await openPage(f.route);
      try {
        await waitForCurves(p.page, f.id);
        for (const name of f.sliders) {
          const slider = p.page.locator(`${fig(f.id)} input[type="range"][data-param="${name}"]`);
          await expect(slider.count()).resolves.toBe(1);
          expect(await slider.getAttribute('aria-valuetext')).toBeTruthy();
          const before = await snapshot(p.page, f.id);
          await slider.focus();
          await p.page.keyboard.press('ArrowRight');
          await p.page.keyboard.press('PageUp');
          await nextFrame(p.page);
          const after = await snapshot(p.page, f.id);
          expect(changedPaths(before, after), `${name}: a drawn path changes`).not.toEqual([]);
          expect(changedReadouts(before, after), `${name}: a readout changes`).not.toEqual([]);
          // And back down: ArrowLeft / PageDown also work.
          await p.page.keyboard.press('PageDown');
          await nextFrame(p.page);
          expect(changedPaths(after, await snapshot(p.page, f.id))).not.toEqual([]);
        }
        for (const sel of f.toggles) {
          const before = await snapshot(p.page, f.id);
          const control = p.page.locator(`${fig(f.id)} ${sel}`);
          await control.focus();
          await p.page.keyboard.press('Space');
          await nextFrame(p.page);
          const after = await snapshot(p.page, f.id);
          expect(
            changedPaths(before, after).length + changedReadouts(before, after).length,
            sel,
          ).toBeGreaterThan(0);
        }
        await p.page.waitForTimeout(500); // URL writes are throttled
        const query = p2(new URL(p.page.url()));
        expect(query).toContain(`${f.prefix}.`);
        const moved = await snapshot(p.page, f.id);
        await expectClean(p.page);
        // Failed resource loads are the site tests' concern (they check every request); here: script errors.
        expect(p.errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);

        // The written URL, opened afresh, draws the same state.
        await p.page.goto(siteURL(`${f.route}?${query}`), { waitUntil: 'load' });
        await waitForCurves(p.page, f.id);
        await p.page.waitForFunction(
          ({ sel, want }) => {
            const d = document.querySelector(`${sel} path[data-series]`)?.getAttribute('d');
            return d === want;
          },
          { sel: fig(f.id), want: Object.values(moved.paths)[0] },
          { timeout: 10_000 },
        );
        expect(await snapshot(p.page, f.id)).toEqual(moved);
        expect(await p.page.locator(`${fig(f.id)} [data-notice]`).innerText()).toBe('');
      } finally {
        await p.close();
      }
    },
  );
});

/** The query string of a URL without the leading '?'. */
function p2(u: URL): string {
  return u.search.replace(/^\?/, '');
}

describe('figure URL parameters', () => {
  const f = { ...FIGURES[0], route: ALL_FIGURES_ROUTE };

  itFull('a malformed URL shows a notice, falls back to valid values, and never prints NaN', async () => {
    const p = await openPage(`${f.route}?fl.gamma=abc&fl.gamma=9e999&fl.bogus=1`);
    try {
      await waitForCurves(p.page, f.id);
      const notice = p.page.locator(`${fig(f.id)} [data-notice]`);
      await expect.poll(() => notice.innerText()).toContain('is not a number');
      const text = await notice.innerText();
      expect(text).toContain('appears 2 times');
      expect(text).toContain('is not a setting of this figure');
      expect(await notice.getAttribute('role')).toBe('status');
      expect(await p.page.locator(`${fig(f.id)} input[data-param="gamma"]`).inputValue()).toBe('2');
      await expectClean(p.page);
      // Other figures are untouched by fl.* keys.
      expect(await p.page.locator(`${fig('alpha-balance')} [data-notice]`).innerText()).toBe('');
      expect(p.errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
    } finally {
      await p.close();
    }
  });

  itFull('quotes hostile values as text, never as markup', async () => {
    const evil = encodeURIComponent('<img src=x onerror=window.__pwned=1>');
    const p = await openPage(`${f.route}?fl.gamma=${evil}&mf.pt=${'9'.repeat(5000)}`);
    try {
      await waitForCurves(p.page, f.id);
      const notice = p.page.locator(`${fig(f.id)} [data-notice]`);
      await expect.poll(() => notice.innerText()).toContain('<img src=x');
      expect(await notice.locator('img').count()).toBe(0);
      expect(
        await p.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
      ).toBeUndefined();
      const mf = await p.page.locator(`${fig('modulating-factor')} [data-notice]`).innerText();
      expect(mf.length).toBeLessThan(300);
      await expectClean(p.page);
    } finally {
      await p.close();
    }
  });

  it('several figures share one URL, and the hash survives writes', async () => {
    const p = await openPage(`${f.route}?ab.alpha=0.75&gr.target=neg&mf.pt=0.968&im.neg=10000#x`);
    try {
      await waitForCurves(p.page, 'imbalance');
      await expect
        .poll(() => p.page.locator(`${fig('modulating-factor')} [data-readout="reduction"]`).innerText())
        .toContain('977×');
      expect(await p.page.locator(`${fig('gradients')} input[value="neg"]`).isChecked()).toBe(true);
      expect(
        await p.page.locator(`${fig('imbalance')} input[data-param="neg"] + output`).innerText(),
      ).toContain('10,000');
      expect(await p.page.locator(`${fig('alpha-balance')} input[data-param="alpha"]`).inputValue()).toBe(
        '0.75',
      );
      await p.page.locator(`${fig(f.id)} input[data-param="gamma"]`).focus();
      await p.page.keyboard.press('ArrowRight');
      await p.page.waitForTimeout(500);
      const u = new URL(p.page.url());
      expect(u.hash).toBe('#x');
      expect(u.searchParams.get('fl.gamma')).toBe('2.1');
      expect(u.searchParams.get('ab.alpha')).toBe('0.75');
      expect(u.searchParams.get('im.neg')).toBe('10000');
    } finally {
      await p.close();
    }
  });

  itFull('the selected γ curve equals the reference curve with the same γ', async () => {
    const p = await openPage(`${f.route}?fl.gamma=0.5`);
    try {
      await waitForCurves(p.page, f.id);
      await expect
        .poll(async () => {
          const s = await snapshot(p.page, f.id);
          return s.paths['selected'] === s.paths['gamma-0.5'];
        })
        .toBe(true);
    } finally {
      await p.close();
    }
  });
});

describe('figure accessibility and layout', () => {
  it('the plot crosshair moves with the keyboard and updates the readout', async () => {
    const p = await openPage(FIGURES[0].route);
    try {
      await waitForCurves(p.page, 'loss-vs-pt');
      const area = p.page.locator(`${fig('loss-vs-pt')} .focus-area`);
      await area.focus();
      const readout = p.page.locator(`${fig('loss-vs-pt')} [data-readout="crosshair"]`);
      const before = await readout.innerText();
      await p.page.keyboard.press('ArrowLeft');
      await nextFrame(p.page);
      expect(await readout.innerText()).not.toBe(before);
      expect(await readout.innerText()).toContain('p_t = 0.89');
      expect(await area.getAttribute('aria-valuetext')).toContain('p_t = 0.89');
      expect(await p.page.locator(`${fig('loss-vs-pt')} .crosshair`).count()).toBe(1);
    } finally {
      await p.close();
    }
  });

  itFull('"Show data" reveals the plotted numbers as a table', async () => {
    const p = await openPage(FIGURES[0].route);
    try {
      await waitForCurves(p.page, 'loss-vs-pt');
      const button = p.page.locator(`${fig('loss-vs-pt')} button[aria-expanded]`);
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      await button.click();
      expect(await button.getAttribute('aria-expanded')).toBe('true');
      const rows = await p.page.locator(`${fig('loss-vs-pt')} table tbody tr`).count();
      expect(rows).toBeGreaterThan(100);
      await expectClean(p.page);
    } finally {
      await p.close();
    }
  });

  itFull('fits a 360 px phone without horizontal scrolling, in dark mode too', async () => {
    const p = await openPage(ALL_FIGURES_ROUTE, { viewport: { width: 360, height: 740 } });
    try {
      for (const f of FIGURES) await waitForCurves(p.page, f.id);
      for (const colorScheme of ['light', 'dark'] as const) {
        await setLayout(p.page, { width: 360, height: 740, colorScheme });
        const overflow = await p.page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(overflow, colorScheme).toBeLessThanOrEqual(0);
        for (const f of FIGURES) {
          const box = await p.page
            .locator(`${fig(f.id)} svg`)
            .first()
            .boundingBox();
          expect(box!.width).toBeLessThanOrEqual(360);
        }
      }
    } finally {
      await p.close();
    }
  });
});
