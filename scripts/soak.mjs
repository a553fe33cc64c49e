#!/usr/bin/env node
/**
 * Soak test: runs the playground in headless Chromium for a while (training, finishing, resetting, training
 * again) and reports the page's JS heap and the worker's tfjs tensor count at the start and at the end, so a
 * leak shows as growth. Needs a built site (`npm run build`).
 *
 * Usage: npm run soak -- [--minutes 10] [--query '?pg.runs=2&…'] [--site out] [--json]
 *   CHROMIUM_PATH overrides /usr/bin/chromium. Exit code 1 when the tensor count grew or the page failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveStatic } from './serve.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const minutes = Number(opt('minutes', '10'));
if (!(minutes > 0)) {
  console.error('soak: --minutes must be a positive number');
  process.exit(2);
}
// Two racing runs, frequent evaluation and views: the paths where a leak would show first.
const query = opt(
  'query',
  '?pg.runs=2&pg.batch=4&pg.steps=300&pg.loss=ce&pg.alpha=none&pg.r2.loss=focal&pg.r2.alpha=0.25',
);
const json = args.includes('--json');
const site = path.resolve(root, opt('site', 'out'));
if (!fs.existsSync(path.join(site, 'playground', 'index.html'))) {
  console.error('soak: no built site with /playground/ in out/ — run `npm run build` first');
  process.exit(2);
}
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const { server, url } = await serveStatic({ root: site, port: 0, basePath: '' });
const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--enable-precise-memory-info'],
});
const errors = [];
let exitCode = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const cdp = await page.context().newCDPSession(page);
  await page.goto(`${url}/playground/${query}`, { waitUntil: 'load' });
  await page.waitForSelector('[data-playground][data-loaded]');

  const data = () => page.$eval('[data-playground]', (e) => ({ ...e.dataset }));
  const waitFor = async (pred, ms) => {
    const t0 = Date.now();
    for (;;) {
      const d = await data();
      if (pred(d)) return d;
      if (Date.now() - t0 > ms) throw new Error(`timed out waiting; state ${JSON.stringify(d)}`);
      await page.waitForTimeout(250);
    }
  };
  const pageHeap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? null;
  };
  /** Pauses, waits for the worker's paused status (which carries its memory), and samples both sides. */
  const sample = async () => {
    if ((await data()).status === 'playing') await page.click('[data-action=play]');
    const d = await waitFor((x) => x.status !== 'playing' && x.status !== 'stepping', 30_000);
    return {
      step: Number(d.step),
      tensors: d.tensors === undefined ? null : Number(d.tensors),
      workerHeapMB: d.workerHeap ? Number(d.workerHeap) / 2 ** 20 : null,
      pageHeapMB: ((await pageHeap()) ?? 0) / 2 ** 20,
    };
  };
  await cdp.send('Performance.enable');

  // Warm up: Adam's moment tensors and every view exist after the first evaluation.
  await page.click('[data-action=play]');
  await waitFor((d) => Number(d.step) >= 60, 180_000);
  const start = await sample();
  const t0 = Date.now();
  let cycles = 0;
  let steps = 0;
  await page.click('[data-action=play]');
  while (Date.now() - t0 < minutes * 60_000) {
    await page.waitForTimeout(2000);
    const d = await data();
    if (d.status === 'done') {
      steps += Number(d.step);
      cycles++;
      await page.click('[data-action=reset]');
      await waitFor((x) => x.step === '0', 30_000);
      await page.click('[data-action=play]');
    } else if (d.phase === 'failed') {
      throw new Error('the trainer failed during the soak');
    }
    if (!json && (Date.now() - t0) % 60_000 < 2000) {
      console.log(
        `soak: ${((Date.now() - t0) / 60_000).toFixed(1)} min, step ${d.step}, ${cycles} runs finished`,
      );
    }
  }
  const end = await sample();
  steps += end.step;
  const report = {
    minutes,
    query,
    backend: (await data()).backend,
    finishedRuns: cycles,
    stepsTrained: steps,
    start,
    end,
    tensorGrowth: end.tensors !== null && start.tensors !== null ? end.tensors - start.tensors : null,
    pageHeapGrowthMB: Number((end.pageHeapMB - start.pageHeapMB).toFixed(2)),
    errors,
  };
  if (json) console.log(JSON.stringify(report));
  else {
    console.log(
      `soak: ${minutes} min on ${report.backend}, ${steps} steps, ${cycles} complete runs\n` +
        `  start: step ${start.step}, ${start.tensors} tensors, page heap ${start.pageHeapMB.toFixed(1)} MB, worker heap ${start.workerHeapMB?.toFixed(1) ?? 'n/a'} MB\n` +
        `  end:   step ${end.step}, ${end.tensors} tensors, page heap ${end.pageHeapMB.toFixed(1)} MB, worker heap ${end.workerHeapMB?.toFixed(1) ?? 'n/a'} MB\n` +
        `  errors: ${errors.length === 0 ? 'none' : errors.join(' | ')}`,
    );
  }
  if (report.tensorGrowth !== 0 || errors.length > 0) exitCode = 1;
} catch (e) {
  console.error(`soak: ${e instanceof Error ? e.message : e}`);
  exitCode = 1;
} finally {
  await browser.close();
  server.close();
}
process.exit(exitCode);
