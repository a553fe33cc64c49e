import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { axeViolations } from './crawl';
import type { Page } from 'playwright-core';
import { baseURL, closeBrowser, fig, openPage, setLayout, siteURL, waitForCurves } from './harness';

afterAll(closeBrowser);

/** Screenshots for a person to look at, when CLASSROOM_SHOTS names a folder. */
const SHOTS = process.env.CLASSROOM_SHOTS;
async function shot(page: Page, name: string, fullPage = false) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

const CHAPTER = '/learn/focal-loss/';

/** Every exported embed page: one folder per registered figure in out/embed/. */
const bodyBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

describe('dark mode', () => {
  it('cycles system → light → dark, remembers the choice, and applies it before any script loads', async () => {
    const p = await openPage(CHAPTER);
    try {
      const toggle = p.page.locator('.site-header .theme-toggle');
      await expect.poll(() => toggle.innerText()).toMatch(/Theme: System/);
      await toggle.click();
      expect(await p.page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
      await toggle.click();
      expect(await p.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      await expect.poll(() => toggle.innerText()).toMatch(/Theme: Dark/);
      expect(await bodyBackground(p.page)).toBe('rgb(20, 22, 26)');

      await p.page.reload({ waitUntil: 'load' });
      expect(await p.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      await expect.poll(() => p.page.locator('.theme-toggle').innerText()).toMatch(/Theme: Dark/);
      await shot(p.page, 'chapter-dark-1280');

      // No flash: with every Next.js script blocked (nothing hydrates), the head script alone has set
      // the theme, and the very first style computation is dark.
      const bare = await p.page.context().newPage();
      await bare.route('**/_next/static/**/*.js', (r) => r.abort());
      await bare.goto(siteURL(CHAPTER), { waitUntil: 'domcontentloaded' });
      expect(await bare.evaluate(() => document.documentElement.getAttribute('data-theme'))).toBe('dark');
      expect(await bodyBackground(bare)).toBe('rgb(20, 22, 26)');
      await bare.close();

      // Back to system: the stored choice is removed and the system preference (light here) applies.
      await p.page.locator('.theme-toggle').click();
      expect(await p.page.evaluate(() => document.documentElement.hasAttribute('data-theme'))).toBe(false);
      expect(await p.page.evaluate((k) => localStorage.getItem(k), 'focal-lab-theme')).toBeNull();
      expect(await bodyBackground(p.page)).toBe('rgb(255, 255, 255)');
    } finally {
      await p.close();
    }
  });

  it('a stored "light" wins over a dark system preference, and ?theme= overrides it for one view', async () => {
    const p = await openPage('/', { colorScheme: 'dark' });
    try {
      expect(await bodyBackground(p.page)).toBe('rgb(20, 22, 26)');
      await p.page.evaluate(() => localStorage.setItem('focal-lab-theme', 'light'));
      await p.page.reload({ waitUntil: 'load' });
      expect(await bodyBackground(p.page)).toBe('rgb(255, 255, 255)');
      await p.page.goto(siteURL('/?theme=dark'), { waitUntil: 'load' });
      expect(await bodyBackground(p.page)).toBe('rgb(20, 22, 26)');
      expect(await p.page.evaluate(() => localStorage.getItem('focal-lab-theme'))).toBe('light');
    } finally {
      await p.close();
    }
  });
});

describe('print', () => {
  it('hides navigation and controls, keeps the figures in their current state, and writes out link targets', async () => {
    const p = await openPage(`${CHAPTER}?fl.gamma=3`, { colorScheme: 'dark' });
    try {
      await waitForCurves(p.page, 'loss-vs-pt');
      const readout = await p.page.locator(`${fig('loss-vs-pt')} [data-readout="ratio"]`).innerText();
      await p.page.emulateMedia({ media: 'print' });
      const display = (sel: string) =>
        p.page.evaluate(
          (s) => [...document.querySelectorAll(s)].map((e) => getComputedStyle(e).display),
          sel,
        );
      for (const sel of ['.site-header', '.toc', '.pager', '.figure__controls', '.figure__tools', 'button']) {
        const all = await display(sel);
        expect(all.length, sel).toBeGreaterThan(0);
        expect(new Set(all), sel).toEqual(new Set(['none']));
      }
      const f = p.page.locator(fig('loss-vs-pt'));
      expect(await f.evaluate((e) => getComputedStyle(e).breakInside)).toBe('avoid');
      expect(await f.locator('svg').first().isVisible()).toBe(true);
      // Same state: the slider's γ and the readout computed from it (the plot may be redrawn wider).
      expect(await f.locator('input[data-param="gamma"]').inputValue()).toBe('3');
      expect(await f.locator('[data-readout="ratio"]').innerText()).toBe(readout);
      expect(await f.locator('[data-readout="ratio"]').isVisible()).toBe(true);
      expect(await f.locator('path[data-series="selected"]').isVisible()).toBe(true);
      // Printed on paper: light colours even from a dark screen.
      expect(await bodyBackground(p.page)).toBe('rgb(255, 255, 255)');
      const after = await p.page.evaluate(() => {
        const a = document.querySelector('.prose a[href]:not([href^="#"])');
        return a ? getComputedStyle(a, '::after').content : null;
      });
      if (after !== null) expect(after).toMatch(/^"? ?\(|attr|\//);
      await shot(p.page, 'chapter-print', true);
    } finally {
      await p.close();
    }
  });
});

describe('figure export and sharing', () => {
  it('Download SVG saves a standalone SVG with every colour resolved (dark theme)', async () => {
    const p = await openPage(`${CHAPTER}?fl.gamma=3`, { colorScheme: 'dark' });
    try {
      await waitForCurves(p.page, 'loss-vs-pt');
      const [download] = await Promise.all([
        p.page.waitForEvent('download'),
        p.page.locator(fig('loss-vs-pt')).getByRole('button', { name: 'Download SVG' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('focal-lab-loss-vs-pt.svg');
      const svg = fs.readFileSync((await download.path())!, 'utf8');
      expect(svg).toMatch(/^<\?xml[^>]*>\s*<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(svg).not.toContain('var(');
      expect(svg).toContain('data-series="selected"');
      // The slider curve is white in the dark theme; the background is the dark page colour.
      expect(svg).toMatch(/data-series="selected"[^>]*style="[^"]*stroke:rgb\(255, 255, 255\)/);
      expect(svg).toContain('fill="rgb(20, 22, 26)"');
      expect(svg).toContain('FL γ = 3.0 (slider)');
      const parsed = await p.page.evaluate((s) => {
        const doc = new DOMParser().parseFromString(s, 'image/svg+xml');
        return {
          error: doc.querySelector('parsererror')?.textContent ?? null,
          root: doc.documentElement.nodeName,
          plots: doc.querySelectorAll('svg svg').length,
        };
      }, svg);
      // The plot and the legend swatches, each a nested <svg> at its place on the page.
      const onPage = await p.page
        .locator(`${fig('loss-vs-pt')} svg`)
        .evaluateAll((ss) => ss.filter((s) => s.getBoundingClientRect().width > 0).length);
      expect(parsed).toEqual({ error: null, root: 'svg', plots: onPage });
      await expect
        .poll(() => p.page.locator(`${fig('loss-vs-pt')} .figure__status`).innerText())
        .toBe('SVG downloaded');
    } finally {
      await p.close();
    }
  });

  it('Download PNG saves a PNG at twice the figure’s size, for a figure with several plots too', async () => {
    const p = await openPage('/learn/class-imbalance/');
    try {
      await waitForCurves(p.page, 'imbalance');
      const [download] = await Promise.all([
        p.page.waitForEvent('download'),
        p.page.locator(fig('imbalance')).getByRole('button', { name: 'Download PNG' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('focal-lab-imbalance.png');
      const png = fs.readFileSync((await download.path())!);
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
      const width = png.readUInt32BE(16);
      const plotWidth = await p.page
        .locator(`${fig('imbalance')} .figure__plot`)
        .evaluate((e) => e.clientWidth);
      expect(width).toBeGreaterThanOrEqual(2 * plotWidth);
      expect(width).toBeLessThan(2 * plotWidth + 200);
      if (SHOTS) fs.writeFileSync(path.join(SHOTS, 'export-imbalance.png'), png);
    } finally {
      await p.close();
    }
  });

  it('Copy link puts the URL of this state, with the figure’s hash, on the clipboard', async () => {
    const p = await openPage(`${CHAPTER}?fl.gamma=3`);
    try {
      await p.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL() });
      await waitForCurves(p.page, 'loss-vs-pt');
      const f = p.page.locator(fig('loss-vs-pt'));
      await f.getByRole('button', { name: 'Copy link to this state' }).click();
      await expect.poll(() => f.locator('.figure__status').innerText()).toBe('Link copied');
      const copied = await p.page.evaluate(() => navigator.clipboard.readText());
      const u = new URL(copied);
      expect(u.pathname).toBe(new URL(siteURL(CHAPTER)).pathname);
      expect(u.searchParams.get('fl.gamma')).toBe('3');
      expect(u.hash).toBe('#figure-loss-vs-pt');
      // The link opens on that figure in that state.
      await p.page.goto(copied, { waitUntil: 'load' });
      await waitForCurves(p.page, 'loss-vs-pt');
      expect(await p.page.locator(`${fig('loss-vs-pt')} input[data-param="gamma"]`).inputValue()).toBe('3');
      expect(
        await p.page.evaluate(() => document.querySelector(':target')?.getAttribute('data-figure')),
      ).toBe('loss-vs-pt');
    } finally {
      await p.close();
    }
  });

  it('without a Clipboard API, shows the link selected in a labelled text field', async () => {
    const p = await openPage(`${CHAPTER}?fl.gamma=3`);
    try {
      await waitForCurves(p.page, 'loss-vs-pt');
      await p.page.evaluate(() =>
        Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }),
      );
      const f = p.page.locator(fig('loss-vs-pt'));
      // Keyboard only: focus the button and press Enter.
      await f.getByRole('button', { name: 'Copy link to this state' }).focus();
      await p.page.keyboard.press('Enter');
      const field = f.getByLabel('Link to this state');
      await expect.poll(() => field.inputValue()).toMatch(/\?fl\.gamma=3#figure-loss-vs-pt$/);
      const selected = await field.evaluate(
        (e: HTMLInputElement) =>
          document.activeElement === e && e.selectionStart === 0 && e.selectionEnd === e.value.length,
      );
      expect(selected).toBe(true);
      await expect.poll(() => f.locator('.figure__status').innerText()).toMatch(/Copy the selected link/);
      expect(await axeViolations(p.page, 'fallback')).toEqual([]);
    } finally {
      await p.close();
    }
  });
});

describe('embed mode', () => {
  // Every embed page showing its figure alone, with a link back: routes.test.ts, from its one visit per route.

  it('reads the figure’s settings from its URL and carries them back to the chapter', async () => {
    const p = await openPage('/embed/loss-vs-pt/?fl.gamma=3');
    try {
      await waitForCurves(p.page, 'loss-vs-pt');
      expect(await p.page.locator('input[data-param="gamma"]').inputValue()).toBe('3');
      const back = p.page.locator('.embed__back');
      await back.hover();
      expect(await back.getAttribute('href')).toMatch(
        /\/learn\/focal-loss\/\?fl\.gamma=3#figure-loss-vs-pt$/,
      );
      expect(await back.innerText()).toMatch(/Open in Focal Lab: .*focal loss/i);
      expect(await back.getAttribute('target')).toBe('_blank');
      await shot(p.page, 'embed-loss-vs-pt-1280');
    } finally {
      await p.close();
    }
  });
});

describe('presenter mode', () => {
  it('each chapter page links to its presenter', async () => {
    const p = await openPage(CHAPTER);
    try {
      const link = p.page.getByRole('link', { name: /Present this chapter/ });
      expect(await link.getAttribute('href')).toMatch(/\/present\/focal-loss\/$/);
    } finally {
      await p.close();
    }
  });

  it('moves between figures with ← →, hides the main curve until Space, and R resets', async () => {
    const p = await openPage('/present/focal-loss/');
    try {
      const progress = p.page.locator('.presenter__progress');
      const first = await progress.innerText();
      const m = /^1 \/ (\d+)$/.exec(first);
      expect(m, first).not.toBeNull();
      const n = Number(m![1]);
      expect(n).toBeGreaterThanOrEqual(2);
      expect(await p.page.locator('.site-header').count()).toBe(0);
      expect(await p.page.locator('[data-figure]').count()).toBe(1);
      const id0 = await p.page.locator('[data-figure]').getAttribute('data-figure');
      await waitForCurves(p.page, id0!);

      const mainVisibility = () =>
        p.page.evaluate(() =>
          [...document.querySelectorAll('[data-reveal="main"]')].map((e) => getComputedStyle(e).visibility),
        );
      expect(await mainVisibility()).toContain('hidden');
      expect(new Set(await mainVisibility())).toEqual(new Set(['hidden']));
      await shot(p.page, 'present-predict-1280');
      await p.page.keyboard.press('Space');
      expect(new Set(await mainVisibility())).toEqual(new Set(['visible']));
      await shot(p.page, 'present-revealed-1280');

      await p.page.keyboard.press('ArrowRight');
      await expect.poll(() => progress.innerText()).toBe(`2 / ${n}`);
      const id1 = await p.page.locator('[data-figure]').getAttribute('data-figure');
      expect(id1).not.toBe(id0);
      expect(new URL(p.page.url()).hash).toBe(`#figure-${id1}`);
      await p.page.keyboard.press('ArrowLeft');
      await expect.poll(() => progress.innerText()).toBe(`1 / ${n}`);
      // Revealed stays revealed when coming back; R starts the prediction again and resets the sliders.
      expect(new Set(await mainVisibility())).toEqual(new Set(['visible']));
      const slider = p.page.locator('[data-figure] input[type="range"]').first();
      const initial = await slider.inputValue();
      await slider.focus();
      await p.page.keyboard.press('PageUp');
      expect(await slider.inputValue()).not.toBe(initial);
      await p.page.locator('.presenter__help').click(); // focus leaves the slider
      await p.page.keyboard.press('r');
      await expect
        .poll(() => p.page.locator('[data-figure] input[type="range"]').first().inputValue())
        .toBe(initial);
      expect(new Set(await mainVisibility())).toEqual(new Set(['hidden']));
      // Arrow keys on a slider move the slider, not the slides.
      await p.page.locator('[data-figure] input[type="range"]').first().focus();
      await p.page.keyboard.press('ArrowRight');
      await expect.poll(() => progress.innerText()).toBe(`1 / ${n}`);
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('hides the focal-loss bars of the imbalance figure until revealed', async () => {
    const p = await openPage('/present/class-imbalance/#figure-imbalance');
    try {
      await waitForCurves(p.page, 'imbalance');
      const hidden = () =>
        p.page.evaluate(() =>
          [...document.querySelectorAll('[data-reveal="main"]')].map((e) => getComputedStyle(e).visibility),
        );
      expect(await hidden()).toHaveLength(6);
      expect(new Set(await hidden())).toEqual(new Set(['hidden']));
      await shot(p.page, 'present-imbalance-predict');
      await p.page.getByRole('button', { name: 'Reveal' }).click();
      expect(new Set(await hidden())).toEqual(new Set(['visible']));
    } finally {
      await p.close();
    }
  });

  it('opens on the figure its hash names, and the buttons work without a keyboard', async () => {
    const p = await openPage('/present/focal-loss/#figure-loss-vs-pt');
    try {
      await expect.poll(() => p.page.locator('[data-figure]').getAttribute('data-figure')).toBe('loss-vs-pt');
      const reveal = p.page.getByRole('button', { name: 'Reveal' });
      await reveal.click();
      await expect.poll(() => p.page.getByRole('button', { name: 'Hide again' }).count()).toBe(1);
      await p.page.getByRole('button', { name: /Previous/ }).click();
      await expect.poll(() => p.page.locator('.presenter__progress').innerText()).toMatch(/^\d+ \/ \d+$/);
    } finally {
      await p.close();
    }
  });
});

describe('small screens (axe on every page: routes.test.ts)', () => {
  it('fits 390 px with touch-sized buttons, light and dark', async () => {
    for (const route of [CHAPTER, '/present/focal-loss/', '/embed/imbalance/']) {
      const p = await openPage(route, { viewport: { width: 390, height: 844 } });
      try {
        await p.page.waitForSelector('[data-figure] svg');
        for (const colorScheme of ['light', 'dark'] as const) {
          await setLayout(p.page, { width: 390, height: 844, colorScheme });
          const overflow = await p.page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          expect(overflow, `${route} ${colorScheme}`).toBeLessThanOrEqual(0);
          const small = await p.page.evaluate(
            () =>
              [
                ...document.querySelectorAll(
                  '.figure__tool, .theme-toggle, .presenter button, .presenter__exit',
                ),
              ]
                .map((e) => e.getBoundingClientRect())
                .filter((r) => r.width > 0 && (r.width < 44 || r.height < 44)).length,
          );
          expect(small, `${route} ${colorScheme}`).toBe(0);
          await shot(p.page, `${route.replace(/\W+/g, '-')}${colorScheme}-390`);
        }
      } finally {
        await p.close();
      }
    }
  });

  it('takes screenshots of the chapter at 1280 px, light and dark', async () => {
    if (!SHOTS) return;
    for (const colorScheme of ['light', 'dark'] as const) {
      const p = await openPage(`${CHAPTER}?fl.gamma=3`, { colorScheme });
      try {
        await waitForCurves(p.page, 'loss-vs-pt');
        await p.page.locator(fig('loss-vs-pt')).scrollIntoViewIfNeeded();
        await shot(p.page, `chapter-figure-${colorScheme}-1280`);
        await p.page.goto(siteURL('/present/focal-loss/#figure-loss-vs-pt'), { waitUntil: 'load' });
        await waitForCurves(p.page, 'loss-vs-pt');
        await shot(p.page, `present-${colorScheme}-1280`);
      } finally {
        await p.close();
      }
    }
  });
});
