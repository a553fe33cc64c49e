/**
 * `npm run ablate -- --presets`: trains every playground preset (lib/playground/presets.ts) as the playground
 * does — its own batch size, step budget, data and anchors, every run of a preset on the same batches from the
 * same initial weights — over several seeds, measures AP on the held-out test split every `eval_every` steps,
 * and writes content/data/presets.json (schema: lib/playground/presetResults.ts), from which the preset
 * explanations and reveals are rendered. One child process per (preset, seed, run), scheduled by ./ablate-pool.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ABLATION_BUDGET, ABLATION_SEEDS } from '../lib/detector/ablation';
import { DEFAULT_COST } from '../lib/detector/ablationCost';
import { heldOutRange, makeRangeSet, type EvalSplit } from '../lib/detector/splits';
import { sessionConfigFromState, trainConfigOfRun } from '../lib/playground/config';
import type { PresetRunResult, PresetsFile, PresetStudy } from '../lib/playground/presetResults';
import { applyPreset, PRESETS } from '../lib/playground/presets';
import { emit, runPool } from './ablate-pool';
import type { AblateArgs } from './ablate';
import { UsageError } from './cli-args';
import { formatDuration } from './cli-progress';

/** The published presets file. */
export const PRESETS_OUT = 'content/data/presets.json';
/** AP is measured every this many steps (the playground's own `evalEvery`) and after the last step. */
export const PRESET_EVAL_EVERY = 50;

/** One child's work: run `run` of preset `preset` with `seed`. `steps`/`batch` override the preset's (tests). */
export interface PresetJob {
  preset: string;
  seed: number;
  run: number;
  evalSplit: EvalSplit;
  evalImages: number;
  steps?: number;
  batch?: number;
  /** The warm-start file a preset with `pretrained` starts from (default: the study's, public/models/). */
  warmStart?: string;
}

/** The playground's session config of a job (the preset's state, with the job's seed and overrides). */
function sessionOf(job: PresetJob) {
  const preset = PRESETS.find((p) => p.id === job.preset);
  if (!preset) throw new UsageError(`presets: unknown preset '${job.preset}'`);
  const state = applyPreset(preset);
  state.shared = {
    ...state.shared,
    seed: job.seed,
    ...(job.steps ? { steps: job.steps } : {}),
    ...(job.batch ? { batch: job.batch } : {}),
  };
  return { preset, cfg: sessionConfigFromState(state) };
}

/**
 * What a job trains, independent of which preset asks: two presets' runs with the same key (the paper's FL run
 * appears in six presets) are the same computation — same seed, batches, initial weights, loss and evaluation —
 * so the study trains each key once and files its result under every (preset, run) that has it. The run's label
 * and the reporting views do not change the training and are left out.
 */
export function trainingKey(job: PresetJob): string {
  const { cfg } = sessionOf(job);
  const { label: _label, ...run } = cfg.runs[job.run];
  const { runs: _runs, views: _views, ...shared } = cfg;
  return JSON.stringify({
    run,
    shared,
    evalSplit: job.evalSplit,
    evalImages: job.evalImages,
    warmStart: job.warmStart ?? null,
  });
}

/** Steps at which a run of `steps` steps is evaluated: every PRESET_EVAL_EVERY, and the last. */
export function evalSteps(steps: number): number[] {
  const out: number[] = [];
  for (let s = PRESET_EVAL_EVERY; s < steps; s += PRESET_EVAL_EVERY) out.push(s);
  out.push(steps);
  return out;
}

