import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, COLOUR_RULES } from './crawl';
import { closeBrowser, fig, openPage, setLayout, siteURL, waitForCurves } from './harness';

afterAll(closeBrowser);

/**
 * The logistic-regression bridge (chapter 2), the softmax focal-loss figure (chapter 3) and the calibration figure
 * (chapter 9): they render, keep their state in the URL, work from the keyboard, log no errors, fit a phone and pass
 * axe in light and dark.
 */

const readouts = (page: Page, id: string) => page.locator(`${fig(id)} [data-readout]`).allTextContents();
const pathOf = (page: Page, id: string, series: string) =>
  page.locator(`${fig(id)} path[data-series="${series}"]`).getAttribute('d');
const stepShown = async (page: Page) =>
  Number(
    (await page
      .locator(`${fig('bridge')} [data-readout="summary"] strong`)
      .first()
      .textContent()) ?? NaN,
  );
const scriptErrors = (errors: string[]) => errors.filter((e) => !e.includes('Failed to load resource'));

async function expectClean(page: Page, id: string): Promise<void> {
  const text = await page.locator(fig(id)).innerText();
  expect(text).not.toMatch(/\bNaN\b|\bundefined\b|\bInfinity\b/);
}

describe('the bridge figure', () => {
  it('is in chapter 2 and trains by itself: the step advances and the boundaries appear', async () => {
    const p = await openPage('/learn/cross-entropy/');
    try {
      const figure = p.page.locator(fig('bridge'));
      await figure.scrollIntoViewIfNeeded({ timeout: 30_000 }).catch(() => undefined);
      await p.page.waitForSelector(fig('bridge'), { timeout: 30_000 });
      await figure.scrollIntoViewIfNeeded();
      await waitForCurves(p.page, 'bridge', { what: 'path[data-series^="loss-"]' });
      await p.page.waitForFunction(
        (sel) =>
          (document.querySelector(`${sel} path[data-series="boundary-focal"]`)?.getAttribute('d') ?? '') !==
          '',
        fig('bridge'),
        { timeout: 30_000 },
      );
      expect(await stepShown(p.page)).toBeGreaterThan(0);
      await expectClean(p.page, 'bridge');
      expect(scriptErrors(p.errors)).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('reads its settings from the URL and writes slider changes back', async () => {
    const p = await openPage('/embed/bridge/?lr.gamma=1.5&lr.alpha=0.5&lr.neg=1000&lr.seed=7');
    try {
      await waitForCurves(p.page, 'bridge', { what: 'path[data-series^="loss-"]' });
      const slider = (name: string) =>
        p.page.locator(`${fig('bridge')} input[type="range"][data-param="${name}"]`);
      expect(await slider('gamma').getAttribute('aria-valuetext')).toBe('γ = 1.5');
      expect(await slider('alpha').getAttribute('aria-valuetext')).toBe('α = 0.50');
      expect(await slider('neg').getAttribute('aria-valuetext')).toBe('1,000 negatives');
      expect(await slider('seed').getAttribute('aria-valuetext')).toBe('seed 7');
      await slider('gamma').focus();
      await p.page.keyboard.press('ArrowRight');
      await slider('seed').focus();
      await p.page.keyboard.press('ArrowRight');
      await p.page.waitForTimeout(600); // URL writes are throttled
      const url = new URL(p.page.url());
      expect(url.searchParams.get('lr.gamma')).toBe('1.6');
      expect(url.searchParams.get('lr.seed')).toBe('8');
      // The written URL restores the same state.
      await p.page.goto(url.toString(), { waitUntil: 'load' });
      await waitForCurves(p.page, 'bridge', { what: 'path[data-series^="loss-"]' });
      expect(await slider('gamma').getAttribute('aria-valuetext')).toBe('γ = 1.6');
      expect(await slider('seed').getAttribute('aria-valuetext')).toBe('seed 8');
      expect(scriptErrors(p.errors)).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('starts paused under reduced motion; Play, Pause, Step and Reset work from the keyboard', async () => {
    const p = await openPage('/embed/bridge/', { reducedMotion: 'reduce' });
    try {
      await waitForCurves(p.page, 'bridge', { what: 'path[data-series^="loss-"]' });
      const status = p.page.locator(`${fig('bridge')} [data-status]`);
      await expect(status.getAttribute('data-status')).resolves.toBe('paused');
      await p.page.waitForTimeout(300);
      expect(await stepShown(p.page)).toBe(0);
      const before = await readouts(p.page, 'bridge');

      await p.page.locator(`${fig('bridge')} button[data-action="step"]`).focus();
      await p.page.keyboard.press('Enter');
      await p.page.waitForFunction(
        (sel) => document.querySelector(sel)?.textContent?.includes('step 10'),
        `${fig('bridge')} [data-status]`,
      );
      expect(await stepShown(p.page)).toBe(10);
      expect(await readouts(p.page, 'bridge')).not.toEqual(before);
      expect(await pathOf(p.page, 'bridge', 'boundary-ce')).not.toBe('');

      await p.page.locator(`${fig('bridge')} button[data-action="play"]`).focus();
      await p.page.keyboard.press('Space');
      await p.page.waitForFunction(async (sel) => {
        const el = document.querySelector(`${sel} [data-readout="summary"] strong`);
        return Number(el?.textContent) > 10;
      }, fig('bridge'));
      await p.page.locator(`${fig('bridge')} button[data-action="pause"]`).focus();
      await p.page.keyboard.press('Enter');
      await expect(status.getAttribute('data-status')).resolves.toBe('paused');

      await p.page.locator(`${fig('bridge')} button[data-action="reset"]`).focus();
      await p.page.keyboard.press('Enter');
      await p.page.waitForFunction(
        (sel) => document.querySelector(sel)?.textContent === 'Paused at step 0.',
        `${fig('bridge')} [data-status]`,
      );
      expect(await pathOf(p.page, 'bridge', 'boundary-ce')).toBe('');
      await expectClean(p.page, 'bridge');
      expect(scriptErrors(p.errors)).toEqual([]);
    } finally {
      await p.close();
    }
  });
});

describe('the softmax focal-loss figure', () => {
  it('is in chapter 3, redraws when γ and K move by keyboard, and writes the URL', async () => {
    const p = await openPage('/learn/focal-loss/');
    try {
      await p.page.waitForSelector(fig('softmax-focal'), { timeout: 30_000 });
      await p.page.locator(fig('softmax-focal')).scrollIntoViewIfNeeded();
      await waitForCurves(p.page, 'softmax-focal');
      for (const name of ['gamma', 'k']) {
        const before = [
          await pathOf(p.page, 'softmax-focal', 'selected'),
          await readouts(p.page, 'softmax-focal'),
        ];
        await p.page.locator(`${fig('softmax-focal')} input[data-param="${name}"]`).focus();
        await p.page.keyboard.press('ArrowLeft');
        await p.page.keyboard.press('PageDown');
        const after = [
          await pathOf(p.page, 'softmax-focal', 'selected'),
          await readouts(p.page, 'softmax-focal'),
        ];
        expect(after[0], name).not.toBe(before[0]);
        expect(after[1], name).not.toEqual(before[1]);
      }
      await p.page.waitForTimeout(600);
      const url = new URL(p.page.url());
      expect(url.searchParams.get('sm.gamma')).not.toBeNull();
      expect(url.searchParams.get('sm.k')).not.toBeNull();
      await expectClean(p.page, 'softmax-focal');
      expect(scriptErrors(p.errors)).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('restores γ and K from the URL, and the crosshair moves with the arrow keys', async () => {
    const p = await openPage('/embed/softmax-focal/?sm.gamma=1&sm.k=10');
    try {
      await waitForCurves(p.page, 'softmax-focal');
      expect(
        await p.page
          .locator(`${fig('softmax-focal')} input[data-param="gamma"]`)
          .getAttribute('aria-valuetext'),
      ).toBe('γ = 1.0');
      expect(
        await p.page.locator(`${fig('softmax-focal')} input[data-param="k"]`).getAttribute('aria-valuetext'),
      ).toBe('K = 10 classes');
      const focus = p.page.locator(`${fig('softmax-focal')} [tabindex="0"][aria-label*="margin"]`).first();
      await focus.focus();
      const before = await readouts(p.page, 'softmax-focal');
      await p.page.keyboard.press('ArrowRight');
      expect(await readouts(p.page, 'softmax-focal')).not.toEqual(before);
      expect(scriptErrors(p.errors)).toEqual([]);
    } finally {
      await p.close();
    }
  });
});

describe('the new figures (bridge, softmax focal loss, calibration)', () => {
  for (const id of ['bridge', 'softmax-focal', 'reliability']) {
    it(`${id} passes axe in light and dark, and fits a 360 px phone without horizontal scrolling`, async () => {
      const p = await openPage(`/embed/${id}/`, { reducedMotion: 'reduce' });
      try {
        await waitForCurves(p.page, id, {
          what: id === 'bridge' ? 'path[data-series^="loss-"]' : 'path[data-series]',
        });
        // All rules in light mode, the colour rules in dark (crawl.ts COLOUR_RULES), as routes.test.ts scans pages.
        expect(await axeViolations(p.page, `${id} light`)).toEqual([]);
        await setLayout(p.page, { width: 360, height: 800, colorScheme: 'dark' });
        expect(await axeViolations(p.page, `${id} dark`, COLOUR_RULES)).toEqual([]);
        const overflow = await p.page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow).toBeLessThanOrEqual(0);
      } finally {
        await p.close();
      }
    });
  }

  it('have their own embed pages that link home', async () => {
    for (const id of ['bridge', 'softmax-focal', 'reliability']) {
      const res = await fetch(siteURL(`/embed/${id}/`));
      expect(res.status, id).toBe(200);
    }
  });
});

describe('the calibration figure', () => {
  it('is in chapter 9 and draws both losses without errors', async () => {
    const p = await openPage('/learn/beyond-the-paper/');
    try {
      await waitForCurves(p.page, 'reliability');
      for (const loss of ['ce', 'fl-g2']) expect(await pathOf(p.page, 'reliability', loss)).toMatch(/^M/);
      await expectClean(p.page, 'reliability');
      expect(scriptErrors(p.errors)).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('switches detections ↔ anchors from the keyboard, into the URL, and reads bins with the arrow keys', async () => {
    const p = await openPage('/embed/reliability/');
    try {
      await waitForCurves(p.page, 'reliability');
      const before = await readouts(p.page, 'reliability');
      const ceBefore = await pathOf(p.page, 'reliability', 'ce');
      await p.page.locator(`${fig('reliability')} [data-param="table"] input:checked`).focus();
      await p.page.keyboard.press('ArrowRight');
      await p.page.waitForTimeout(600); // URL writes are throttled
      expect(new URL(p.page.url()).searchParams.get('rl.table')).toBe('anchors');
      expect(await pathOf(p.page, 'reliability', 'ce')).not.toBe(ceBefore);
      const anchors = await readouts(p.page, 'reliability');
      expect(anchors).not.toEqual(before);
      await p.page
        .locator(`${fig('reliability')} [role="slider"]`)
        .first()
        .focus();
      await p.page.keyboard.press('Home');
      expect(await readouts(p.page, 'reliability')).not.toEqual(anchors);
      await expectClean(p.page, 'reliability');
      expect(scriptErrors(p.errors)).toEqual([]);
    } finally {
      await p.close();
    }
  });
});
