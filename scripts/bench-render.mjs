#!/usr/bin/env node
/**
 * Slider to repaint, for every figure (the site's budget: p95 under 16 ms in headless Chromium, one 60 Hz frame).
 *
 * Serves the exported site, opens each figure alone on its /embed/<id>/ page, and moves every slider of it
 * (each `input[type=range]`, and each custom `[role=slider]` by arrow keys) `--samples` times across its range.
 * For each change it times, inside the page:
 *   - commit: the input event → React has committed the new DOM (synchronous for a discrete input event);
 *   - paint:  the browser's style, layout and paint of the next frame, from that frame's requestAnimationFrame
 *             callback to a message posted from it (a MessageChannel task runs right after the frame renders);
 *   - repaint = commit + paint: the work between the slider moving and the new picture, without the wait for
 *     the next vsync (up to one 16.7 ms frame of idle time that no code of ours can shorten).
 * Prints p95 and median per figure and slider, and exits 1 when any figure's repaint p95 is 16 ms or more.
 * Builds nothing: run `npm run build` first.
 *
 *   node scripts/bench-render.mjs [--samples 200] [--warmup 10] [--figures loss-vs-pt,imbalance] [--dir out]
 *                                 [--cold] [--json]
 *
 * Each page is timed once its service worker is active (the first visit's offline precache is done); --cold
 * times it as soon as the figure has drawn, while that download still runs.
 *
 * CHROMIUM_PATH overrides /usr/bin/chromium. Exit codes: 0 budget met, 1 over budget or a page failed,
 * 2 bad command line or no build. Timings on a shared machine include the neighbours: run it on a quiet one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { serveStatic } from './serve.mjs';

const BUDGET_MS = 16;

let args;
try {
  args = parseArgs({
    options: {
      samples: { type: 'string', default: '200' },
      figures: { type: 'string' },
      dir: { type: 'string', default: 'out' },
      warmup: { type: 'string', default: '10' },
      cold: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  }).values;
} catch (e) {
  console.error(`bench-render: ${e instanceof Error ? e.message : e}`);
  process.exit(2);
}
const samples = Number(args.samples);
if (!Number.isInteger(samples) || samples < 5 || samples > 1000) {
  console.error('bench-render: --samples must be an integer 5–1000');
  process.exit(2);
}
const warmup = Number(args.warmup);
if (!Number.isInteger(warmup) || warmup < 0 || warmup > 1000) {
  console.error('bench-render: --warmup must be an integer 0–1000');
  process.exit(2);
}
const embedDir = path.join(args.dir, 'embed');
if (!fs.existsSync(embedDir)) {
  console.error(
    `bench-render: no built site with /embed/ pages in ${args.dir}/ — run \`npm run build\` first`,
  );
  process.exit(2);
}
// The playground's sliders only change settings (no figure is redrawn from them): not a figure to time.
const all = fs
  .readdirSync(embedDir)
  .filter((d) => fs.existsSync(path.join(embedDir, d, 'index.html')) && d !== 'playground')
  .sort();
const figures = args.figures ? args.figures.split(',').map((s) => s.trim()) : all;
for (const f of figures) {
  if (!all.includes(f)) {
    console.error(`bench-render: no figure "${f}" (have: ${all.join(', ')})`);
    process.exit(2);
  }
}

/**
 * Runs in the page: moves one control `n` times and returns the per-change timings in ms. Kept free of
 * closures over Node values: Playwright serialises it.
 */
