/**
 * The exported site under its Content Security Policy (scripts/csp.mjs, run after every build): every page
 * carries the policy in a <meta>, every route runs under it with no violation, and the same policy sent as the
 * HTTP headers of out/_headers (what Netlify / Cloudflare Pages would send) changes nothing. Also: no request
 * ever leaves the site's origin, on every route found in the build.
 *
 * Violations are collected by a `securitypolicyviolation` listener installed with addInitScript (injected by
 * the browser itself, so the policy does not apply to it) and by watching the console for CSP messages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { baseURL, closeBrowser, getBrowser, siteURL } from './harness';
import { builtRoutes, siteDir } from './routes';
// @ts-expect-error -- plain ESM script without type declarations
import { inlineScriptHashes, parseHeadersFile } from '../../scripts/csp.mjs';

afterAll(closeBrowser);

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  disposition: string;
  source: string;
}

interface CspPage {
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
  close(): Promise<void>;
}

interface CspOpenOptions {
  /** Send the headers that out/_headers assigns to the page, as a host would. */
  hostHeaders?: boolean;
  /** Extra response headers for the page itself (e.g. a second, stricter policy). */
  extraHeaders?: Record<string, string>;
}

const SITE = siteDir();
const ROUTES = builtRoutes();
const HTML_FILES = listHtml(SITE);

function listHtml(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return e.name === '_next' ? [] : listHtml(dir, r);
    return e.name.endsWith('.html') ? [r] : [];
  });
}

/** Headers that out/_headers gives a URL path: every matching rule, same-named values joined as hosts do. */
function hostHeadersFor(pathname: string): Record<string, string> {
  const rules = parseHeadersFile(fs.readFileSync(path.join(SITE, '_headers'), 'utf8')) as {
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

/** The policy of the <meta> in a built page's HTML. */
function metaPolicy(html: string): string | null {
  return /<meta http-equiv="Content-Security-Policy" content="([^"]*)"\/?>/.exec(html)?.[1] ?? null;
}

async function openUnderCsp(route: string, opts: CspOpenOptions = {}): Promise<CspPage> {
  const browser = await getBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
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
  const cspConsole: string[] = [];
  const errors: string[] = [];
  const externalRequests: string[] = [];
  const failedRequests: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|Refused to/i.test(text)) cspConsole.push(text);
    else if (m.type() === 'error') errors.push(`console: ${text}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin) {
      externalRequests.push(u);
    }
  });
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    if (why !== 'net::ERR_ABORTED') failedRequests.push(`${r.url()} (${why})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) failedRequests.push(`${r.url()} (${r.status()})`);
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
  return {
    page,
    violations: () =>
      page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations),
    cspConsole,
    errors,
    externalRequests,
    failedRequests,
    close: () => context.close(),
  };
}

/** Scrolls through the page so lazily drawn figures render and lazily loaded code is fetched. */
async function scrollThrough(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += 700) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 40));
    }
    window.scrollTo(0, 0);
  });
  await page.waitForLoadState('networkidle');
}

async function expectClean(p: CspPage): Promise<void> {
  expect(await p.violations()).toEqual([]);
  expect(p.cspConsole).toEqual([]);
  expect(p.errors).toEqual([]);
  expect(p.externalRequests).toEqual([]);
  expect(p.failedRequests).toEqual([]);
}

describe('the built pages', () => {
  it('include every route the site has (at least the home page, /figures/ and five chapters)', () => {
    expect(ROUTES).toContain('/');
    expect(ROUTES).toContain('/figures/');
    expect(ROUTES.filter((r) => r.startsWith('/learn/')).length).toBeGreaterThanOrEqual(5);
  });

  it.each(HTML_FILES)(
    '%s carries the policy first in <head>, allowing exactly its own inline scripts',
    (file) => {
      const html = fs.readFileSync(path.join(SITE, file), 'utf8');
      const policy = metaPolicy(html);
      expect(policy, 'CSP <meta>').not.toBeNull();
      expect(html.match(/http-equiv="Content-Security-Policy"/g)).toHaveLength(1);
      // Only a <meta charset> may precede it (see insertMeta in scripts/csp.mjs).
      const head = html.slice(html.indexOf('<head>') + '<head>'.length);
      expect(head.replace(/^<meta charSet="utf-8"\/>/i, '')).toMatch(
        /^<meta http-equiv="Content-Security-Policy"/,
      );
      const scriptSrc = policy!.split('; ').find((d) => d.startsWith('script-src '))!;
      const allowed = new Set(scriptSrc.split(' ').filter((s) => s.startsWith("'sha256-")));
      const hashes = inlineScriptHashes(html) as string[];
      expect(hashes.length, 'Next.js pages have inline flight-data scripts').toBeGreaterThan(0);
      expect(new Set(hashes)).toEqual(allowed);
      expect(scriptSrc).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*|https?:|data:/);
      expect(policy).toMatch(/(^|; )object-src 'none'(;|$)/);
      expect(policy).toMatch(/(^|; )base-uri 'self'(;|$)/);
    },
  );

  it('_headers sends each page the same policy plus frame-ancestors, and the other security headers', () => {
    for (const route of ROUTES) {
      const pathname = new URL(siteURL(route)).pathname;
      const html = fs.readFileSync(path.join(SITE, route, 'index.html'), 'utf8');
      const headers = hostHeadersFor(pathname);
      expect(headers['Content-Security-Policy'], route).toBe(`${metaPolicy(html)}; frame-ancestors 'none'`);
      expect(headers['X-Content-Type-Options']).toBe('nosniff');
      expect(headers['X-Frame-Options']).toBe('DENY');
    }
  });
});

