/**
 * The ablation study: trains every configuration of lib/detector/ablation.ts over several seeds at one equal
 * budget, in parallel child processes, and writes content/data/ablation.json plus Markdown tables.
 *
 *   npm run ablate [-- --jobs 2 --steps 700 --seeds 0,1,2 --only fl-g2,ce --resume --dry-run]
 *
 * Each (configuration, seed) runs in its own Node process (this script with `--worker`), which trains on the
 * WASM backend and prints JSON lines (progress, then the result) on stdout; a crash in one run is reported and
 * the study goes on. Finished runs are appended to a partial-results file as they complete, so an interrupted
 * study continues with `--resume`. Progress goes to stderr; tables to stdout.
 * Exit codes: 0 ok, 1 some run failed (the output is still written, failures listed), 2 bad command line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA_DEFAULTS } from '../lib/data/synthetic';
import type { Fig4Result } from '../lib/metrics/fig4';
import {
  ABLATION_BUDGET,
  ABLATION_SEEDS,
  allConfigs,
  configAtLevel,
  GRID_ALPHAS,
  GRID_GAMMAS,
  planConfigs,
  planProtocol,
  QUICK_SEEDS,
  type PlanId,
  FIG4_CONFIGS,
  FIG4_SEED,
  IMBALANCE_LEVELS,
  levelOf,
  planRuns,
  runKey,
  selectConfigs,
  SWEEP_ALPHA,
  SWEEP_GAMMAS,
  type RunSpec,
  type StudyBudget,
} from '../lib/detector/ablation';
import { estimatePlanSeconds, estimateRunSeconds } from '../lib/detector/ablationCost';
import {
  heldOutRange,
  makeRangeSet,
  MAX_EVAL_IMAGES,
  MAX_STUDY_SEED,
  TEST_START,
  type EvalSplit,
} from '../lib/detector/splits';
import {
  aggregateResults,
  markdownSweepTable,
  summariseGrid,
  summariseSplit,
  withPairedDifferences,
  markdownTable,
  summariseSweep,
  type RunFailure,
  type RunResult,
} from '../lib/detector/ablationResults';
import {
  isMain,
  parseChoice,
  parseInteger,
  parseNameList,
  parseSeedList,
  runMain,
  splitFlags,
  UsageError,
} from './cli-args';
import { emit, runPool } from './ablate-pool';
import { PRESETS_OUT, runPresets, runPresetWorker, type PresetJob } from './ablate-presets';
import { formatDuration } from './cli-progress';

const SCRIPT = fileURLToPath(import.meta.url);
const DEFAULT_OUT = 'content/data/ablation.json';

export interface AblateArgs {
  steps: number;
  batch: number;
  seeds: number[];
  only: string[] | null;
  out: string;
  /** Partial-results file; default `.ablate/<basename of out>.partial.jsonl`. */
  partial: string;
  jobs: number;
  evalImages: number;
  resume: boolean;
  dryRun: boolean;
  help: boolean;
  /** Which plan (lib/detector/ablation `PlanId`): --prior, --grid, --sweep, --quick, else 'default'. */
  plan: PlanId;
  /** Whether --steps / --batch were given (the presets keep their own unless told). */
  stepsGiven: boolean;
  batchGiven: boolean;
  /** --presets: run the playground presets instead (scripts/ablate-presets.ts). */
  presets: boolean;
  /** Held-out set the runs are scored on (--split; default from the plan). */
  evalSplit: EvalSplit;
  /** --warm-start <file>: backbone + FPN from a file of `npm run pretext`; null = from scratch. */
  warmStart: string | null;
  /** --level <id>: the plan's configurations at this level of lib/detector/ablation IMBALANCE_LEVELS. */
  level: string;
}

/** Where a --quick plan writes unless told otherwise: never the published file. */
export const QUICK_OUT = 'content/data/ablation.quick.json';

