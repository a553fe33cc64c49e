/**
 * The site built under a base path (NEXT_PUBLIC_BASE_PATH=/focal-lab, as on GitHub Pages) works from a plain static
 * server: one that maps a URL to a file and nothing else (a folder URL gets its index.html; no redirects, no
 * `.html` guessing, no 404 page, no base-path rewriting), unlike scripts/serve.mjs. Every page, stylesheet,
 * KaTeX font, script chunk, RSC payload and tfjs .wasm file must load from under the base path, with no 404 and
 * no request to another origin.
 *
 * Needs a build made by `node scripts/build-basepath.mjs`, which runs this file with BASEPATH_SITE_DIR set
 * (`--test`); without that variable every test here is skipped with a note.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeBrowser, getBrowser } from './harness';
import { builtRoutes } from './routes';

const DIR = process.env.BASEPATH_SITE_DIR ? path.resolve(process.env.BASEPATH_SITE_DIR) : '';
const BASE = (process.env.BASEPATH ?? '/focal-lab').replace(/\/+$/, '');
const SKIP_NOTE =
  'no base-path build: run `node scripts/build-basepath.mjs --test` (it builds into tmp/site-basepath and sets BASEPATH_SITE_DIR)';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** The dumbest useful static server: `${BASE}/a/b/` → DIR/a/b/index.html, `${BASE}/a/b.js` → DIR/a/b.js, else 404. */
function plainServer(root: string, base: string): http.Server {
  return http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const rel = pathname.startsWith(`${base}/`) ? pathname.slice(base.length) : null;
    const file = rel === null ? '' : path.join(root, rel.endsWith('/') ? `${rel}index.html` : rel);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
}

let server: http.Server | null = null;
let origin = '';

beforeAll(async () => {
  if (!DIR) return;
  server = plainServer(DIR, BASE);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(async () => {
  await closeBrowser();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

interface Visit {
  page: Page;
  /** Every request: `status path` (status 0 = failed). */
  log: string[];
  problems(): string[];
  close(): Promise<void>;
}

async function visit(route: string): Promise<Visit> {
  const context = await (await getBrowser()).newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const log: string[] = [];
  const bad: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') bad.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => bad.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (u.startsWith('data:') || u.startsWith('blob:')) return;
    const url = new URL(u);
    if (url.origin !== origin) bad.push(`third-party request: ${u}`);
    else if (!url.pathname.startsWith(`${BASE}/`)) bad.push(`request outside ${BASE}/: ${url.pathname}`);
  });
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    if (why !== 'net::ERR_ABORTED') bad.push(`failed: ${r.url()} (${why})`);
  });
  page.on('response', (r) => {
    log.push(`${r.status()} ${new URL(r.url()).pathname}`);
    if (r.status() >= 400) bad.push(`${r.status()}: ${r.url()}`);
  });
  await page.goto(`${origin}${BASE}${route}`, { waitUntil: 'load' });
  await page.evaluate(async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += 700) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 40));
    }
  });
  await page.waitForLoadState('networkidle');
  return { page, log, problems: () => bad, close: () => context.close() };
}

const routes = DIR ? builtRoutes(DIR) : [];
/**
 * One page of each kind (/, /learn/…, /embed/…, /present/…, /figures/, /playground/ …) is loaded; the static check
 * below reads every page's HTML. The pages of a kind share their layout, chunks and asset URLs, and every page's
 * own checks run once, at the root, in routes.test.ts.
 */
const sampled = routes.filter(
  (r, i) => routes.findIndex((o) => (o.split('/')[1] ?? '') === (r.split('/')[1] ?? '')) === i,
);