/** Child: trains one (preset, seed, run) and prints its PresetRunResult. */
export async function runPresetWorker(job: PresetJob): Promise<number> {
  const { ensureBackend } = await import('../lib/tf/backend');
  const { createTrainer, trainingBatch } = await import('../lib/detector/train');
  const { evaluate } = await import('../lib/detector/infer');
  const { parseWarmStart } = await import('../lib/detector/warmStart');
  await ensureBackend('wasm'); // with the gradient kernels WASM lacks
  const { cfg } = sessionOf(job);
  const data = { ...cfg.data, imageSize: cfg.imageSize };
  // As the playground: the warm start only where the preset asks for pretrained weights.
  const warmStart = cfg.pretrained
    ? parseWarmStart(fs.readFileSync(job.warmStart ?? ABLATION_BUDGET.warmStart))
    : null;
  const trainer = createTrainer(trainConfigOfRun(cfg, cfg.runs[job.run], warmStart));
  const evalSet = makeRangeSet(heldOutRange(job.evalSplit, job.evalImages), data);
  const at = new Set(evalSteps(cfg.steps));
  const steps: number[] = [];
  const ap: number[] = [];
  let diverged = false;
  for (let i = 0; i < cfg.steps && !diverged; i++) {
    const s = trainer.step(trainingBatch(cfg.seed, i, cfg.batchSize, data));
    diverged = !Number.isFinite(s.total);
    if (at.has(i + 1) || diverged) {
      steps.push(i + 1);
      ap.push(evaluate(trainer.model, evalSet, { anchors: trainer.anchors }).ap);
      emit({ type: 'progress', step: i + 1, steps: cfg.steps, loss: s.total });
    }
  }
  trainer.dispose();
  const result: PresetRunResult = {
    run: job.run,
    seed: job.seed,
    steps,
    ap,
    final_ap: ap[ap.length - 1],
    diverged,
  };
  emit({ type: 'result', result: { key: JSON.stringify(job), preset: job.preset, ...result } });
  return 0;
}

/** Estimated seconds of a job on the study's cost model (lib/detector/ablation `DEFAULT_COST`). */
function estimateJobSeconds(job: PresetJob): number {
  const { cfg } = sessionOf(job);
  const c = DEFAULT_COST;
  const perStep = ((c.msPerStep + c.dataMsPerStep) * cfg.batchSize * c.margin) / 16;
  return (
    (c.startupMs + cfg.steps * perStep + evalSteps(cfg.steps).length * job.evalImages * c.evalMsPerImage) /
    1000
  );
}

