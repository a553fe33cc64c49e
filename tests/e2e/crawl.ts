/**
 * One visit per route that collects everything the per-route browser tests check (tests/e2e/routes.test.ts):
 * console errors and uncaught exceptions, failed and third-party requests, Content-Security-Policy violations,
 * the JavaScript loaded before the page is interactive, axe-core results in light and dark mode, and the
 * chapter checks (KaTeX, table of contents). Opening a page is most of a browser test's cost on two cores, so
 * each route is loaded once and every assertion reads the report.
 *
 * The page is served with the HTTP headers out/_headers assigns to it (what Netlify / Cloudflare Pages send), on
 * top of the policy <meta> every page carries. Both policies are enforced, so a clean page here is clean under
 * either one alone (frame-ancestors, the only directive the header adds, does not apply to a top-level page).
 * CSP violations are collected by a `securitypolicyviolation` listener installed with addInitScript (injected by
 * the browser itself, so the policy does not apply to it) and by watching the console for CSP messages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import type { Page, Response } from 'playwright-core';
import { baseURL, getBrowser, nextFrame, siteURL } from './harness';
import { siteDir } from './routes';
// @ts-expect-error -- plain ESM script without type declarations
import { parseHeadersFile } from '../../scripts/csp.mjs';

export interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  disposition: string;
  source: string;
}

/** A request that belongs to the training stack, by URL. */
export const TRAINING_URL = /trainer\.worker\.js|\.wasm(\?|$)|tfjs-backend-(wasm|webgl)/;
/**
 * The tfjs WebGL / WASM backends' code, whatever chunk it was bundled into: the flags only they register. Their
 * registration, not the names: lib/tf/backend.ts names WASM_HAS_MULTITHREAD_SUPPORT to set it, and is bundled into
 * every page for its CPU path.
 */
