import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, openPage, siteURL } from './harness';
import { axeViolations } from './crawl';

afterAll(closeBrowser);

const CHAPTER = '/learn/class-imbalance/';
const Q = 'easy-negative-share';
const question = (id: string) => `section[data-predict-question="${id}"]`;
const AP = '[data-figure="ap"]';

/** Scrolls the (lazily loaded) AP figure into view and waits until its precision–recall curve is drawn. */
async function waitForAp(page: Page): Promise<void> {
  await page.locator(AP).first().scrollIntoViewIfNeeded();
  await page.waitForFunction(
    (sel) =>
      (document.querySelector(`${sel} path[data-series="interpolated"]`)?.getAttribute('d') ?? '').length > 0,
    AP,
  );
}

/** axe-core on the named parts only: the whole chapter is routes.test.ts's scan. */
const axe = (page: Page, include: string[]) => axeViolations(page, '', undefined, include);

describe('predict, then reveal', () => {
  it('ships the question and a closed <details> answer in the static HTML (readable without JavaScript)', async () => {
    const html = await (await fetch(siteURL(CHAPTER))).text();
    expect(html).toContain(`data-predict-question="${Q}"`);
    expect(html).toMatch(/<details class="predict__fallback"><summary>Show the answer<\/summary>/);
    expect(html).toContain('What share of plain cross-entropy');
  });

  it('is answered with the keyboard, keeps the guess beside the answer, and remembers it in localStorage', async () => {
    const p = await openPage(CHAPTER);
    try {
      const { page } = p;
      const sec = page.locator(question(Q));
      await sec.locator('button[data-action="reveal"]').waitFor();
      expect(await sec.locator('button[data-action="reveal"]').isDisabled()).toBe(true);
      // Focus the radio group, move with the arrow keys (native radios select as they move), Tab to Reveal.
      await sec.locator('input[type=radio]').first().focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect(await sec.locator('input[type=radio]').nth(2).isChecked()).toBe(true);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-action'))).toBe('reveal');
      await page.keyboard.press('Enter');
      await sec.locator('.predict__answer').waitFor();
      // Focus moved to the answer; the live region says the verdict; the guess stays checked and marked.
      expect(await page.evaluate(() => document.activeElement?.classList.contains('predict__answer'))).toBe(
        true,
      );
      expect(await sec.locator('[role=status]').textContent()).toMatch(/right|answer is/);
      expect(
        await sec.locator('[data-choice="2"][data-guess] .predict-choices__tag').first().textContent(),
      ).toBe('your guess');
      expect(await sec.locator('[data-correct]').count()).toBe(1);
      expect(await sec.locator('.predict__answer').textContent()).toMatch(/\d+ %/);
      const stored = await page.evaluate((id) => localStorage.getItem(`focal-lab.predict.${id}`), Q);
      expect(JSON.parse(stored ?? 'null')).toEqual({ guess: 2, revealed: true });

      // A reload restores the revealed state from localStorage, without moving focus.
      await page.reload({ waitUntil: 'load' });
      await sec.locator('.predict__answer').waitFor();
      expect(await sec.locator('input[type=radio]').nth(2).isChecked()).toBe(true);

      // "Ask me again" forgets it and returns focus to the choices.
      await sec.getByRole('button', { name: 'Ask me again' }).focus();
      await page.keyboard.press('Enter');
      await sec.locator('button[data-action="reveal"]').waitFor();
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe(
        'radio',
      );
      expect(await page.evaluate((id) => localStorage.getItem(`focal-lab.predict.${id}`), Q)).toBeNull();
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('appears in presenter mode above the figure it precedes, sharing the reader’s guess', async () => {
    const p = await openPage(CHAPTER);
    try {
      const { page } = p;
      const sec = page.locator(question(Q));
      await sec.locator('input[type=radio]').nth(1).check();
      await sec.locator('button[data-action="reveal"]').click();
      await page.goto(siteURL('/present/class-imbalance/#figure-imbalance'), { waitUntil: 'load' });
      const slide = page.locator('.presenter__slide');
      await slide.locator(question(Q)).waitFor();
      await slide.locator(`${question(Q)} .predict__answer`).waitFor();
      // The AP figure's slide asks the NMS question.
      await page.goto(siteURL('/present/class-imbalance/#figure-ap'), { waitUntil: 'load' });
      await slide.locator(question('nms-off-ap')).waitFor();
      expect(await axe(page, ['.presenter__slide .predict'])).toEqual([]);
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });
});

describe('the AP figure', () => {
  it('reads its state from the URL and writes it back', async () => {
    const p = await openPage(`${CHAPTER}?ap.iou=0.75&ap.nms=0&ap.cls=ellipse&ap.image=5`);
    try {
      const { page } = p;
      await waitForAp(page);
      const fig = page.locator(AP);
      expect(await fig.locator('fieldset[data-param="iou"] input[value="0.75"]').isChecked()).toBe(true);
      expect(await fig.locator('fieldset[data-param="cls"] input[value="ellipse"]').isChecked()).toBe(true);
      expect(await fig.locator('input[data-param="nms"]').isChecked()).toBe(false);
      expect(await fig.locator('input[type=range][data-param="image"]').inputValue()).toBe('5');
      expect(await fig.locator('[data-readout="ap"]').textContent()).toMatch(/ellipse at IoU ≥ 0\.75: \d/);
      // NMS off: nothing is drawn as removed. On: the URL loses ap.nms=0 and the removed candidates appear.
      expect(await fig.locator('[data-detection="removed"]').count()).toBe(0);
      await fig.locator('input[data-param="nms"]').check();
      await fig.locator('fieldset[data-param="cls"] input[value="triangle"]').check();
      await page.waitForFunction(
        () => /ap\.cls=triangle/.test(location.search) && !/ap\.nms=/.test(location.search),
      );
      await fig.locator('.data-table__toggle').first().click();
      expect(await fig.locator('table').first().locator('tbody tr').count()).toBeGreaterThan(0);
      expect(p.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  it('fits a 360 px phone', async () => {
    const p = await openPage(CHAPTER, { viewport: { width: 360, height: 740 } });
    try {
      await waitForAp(p.page);
      const overflow = await p.page.evaluate(
        (sel) =>
          (document.querySelector(sel) as HTMLElement).scrollWidth -
          (document.querySelector(sel) as HTMLElement).clientWidth,
        AP,
      );
      expect(overflow).toBeLessThanOrEqual(1);
    } finally {
      await p.close();
    }
  });
});

describe('axe', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`finds nothing in the questions and the AP figure, ${colorScheme}`, async () => {
      const p = await openPage(CHAPTER, { colorScheme });
      try {
        const { page } = p;
        await waitForAp(page);
        // One question revealed, one not, so both states are checked.
        const sec = page.locator(question(Q));
        await sec.locator('input[type=radio]').first().check();
        await sec.locator('button[data-action="reveal"]').click();
        await sec.locator('.predict__answer').waitFor();
        for (const t of await page.locator(`${AP} .data-table__toggle`).all()) await t.click();
        expect(await axe(page, ['.predict', AP])).toEqual([]);
      } finally {
        await p.close();
      }
    });
  }
});