/** Parent: plans, runs and writes the presets study. */
export async function runPresets(args: AblateArgs, script: string): Promise<number> {
  const overrides = {
    ...(args.stepsGiven ? { steps: args.steps } : {}),
    ...(args.batchGiven ? { batch: args.batch } : {}),
    ...(args.warmStart ? { warmStart: args.warmStart } : {}),
  };
  if (path.resolve(args.out) === path.resolve(PRESETS_OUT)) {
    // The published file only from the presets as they are, on the test split, with ≥ 5 seeds.
    if (
      args.stepsGiven ||
      args.batchGiven ||
      args.evalSplit !== 'test' ||
      args.seeds.length < ABLATION_SEEDS.length
    ) {
      throw new UsageError(
        `${PRESETS_OUT} is written only from the presets' own steps and batch, the test split and at least ` +
          `${ABLATION_SEEDS.length} seeds; pass --out <path> for anything else`,
      );
    }
  }
  const presets = args.only ? PRESETS.filter((p) => args.only!.includes(p.id)) : [...PRESETS];
  if (args.only && presets.length !== args.only.length) {
    throw new UsageError(`--only: known presets are ${PRESETS.map((p) => p.id).join(', ')}`);
  }
  const jobs: PresetJob[] = args.seeds.flatMap((seed) =>
    presets.flatMap((p) =>
      p.runs.map((_, run) => ({
        preset: p.id,
        seed,
        run,
        evalSplit: args.evalSplit,
        evalImages: args.evalImages,
        ...overrides,
      })),
    ),
  );
  // One training per distinct key (see trainingKey); `results` is keyed by it.
  const keyOf = trainingKey;
  const unique = [...new Map(jobs.map((j) => [keyOf(j), j])).values()];
  const results = new Map<string, PresetRunResult & { key: string; preset: string }>();
  if (args.resume && fs.existsSync(args.partial)) {
    const wanted = new Set(unique.map(keyOf));
    for (const line of fs.readFileSync(args.partial, 'utf8').split('\n')) {
      try {
        const r = JSON.parse(line) as PresetRunResult & { key: string; preset: string };
        if (wanted.has(r.key)) results.set(r.key, r);
      } catch {
        // a line cut by an interruption: that run is redone
      }
    }
  }
  const todo = unique.filter((j) => !results.has(keyOf(j)));
  const free = new Array<number>(Math.max(1, args.jobs)).fill(0);
  for (const j of todo) free[free.indexOf(Math.min(...free))] += estimateJobSeconds(j);
  const estimate = Math.max(...free);
  process.stdout.write(
    `Presets plan: ${presets.map((p) => `${p.id} (${p.runs.length} runs)`).join(', ')} × seeds ${args.seeds.join(',')} = ` +
      `${jobs.length} runs, ${unique.length} distinct (${todo.length} to train); AP on ${args.evalImages} ${args.evalSplit} images every ` +
      `${PRESET_EVAL_EVERY} steps; estimated ${formatDuration(estimate)} with ${args.jobs} job(s)\n`,
  );
  if (args.dryRun) return 0;
  fs.mkdirSync(path.dirname(path.resolve(args.partial)), { recursive: true });
  if (!args.resume && fs.existsSync(args.partial)) fs.renameSync(args.partial, `${args.partial}.prev`);
  if (args.resume)
    fs.writeFileSync(args.partial, [...results.values()].map((r) => JSON.stringify(r) + '\n').join(''));
  const t0 = performance.now();
  const failures: { preset: string; seed: number; run: number; error: string }[] = [];
  const { interrupted } = await runPool(todo, {
    jobs: args.jobs,
    total: unique.length,
    done: unique.length - todo.length,
    label: 'presets',
    script,
    name: (j) => `${j.preset}/${j.run}#${j.seed}`,
    argv: (j) => ['--preset-worker', JSON.stringify(j)],
    onResult: (j, result, log) => {
      const r = result as PresetRunResult & { key: string; preset: string };
      r.key = keyOf(j);
      results.set(r.key, r);
      fs.appendFileSync(args.partial, JSON.stringify(r) + '\n');
      log(`  done ${j.preset} run ${j.run + 1} seed ${j.seed}: AP ${(100 * r.final_ap).toFixed(1)}`);
    },
    onFailure: (j, error) => failures.push({ preset: j.preset, seed: j.seed, run: j.run, error }),
  });
  if (interrupted) {
    process.stderr.write(
      `\npresets: interrupted; finished runs are in ${args.partial} — continue with --resume\n`,
    );
    return 130;
  }
  const studies: PresetStudy[] = presets.map((p) => {
    const { cfg } = sessionOf({ ...jobs[0], preset: p.id, seed: 0, run: 0 });
    return {
      id: p.id,
      label: p.label,
      batch: cfg.batchSize,
      steps: cfg.steps,
      eval_every: PRESET_EVAL_EVERY,
      runs: cfg.runs,
      results: jobs
        .filter((j) => j.preset === p.id)
        .flatMap((j) => {
          const r = results.get(keyOf(j));
          return r ? [{ ...r, run: j.run, seed: j.seed }] : [];
        })
        .map(({ run, seed, steps, ap, final_ap, diverged }) => ({
          run,
          seed,
          steps,
          ap,
          final_ap,
          diverged,
        })),
    };
  });
  const file: PresetsFile & { failures: typeof failures; wall_seconds: number } = {
    command: ['npm run ablate', '--', ...process.argv.slice(2)].join(' '),
    date: new Date().toISOString(),
    seeds: args.seeds,
    held_out: { split: args.evalSplit, images: args.evalImages },
    presets: studies,
    failures,
    wall_seconds: Math.round((performance.now() - t0) / 1000),
  };
  fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify(file, null, 2) + '\n');
  process.stdout.write(`Wrote ${args.out} (${results.size} runs, ${failures.length} failed)\n`);
  return failures.length > 0 ? 1 : 0;
}
