#!/usr/bin/env node
/**
 * `npm run bench:browser`: the playground's training speed in headless Chromium, per backend, against the built
 * site (issue 13, item 5). For each backend configuration it opens /playground/ with that backend forced in the
 * URL, presses Play, and reads the page's own figure, `data-ms-per-step`: the median compute time of the last 32
 * training steps as the worker measured them (target building, forward, backward, update, readback; no
 * evaluation, views or pacing; lib/playground/model.ts `medianStepMs`), once at batch 16 and once at the
 * playground's default batch. The configurations:
 *
 *   wasm-1        WebAssembly, one thread: the site served without cross-origin isolation (as GitHub Pages
 *                 serves it before its service worker adds the headers), so tfjs loads its single-threaded build;
 *   wasm-threads  WebAssembly with threads: served with COOP/COEP (scripts/serve.mjs), the threaded SIMD build;
 *   webgl         WebGL, whatever GPU Chromium finds (here SwiftShader, a CPU emulation: slow by nature);
 *   webgpu        WebGPU (@tensorflow/tfjs-backend-webgpu), where Chromium grants an adapter; headless Chromium
 *                 without a GPU grants SwiftShader's (a CPU emulation, seconds per step: give it --time-limit).
 *
 * A backend that does not start is reported with the reason the page gives. The last stdout line with --json is
 * `{ machine, backends: { <name>: { threads, crossOriginIsolated, train_ms_per_step_b16,
 * train_ms_per_step_default } } }`. Builds nothing: run `npm run build` first. Timings include whatever else runs
 * on the machine: run it on a quiet one. Not part of `npm test`.
 *
 *   node scripts/bench-browser.mjs [--backends wasm-1,wasm-threads,webgl] [--steps 40] [--dir out] [--json]
 *
 * CHROMIUM_PATH overrides /usr/bin/chromium. Exit codes: 0 measured, 1 a page failed, 2 bad command line or no
 * build.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { serveStatic } from './serve.mjs';

const CONFIGS = {
  'wasm-1': { backend: 'wasm', isolate: false },
  'wasm-threads': { backend: 'wasm', isolate: true },
  webgl: { backend: 'webgl', isolate: true },
  webgpu: { backend: 'webgpu', isolate: true },
};
/** The playground's default batch (lib/playground/schema.ts SHARED_DEFAULTS.batch). */
const DEFAULT_BATCH = 8;

let args;
try {
  args = parseArgs({
    options: {
      backends: { type: 'string', default: 'wasm-1,wasm-threads,webgl,webgpu' },
      steps: { type: 'string', default: '40' },
      dir: { type: 'string', default: 'out' },
      json: { type: 'boolean', default: false },
      'time-limit': { type: 'string', default: '240' },
    },
  }).values;
} catch (e) {
  console.error(`bench-browser: ${e instanceof Error ? e.message : e}`);
  process.exit(2);
}
const names = args.backends.split(',').map((s) => s.trim());
for (const n of names) {
  if (!(n in CONFIGS)) {
    console.error(`bench-browser: unknown backend "${n}" (have: ${Object.keys(CONFIGS).join(', ')})`);
    process.exit(2);
  }
}
const steps = Number(args.steps);
if (!Number.isInteger(steps) || steps < 5 || steps > 1000) {
  console.error('bench-browser: --steps must be an integer 5–1000');
  process.exit(2);
}
const timeLimitMs = 1000 * Number(args['time-limit']);
if (!fs.existsSync(path.join(args.dir, 'playground', 'index.html'))) {
  console.error(`bench-browser: no built playground in ${args.dir}/ — run \`npm run build\` first`);
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    // WebGL on a machine without a GPU: Chromium's software rasteriser, which it only offers when asked.
    '--enable-unsafe-swiftshader',
    // WebGPU in headless Chromium on Linux is behind this switch; without a GPU it may get SwiftShader's Vulkan.
    '--enable-unsafe-webgpu',
    '--disable-background-networking',
  ],
});

