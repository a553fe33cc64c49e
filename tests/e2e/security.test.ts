/**
 * The exported site under its Content Security Policy (scripts/csp.mjs, run after every build): every page
 * carries the policy in a <meta>, _headers sends the same policy as HTTP headers (what Netlify / Cloudflare
 * Pages would send), the policy is enforced, and each exception in it is needed. That every route runs under
 * both policies with no violation, no console error and no third-party request is checked by routes.test.ts,
 * which visits each page once (crawlRoute in ./crawl.ts); here: client-side navigation and training.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, siteURL } from './harness';
import { hostHeadersFor, openWatched, scrollThrough, type WatchedPage } from './crawl';
import { builtRoutes, siteDir } from './routes';
// @ts-expect-error -- plain ESM script without type declarations
import { inlineScriptHashes } from '../../scripts/csp.mjs';
import { itFull } from './tier';

afterAll(closeBrowser);

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

/** The policy of the <meta> in a built page's HTML. */
function metaPolicy(html: string): string | null {
  return /<meta http-equiv="Content-Security-Policy" content="([^"]*)"\/?>/.exec(html)?.[1] ?? null;
}

async function expectClean(p: WatchedPage): Promise<void> {
  expect(await p.violations()).toEqual([]);
  expect(p.cspConsole).toEqual([]);
  expect(p.errors).toEqual([]);
  expect(p.externalRequests).toEqual([]);
  expect(p.failedRequests).toEqual([]);
}

describe('the built pages', () => {
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

describe('pages under the policy', () => {
  it('client-side navigation (RSC payload fetches) stays within the policy', async () => {
    const p = await openWatched('/', { hostHeaders: true });
    try {
      const link = p.page.locator('.chapter-list a').first();
      const href = await link.getAttribute('href');
      await link.click();
      await p.page.waitForURL((u) => u.pathname === href);
      await p.page.locator('article .katex').first().waitFor();
      await scrollThrough(p.page, () => p.quiet());
      await expectClean(p);
    } finally {
      await p.close();
    }
  });

  itFull('/playground/ trains under the policy (module worker, tfjs backend in the worker)', async () => {
    expect(ROUTES, 'the build has /playground/').toContain('/playground/');
    const p = await openWatched('/playground/?pg.batch=2&pg.steps=40&pg.clutter=none', {
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
    const p = await openWatched('/');
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
    const p = await openWatched('/');
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
    const p = await openWatched('/', { hostHeaders: true });
    try {
      expect(await compileAll(p.page)).toEqual(wasmFiles.map(() => 'ok'));
      await expectClean(p);
    } finally {
      await p.close();
    }
    // A second policy identical but for 'wasm-unsafe-eval' (both policies are enforced).
    const strict = await openWatched('/', {
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
    const p = await openWatched(route, {
      extraHeaders: { 'Content-Security-Policy-Report-Only': "style-src 'self'" },
    });
    try {
      await scrollThrough(p.page, () => p.quiet());
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