export const ABLATE_HELP = `Usage: npm run ablate -- [options]
   or: npx tsx --import ./scripts/node/register.mjs scripts/ablate.ts [options]

Trains the configurations of a plan of the ablation study (lib/detector/ablation.ts) over each seed at one
equal budget, evaluates COCO AP / AP50 / AP75 / AR@100 on a held-out set, and writes ${DEFAULT_OUT}
(per-seed values, mean ± sample std, paired differences against the baselines, the γ × α grid, the imbalance
sweep, the split sizes and the Figure 4 statistic) plus Markdown tables on stdout. Every configuration and
every seed is reported, failures included.

Protocol: each run trains on its own seed's stream; 'val' (images 0… of the 'eval' split of dataset 0) is for
every design choice, 'test' (images ${TEST_START}… of that split) only for the reported numbers; the sets share no
image with each other or with the warm-start pretext (lib/detector/ablation heldOutRange, trainRange).

Plans (each fits 90 minutes on 2 cores with --jobs 2; they share the partial-results file, so run the
default first and the others with --resume to gather everything into one ${DEFAULT_OUT}):
  (default)  the ${planConfigs('default').length} main configurations × ${ABLATION_SEEDS.length} seeds, test split
  --prior    the ${planConfigs('prior').length} main configurations without the prior init (§4.1) × ${ABLATION_SEEDS.length} seeds, test split
  --grid     the γ × α grid (γ ${GRID_GAMMAS.join(', ')} × α ${GRID_ALPHAS.join(', ')}) × ${ABLATION_SEEDS.length} seeds, test split: its
             ${planConfigs('grid').length} cells that are not main configurations (α = 0.25 and CE α = 0.75 come from the default)
  --sweep    the imbalance sweep's other levels × ${ABLATION_SEEDS.length} seeds, test split
  --quick    the main configurations × ${QUICK_SEEDS.length} seeds on the validation split, for iteration; writes
             ${QUICK_OUT} (never ${DEFAULT_OUT})
  --presets  every playground preset at its own batch and steps (scripts/ablate-presets.ts), writes
             content/data/presets.json
${DEFAULT_OUT} is written only from the test split with at least ${ABLATION_SEEDS.length} seeds.

Options:
  --steps <n>        training steps per run (default ${ABLATION_BUDGET.steps})
  --batch <n>        images per step (default ${ABLATION_BUDGET.batch})
  --seeds <list>     comma-separated seeds (default ${ABLATION_SEEDS.join(',')})
  --only <list>      comma-separated configuration names of any plan; a trailing * matches a prefix
                     ('objects3-*') (default: the plan's; --dry-run lists the names); with --presets, preset ids
  --eval-images <n>  held-out images per evaluation (default ${ABLATION_BUDGET.evalImages})
  --jobs <n>         parallel training processes (default 2)
  --out <path>       output JSON (default ${DEFAULT_OUT})
  --partial <path>   partial-results file, one JSON line per finished run
                     (default .ablate/<name of --out>.partial.jsonl)
  --resume           reuse the finished runs in the partial-results file that match this plan
                     (without it an existing partial file is moved to <file>.prev)
  --split <val|test> held-out set to score on (default: test; val with --quick)
  --warm-start <f>   start backbone + FPN from a file of npm run pretext (heads fresh, prior init)
                     (default ${ABLATION_BUDGET.warmStart})
  --from-scratch     no warm start: every weight from the run's seed
  --level <id>       train the plan's configurations at another data and anchor design:
                     ${IMBALANCE_LEVELS.map((l) => l.id).join(', ')} (default: default); names get the id in front
  --prior, --grid, --sweep, --quick, --presets   choose a plan (see above)
  --dry-run          print the plan and the estimated time, train nothing
  --help, -h         show this help
`;