describe('every route under the policy', () => {
  for (const route of ROUTES) {
    it(`${route}: no violation, no console error, no third-party or failed request (policy in <meta>)`, async () => {
      const p = await openUnderCsp(route);
      try {
        await scrollThrough(p.page);
        await expectClean(p);
      } finally {
        await p.close();
      }
    });

    // The header policy is the meta policy plus frame-ancestors: one page of each kind is enough (suite time).
    const kind = route.split('/')[1] ?? '';
    if (ROUTES.find((r) => (r.split('/')[1] ?? '') === kind) !== route) continue;
    it(`${route}: the same with the _headers policy sent as HTTP headers too`, async () => {
      const p = await openUnderCsp(route, { hostHeaders: true });
      try {
        await scrollThrough(p.page);
        await expectClean(p);
      } finally {
        await p.close();
      }
    });
  }

  it('client-side navigation (RSC payload fetches) stays within the policy', async () => {
    const p = await openUnderCsp('/', { hostHeaders: true });
    try {
      const link = p.page.locator('.chapter-list a').first();
      const href = await link.getAttribute('href');
      await link.click();
      await p.page.waitForURL((u) => u.pathname === href);
      await p.page.locator('article .katex').first().waitFor();
      await scrollThrough(p.page);
      await expectClean(p);
    } finally {
      await p.close();
    }
  });

  it('/playground/ trains under the policy (module worker, tfjs backend in the worker)', async () => {
    expect(ROUTES, 'the build has /playground/').toContain('/playground/');
    const p = await openUnderCsp('/playground/?pg.batch=2&pg.steps=40&pg.clutter=none', {
      hostHeaders: true,
    });
    try {
      await trainBriefly(p.page);
      await expectClean(p);
    } finally {
      await p.close();
    }
  });
});

/** Presses Play on the playground and waits until the worker has finished a training step; returns its backend. */
async function trainBriefly(page: Page): Promise<string> {
  await page.waitForSelector('[data-playground][data-loaded]');
  await page.locator('[data-playground] button[data-action="play"]').first().click();
  await page.waitForSelector('[data-playground]:not([data-step="0"])', { timeout: 90_000 });
  const backend = (await page.locator('[data-playground]').first().getAttribute('data-backend')) ?? '';
  console.log(`playground trained under the policy on the ${backend || 'unknown'} backend`);
  expect(backend).not.toBe('');
  return backend;
}

describe('the policy is enforced, and each exception in it is needed', () => {
  it('blocks code built from strings (no unsafe-eval)', async () => {
    const p = await openUnderCsp('/');
    try {
      // Code that page.evaluate runs directly is exempt from the policy (DevTools protocol), so the string is
      // compiled later by a timer, as page code: the policy must refuse it.
      await p.page.evaluate(() => {
        window.setTimeout('window.__evalRan = 1', 0);
      });
      await p.page.waitForTimeout(200);
      expect(await p.page.evaluate(() => (window as unknown as { __evalRan?: number }).__evalRan)).toBe(
        undefined,
      );
      expect((await p.violations()).map((v) => [v.directive, v.blocked])).toEqual([['script-src', 'eval']]);
    } finally {
      await p.close();
    }
  });

  it('blocks an injected inline script whose hash is not in the policy', async () => {
    const p = await openUnderCsp('/');
    try {
      await p.page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.__injected = 1';
        document.body.append(s);
      });
      expect(await p.page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBe(
        undefined,
      );
      expect((await p.violations()).map((v) => v.directive)).toEqual(['script-src-elem']);
    } finally {
      await p.close();
    }
  });

  const wasmFiles = fs.existsSync(path.join(SITE, 'tfjs'))
    ? fs.readdirSync(path.join(SITE, 'tfjs')).filter((f) => f.endsWith('.wasm'))
    : [];

  /** Compiles each tfjs .wasm in the page; returns 'ok' or the error name per file. */
  const compileAll = (page: Page) =>
    page.evaluate(
      async (urls) => {
        const out: string[] = [];
        for (const url of urls) {
          try {
            await WebAssembly.compile(await (await fetch(url)).arrayBuffer());
            out.push('ok');
          } catch (e) {
            out.push((e as Error).name);
          }
        }
        return out;
      },
      wasmFiles.map((f) => new URL(siteURL(`/tfjs/${f}`)).pathname),
    );

  it('lets the tfjs WASM binaries compile ("wasm-unsafe-eval"), which fail without it', async () => {
    expect(wasmFiles.length).toBeGreaterThanOrEqual(3);
    const p = await openUnderCsp('/', { hostHeaders: true });
    try {
      expect(await compileAll(p.page)).toEqual(wasmFiles.map(() => 'ok'));
      await expectClean(p);
    } finally {
      await p.close();
    }
    // A second policy identical but for 'wasm-unsafe-eval' (both policies are enforced).
    const strict = await openUnderCsp('/', {
      extraHeaders: { 'Content-Security-Policy': "script-src 'self'" },
    });
    try {
      expect(await compileAll(strict.page)).toEqual(wasmFiles.map(() => 'CompileError'));
    } finally {
      await strict.close();
    }
  });

  it("needs style-src 'unsafe-inline': a chapter's KaTeX and React style attributes would be blocked", async () => {
    const route = ROUTES.find((r) => r.startsWith('/learn/'))!;
    const p = await openUnderCsp(route, {
      extraHeaders: { 'Content-Security-Policy-Report-Only': "style-src 'self'" },
    });
    try {
      await scrollThrough(p.page);
      const reported = (await p.violations()).filter((v) => v.disposition === 'report');
      const attrs = reported.filter((v) => v.directive === 'style-src-attr').length;
      console.log(
        `${route}: ${reported.length} style violations without 'unsafe-inline' (${attrs} attributes)`,
      );
      expect(attrs).toBeGreaterThan(0);
    } finally {
      await p.close();
    }
  });
});
