import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, fig, nextFrame, type OpenOptions, openPage, setLayout, showFigure } from './harness';

afterAll(closeBrowser);

/** Chapter 6 and its two figures. */
const ROUTE = '/learn/retinanet/';
const EXPLORER = fig('anchor-explorer');
const PRIOR = fig('prior-init');

/** Set E2E_SCREENSHOTS=<folder> to keep full-page screenshots of the chapter (light/dark, 1280/390 px). */
const SHOTS = process.env.E2E_SCREENSHOTS;

const readout = (page: Page, figure: string, name: string) =>
  page.locator(`${figure} [data-readout="${name}"]`).innerText();

/** Waits until the explorer has drawn its image and anchors (computed after hydration). */
async function waitForExplorer(page: Page): Promise<void> {
  await showFigure(page, 'anchor-explorer');
  await page.waitForFunction(
    (sel) => {
      const f = document.querySelector(sel);
      return (
        !!f?.querySelector('image') &&
        !!f.querySelector('[data-picked]') &&
        !!f.querySelector('[data-object]')
      );
    },
    EXPLORER,
    { timeout: 30_000 },
  );
}

/** Waits until every curve of the prior figure has a path. */
async function waitForPrior(page: Page): Promise<void> {
  await showFigure(page, 'prior-init');
  await page.waitForFunction(
    (sel) => {
      const paths = [...document.querySelectorAll(`${sel} path[data-series]`)];
      return paths.length >= 6 && paths.every((p) => (p.getAttribute('d') ?? '').length > 0);
    },
    PRIOR,
    { timeout: 30_000 },
  );
}

async function expectClean(page: Page): Promise<void> {
  for (const text of await page.locator('[data-figure]').allInnerTexts()) {
    expect(text).not.toMatch(/\bNaN\b|\bundefined\b|\bInfinity\b/);
  }
}

describe('chapter 6, RetinaNet', () => {
  it('renders with both figures, typeset math and no console errors or failed requests', async () => {
    const p = await openPage(ROUTE);
    try {
      expect((await p.page.locator('h1').first().innerText()).trim()).toMatch(/RetinaNet/);
      expect(await p.page.locator('.katex').count()).toBeGreaterThan(10);
      expect(await p.page.locator('.katex-error').count()).toBe(0);
      await waitForExplorer(p.page);
      await waitForPrior(p.page);
      expect(await readout(p.page, EXPLORER, 'counts')).toMatch(/Of 3,024 anchors .* 1:\d/);
      await expectClean(p.page);
      expect(p.errors).toEqual([]);
      expect(p.externalRequests).toEqual([]);
      expect(p.failedRequests).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('the anchor explorer recounts when a threshold moves by keyboard, and writes the URL', async () => {
    const p = await openPage(ROUTE);
    try {
      await waitForExplorer(p.page);
      const before = await readout(p.page, EXPLORER, 'counts');
      const fg = p.page.locator(`${EXPLORER} input[type="range"][data-param="fg"]`);
      await fg.focus();
      for (let i = 0; i < 20; i++) await p.page.keyboard.press('ArrowRight');
      await nextFrame(p.page);
      const after = await readout(p.page, EXPLORER, 'counts');
      expect(after).not.toBe(before);
      expect(await fg.getAttribute('aria-valuetext')).toBe('IoU ≥ 0.70');
      // Lowering the background threshold to 0 empties the ignored band's lower half: fewer ignored anchors.
      const bg = p.page.locator(`${EXPLORER} input[type="range"][data-param="bg"]`);
      await bg.focus();
      await p.page.keyboard.press('Home');
      await nextFrame(p.page);
      expect(await readout(p.page, EXPLORER, 'counts')).not.toBe(after);
      await p.page.waitForTimeout(400);
      const q = new URL(p.page.url()).searchParams;
      expect(q.get('ax.fg')).toBe('0.7');
      expect(q.get('ax.bg')).toBe('0');
      await expectClean(p.page);
    } finally {
      await p.close();
    }
  });

  it('the anchor picker moves with the arrow keys and reads IoU with each object', async () => {
    const p = await openPage(`${ROUTE}?ax.objects=2`);
    try {
      await waitForExplorer(p.page);
      const picker = p.page.locator(`${EXPLORER} rect[role="slider"]`);
      const start = await readout(p.page, EXPLORER, 'anchor');
      expect(start).toMatch(/IoU with object 1/);
      expect(start).toMatch(/IoU with object 2/);
      await picker.focus();
      await p.page.keyboard.press('ArrowRight');
      await p.page.keyboard.press('ArrowDown');
      await nextFrame(p.page);
      const moved = await readout(p.page, EXPLORER, 'anchor');
      expect(moved).not.toBe(start);
      expect(await picker.getAttribute('aria-valuetext')).toMatch(/IoU/);
      await p.page.keyboard.press('PageUp');
      await nextFrame(p.page);
      expect(await readout(p.page, EXPLORER, 'anchor')).not.toBe(moved);
      await p.page.keyboard.press('Home');
      await nextFrame(p.page);
      expect(await readout(p.page, EXPLORER, 'anchor')).toBe(start);
    } finally {
      await p.close();
    }
  });

  it('the prior figure readout follows π, and b = 0 gives the negatives almost all of the loss', async () => {
    const p = await openPage(ROUTE);
    try {
      await waitForPrior(p.page);
      const summary = () => readout(p.page, PRIOR, 'summary');
      const before = await summary();
      expect(before).toMatch(/π = 0\.01/);
      const slider = p.page.locator(`${PRIOR} input[type="range"][data-param="pi"]`);
      await slider.focus();
      await p.page.keyboard.press('ArrowRight');
      await p.page.keyboard.press('ArrowRight');
      await nextFrame(p.page);
      const after = await summary();
      expect(after).not.toBe(before);
      await p.page.locator(`${PRIOR} button`, { hasText: 'b = 0' }).click();
      await nextFrame(p.page);
      const none = await summary();
      expect(none).toMatch(/π = 0\.5\b/);
      expect(none).toMatch(/contribute 99\.\d+% of the loss/);
      // The paper's layout: ~100k anchors, even closer to 100 %.
      await p.page.locator(`${PRIOR} fieldset[data-param="setting"] input[value="paper"]`).check();
      await nextFrame(p.page);
      expect(await readout(p.page, PRIOR, 'summary')).toMatch(/8,000,000 sigmoid outputs/);
      await expectClean(p.page);
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('fits 1280 and 390 px viewports, light and dark, with reduced motion', async () => {
    const opts: OpenOptions = { viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' };
    const p = await openPage(ROUTE, opts);
    try {
      await waitForExplorer(p.page);
      await waitForPrior(p.page);
      for (const width of [1280, 390]) {
        for (const colorScheme of ['light', 'dark'] as const) {
          await setLayout(p.page, { width, height: 900, colorScheme });
          for (const sel of [EXPLORER, PRIOR]) {
            const box = await p.page.locator(sel).boundingBox();
            expect(box, sel).not.toBeNull();
            expect(box!.x).toBeGreaterThanOrEqual(0);
            expect(box!.x + box!.width, `${sel} ${width} ${colorScheme}`).toBeLessThanOrEqual(width + 0.5);
          }
          expect(await p.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
            width,
          );
          if (SHOTS) {
            fs.mkdirSync(SHOTS, { recursive: true });
            for (const [name, sel] of [
              ['explorer', EXPLORER],
              ['prior', PRIOR],
            ] as const) {
              await p.page
                .locator(sel)
                .screenshot({ path: path.join(SHOTS, `retinanet-${name}-${width}-${colorScheme}.png`) });
            }
          }
        }
      }
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });
});