describe(`the site built for ${BASE}/ on a plain static server`, () => {
  it('has a base-path build to test', (ctx) => {
    if (!DIR) ctx.skip(true, SKIP_NOTE);
    expect(routes).toContain('/');
    expect(routes.length).toBeGreaterThanOrEqual(7);
  });

  it('links every root-relative URL in every page under the base path', (ctx) => {
    if (!DIR) ctx.skip(true, SKIP_NOTE);
    const outside = routes.flatMap((route) => {
      const html = fs.readFileSync(path.join(DIR, route, 'index.html'), 'utf8');
      const tags = html.match(/<[a-z]+\s[^>]*\b(?:href|src)="\/[^"]*"[^>]*>/gi) ?? [];
      return tags
        .filter(
          (t) =>
            // A preconnect to the origin itself fetches nothing.
            !/\brel="(preconnect|dns-prefetch)"/.test(t) &&
            !/\b(?:href|src)="([^"]*)"/.exec(t)![1].startsWith(`${BASE}/`),
        )
        .map((t) => `${route}: ${t}`);
    });
    expect(outside).toEqual([]);
  });

  for (const route of sampled) {
    it(`${BASE}${route} loads every resource from under ${BASE}/, with no 404`, async (ctx) => {
      if (!DIR) ctx.skip(true, SKIP_NOTE);
      const v = await visit(route);
      try {
        expect(v.problems()).toEqual([]);
        expect((await v.page.locator('h1').first().innerText()).trim()).not.toBe('');
        // Every stylesheet arrived (cssRules of a same-origin sheet that failed to load throws or is empty).
        const sheets = await v.page.evaluate(() =>
          [...document.styleSheets].map((s) => ({ href: s.href, rules: s.cssRules.length })),
        );
        expect(sheets.length).toBeGreaterThan(0);
        for (const s of sheets) expect(s.rules, String(s.href)).toBeGreaterThan(0);
        if (route.startsWith('/learn/')) {
          // KaTeX's CSS and fonts came through the base path: its math font is in use and loaded.
          expect(await v.page.locator('.katex').count()).toBeGreaterThan(0);
          const katexFonts = await v.page.evaluate(async () => {
            await document.fonts.ready;
            return [...document.fonts]
              .filter((f) => f.family.replace(/"/g, '').startsWith('KaTeX') && f.status === 'loaded')
              .map((f) => f.family);
          });
          expect(katexFonts.length).toBeGreaterThan(0);
          expect(v.log.some((l) => /^200 .*\.woff2$/.test(l))).toBe(true);
        }
      } finally {
        await v.close();
      }
    });
  }

  it('navigates client-side between pages (RSC payloads load from under the base path)', async (ctx) => {
    if (!DIR) ctx.skip(true, SKIP_NOTE);
    const v = await visit('/');
    try {
      const link = v.page.locator('.chapter-list a').first();
      const href = (await link.getAttribute('href'))!;
      expect(href.startsWith(`${BASE}/learn/`)).toBe(true);
      await link.click();
      await v.page.waitForURL((u) => u.pathname === href);
      await v.page.locator('article .katex').first().waitFor();
      expect(v.problems()).toEqual([]);
    } finally {
      await v.close();
    }
  });

  it(`serves the tfjs WASM binaries from ${BASE}/tfjs/ as application/wasm`, async (ctx) => {
    if (!DIR) ctx.skip(true, SKIP_NOTE);
    const files = fs.readdirSync(path.join(DIR, 'tfjs')).filter((f) => f.endsWith('.wasm'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    const v = await visit('/');
    try {
      const got = await v.page.evaluate(
        async (urls) =>
          Promise.all(
            urls.map(async (u) => {
              const r = await fetch(u);
              return {
                status: r.status,
                type: r.headers.get('content-type'),
                bytes: (await r.arrayBuffer()).byteLength,
              };
            }),
          ),
        files.map((f) => `${BASE}/tfjs/${f}`),
      );
      expect(got).toEqual(
        files.map((f) => ({
          status: 200,
          type: 'application/wasm',
          bytes: fs.statSync(path.join(DIR, 'tfjs', f)).size,
        })),
      );
    } finally {
      await v.close();
    }
  });

  it('/playground/ trains, loading its worker and tfjs files from under the base path', async (ctx) => {
    if (!DIR) ctx.skip(true, SKIP_NOTE);
    expect(routes, 'the base-path build has /playground/').toContain('/playground/');
    const v = await visit('/playground/?pg.batch=2&pg.steps=40&pg.clutter=none');
    try {
      await v.page.waitForSelector('[data-playground][data-loaded]');
      await v.page.locator('[data-playground] button[data-action="play"]').first().click();
      await v.page.waitForSelector('[data-playground]:not([data-step="0"])', { timeout: 90_000 });
      expect(v.problems()).toEqual([]);
      expect(v.log).toContain(`200 ${BASE}/workers/trainer.worker.js`);
      for (const l of v.log.filter((x) => x.endsWith('.wasm'))) {
        expect(l).toMatch(new RegExp(`^200 ${BASE}/tfjs/`));
      }
    } finally {
      await v.close();
    }
  });

  it('answers 404 for a missing page, and the server maps nothing outside the base path', async (ctx) => {
    if (!DIR) ctx.skip(true, SKIP_NOTE);
    expect((await fetch(`${origin}${BASE}/no-such-page/`)).status).toBe(404);
    expect((await fetch(`${origin}/index.html`)).status).toBe(404);
    expect((await fetch(`${origin}${BASE}/`)).status).toBe(200);
  });
});
