/**
 * `npm run bench:race`: how long a class waits, from pressing Play on the race preset (CE against focal loss) in
 * headless Chromium, until the focal-loss run's held-out AP leads the CE run's by more than the seed spread the
 * presets study recorded at that step, and keeps leading so for three evaluations in a row (issue 13, item 5).
 *
 * The spread at an evaluated step s is sd_FL(s) + sd_CE(s), the two runs' AP standard deviations over the
 * study's seeds at s (content/data/presets.json; the same criterion as its "seed bands part"): a lead larger than
 * that is one the seeds would not undo. The page evaluates every 50 steps, as the study did. Reports the wall
 * seconds from the Play click to the first evaluation of the three, and to the third. Builds nothing: run
 * `npm run build` first. Not part of `npm test`; timings include whatever else runs on the machine.
 *
 *   npm run bench:race [-- --preset ce-vs-focal --time-limit 600 --dir out --json]
 *
 * Also counts the page's main-thread long tasks (over 50 ms, the Long Tasks API; ./long-tasks.ts) from Play on:
 * the training runs in a worker, so the page should have none.
 *
 * With --json the last stdout line is `{ seconds, steps, backend, threads, main_thread_long_tasks_while_training,
 * ... }`. Exit codes: 0 the lead was seen, 1 it was not within the time limit (or the page failed), 2 bad command
 * line or no build.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { seedBands, type PresetsFile } from '../lib/playground/presetResults';
import { applyPreset, findPreset, presetQuery } from '../lib/playground/presets';
import { isMain, parseInteger, runMain, splitFlags, UsageError } from './cli-args';
import { LONGTASK_OBSERVER, longTasksBetween } from './long-tasks';
// @ts-expect-error -- plain ESM script without type declarations
import { serveStatic } from './serve.mjs';

const HELP = `Usage: npm run bench:race -- [--preset ce-vs-focal] [--time-limit 600] [--dir out] [--json]\n`;
const HOLD = 3;

interface Args {
  preset: string;
  timeLimit: number;
  dir: string;
  json: boolean;
  help: boolean;
}

function parse(argv: string[]): Args {
  const a: Args = { preset: 'ce-vs-focal', timeLimit: 600, dir: 'out', json: false, help: false };
  for (const [flag, v] of splitFlags(argv, ['--preset', '--time-limit', '--dir'], ['--json', '--help'])) {
    if (flag === '--json') a.json = true;
    else if (flag === '--help') a.help = true;
    else if (flag === '--preset') a.preset = String(v);
    else if (flag === '--time-limit') a.timeLimit = parseInteger(flag, String(v), 10);
    else if (flag === '--dir') a.dir = String(v);
  }
  return a;
}

/** The study's spread sd_FL + sd_CE at each evaluated step of preset `id` (runs `fl` and `ce`). */
function spreadByStep(file: PresetsFile, id: string, fl: number, ce: number): Map<number, number> {
  const p = file.presets.find((x) => x.id === id);
  if (!p || p.results.length === 0) {
    throw new UsageError(
      `content/data/presets.json has no results for "${id}" (npm run ablate -- --presets)`,
    );
  }
  const of = (run: number) => p.results.filter((r) => r.run === run);
  return new Map(seedBands(of(fl), of(ce)).map((b) => [b.step, b.spread]));
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const preset = findPreset(args.preset);
  if (!preset) throw new UsageError(`--preset: no preset "${args.preset}"`);
  if (!fs.existsSync(path.join(args.dir, 'playground', 'index.html'))) {
    throw new UsageError(`no built playground in ${args.dir}/ — run npm run build first`);
  }
  const losses = applyPreset(preset).runs.map((r) => r.loss);
  const fl = losses.indexOf('focal');
  const ce = losses.indexOf('ce');
  if (fl < 0 || ce < 0) {
    throw new UsageError(`--preset: "${args.preset}" does not race focal loss against CE`);
  }
  const file = JSON.parse(fs.readFileSync('content/data/presets.json', 'utf8')) as PresetsFile;
  const spread = spreadByStep(file, preset.id, fl, ce);

  const { server, url } = (await serveStatic({ root: args.dir })) as {
    server: { close(): void };
    url: string;
  };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-background-networking'],
  });
  const evals: { step: number; seconds: number; fl: number; ce: number; spread: number; leads: boolean }[] =
    [];
  let backend = '';
  let threads = 0;
  /** Main-thread tasks over 50 ms from the Play click to the end (the page's load is counted apart). */
  let longTasks = { count: 0, longest_ms: 0, before_play: 0 };
  try {
    const context = await browser.newContext({
      serviceWorkers: 'block',
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    await page.addInitScript(LONGTASK_OBSERVER);
    await page.goto(`${url.replace(/\/$/, '')}/playground/?${presetQuery(preset)}`, { waitUntil: 'load' });
    await page.waitForSelector('[data-action=play]:not([disabled])');
    await page.click('[data-action=play]');
    const t0 = Date.now();
    const playAt = await page.evaluate(() => performance.now());
    while (Date.now() - t0 < args.timeLimit * 1000) {
      await page.waitForTimeout(200);
      const s = await page.evaluate(() => {
        const root = document.querySelector('[data-playground]');
        const board = document.querySelector('[data-eval-step]');
        const ap = [...document.querySelectorAll('.pg-scoreboard tr[data-run]')].map((tr) =>
          Number(tr.querySelector('[data-cell=ap]')?.textContent),
        );
        return {
          phase: root?.getAttribute('data-phase'),
          status: root?.getAttribute('data-status'),
          backend: root?.getAttribute('data-backend') ?? '',
          threads: Number(root?.getAttribute('data-threads')),
          evalStep: Number(board?.getAttribute('data-eval-step') ?? NaN),
          ap,
        };
      });
      backend = s.backend;
      threads = s.threads;
      if (s.phase === 'failed') throw new Error('the playground failed to start');
      if (Number.isFinite(s.evalStep) && evals.at(-1)?.step !== s.evalStep) {
        const lead = (s.ap[fl] - s.ap[ce]) / 100;
        const need = spread.get(s.evalStep) ?? Infinity;
        evals.push({
          step: s.evalStep,
          seconds: (Date.now() - t0) / 1000,
          fl: s.ap[fl],
          ce: s.ap[ce],
          spread: 100 * need,
          leads: lead > need,
        });
        const e = evals.at(-1)!;
        process.stderr.write(
          `  step ${e.step} at ${e.seconds.toFixed(1)} s: FL ${e.fl.toFixed(1)}, CE ${e.ce.toFixed(1)}, ` +
            `spread ${e.spread.toFixed(1)}${e.leads ? '  (FL leads)' : ''}\n`,
        );
        const last = evals.slice(-HOLD);
        if (last.length === HOLD && last.every((x) => x.leads)) break;
      }
      if (s.status === 'done') break;
    }
    const all = await longTasksBetween(page, 0);
    const during = all.filter((t) => t.start >= playAt);
    longTasks = {
      count: during.length,
      longest_ms: Math.round(during.reduce((m, t) => Math.max(m, t.duration), 0)),
      before_play: all.length - during.length,
    };
    await context.close();
  } finally {
    await browser.close();
    server.close();
  }
  const last = evals.slice(-HOLD);
  const held = last.length === HOLD && last.every((x) => x.leads);
  const out = {
    preset: preset.id,
    seconds: held ? last[0].seconds : null,
    seconds_confirmed: held ? last[HOLD - 1].seconds : null,
    steps: held ? last[0].step : null,
    backend,
    threads,
    main_thread_long_tasks_while_training: longTasks,
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown' },
    evals,
  };
  process.stdout.write(
    held
      ? `bench:race: focal loss leads CE beyond the study's seed spread from step ${out.steps}, ` +
          `${out.seconds!.toFixed(1)} s after Play (held for ${HOLD} evaluations, ${out.seconds_confirmed!.toFixed(1)} s); ` +
          `${backend}, ${threads} thread(s)\n`
      : `bench:race: no lead held for ${HOLD} evaluations within ${args.timeLimit} s (${backend}, ${threads} thread(s))\n`,
  );
  process.stdout.write(
    `bench:race: main-thread tasks over 50 ms while training: ${longTasks.count}` +
      (longTasks.count ? `, the longest ${longTasks.longest_ms} ms` : '') +
      ` (${longTasks.before_play} while the page loaded)\n`,
  );
  if (args.json) process.stdout.write(JSON.stringify(out) + '\n');
  return held ? 0 : 1;
}

if (isMain(import.meta.url)) runMain('bench:race', main);