const TRAINING_CODE =
  /registerFlag\(\s*['"](WEBGL_PACK|WEBGL_VERSION|WASM_HAS_SIMD_SUPPORT|WASM_HAS_MULTITHREAD_SUPPORT)['"]/;

/** The short name of a script URL, for messages. */
export const shortUrl = (url: string) => new URL(url).pathname.replace(/^.*\/_next\/static\/chunks\//, '');

/** Headers that out/_headers gives a URL path: every matching rule, same-named values joined as hosts do. */
export function hostHeadersFor(pathname: string, dir = siteDir()): Record<string, string> {
  const rules = parseHeadersFile(fs.readFileSync(path.join(dir, '_headers'), 'utf8')) as {
    path: string;
    headers: Record<string, string>;
  }[];
  const out: Record<string, string> = {};
  for (const r of rules) {
    const match = r.path.endsWith('*') ? pathname.startsWith(r.path.slice(0, -1)) : pathname === r.path;
    if (!match) continue;
    for (const [k, v] of Object.entries(r.headers)) out[k] = out[k] ? `${out[k]}, ${v}` : v;
  }
  return out;
}

export interface WatchOptions {
  /** Send the headers that out/_headers assigns to the page, as a host would. */
  hostHeaders?: boolean;
  /** Extra response headers for the page itself (e.g. a second, stricter policy). */
  extraHeaders?: Record<string, string>;
  /** Record every JavaScript response's gzip size (for the budget). */
  recordJs?: boolean;
}

interface JsFile {
  url: string;
  gzipBytes: number;
  training: boolean;
}

/**
 * Every content-hashed script seen in this test file, by URL: its body is read and compressed once, not once per
 * page (a chapter loads about 1.3 MB of JavaScript, most of it shared).
 */
const jsByUrl = new Map<string, JsFile>();

/** A page with everything that can go wrong on it recorded from its first request. */
export interface WatchedPage {
  page: Page;
  /** Every securitypolicyviolation event so far (enforced and report-only). */
  violations(): Promise<Violation[]>;
  /** Console lines about the policy ("Refused to …", "Content Security Policy …"). */
  cspConsole: string[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Requests that left the site's origin. */
  externalRequests: string[];
  /** Same-origin requests that failed or returned >= 400. */
  failedRequests: string[];
  /** Every request and worker URL. */
  requests: string[];
  /** JavaScript responses by URL (only with recordJs); settle() waits for their bodies. */
  js: Map<string, JsFile>;
  settle(): Promise<void>;
  /**
   * Resolves once no request of the page has been in flight for `quietMs` (default 150): what Playwright's
   * 'networkidle' waits for, without its fixed 500 ms — twice per route, that was most of a crawl's idle time.
   */
  quiet(quietMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Opens a route in a fresh context (empty cache, service workers blocked) and records what it does. */
export async function openWatched(route: string, opts: WatchOptions = {}): Promise<WatchedPage> {
  const browser = await getBrowser();
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    colorScheme: 'light',
    // The offline copy is offline.test.ts's subject; its background download would only slow this visit.
    serviceWorkers: 'block',
  });
  await context.addInitScript(() => {
    const w = window as unknown as { __cspViolations: unknown[] };
    w.__cspViolations = [];
    document.addEventListener(
      'securitypolicyviolation',
      (e) =>
        w.__cspViolations.push({
          directive: e.effectiveDirective,
          blocked: e.blockedURI,
          sample: e.sample,
          disposition: e.disposition,
          source: `${e.sourceFile}:${e.lineNumber}`,
        }),
      true,
    );
  });
  const page = await context.newPage();
  const origin = new URL(baseURL()).origin;
  const w: WatchedPage = {
    page,
    violations: () =>
      page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations),
    cspConsole: [],
    errors: [],
    externalRequests: [],
    failedRequests: [],
    requests: [],
    js: new Map(),
    settle: async () => void (await Promise.all(pending)),
    quiet: async (quietMs = 150) => {
      const deadline = Date.now() + 30_000;
      let since = Date.now();
      while (Date.now() < deadline) {
        if (inFlight > 0) since = Date.now();
        else if (Date.now() - since >= quietMs) return;
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => context.close(),
  };
  let inFlight = 0;
  page.on('requestfinished', () => void inFlight--);
  page.on('requestfailed', () => void inFlight--);
  const pending: Promise<void>[] = [];
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|Refused to/i.test(text)) w.cspConsole.push(text);
    else if (m.type() === 'error') w.errors.push(`console: ${text}`);
  });
  page.on('pageerror', (e) => w.errors.push(`pageerror: ${e.message}`));
  page.on('worker', (wk) => w.requests.push(wk.url()));
  page.on('request', (r) => {
    const u = r.url();
    inFlight++;
    w.requests.push(u);
    if (!u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin) {
      w.externalRequests.push(u);
    }
  });
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    // Next.js cancels its own link prefetches when a newer one supersedes them; a cancel is not a failure.
    if (why !== 'net::ERR_ABORTED') w.failedRequests.push(`${r.url()} (${why})`);
  });
  page.on('response', (r: Response) => {
    if (r.status() >= 400) w.failedRequests.push(`${r.url()} (${r.status()})`);
    if (!opts.recordJs) return;
    const url = r.url();
    const type = r.headers()['content-type'] ?? '';
    const isJs =
      r.request().resourceType() === 'script' || /javascript/.test(type) || /\.m?js(\?|$)/.test(url);
    if (!isJs || r.status() >= 300 || url.startsWith('data:')) return;
    const known = jsByUrl.get(url);
    if (known) {
      w.js.set(url, known);
      return;
    }
    pending.push(
      // A body that never arrives must not hold the visit (settle() would wait forever): 15 s, then it is skipped.
      Promise.race([
        r.body(),
        new Promise<never>((_, no) => setTimeout(() => no(new Error('timeout')), 15_000)),
      ])
        .then((body) => {
          // The gzip size is computed here (zlib level 6, what most static hosts use), so the figure does not
          // depend on whether the test server compresses.
          const file = {
            url,
            gzipBytes: gzipSync(body).length,
            training: TRAINING_URL.test(url) || TRAINING_CODE.test(body.toString('latin1')),
          };
          w.js.set(url, file);
          // Next's chunks are named by their content: the same URL is the same file on every page of the build.
          if (/\/_next\/static\//.test(new URL(url).pathname)) jsByUrl.set(url, file);
        })
        .catch(() => undefined), // a body that went away with a navigation is not a loaded script
    );
  });
  if (opts.hostHeaders || opts.extraHeaders) {
    await page.route('**/*', async (r) => {
      if (r.request().resourceType() !== 'document') return r.continue();
      const response = await r.fetch();
      const pathname = new URL(r.request().url()).pathname;
      await r.fulfill({
        response,
        headers: {
          ...response.headers(),
          ...(opts.hostHeaders ? hostHeadersFor(pathname) : {}),
          ...opts.extraHeaders,
        },
      });
    });
  }
  await page.goto(siteURL(route), { waitUntil: 'load' });
  await page.waitForFunction(() => document.readyState === 'complete');
  return w;
}

/**
 * Scrolls through the page so lazily drawn figures render and lazily loaded code is fetched; then waits for the
 * network to be quiet (`quiet`, or Playwright's 'networkidle' without one).
 */
export async function scrollThrough(page: Page, quiet?: () => Promise<void>): Promise<void> {
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += 700) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 40));
    }
    window.scrollTo(0, 0);
  });
  if (quiet) await quiet();
  else await page.waitForLoadState('networkidle');
}

