#!/usr/bin/env node
/**
 * Writes out/sw.js, the service worker that keeps Focal Lab working offline once it has been loaded (a classroom
 * with flaky Wi-Fi, a laptop on a train). Runs after `next build` and scripts/csp.mjs (package.json postbuild),
 * so the pages it lists are the ones readers get.
 *
 * How: esbuild bundles workers/service-worker.ts (its strategies and Workbox's precaching), then Workbox's
 * `injectManifest` writes the precache list into it with one revision per file, an MD5 of its content. A
 * returning reader's browser downloads only the files whose revision changed, not the whole site (before: one
 * version hash over all files, so every deploy re-downloaded ~7 MB). Files under _next/static/ carry a content
 * hash in their name and get no revision, as Workbox does by default for such URLs.
 *
 * What it precaches (listed from the built files, so nothing is forgotten when a page is added): every page
 * of the course (not the one-figure /embed/ and /present/ pages, which are cached when visited), every JS and
 * CSS chunk, the KaTeX fonts in woff2 (the format every browser that has service workers uses), the training
 * worker and the WebAssembly binaries the WASM backend loads (plain, SIMD, and threaded SIMD for
 * cross-origin-isolated pages). Pages are listed under their folder URL (/learn/x/), the URL readers and links
 * use, with the base path (NEXT_PUBLIC_BASE_PATH) in front.
 *
 * Usage: node scripts/build-sw.mjs [site-folder]   (default out/; base path from NEXT_PUBLIC_BASE_PATH)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { injectManifest } from 'workbox-build';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Whether the built file `f` (relative to the site, '/'-separated) is precached at install. */
export function isPrecached(f) {
  if (f.endsWith('index.html')) return !/^(embed|present)\//.test(f) && !/^(404|_not-found)\//.test(f);
  if (f.startsWith('_next/static/')) return /\.(js|css|woff2)$/.test(f);
  if (f === 'workers/trainer.worker.js') return true;
  // SIMD is what current browsers load, threaded SIMD on cross-origin-isolated pages, the plain one without SIMD.
  if (/^tfjs\/tfjs-backend-wasm(-simd|-threaded-simd)?\.wasm$/.test(f)) return true;
  return f === 'icon.svg';
}

/** The URL a precached file is requested by: pages by their folder, everything under the base path. */
export function precacheUrl(f, basePath = '') {
  return `${basePath}/${f.endsWith('index.html') ? f.slice(0, -'index.html'.length) : f}`;
}

/**
 * Bundles the worker and writes `<site>/sw.js` with its precache manifest.
 * @param {{ site: string, basePath?: string }} opts
 * @returns {Promise<{ manifest: { url: string, revision: string | null }[], bytes: number, warnings: string[] }>}
 */
export async function buildServiceWorker({ site, basePath = '' }) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'focal-sw-'));
  const swSrc = path.join(tmp, 'sw.js');
  try {
    await build({
      entryPoints: [path.join(root, 'workers/service-worker.ts')],
      outfile: swSrc,
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: ['es2020'],
      minify: true,
      legalComments: 'none',
      // Workbox logs only in development builds.
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'warning',
    });
    let manifest = [];
    const { size, warnings } = await injectManifest({
      swSrc,
      swDest: path.join(site, 'sw.js'),
      globDirectory: site,
      globPatterns: ['**/*'],
      globIgnores: ['sw.js'],
      // The wasm binaries are ~0.3–0.5 MB; nothing precached comes near this.
      maximumFileSizeToCacheInBytes: 16 * 2 ** 20,
      dontCacheBustURLsMatching: /^_next\/static\//,
      manifestTransforms: [
        (entries) => {
          manifest = entries
            .filter((e) => isPrecached(e.url))
            .map((e) => ({ ...e, url: precacheUrl(e.url, basePath) }));
          return { manifest, warnings: [] };
        },
      ],
    });
    return { manifest, bytes: size, warnings };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const site = path.resolve(root, process.argv[2] ?? 'out');
  const basePath = (process.env.NEXT_PUBLIC_BASE_PATH ?? '').replace(/\/+$/, '');
  if (!fs.existsSync(path.join(site, 'index.html'))) {
    console.error(`build-sw: no built site in ${site}`);
    process.exit(1);
  }
  const { manifest, bytes, warnings } = await buildServiceWorker({ site, basePath });
  for (const w of warnings) console.warn(`build-sw: warning: ${w}`);
  const revised = manifest.filter((e) => e.revision).length;
  console.log(
    `build-sw: ${path.relative(root, site)}/sw.js precaches ${manifest.length} files (${(bytes / 2 ** 20).toFixed(1)} MB), ` +
      `${revised} with their own revision, ${manifest.length - revised} content-hashed`,
  );
}
