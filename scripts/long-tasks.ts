/**
 * The page's main-thread long tasks (over 50 ms, the Long Tasks API's threshold), as `npm run bench:race` counts
 * them while training and tests/e2e/playground.test.ts prints them: an init script records every one from before
 * the page's own scripts run, and `longTasksBetween` reads those that started in a window of page time.
 */
import type { Page } from 'playwright-core';

export interface LongTask {
  /** Page time (performance.now()) the task started, ms. */
  start: number;
  duration: number;
}

/** Init script (page.addInitScript) recording long tasks into window.__longTasks. */
export const LONGTASK_OBSERVER = `
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {}
`;

/** The recorded long tasks that started between `from` and `to` (page time, ms). */
export async function longTasksBetween(page: Page, from: number, to = Infinity): Promise<LongTask[]> {
  const all = await page.evaluate(
    () => (window as unknown as { __longTasks?: LongTask[] }).__longTasks ?? [],
  );
  return all.filter((t) => t.start >= from && t.start <= to);
}