/**
 * The axe-core rules whose outcome depends on colours: the only ones that can pass in light mode and fail in dark
 * (everything else reads structure, names and ARIA, the same in both), so the dark-mode scan runs just these.
 */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/** axe-core's own bundle, read once; injected into a page by `axeViolations`. */
let axeSource: string | null = null;
const require = createRequire(import.meta.url);

/**
 * axe-core violations of the page as it is now, one line each: all rules, or only `rules`; the whole document, or
 * only the subtrees `include` selects (for a check of one figure on a page whose full scan is routes.test.ts's).
 *
 * axe runs in the page's top frame through `axe.run` directly, asked for violations only. @axe-core/playwright's
 * AxeBuilder does the same scan through runPartial/finishRun, which opens a blank page per scan and serialises
 * every passing node: measured here, 10.4 s against 3.6 s (injection included) for one chapter, the same findings.
 * The site's pages have no iframes of their own (an embed's iframe is the embedder's), so the top frame is the page.
 */
export async function axeViolations(
  page: Page,
  label: string,
  rules?: string[],
  include?: string[],
): Promise<string[]> {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Injected through the DevTools protocol, so the page's Content-Security-Policy does not apply to it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(
    async ({ rules, include }) => {
      type AxeResult = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
      const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<AxeResult> } })
        .axe;
      const context = include ? { include: include.map((sel) => [sel]) } : document;
      const result = await axe.run(context, {
        resultTypes: ['violations'],
        ...(rules ? { runOnly: { type: 'rule', values: rules } } : {}),
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
    },
    { rules: rules ?? null, include: include ?? null },
  );
  return violations.map((v) => `${label} ${v.id} (${v.impact}): ${v.targets.join(', ')}`);
}

export interface RouteReport {
  route: string;
  h1: string;
  errors: string[];
  externalRequests: string[];
  failedRequests: string[];
  cspViolations: Violation[];
  cspConsole: string[];
  /** JavaScript, gzip bytes: requested before the `focal-lab:interactive` mark, and after it. */
  js: {
    interactiveMark: number | null;
    beforeBytes: number;
    beforeFiles: number;
    afterBytes: number;
    afterFiles: number;
    /** The files loaded before the mark, largest first ("name N kB"). */
    largestBefore: string[];
    /** Training-stack scripts, workers or .wasm requested during the visit (none is ever expected). */
    trainingStack: string[];
    /**
     * Other pages' React Server Component payloads (`?_rsc=`) requested during the visit: Next's viewport
     * prefetch, which also loads and compiles each linked page's client chunks (components/site/PageLink.tsx).
     */
    prefetches: string[];
  };
  bodyText: string;
  figureTexts: string[];
  /** axe-core findings: all rules in light mode, the colour rules in dark mode; null when not scanned. */
  axe: { light: string[]; dark: string[] } | null;
  /** Embed pages only (/embed/<figure>/): what the one-figure page shows. */
  embed: null | {
    /** data-figure ids on the page. */
    figures: string[];
    /** Site chrome elements (header, skip link, footer), which an embed must not have. */
    chrome: number;
    backText: string;
    backHref: string | null;
    /** Series named in the figure's data-reveal-series ("predict, then reveal") that it does not draw. */
    revealMissing: string[];
  };
  /** Chapter pages only. */
  chapter: null | {
    katex: number;
    katexErrors: number;
    articleText: string;
    tocLinks: number;
    /** Table-of-contents targets with no element of that id. */
    tocMissing: string[];
    pagerLinks: number;
  };
}

const kB = (bytes: number) => bytes / 1024;

/**
 * Visits a route once and reports on it. The page is scrolled through once it is interactive, so the figures that
 * load lazily (after the interactive mark, by design) are drawn, counted as JavaScript loaded after the mark, and
 * in the axe scan; dark mode is the same page with the media emulated
 * (the stylesheets follow prefers-color-scheme when no theme is stored, app/globals.css).
 */
export async function crawlRoute(route: string, opts: { axe: boolean }): Promise<RouteReport> {
  // A visit that stops making progress fails with the step it was on, instead of outliving the test's timeout.
  const step = { name: 'opening the page' };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`crawl of ${route}: no progress in ${CRAWL_LIMIT_MS / 1000} s while ${step.name}`)),
      CRAWL_LIMIT_MS,
    );
  });
  try {
    return await Promise.race([visit(route, opts, step), stuck]);
  } finally {
    clearTimeout(timer);
  }
}

/** How long one route's visit may take (a chapter takes about 10 s on two busy cores). */
const CRAWL_LIMIT_MS = 120_000;