/** Parses argv (without node and script); throws UsageError on a bad flag or value. */
export function parseAblateArgs(argv: string[]): AblateArgs {
  const a: AblateArgs = {
    steps: ABLATION_BUDGET.steps,
    batch: ABLATION_BUDGET.batch,
    seeds: [...ABLATION_SEEDS],
    only: null,
    out: DEFAULT_OUT,
    partial: '',
    jobs: 2,
    evalImages: ABLATION_BUDGET.evalImages,
    resume: false,
    dryRun: false,
    help: false,
    plan: 'default',
    stepsGiven: false,
    batchGiven: false,
    presets: false,
    evalSplit: 'test',
    warmStart: ABLATION_BUDGET.warmStart,
    level: 'default',
  };
  const flags = splitFlags(
    argv,
    [
      '--steps',
      '--batch',
      '--seeds',
      '--only',
      '--out',
      '--partial',
      '--jobs',
      '--eval-images',
      '--split',
      '--warm-start',
      '--level',
    ],
    [
      '--help',
      '--resume',
      '--dry-run',
      '--prior',
      '--grid',
      '--sweep',
      '--quick',
      '--presets',
      '--from-scratch',
    ],
  );
  const plans = flags.filter(
    ([f, v]) => v === true && ['--prior', '--grid', '--sweep', '--quick'].includes(f),
  );
  if (plans.length > 1) throw new UsageError(`choose one plan, got ${plans.map(([f]) => f).join(' and ')}`);
  if (plans.length === 1) a.plan = plans[0][0].slice(2) as PlanId;
  const protocol = planProtocol(a.plan);
  a.seeds = protocol.seeds;
  a.evalSplit = protocol.evalSplit;
  let outGiven = false;
  for (const [flag, v] of flags) {
    if (v === true) {
      if (flag === '--help') a.help = true;
      else if (flag === '--resume') a.resume = true;
      else if (flag === '--dry-run') a.dryRun = true;
      else if (flag === '--presets') a.presets = true;
      else if (flag === '--from-scratch') a.warmStart = null;
      continue;
    }
    switch (flag) {
      case '--steps':
        a.steps = parseInteger(flag, v, 1);
        a.stepsGiven = true;
        break;
      case '--batch':
        a.batch = parseInteger(flag, v, 1);
        a.batchGiven = true;
        break;
      case '--seeds':
        a.seeds = parseSeedList(flag, v);
        break;
      case '--only':
        a.only = parseNameList(flag, v);
        break;
      case '--out':
        if (v.trim() === '') throw new UsageError('--out: expected a path');
        a.out = v;
        outGiven = true;
        break;
      case '--partial':
        if (v.trim() === '') throw new UsageError('--partial: expected a path');
        a.partial = v;
        break;
      case '--jobs':
        a.jobs = parseInteger(flag, v, 1);
        break;
      case '--eval-images':
        a.evalImages = parseInteger(flag, v, 1);
        if (a.evalImages > MAX_EVAL_IMAGES) throw new UsageError(`--eval-images: at most ${MAX_EVAL_IMAGES}`);
        break;
      case '--split':
        a.evalSplit = parseChoice(flag, v, ['val', 'test'] as const);
        break;
      case '--warm-start':
        if (v.trim() === '') throw new UsageError('--warm-start: expected a file');
        a.warmStart = v;
        break;
      case '--level':
        a.level = parseChoice(
          flag,
          v,
          IMBALANCE_LEVELS.map((l) => l.id),
        );
        break;
    }
  }
  if (a.seeds.some((s) => s > MAX_STUDY_SEED)) throw new UsageError(`--seeds: at most ${MAX_STUDY_SEED}`);
  if (a.presets && plans.length > 0) throw new UsageError('--presets is a plan of its own');
  if (a.plan === 'quick' && !outGiven) a.out = QUICK_OUT;
  if (!a.presets && path.resolve(a.out) === path.resolve(DEFAULT_OUT)) {
    // The published file only ever holds the honest protocol: test split, ≥ 5 seeds.
    if (a.plan === 'quick' || a.evalSplit !== 'test' || a.seeds.length < ABLATION_SEEDS.length) {
      throw new UsageError(
        `${DEFAULT_OUT} is written only from the test split with at least ${ABLATION_SEEDS.length} seeds ` +
          `(this plan: ${a.evalSplit}, ${a.seeds.length} seeds${a.plan === 'quick' ? ', --quick' : ''}); pass --out <path>`,
      );
    }
  }
  if (a.only !== null && !a.presets) {
    const { unknown } = selectConfigs(allConfigs(), a.only);
    if (unknown.length > 0) {
      throw new UsageError(
        `--only: unknown configuration ${unknown.map((u) => `'${u}'`).join(', ')} (see --dry-run for the names)`,
      );
    }
  }
  if (a.presets && !outGiven) a.out = PRESETS_OUT;
  if (a.partial === '') a.partial = path.join('.ablate', `${path.basename(a.out, '.json')}.partial.jsonl`);
  return a;
}

