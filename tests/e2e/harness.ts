import fs from 'node:fs';
import { inject } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (CHROMIUM_PATH overrides); nothing here ever downloads a browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: Browser | null = null;

export async function getBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (browser && extraArgs.length === 0) return browser;
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}`);
  const b = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
  if (extraArgs.length === 0) browser = b;
  return b;
}

export async function closeBrowser(): Promise<void> {
  await browser?.close();
  browser = null;
}

export function baseURL(): string {
  return inject('baseURL');
}

/** Absolute URL for a site path such as '/learn/focal-loss/'. */
export function siteURL(path: string): string {
  return baseURL() + path;
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  /** Requests that left the site's own origin. */
  externalRequests: string[];
  /** Requests to the site that failed or returned >= 400. */
  failedRequests: string[];
  close(): Promise<void>;
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  reducedMotion?: 'reduce' | 'no-preference';
  /** 'allow' for the offline tests; everything else runs without the service worker. */
  serviceWorkers?: 'allow' | 'block';
  /** Script run in the page before any of its own (e.g. a PerformanceObserver that must see the first tasks). */
  initScript?: string;
}

export async function openPage(path: string, opts: OpenOptions = {}): Promise<OpenedPage> {
  const b = await getBrowser();
  const context = await b.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    colorScheme: opts.colorScheme ?? 'light',
    reducedMotion: opts.reducedMotion ?? 'no-preference',
    // The offline service worker precaches the whole course after load; tests that are not about it keep it
    // out, so its background downloads neither slow them nor touch their request logs.
    serviceWorkers: opts.serviceWorkers ?? 'block',
  });
  const page = await context.newPage();
  if (opts.initScript) await page.addInitScript(opts.initScript);
  const origin = new URL(baseURL()).origin;
  const errors: string[] = [];
  const externalRequests: string[] = [];
  const failedRequests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (u.startsWith('data:') || u.startsWith('blob:')) return;
    if (new URL(u).origin !== origin) externalRequests.push(u);
  });
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    // Next.js cancels its own link prefetches when a newer one supersedes them; a cancel is not a failure.
    if (why === 'net::ERR_ABORTED') return;
    failedRequests.push(`${r.url()} (${why})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) failedRequests.push(`${r.url()} (${r.status()})`);
  });
  await page.goto(siteURL(path), { waitUntil: 'load' });
  // Let client components hydrate and draw.
  await page.waitForFunction(() => document.readyState === 'complete');
  await page.waitForTimeout(100);
  return { page, errors, externalRequests, failedRequests, close: () => context.close() };
}

/** Every chapter route, read from content/ so a new chapter is tested without editing tests. */
export function chapterRoutes(): string[] {
  return fs
    .readdirSync('content')
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => `/learn/${f.replace(/\.mdx$/, '')}/`);
}

export interface Layout {
  width: number;
  height: number;
  colorScheme: 'light' | 'dark';
}

/**
 * Lays an open page out again at another viewport size and colour scheme, in place: the stylesheets follow
 * prefers-color-scheme and the charts measure their container (components/chart/useChartSize.ts), so one load
 * serves every layout a test checks. Waits for the resize to be drawn.
 */
export async function setLayout(page: Page, l: Layout): Promise<void> {
  await page.setViewportSize({ width: l.width, height: l.height });
  await page.emulateMedia({ colorScheme: l.colorScheme });
  await nextFrame(page, 2);
  await page.waitForTimeout(150);
}

/** The CSS selector of a figure by its id (FigureFrame's data-figure). */
export const fig = (id: string) => `[data-figure="${id}"]`;

/**
 * Scrolls figure `id` near the viewport — its placeholder (components/figures/lazy.tsx) if it has not loaded yet —
 * so it loads at once, as it does for a reader who scrolls to it, instead of after the background delay.
 */
export async function showFigure(page: Page, id: string): Promise<void> {
  await page
    .locator(`${fig(id)}, [data-figure-placeholder="${id}"]`)
    .first()
    .scrollIntoViewIfNeeded();
}

/**
 * Shows figure `id` and waits until it has drawn: at least `min` elements matching `what` inside it, every one
 * with a non-empty `d` (curves are computed after the figure's code loads).
 */
export async function waitForCurves(
  page: Page,
  id: string,
  { what = 'path[data-series]', min = 1 }: { what?: string; min?: number } = {},
): Promise<void> {
  await showFigure(page, id);
  await page.waitForFunction(
    ([sel, what, min]) => {
      const paths = [...document.querySelectorAll(`${sel} ${what}`)];
      return paths.length >= min && paths.every((p) => (p.getAttribute('d') ?? '').length > 0);
    },
    [fig(id), what, min] as const,
    { timeout: 30_000 },
  );
}

/** Brings every figure still waiting to load near the viewport, one after another, so all of them load now. */
export async function showAllFigures(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (const el of document.querySelectorAll('[data-figure-placeholder]')) {
      el.scrollIntoView({ block: 'center' });
      // Two frames for the IntersectionObserver to see it; capped, as a page the browser does not render gets none.
      await new Promise((r) => {
        requestAnimationFrame(() => requestAnimationFrame(r));
        setTimeout(r, 500);
      });
    }
    window.scrollTo(0, 0);
  });
}

/**
 * Waits for `n` animation frames, so React has committed and the browser could paint; at most a second, because
 * a page the browser is not rendering gets no frames and an evaluate has no timeout of its own.
 */
export async function nextFrame(page: Page, n = 1): Promise<void> {
  await page.evaluate(
    (n) =>
      new Promise<void>((resolve) => {
        let k = 0;
        const tick = () => (++k >= n ? resolve() : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
        setTimeout(resolve, 1000);
      }),
    n,
  );
}