async function visit(route: string, opts: { axe: boolean }, step: { name: string }): Promise<RouteReport> {
  const w = await openWatched(route, { hostHeaders: true, recordJs: true });
  try {
    const { page } = w;
    step.name = 'waiting for the network to go quiet';
    await w.quiet();
    step.name = 'waiting for the interactive mark';
    await page.waitForSelector('html[data-interactive]', { state: 'attached', timeout: 30_000 });
    step.name = 'reading script bodies';
    await w.settle();
    step.name = 'scrolling through';
    await scrollThrough(page, () => w.quiet());
    step.name = 'reading script bodies after the scroll';
    await w.settle();
    step.name = 'reading the page';
    await page.waitForTimeout(300);
    // Taken after the scroll, so the figures' chunks loaded by it are in Resource Timing and count as "after".
    const timing = await page.evaluate(() => ({
      mark: performance.getEntriesByName('focal-lab:interactive')[0]?.startTime ?? null,
      starts: Object.fromEntries(performance.getEntriesByType('resource').map((e) => [e.name, e.startTime])),
    }));
    const all = [...w.js.values()];
    // A script missing from Resource Timing counts as early (conservative).
    const early = all.filter(
      (f) => !(f.url in timing.starts) || (timing.mark !== null && timing.starts[f.url] <= timing.mark),
    );
    const beforeBytes = early.reduce((s, f) => s + f.gzipBytes, 0);

    const isChapter = route.startsWith('/learn/');
    const chapter = isChapter
      ? await page.evaluate(() => {
          const article = document.querySelector('article');
          const toc = [...document.querySelectorAll('.toc a')].map((a) => a.getAttribute('href') ?? '');
          return {
            katex: document.querySelectorAll('.katex').length,
            katexErrors: document.querySelectorAll('.katex-error').length,
            // innerText skips KaTeX's hidden MathML, so raw TeX here means a formula was not typeset.
            articleText: article ? article.innerText : '',
            tocLinks: toc.length,
            tocMissing: toc.filter((h) => !document.getElementById(decodeURIComponent(h.slice(1)))),
            pagerLinks: document.querySelectorAll('nav.pager a').length,
          };
        })
      : null;
    const embed = route.startsWith('/embed/')
      ? await page.evaluate(() => {
          const figures = [...document.querySelectorAll('[data-figure]')];
          const back = document.querySelector('.embed__back');
          const names = (figures[0]?.getAttribute('data-reveal-series') ?? '').split(' ').filter(Boolean);
          return {
            figures: figures.map((f) => f.getAttribute('data-figure') ?? ''),
            chrome: document.querySelectorAll('.site-header, .skip-link, .site-footer').length,
            backText: (back as HTMLElement | null)?.innerText ?? '',
            backHref: back?.getAttribute('href') ?? null,
            revealMissing: names.filter((n) => !figures[0]?.querySelector(`[data-series="${n}"]`)),
          };
        })
      : null;
    const h1 = (
      await page
        .locator('h1')
        .first()
        .innerText({ timeout: 5000 })
        .catch(() => '')
    ).trim();
    const bodyText = await page.locator('body').innerText();
    const figureTexts = await page.locator('[data-figure]').allInnerTexts();

    let light: string[] | null = null;
    let dark: string[] | null = null;
    if (opts.axe) {
      step.name = 'running axe';
      light = await axeViolations(page, 'light');
      await page.emulateMedia({ colorScheme: 'dark' });
      await nextFrame(page, 2);
      dark = await axeViolations(page, 'dark', COLOUR_RULES);
    }

    const trainingStack = [
      ...all.filter((f) => f.training).map((f) => f.url),
      ...w.requests.filter((u) => TRAINING_URL.test(u)),
    ];
    const report: RouteReport = {
      route,
      h1,
      errors: w.errors,
      externalRequests: w.externalRequests,
      failedRequests: w.failedRequests,
      cspViolations: await w.violations(),
      cspConsole: w.cspConsole,
      js: {
        interactiveMark: timing.mark,
        beforeBytes,
        beforeFiles: early.length,
        afterBytes: all.reduce((s, f) => s + f.gzipBytes, 0) - beforeBytes,
        afterFiles: all.length - early.length,
        largestBefore: early
          .sort((a, b) => b.gzipBytes - a.gzipBytes)
          .map((f) => `${shortUrl(f.url)} ${kB(f.gzipBytes).toFixed(1)} kB`),
        trainingStack: [...new Set(trainingStack)].map(shortUrl),
        prefetches: w.requests.filter((u) => /[?&]_rsc=/.test(u)).map(shortUrl),
      },
      bodyText,
      figureTexts,
      axe: light && dark ? { light, dark } : null,
      embed,
      chapter,
    };
    console.log(
      `[crawl] ${route}: ${kB(beforeBytes).toFixed(1)} kB gzip JS before interactive (${early.length} files); ` +
        `${kB(report.js.afterBytes).toFixed(1)} kB more after (${report.js.afterFiles} files)`,
    );
    return report;
  } finally {
    await w.close();
  }
}