/** The playground's state attributes. */
const readState = (page) =>
  page.$eval('[data-playground]', (el) => ({
    phase: el.getAttribute('data-phase'),
    status: el.getAttribute('data-status'),
    step: Number(el.getAttribute('data-step')),
    backend: el.getAttribute('data-backend'),
    threads: Number(el.getAttribute('data-threads')),
    isolated: el.getAttribute('data-isolated'),
    msPerStep: Number(el.getAttribute('data-ms-per-step')),
    text: el.querySelector('[data-backend-label]')?.textContent ?? '',
  }));

/** Trains `steps` steps (after 8 warm-up steps) at `batch` on `backend`; resolves to the page's ms per step. */
async function measure(url, backend, batch) {
  const context = await browser.newContext({
    serviceWorkers: 'block',
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    // Enough planned steps that the lr schedule and the end of training never interfere.
    await page.goto(`${url}/playground/?pg.backend=${backend}&pg.batch=${batch}&pg.steps=5000`, {
      waitUntil: 'load',
    });
    await page.click('[data-action=play]');
    const t0 = Date.now();
    const warm = 8;
    let s = await readState(page);
    // The 32-step median is over steps after the warm-up only when warm + steps ≥ 32 + warm.
    while (s.phase !== 'failed' && s.step < warm + Math.max(steps, 32) && Date.now() - t0 < timeLimitMs) {
      await page.waitForTimeout(500);
      s = await readState(page);
    }
    if (s.phase === 'failed')
      return { error: `the playground failed to start: ${s.text || errors.join('; ')}` };
    if (s.backend !== backend)
      return { error: `asked for ${backend}, the page chose ${s.backend} (${s.text})` };
    if (s.step <= warm) return { error: `fewer than ${warm + 1} steps in ${timeLimitMs / 1000} s` };
    return {
      ms: s.msPerStep,
      steps: s.step,
      threads: s.threads,
      crossOriginIsolated: s.isolated === 'true',
      label: s.text,
    };
  } finally {
    await context.close();
  }
}

const servers = {};
async function urlFor(isolate) {
  servers[isolate] ??= await serveStatic({ root: args.dir, isolate });
  return servers[isolate].url.replace(/\/$/, '');
}

const result = {};
let failed = false;
for (const name of names) {
  const cfg = CONFIGS[name];
  const url = await urlFor(cfg.isolate);
  const b16 = await measure(url, cfg.backend, 16);
  const bDefault = b16.error ? b16 : await measure(url, cfg.backend, DEFAULT_BATCH);
  if (b16.error || bDefault.error) {
    result[name] = { available: false, reason: b16.error ?? bDefault.error };
    console.log(`${name}: not measured: ${result[name].reason}`);
    if (!/chose|failed to start/.test(result[name].reason)) failed = true;
    continue;
  }
  result[name] = {
    threads: b16.threads,
    crossOriginIsolated: b16.crossOriginIsolated,
    train_ms_per_step_b16: b16.ms,
    train_ms_per_step_default: bDefault.ms,
    default_batch: DEFAULT_BATCH,
    label: b16.label,
  };
  console.log(
    `${name}: ${b16.ms.toFixed(1)} ms per step at batch 16, ${bDefault.ms.toFixed(1)} at batch ${DEFAULT_BATCH}; ` +
      `${b16.threads} thread(s), crossOriginIsolated ${b16.crossOriginIsolated} (${b16.label})`,
  );
}
const chromiumVersion = browser.version();
await browser.close();
for (const s of Object.values(servers)) s.server.close();
const cpus = os.cpus();
const machine = {
  cores: cpus.length,
  cpu: cpus[0]?.model ?? 'unknown',
  chromium: chromiumVersion,
  method: `median compute ms of the last 32 training steps (data-ms-per-step) after ≥ 8 warm-up steps, one run (FL γ=2, α=0.25), default design`,
};
if (args.json) console.log(JSON.stringify({ machine, backends: result }));
process.exit(failed ? 1 : 0);
