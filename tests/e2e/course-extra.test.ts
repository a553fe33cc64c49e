/**
 * The results, beyond-the-paper, glossary and references chapters in real Chromium (console errors, KaTeX and axe
 * on every page: routes.test.ts): they fit phones, show the ablation JSON's own values, and the
 * later-losses figure responds to its slider, its choices and the keyboard crosshair. Screenshots at 1280 and
 * 390 px go to SCREENSHOT_DIR when it is set.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, type Layout, nextFrame, openPage, setLayout, waitForCurves } from './harness';
import ablation from '../../content/data/ablation.json';
import { MAIN_GROUPS, type AblationGroup } from '../../lib/detector/ablation';

afterAll(closeBrowser);

const PAGES = [
  '/learn/results/',
  '/learn/beyond-the-paper/',
  '/learn/glossary/',
  '/learn/references/',
] as const;
const FIG = '[data-figure="later-losses"]';
const SHOTS = process.env.SCREENSHOT_DIR;
const LAYOUTS: Layout[] = [
  { width: 1280, height: 900, colorScheme: 'light' },
  { width: 1280, height: 900, colorScheme: 'dark' },
  { width: 390, height: 844, colorScheme: 'light' },
  { width: 390, height: 844, colorScheme: 'dark' },
];

async function paths(page: Page): Promise<Record<string, string>> {
  return page.evaluate((sel) => {
    const out: Record<string, string> = {};
    for (const p of document.querySelectorAll(`${sel} path[data-series]`)) {
      out[p.getAttribute('data-series') ?? '?'] = p.getAttribute('d') ?? '';
    }
    return out;
  }, FIG);
}

describe.each(PAGES)('%s', (route) => {
  it('looks right at 1280 and 390 px, light and dark (the chapter does not overflow horizontally)', async () => {
    const p = await openPage(route, { viewport: { width: 1280, height: 900 } });
    try {
      if (route === '/learn/beyond-the-paper/') await waitForCurves(p.page, 'later-losses', { min: 10 });
      for (const layout of LAYOUTS) {
        await setLayout(p.page, layout);
        const { width: w, colorScheme } = layout;
        // The chapter's own content must fit; the site header is another file's concern.
        const overflow = await p.page.evaluate(() => {
          const a = document.querySelector('article')!;
          const right = a.getBoundingClientRect().right;
          return Math.max(a.scrollWidth - a.clientWidth, right - document.documentElement.clientWidth);
        });
        expect(overflow, `${w}px ${colorScheme}`).toBeLessThanOrEqual(1);
        if (SHOTS) {
          fs.mkdirSync(SHOTS, { recursive: true });
          const name = `${route.split('/').filter(Boolean).pop()}-${w}-${colorScheme}.png`;
          await p.page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
        }
      }
    } finally {
      await p.close();
    }
  });
});

describe('the results chapter', () => {
  it('shows every seed of every main configuration, and paired differences against the chosen baseline', async () => {
    const p = await openPage('/learn/results/');
    try {
      const fig = p.page.locator('[data-figure="ablation-seeds"]');
      await fig.waitFor();
      const main = ablation.results.filter((x) => MAIN_GROUPS.includes(x.group as AblationGroup));
      const seeds = main.reduce((n, r) => n + r.ap.length, 0);
      const dots = fig.locator('.seed-dots__dot[data-seed]');
      // AP chart: every seed of every row; difference chart: every seed of every row but the baseline (CE).
      const ce = main.find((r) => r.name === 'ce')!;
      await expect.poll(() => dots.count()).toBe(seeds + seeds - ce.ap.length);
      await fig.getByRole('radio', { name: 'α-CE, α = 0.75' }).check();
      await expect.poll(() => p.page.url()).toContain('as.baseline=ce-a0.75');
      expect(await fig.locator('[data-readout="paired"]').innerText()).toMatch(
        /Against α-CE, α=0\.75, seed by seed/,
      );
      expect(await p.page.locator('[data-ablation-table="ablation"] tbody strong').count()).toBe(0);
    } finally {
      await p.close();
    }
  });

  it('shows the ablation JSON’s own means ± spreads, seeds and budget', async () => {
    const p = await openPage('/learn/results/');
    try {
      for (const r of ablation.results.filter((x) => MAIN_GROUPS.includes(x.group as AblationGroup))) {
        const cell = p.page.locator(
          `[data-ablation-table="ablation"] tr[data-run="${r.name}"] td[data-metric="ap"]`,
        );
        const want = `${(100 * r.ap_mean).toFixed(1)} ± ${(100 * r.ap_std).toFixed(1)}`;
        expect((await cell.innerText()).trim(), r.name).toBe(want);
      }
      const caption = await p.page.locator('[data-ablation-table="ablation"] .mdx-table-intro').innerText();
      expect(caption).toContain(`seeds ${ablation.design.seeds.slice(0, -1).join(', ')} and`);
      expect(caption).toContain(`${ablation.design.steps} steps`);
      expect(caption).toContain(`batch ${ablation.design.batch}`);
      expect(caption).toContain(`${ablation.design.eval_images} held-out images`);
      // Inline values in the prose come from the same JSON.
      const fl = ablation.results.find((r) => r.name === 'fl-g0.5')!;
      const inline = p.page.locator('article .mdx-ablation-value[data-run="fl-g0.5"]').first();
      expect((await inline.innerText()).trim()).toBe(
        `${(100 * fl.ap_mean).toFixed(1)} ± ${(100 * fl.ap_std).toFixed(1)}`,
      );
      // The Figure-4 table, and the paper's Table 1a/1b/1d. (The imbalance sweep belongs to the first design; the
      // chapter no longer shows a sweep table.)
      expect(await p.page.locator('[data-ablation-table="sweep"]').count()).toBe(0);
      expect(await p.page.locator('[data-ablation-table="fig4"] tbody tr').count()).toBe(
        ablation.fig4.focal.curves.length + ablation.fig4.ce.curves.length,
      );
      for (const t of ['1a', '1d']) {
        expect(await p.page.locator(`#paper-table${t}-caption`).count(), t).toBe(1);
      }
      // Table 1b has one home, chapter 3; this chapter links to it.
      expect(await p.page.locator('#paper-table1b-caption').count()).toBe(0);
      expect(
        await p.page.locator('article a[href*="/learn/focal-loss/#choosing-gamma-table-1b"]').count(),
      ).toBe(1);
    } finally {
      await p.close();
    }
  });
});

describe('the later-losses figure', () => {
  it('redraws when q moves by keyboard, when the axis and plot change, and writes the URL', async () => {
    const p = await openPage('/learn/beyond-the-paper/');
    try {
      await waitForCurves(p.page, 'later-losses', { min: 10 });
      const slider = p.page.locator(`${FIG} input[type="range"][data-param="q"]`);
      expect(await slider.getAttribute('aria-valuetext')).toBe('q = 0.70');
      const before = await paths(p.page);
      const minimaBefore = await p.page.locator(`${FIG} [data-readout="minima"]`).innerText();
      await slider.focus();
      await p.page.keyboard.press('PageDown');
      await p.page.keyboard.press('ArrowLeft');
      await nextFrame(p.page);
      const after = await paths(p.page);
      const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
      // Only the quality-aware losses of the positive depend on q.
      expect(changed.sort()).toEqual(['positive-qfl', 'positive-vfl']);
      expect(await p.page.locator(`${FIG} [data-readout="minima"]`).innerText()).not.toBe(minimaBefore);

      for (const sel of [
        'fieldset[data-param="show"] input[value="grad"]',
        'fieldset[data-param="x"] input[value="logit"]',
      ]) {
        const b = await paths(p.page);
        await p.page.locator(`${FIG} ${sel}`).check();
        await nextFrame(p.page);
        const a = await paths(p.page);
        expect(Object.keys(a).filter((k) => a[k] !== b[k]).length, sel).toBeGreaterThan(0);
      }
      await p.page.waitForTimeout(500);
      const search = new URL(p.page.url()).searchParams;
      expect(search.get('ll.show')).toBe('grad');
      expect(search.get('ll.x')).toBe('logit');
      expect(Number(search.get('ll.q'))).toBeLessThan(0.7);
      const text = await p.page.locator(FIG).innerText();
      expect(text).not.toMatch(/\bNaN\b|\bundefined\b|\bInfinity\b/);
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('reads its state from the URL and moves its crosshair with the arrow keys', async () => {
    const p = await openPage('/learn/beyond-the-paper/?ll.q=0.3');
    try {
      await waitForCurves(p.page, 'later-losses', { min: 10 });
      await p.page.waitForFunction(
        (sel) =>
          document.querySelector(`${sel} input[data-param="q"]`)?.getAttribute('aria-valuetext') ===
          'q = 0.30',
        FIG,
      );
      const focus = p.page.locator(`${FIG} .focus-area`).first();
      await focus.focus();
      const readout = p.page.locator(`${FIG} [data-readout="crosshair"]`).first();
      const at = await readout.innerText();
      expect(at).toContain('p = 0.50');
      await p.page.keyboard.press('ArrowRight');
      await nextFrame(p.page);
      expect(await readout.innerText()).toContain('p = 0.51');
      expect(await p.page.locator(`${FIG} .crosshair__line`).count()).toBeGreaterThan(0);
    } finally {
      await p.close();
    }
  });

  it('opens its data tables', async () => {
    const p = await openPage('/learn/beyond-the-paper/');
    try {
      await waitForCurves(p.page, 'later-losses', { min: 10 });
      const buttons = p.page.locator(`${FIG} .data-table__toggle`);
      expect(await buttons.count()).toBe(2);
      await buttons.first().click();
      const rows = await p.page.locator(`${FIG} .data-table__scroll table tbody tr`).count();
      expect(rows).toBeGreaterThan(100);
      expect(await p.page.locator(`${FIG} .data-table__scroll table`).first().innerText()).not.toMatch(/NaN/);
    } finally {
      await p.close();
    }
  });
});

describe('the glossary and references pages', () => {
  it('has a link target for every term the brief names, and a BibTeX block with a copy button per reference', async () => {
    const g = await openPage('/learn/glossary/');
    try {
      for (const id of [
        'anchor',
        'iou',
        'fpn',
        'pt',
        'alpha-t',
        'gamma',
        'modulating-factor',
        'ohem',
        'nms',
        'ap',
        'ap50',
        'ap75',
        'prior-init',
      ]) {
        expect(await g.page.locator(`#${id}`).count(), id).toBe(1);
      }
    } finally {
      await g.close();
    }
    const r = await openPage('/learn/references/');
    try {
      const items = r.page.locator('.mdx-bibliography > li');
      const n = await items.count();
      expect(n).toBeGreaterThanOrEqual(12);
      expect(await r.page.locator('.mdx-bibliography pre code').count()).toBe(n);
      expect(await r.page.locator('.mdx-bibliography button.mdx-copy').count()).toBe(n);
      expect(await r.page.locator('#ref-li2020gfl').count()).toBe(1);
      expect(await r.page.locator('#ref-zhang2021vfl pre').innerText()).toContain('VarifocalNet');
    } finally {
      await r.close();
    }
  });
});
