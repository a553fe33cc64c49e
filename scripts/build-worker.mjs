#!/usr/bin/env node
/**
 * Bundles the playground's training worker (workers/trainer.worker.ts and everything it imports: lib/detector,
 * lib/playground, tfjs-core and its CPU, WASM and WebGL backends) into public/workers/trainer.worker.js, one
 * self-contained ES module the page starts with `new Worker(url, { type: 'module' })`.
 *
 * Why not let Next bundle it: Next 16's Turbopack copies a `new Worker(new URL('…ts', import.meta.url))` target
 * as a raw asset (the .ts source) instead of bundling it, so the worker would not run. A separate esbuild step is
 * also what keeps the training stack out of every page's JavaScript: it loads only when a reader presses Play.
 *
 * Usage: node scripts/build-worker.mjs [--dev]   (--dev: no minification, inline source map)
 * Runs before `next dev` and `next build` (package.json predev/prebuild); public/workers/ is generated.
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');
const outfile = path.join(root, 'public/workers/trainer.worker.js');
mkdirSync(path.dirname(outfile), { recursive: true });

const t0 = Date.now();
await build({
  entryPoints: [path.join(root, 'workers/trainer.worker.ts')],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2020'],
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  legalComments: 'none',
  alias: { '@': root },
  define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
  // The WASM backend's Emscripten glue mentions Node modules behind runtime checks; never taken in a browser.
  external: ['fs', 'path', 'os', 'crypto', 'worker_threads', 'perf_hooks', 'util'],
  logLevel: 'warning',
});
const bytes = statSync(outfile).size;
const gz = gzipSync(readFileSync(outfile)).length;
console.log(
  `build-worker: public/workers/trainer.worker.js ${(bytes / 1024).toFixed(0)} kB (${(gz / 1024).toFixed(0)} kB gzip) in ${Date.now() - t0} ms`,
);