// ---------------------------------------------------------------------------------------------------------
// Worker: one (configuration, seed) in this process. Prints JSON lines on stdout.
// ---------------------------------------------------------------------------------------------------------

async function runWorker(spec: RunSpec): Promise<number> {
  // Test hook for the failure path: FOCAL_ABLATE_FAIL=name#seed makes that run crash.
  if (process.env.FOCAL_ABLATE_FAIL === `${spec.config.name}#${spec.seed}`) {
    throw new Error('FOCAL_ABLATE_FAIL: simulated crash');
  }
  const tf = await import('@tensorflow/tfjs-core');
  const { ensureBackend } = await import('../lib/tf/backend');
  const { createTrainer, trainingBatch } = await import('../lib/detector/train');
  const { evaluate } = await import('../lib/detector/infer');
  const { computeFig4 } = await import('../lib/metrics/fig4');
  await ensureBackend('wasm');

  const c = spec.config;
  const b = spec.budget;
  const level = levelOf(c);
  const data = { ...level.data, imageSize: level.imageSize };
  const { parseWarmStart } = await import('../lib/detector/warmStart');
  const warmStart = b.warmStart ? parseWarmStart(fs.readFileSync(b.warmStart)) : null;
  const trainer = createTrainer({
    warmStart,
    loss: c.loss,
    gamma: c.gamma,
    alpha: c.alpha,
    beta: c.beta ?? 1,
    steps: b.steps,
    lr: b.lr,
    seed: spec.seed,
    imageSize: level.imageSize,
    anchors: level.anchors,
    model: { prior: c.prior, anchorsPerLocation: level.anchorsPerLocation },
  });
  const evalSet = makeRangeSet(heldOutRange(b.evalSplit ?? 'test', b.evalImages), data);
  const stepMs: number[] = [];
  let dataMs = 0;
  let fg = 0;
  let neg = 0;
  let finalLoss = NaN;
  let diverged = false;
  const t0 = performance.now();
  for (let i = 0; i < b.steps; i++) {
    const td = performance.now();
    const batch = trainingBatch(spec.seed, i, b.batch, data);
    dataMs += performance.now() - td;
    const s = trainer.step(batch);
    stepMs.push(s.ms);
    fg += s.numFg;
    neg += s.numNeg;
    finalLoss = s.total;
    if (!Number.isFinite(s.total)) {
      diverged = true;
      break;
    }
    if ((i + 1) % 20 === 0 || i + 1 === b.steps)
      emit({ type: 'progress', step: i + 1, steps: b.steps, loss: s.total });
  }
  const trainSeconds = (performance.now() - t0) / 1000;
  const te = performance.now();
  const r = evaluate(trainer.model, evalSet, { anchors: trainer.anchors });
  const evalSeconds = (performance.now() - te) / 1000;
  // Same convention as `npm run train`: median step time after a 10-step warm-up (wasm compiles, JIT).
  const warm = stepMs.slice(Math.min(10, Math.max(0, stepMs.length - 1))).sort((x, y) => x - y);
  const images = stepMs.length * b.batch;
  const result: RunResult = {
    key: runKey(spec),
    name: c.name,
    seed: spec.seed,
    ap: r.ap,
    ap50: r.ap50,
    ap75: r.ap75,
    ar100: r.ar100,
    ms_per_step: warm[Math.floor(warm.length / 2)],
    data_ms_per_step: dataMs / Math.max(1, stepMs.length),
    fg_per_image: fg / Math.max(1, images),
    bg_per_image: neg / Math.max(1, images),
    final_loss: finalLoss,
    steps_done: stepMs.length,
    diverged,
    train_seconds: trainSeconds,
    eval_seconds: evalSeconds,
    backend: tf.getBackend(),
  };
  if (spec.fig4) result.fig4 = computeFig4(trainer.model, evalSet, { anchors: trainer.anchors });
  trainer.dispose();
  emit({ type: 'result', result });
  return 0;
}

