import type { Page } from 'playwright-core';

/** The playground's state as its root element exposes it (data-status, data-step, data-backend, …). */
export async function dataset(page: Page): Promise<Record<string, string>> {
  return page.$eval(
    '[data-playground]',
    (e) => ({ ...(e as HTMLElement).dataset }) as Record<string, string>,
  );
}

/** The lockstep step counter. */
export const stepOf = async (page: Page): Promise<number> => Number((await dataset(page)).step);

/** Polls the playground's data attributes until `pred` holds; returns them, or throws with the last state. */
export async function waitFor(
  page: Page,
  pred: (d: Record<string, string>) => boolean,
  timeoutMs: number,
): Promise<Record<string, string>> {
  const t0 = Date.now();
  for (;;) {
    const d = await dataset(page);
    if (pred(d)) return d;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out; playground state ${JSON.stringify(d)}`);
    await page.waitForTimeout(200);
  }
}