async function timeControl({ sel, index, n, WARMUP }) {
  const figure = document.querySelector(sel);
  const control = figure.querySelectorAll('input[type="range"], [role="slider"]:not(input)')[index];
  const afterFrame = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const raf = performance.now();
        const ch = new MessageChannel();
        ch.port1.onmessage = () => resolve({ raf, done: performance.now() });
        ch.port2.postMessage(0);
      }),
    );
  const out = { name: '', commit: [], paint: [], repaint: [] };
  let move;
  if (control instanceof HTMLInputElement) {
    out.name = control.dataset.param ?? control.name ?? `range ${index}`;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    const min = Number(control.min || 0);
    const max = Number(control.max || 100);
    const step = control.step === 'any' || !control.step ? (max - min) / 100 : Number(control.step);
    const stops = Math.max(2, Math.round((max - min) / step));
    move = (k) => {
      // A stride co-prime with most stop counts walks the whole range, so no value repeats back to back.
      const v = min + ((k * 7 + 3) % (stops + 1)) * step;
      setValue.call(control, String(Math.min(max, v)));
      control.dispatchEvent(new Event('input', { bubbles: true }));
    };
  } else {
    out.name = control.getAttribute('aria-label') ?? `slider ${index}`;
    move = (k) => {
      const key = Math.floor(k / 5) % 2 === 0 ? 'ArrowRight' : 'ArrowLeft';
      control.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    };
  }
  // Warm-up, not recorded: the first changes of a control pay for JIT compilation and first-use allocations
  // (tfjs kernels, D3 scales), which a reader's first drag pays once; the budget is about dragging.
  for (let k = 0; k < WARMUP; k++) {
    move(n + k);
    await afterFrame();
  }
  for (let k = 0; k < n; k++) {
    const t0 = performance.now();
    move(k);
    await Promise.resolve();
    const commit = performance.now() - t0;
    const f = await afterFrame();
    const paint = f.done - f.raf;
    out.commit.push(commit);
    out.paint.push(paint);
    out.repaint.push(commit + paint);
  }
  return out;
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

const { server, url } = await serveStatic({ root: args.dir });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
});
const rows = [];
let failed = 0;
try {
  for (const id of figures) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${url}/embed/${id}/`, { waitUntil: 'load' });
      const sel = `[data-figure="${id}"]`;
      // Drawn: a figure that computes says so (data-compute-ms); one drawn from static data (content/data/) has
      // no computation to report, so its plot being there is enough.
      await page.waitForSelector(`${sel}[data-compute-ms], ${sel} svg [data-series], ${sel} svg path`, {
        state: 'attached', // a flat mark (a horizontal line) has an empty box, which Playwright calls hidden
        timeout: 30_000,
      });
      if (!args.cold) {
        // A first visit precaches the whole site for offline use in the background (~7 MB, a few seconds of
        // network and CPU): wait for the service worker to be active, so the figures are timed, not the install.
        await page.evaluate(() =>
          'serviceWorker' in navigator
            ? Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(r, 30_000))])
            : null,
        );
        await page.waitForTimeout(500);
      }
      const count = await page.locator(`${sel} :is(input[type="range"], [role="slider"]:not(input))`).count();
      if (count === 0) {
        // Nothing moves it (its controls are choices, not sliders): no repaint to time, not a failure.
        console.log(`[render] ${id}: no slider, nothing to time`);
        continue;
      }
      for (let index = 0; index < count; index++) {
        const r = await page.evaluate(timeControl, { sel, index, n: samples, WARMUP: warmup });
        rows.push({
          figure: id,
          control: r.name,
          commitP95: quantile(r.commit, 0.95),
          paintP95: quantile(r.paint, 0.95),
          repaintP95: quantile(r.repaint, 0.95),
          repaintMedian: quantile(r.repaint, 0.5),
        });
      }
      if (errors.length) throw new Error(errors.join('; '));
    } catch (e) {
      failed++;
      console.error(`[render] ${id}: ${e instanceof Error ? e.message : e}`);
    } finally {
      await page.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}

const f1 = (x) => x.toFixed(1).padStart(6);
console.log(
  `[render] ${samples} changes per slider after ${warmup} unrecorded; ms; repaint = input→commit + next frame's style/layout/paint`,
);
console.log('figure              slider                    commit p95  paint p95  repaint p95  median');
for (const r of rows) {
  console.log(
    `${r.figure.padEnd(19)} ${String(r.control).slice(0, 24).padEnd(25)} ${f1(r.commitP95)}     ${f1(r.paintP95)}    ${f1(r.repaintP95)}     ${f1(r.repaintMedian)}` +
      (r.repaintP95 >= BUDGET_MS ? '  over budget' : ''),
  );
}
const worst = new Map();
for (const r of rows) worst.set(r.figure, Math.max(worst.get(r.figure) ?? 0, r.repaintP95));
for (const [id, ms] of worst) console.log(`[render] ${id}: worst slider repaint p95 ${ms.toFixed(1)} ms`);
if (args.json) console.log(JSON.stringify({ samples, budgetMs: BUDGET_MS, rows }, null, 1));
const over = [...worst.values()].filter((ms) => ms >= BUDGET_MS).length;
if (over || failed) {
  console.error(`[render] ${over} figure(s) over the ${BUDGET_MS} ms budget, ${failed} failed`);
  process.exit(1);
}
console.log(`[render] every figure repaints within ${BUDGET_MS} ms at p95`);