/** The imbalance level with this id (lib/detector/ablation IMBALANCE_LEVELS). */
function levelById(id: string) {
  return levelOf({ imbalance: id });
}

// ---------------------------------------------------------------------------------------------------------
// Parent: plan, schedule child processes, collect, summarise.
// ---------------------------------------------------------------------------------------------------------

function readPartial(file: string): RunResult[] {
  if (!fs.existsSync(file)) return [];
  const out: RunResult[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const r = JSON.parse(line) as RunResult;
      if (typeof r.key === 'string' && typeof r.ap === 'number') out.push(r);
    } catch {
      // A line cut by an interruption: that run is simply redone.
    }
  }
  return out;
}

function describeDesign(args: AblateArgs, budget: StudyBudget, params: number) {
  const cpus = os.cpus();
  return {
    summary:
      `Toy RetinaNet (${params.toLocaleString('en-US')} parameters) on synthetic ${DATA_DEFAULTS.imageSize}×${DATA_DEFAULTS.imageSize} images, ` +
      `${budget.steps} steps × batch ${budget.batch} (${(budget.steps * budget.batch).toLocaleString('en-US')} training images) ` +
      `with Adam ${budget.lr}, ${args.warmStart ? `backbone + FPN warm-started from ${args.warmStart}` : 'from scratch'}, ` +
      `evaluated on the ${budget.evalImages} images of the ${args.evalSplit} split; seeds ${args.seeds.join(', ')}; tfjs WASM backend in Node.`,
    data: {
      generator: 'lib/data/synthetic.ts (seeded; training stream = train split of dataset <seed>)',
      defaults: DATA_DEFAULTS,
      classes: 3,
    },
    image_size: DATA_DEFAULTS.imageSize,
    anchors: {
      strides: [4, 8, 16],
      base_sizes: [8, 16, 32],
      scales: ['2^0', '2^(1/3)', '2^(2/3)'],
      aspect_ratios: (levelById(args.level).anchors.aspectRatios ?? [0.5, 1, 2]).map((r) => +r.toFixed(4)),
      anchors_per_location: levelById(args.level).anchorsPerLocation,
      anchors_per_image: 336 * levelById(args.level).anchorsPerLocation,
      level: args.level,
      matcher: 'IoU ≥ 0.5 foreground, < 0.4 background, between ignored; low-quality matches kept',
    },
    model: {
      parameters: params,
      description:
        'GroupNorm backbone (16 → 32 → 32 → 32 channels, strides 2–16), FPN (32 channels, P2–P4), shared ' +
        'class and box subnets (two 3×3 convs of 32 channels), prior init π = 0.01 unless stated',
    },
    batch: budget.batch,
    lr: budget.lr,
    optimizer: 'adam',
    lr_schedule: 'linear warm-up over 100 steps from 0.001·lr, ×0.1 at ⌊2/3·steps⌋ and ⌊8/9·steps⌋',
    steps: budget.steps,
    training_images: budget.steps * budget.batch,
    budget_note:
      budget.steps < 1500
        ? `${budget.steps} steps, fewer than the PyTorch prototype's 1,500, so the whole study fits in 90 minutes on 2 cores.`
        : `${budget.steps} steps.`,
    eval_images: budget.evalImages,
    eval_set:
      `the ${args.evalSplit} split: ${JSON.stringify(heldOutRange(args.evalSplit, budget.evalImages))} of the ` +
      'synthetic generator (disjoint from every training stream and from the other held-out split), the same ' +
      'for every run of an imbalance level (levels with other data render the same indices with that data)',
    warm_start: args.warmStart,
    metrics: 'COCO AP@[.5:.95], AP50, AP75, AR@100 (101 recall points); mean ± sample std (n − 1) over seeds',
    seeds: args.seeds,
    imbalance_sweep: {
      gammas: SWEEP_GAMMAS,
      alpha: SWEEP_ALPHA,
      gamma0:
        'γ = 0 is α-balanced CE with the same α = 0.25, so only γ changes along a sweep; ' +
        "the 'default' level reuses the main runs ce-a0.25, fl-g0.5, fl-g1, fl-g2",
      levels: IMBALANCE_LEVELS.map((l) => ({
        id: l.id,
        label: l.label,
        description: l.description,
        data: l.data,
        image_size: l.imageSize,
        anchors: l.anchors,
        anchors_per_location: l.anchorsPerLocation,
      })),
    },
    backend: 'wasm',
    jobs: args.jobs,
    ms_per_step_note: `median step time after a 10-step warm-up, measured with ${args.jobs} runs in parallel`,
    machine: {
      cores: cpus.length,
      cpu: cpus[0]?.model ?? 'unknown',
      memory_gib: Math.round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.arch()}`,
      node: process.version,
    },
  };
}

function printPlan(plan: RunSpec[], jobs: number, reusedKeys: Set<string>): void {
  const byName = new Map<string, RunSpec[]>();
  for (const s of plan) byName.set(s.config.name, [...(byName.get(s.config.name) ?? []), s]);
  const rows = [...byName.entries()].map(([name, specs]) => {
    const c = specs[0].config;
    const est = specs.reduce((t, s) => t + estimateRunSeconds(s), 0);
    const reused = specs.filter((s) => reusedKeys.has(runKey(s))).length;
    return `  ${name.padEnd(26)} ${c.label.padEnd(44)} seeds ${specs.map((s) => s.seed).join(',')}${reused ? ` (${reused} reused)` : ''}  ~${formatDuration(est / specs.length)}/run`;
  });
  const todo = plan.filter((s) => !reusedKeys.has(runKey(s)));
  const b = plan[0]?.budget;
  process.stdout.write(
    `Plan: ${byName.size} configurations, ${plan.length} runs (${todo.length} to train)` +
      (b ? `, ${b.steps} steps × batch ${b.batch}, ${b.evalImages} eval images` : '') +
      `\n${rows.join('\n')}\n` +
      `Estimated wall time with ${jobs} job${jobs > 1 ? 's' : ''}: ${formatDuration(estimatePlanSeconds(todo, jobs))}` +
      ` (${formatDuration(todo.reduce((t, s) => t + estimateRunSeconds(s), 0))} of run time; cost model in lib/detector/ablationCost.ts)` +
      `${estimatePlanSeconds(todo, jobs) > 90 * 60 ? ' — OVER the 90-minute limit' : ', within the 90-minute limit'}\n`,
  );
}

async function runStudy(args: AblateArgs): Promise<number> {
  const budget: StudyBudget = {
    steps: args.steps,
    batch: args.batch,
    lr: ABLATION_BUDGET.lr,
    evalImages: args.evalImages,
    evalSplit: args.evalSplit,
    ...(args.warmStart ? { warmStart: args.warmStart } : {}),
  };
  if (args.warmStart && !fs.existsSync(args.warmStart)) {
    throw new UsageError(`--warm-start: no file ${args.warmStart} (make one with npm run pretext)`);
  }
  // --only picks from the whole study (any plan's configurations); without it, the plan's.
  const configs = (args.only ? selectConfigs(allConfigs(), args.only).selected : planConfigs(args.plan)).map(
    (c) => configAtLevel(c, args.level),
  );
  const plan = planRuns(configs, args.seeds, budget);
  // Every plan of the study at this budget: --resume also gathers the other plans' finished runs (same
  // partial-results file), so the written file holds everything run so far.
  const study = [...allConfigs(), ...configs.filter((c) => !allConfigs().some((s) => s.name === c.name))];
  const studyKeys = new Set(planRuns(study, args.seeds, budget).map(runKey));
  const previous = args.resume ? readPartial(args.partial).filter((r) => studyKeys.has(r.key)) : [];
  const results = new Map<string, RunResult>();
  for (const r of previous) results.set(r.key, r);
  const reusedKeys = new Set(plan.map(runKey).filter((k) => results.has(k)));

  if (args.dryRun) {
    printPlan(plan, args.jobs, reusedKeys);
    return 0;
  }

  fs.mkdirSync(path.dirname(path.resolve(args.partial)), { recursive: true });
  if (!args.resume && fs.existsSync(args.partial)) fs.renameSync(args.partial, `${args.partial}.prev`);
  if (args.resume) {
    // Rewrite the partial file with only the runs that still match, then append new ones.
    fs.writeFileSync(args.partial, previous.map((r) => JSON.stringify(r) + '\n').join(''));
  }

  const { countParams } = await import('../lib/detector/model');
  const todo = plan.filter((s) => !results.has(runKey(s)));
  const estimate = estimatePlanSeconds(todo, args.jobs);
  process.stderr.write(
    `ablate: ${plan.length} runs (${configs.length} configurations × ${args.seeds.length} seeds), ` +
      `${reusedKeys.size} reused from ${args.partial}, ${todo.length} to train with ${args.jobs} jobs; ` +
      `estimated ${formatDuration(estimate)}\n`,
  );
  const t0 = performance.now();
  const failures: RunFailure[] = [];
  const { interrupted } = await runPool(todo, {
    jobs: args.jobs,
    total: plan.length,
    done: reusedKeys.size,
    label: 'ablate',
    script: SCRIPT,
    name: (spec) => `${spec.config.name}#${spec.seed}`,
    argv: (spec) => ['--worker', JSON.stringify(spec)],
    onResult: (spec, result, log) => {
      const r = result as RunResult;
      results.set(r.key, r);
      fs.appendFileSync(args.partial, JSON.stringify(r) + '\n');
      log(
        `  done ${spec.config.name} seed ${spec.seed}: AP ${(100 * r.ap).toFixed(1)}  AP50 ${(100 * r.ap50).toFixed(1)}  ` +
          `${r.ms_per_step.toFixed(0)} ms/step  ${formatDuration(r.train_seconds + r.eval_seconds)}` +
          (r.diverged ? `  (diverged at step ${r.steps_done})` : ''),
      );
    },
    onFailure: (spec, error) => failures.push({ name: spec.config.name, seed: spec.seed, error }),
  });
  if (interrupted) {
    process.stderr.write(
      `\nablate: interrupted; ${results.size} finished runs are in ${args.partial} — continue with --resume\n`,
    );
    return 130;
  }

  // Results: this plan's runs and every other finished run of the study, in study order.
  const planNames = new Set(configs.map((c) => c.name));
  const runs = planRuns(study, args.seeds, budget)
    .map((s) => results.get(runKey(s)))
    .filter((r): r is RunResult => r !== undefined);
  const rowConfigs = study.filter((c) => planNames.has(c.name) || runs.some((r) => r.name === c.name));
  const rows = withPairedDifferences(aggregateResults(rowConfigs, runs, failures));
  const sweep = summariseSweep(rows);
  const grid = summariseGrid(rows);
  let pretextImages: number | undefined;
  if (args.warmStart) {
    const { parseWarmStart } = await import('../lib/detector/warmStart');
    const meta = parseWarmStart(fs.readFileSync(args.warmStart)).header.meta;
    pretextImages = Number(meta.steps) * Number(meta.batch) || undefined;
  }
  const split = summariseSplit({
    seeds: args.seeds,
    steps: budget.steps,
    batch: budget.batch,
    evalImages: budget.evalImages,
    resultsOn: args.evalSplit,
    pretextImages,
  });
  const fig4Of = (name: string): (Fig4Result & { config: string; seed: number }) | null => {
    const r = runs.find((x) => x.name === name && x.seed === FIG4_SEED && x.fig4 !== undefined);
    return r ? { config: name, seed: FIG4_SEED, ...(r.fig4 as Fig4Result) } : null;
  };
  const wallSeconds = (performance.now() - t0) / 1000;
  const output = {
    command: ['npm run ablate', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
      ' ',
    ),
    date: new Date().toISOString(),
    steps: budget.steps,
    plan: args.plan,
    design: describeDesign(args, budget, countParams({})),
    split,
    results: rows,
    imbalance_sweep: sweep,
    grid,
    fig4: {
      about:
        "Lin et al. 2017 Figure 4: cumulative normalised loss of positive and negative (anchor, class) elements of the held-out set, sorted ascending, under FL with γ ∈ {0, 0.5, 1, 2} (α none), for the seed-0 models of FL γ=2 ('focal') and plain CE ('ce'); negHardest1/negHardest10 are the shares of the negative loss carried by the hardest 1 % / 10 % of negatives.",
      focal: fig4Of(FIG4_CONFIGS.focal),
      ce: fig4Of(FIG4_CONFIGS.ce),
    },
    failures,
    runs: runs.map(({ fig4: _fig4, ...r }) => r),
    timing: {
      jobs: args.jobs,
      runs_trained: todo.length - failures.length,
      runs_reused: reusedKeys.size,
      estimated_seconds: Math.round(estimate),
      wall_seconds: Math.round(wallSeconds),
    },
  };
  fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify(output, null, 2) + '\n');
  process.stdout.write(
    `\n## Ablation (${budget.steps} steps × batch ${budget.batch}, seeds ${args.seeds.join(', ')}; AP in %, mean ± std)\n\n` +
      `${markdownTable(rows)}\n\n## Imbalance sweep (α = ${SWEEP_ALPHA}; γ = 0 is α-balanced CE)\n\n` +
      `${markdownSweepTable(sweep)}\n\n`,
  );
  for (const [k, f] of [
    ['focal', output.fig4.focal],
    ['ce', output.fig4.ce],
  ] as const) {
    if (f === null) continue;
    const shares = f.curves.map(
      (c) => `γ=${c.gamma}: ${(100 * c.negHardest1).toFixed(0)}% / ${(100 * c.negHardest10).toFixed(0)}%`,
    );
    process.stdout.write(
      `Figure 4, ${k} model: hardest 1% / 10% of negatives carry ${shares.join(', ')} of the negative loss\n`,
    );
  }
  process.stdout.write(
    `\nWrote ${args.out} (${runs.length} runs, ${failures.length} failed) in ${formatDuration(wallSeconds)} ` +
      `(estimated ${formatDuration(estimate)}).\n`,
  );
  return failures.length > 0 ? 1 : 0;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--worker') return runWorker(JSON.parse(argv[1]) as RunSpec);
  if (argv[0] === '--preset-worker') return runPresetWorker(JSON.parse(argv[1]) as PresetJob);
  const args = parseAblateArgs(argv);
  if (args.help) {
    process.stdout.write(ABLATE_HELP);
    return 0;
  }
  if (args.presets) return runPresets(args, SCRIPT);
  return runStudy(args);
}

if (isMain(import.meta.url)) runMain('ablate', main);
