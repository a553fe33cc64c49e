/**
 * The ablation study of `npm run ablate` as data: which configurations are trained, on which data and anchors,
 * plus the pure bookkeeping around it (run plan, time estimate, mean ± std over seeds, best γ per imbalance
 * level, the Markdown table). No tfjs here: the CLI (scripts/ablate.ts) trains, this module only describes and
 * summarises, so every piece is unit-testable and the site can import the types of content/data/ablation.json.
 *
 * The study mirrors the paper's ablations (Lin et al. 2017, §5.1) at toy scale:
 * - Table 1a: CE with α ∈ {none, 0.25, 0.75};
 * - Table 1b: FL with γ ∈ {0.5, 1, 2, 5} at α = 0.25;
 * - Table 3: FL* with γ = 2, β = 1;
 * - §1 / Table 1d: CE with a fixed 1:3 foreground:background sample, and CE with OHEM (1:3, no NMS);
 * - §4.1 "Initialization": CE and FL (γ = 2) without the prior bias init (π = none, bias 0);
 * - an imbalance sweep (not in the paper): γ ∈ {0, 0.5, 1, 2} at α = 0.25 — γ = 0 is α-balanced CE with the
 *   same α = 0.25, so only γ changes along a sweep — at three levels of foreground:background anchor ratio,
 *   to see whether the best γ grows with imbalance. The 'default' level reuses the main runs.
 */
import type { DataOptions } from '../data/synthetic';
import type { AnchorOptions } from './anchors';
import type { LossMode } from './train';

/** Seeds every configuration is trained with (weights, data stream and 1:3 sampler all derive from the seed). */
export const ABLATION_SEEDS = [0, 1, 2];

/** The training budget and evaluation size of the default study; equal for every configuration. */
export const ABLATION_BUDGET = {
  /**
   * Training steps per run. The PyTorch prototype used 1,500; 700 is what fits the 90-minute limit of the whole
   * study (60 runs) on 2 cores with 2 parallel jobs, with a 10 % margin (see `estimatePlanSeconds` and
   * `DEFAULT_COST`). 700 × 16 = 11,200 training images per run.
   */
  steps: 700,
  /** Images per step. */
  batch: 16,
  /** Peak Adam learning rate (linear warm-up over 100 steps, ×0.1 at 2/3 and 8/9 of the steps). */
  lr: 2e-3,
  /** Held-out images per evaluation (the first n of the fixed 'eval' split of dataset 0). */
  evalImages: 200,
} as const;

/** One level of the imbalance sweep: data and anchor settings that change the fg:bg anchor ratio. */
export interface ImbalanceLevel {
  /** URL-safe id; 'default' is the default design. */
  id: string;
  /** Short label for tables. */
  label: string;
  /** What changes and why it changes the imbalance. */
  description: string;
  /** Overrides of the synthetic data's DATA_DEFAULTS (imageSize included when it changes). */
  data: Partial<DataOptions>;
  /** Square image side in px (a multiple of 16). */
  imageSize: number;
  /** Anchor generator options (scales / aspect ratios / base sizes) other than image size and strides. */
  anchors: Omit<AnchorOptions, 'imageSize' | 'strides'>;
  /** A = |scales| × |aspectRatios|; the model's head has A·K and A·4 outputs per location. */
  anchorsPerLocation: number;
  /**
   * fg:bg anchors per image of the training stream measured with the matcher (IoU ≥ 0.5 / < 0.4, low-quality
   * matches) on 64 training images of dataset 1 when the study was designed — for planning only; the study
   * itself records what each run measured (`RunResult.fg_per_image`, `bg_per_image`).
   */
  plannedRatio: string;
  /**
   * Cost of one training step relative to the default design (more anchors → bigger head outputs and targets);
   * used only by the time estimate. Measured on the WASM backend in Node.
   */
  costFactor: number;
  /** Cost of evaluating one image relative to the default design (decoding and NMS grow with the anchors). */
  evalCostFactor: number;
}

/** The levels of the imbalance sweep, from least to most imbalanced. */
export const IMBALANCE_LEVELS: readonly ImbalanceLevel[] = [
  {
    id: 'objects3',
    label: '3 objects / image',
    description:
      'Three objects per image instead of one (same 64×64 images and 3,024 anchors): about 3× as many ' +
      'foreground anchors for the same background, i.e. less imbalanced.',
    data: { objectsPerImage: [3, 3] },
    imageSize: 64,
    anchors: {},
    anchorsPerLocation: 9,
    plannedRatio: '22 : 2,957 (1 : 133)',
    costFactor: 1.02,
    evalCostFactor: 1.1,
  },
  {
    id: 'default',
    label: 'default (1 object, A = 9)',
    description: 'The default design: one object per 64×64 image, 3 scales × 3 aspect ratios, 3,024 anchors.',
    data: {},
    imageSize: 64,
    anchors: {},
    anchorsPerLocation: 9,
    plannedRatio: '7.5 : 3,001 (1 : 402)',
    costFactor: 1,
    evalCostFactor: 1,
  },
  {
    id: 'ratios7',
    label: '7 aspect ratios (A = 21)',
    description:
      'Seven aspect ratios {1:4, 1:3, 1:2, 1:1, 2:1, 3:1, 4:1} × 3 scales = 21 anchors per location (7,056 per ' +
      'image). Objects have aspect ≤ 1.6, so the extra elongated anchors almost never match: the foreground ' +
      'count barely moves while the background more than doubles, i.e. more imbalanced.',
    data: {},
    imageSize: 64,
    anchors: { aspectRatios: [1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4] },
    anchorsPerLocation: 21,
    plannedRatio: '8.1 : 7,024 (1 : 865)',
    costFactor: 1.2,
    evalCostFactor: 2.5,
  },
];

/** γ values of the imbalance sweep (α = 0.25 for all, including γ = 0, which is α-balanced CE). */
export const SWEEP_GAMMAS = [0, 0.5, 1, 2];
/** α of the imbalance sweep. */
export const SWEEP_ALPHA = 0.25;

/** Which part of the study a configuration belongs to (paper table it mirrors). */
export type AblationGroup = 'ce' | 'focal' | 'focal_star' | 'sampling' | 'prior' | 'imbalance';

/** One trained configuration of the study. */
export interface AblationConfig {
  /** Unique, URL-safe and comma-free id, e.g. 'fl-g2', 'ce-a0.25', 'objects3-fl-g1'. */
  name: string;
  /** Human label, e.g. 'FL γ=2, α=0.25'. */
  label: string;
  group: AblationGroup;
  loss: LossMode;
  /** γ of FL / FL*; 0 for the CE modes. */
  gamma: number;
  /** α of α-balancing; null = none. */
  alpha: number | null;
  /** β of FL* (null for the other modes). */
  beta: number | null;
  /** π of the classification-bias init; null = no prior init (bias 0). */
  prior: number | null;
  /** 'default' or the id of an {@link IMBALANCE_LEVELS} entry. */
  imbalance: string;
}

const PRIOR = 0.01;

function fmtAlpha(a: number | null): string {
  return a === null ? 'none' : String(a);
}

/** Name of the (loss, γ, α) part of a config: 'ce', 'ce-a0.25', 'fl-g2', 'fl-star-g2-b1'. */
function baseName(loss: LossMode, gamma: number, alpha: number | null, beta: number | null): string {
  if (loss === 'focal') return `fl-g${gamma}${alpha === SWEEP_ALPHA ? '' : `-a${fmtAlpha(alpha)}`}`;
  if (loss === 'focal_star') return `fl-star-g${gamma}-b${beta}`;
  const a = alpha === null ? '' : `-a${alpha}`;
  if (loss === 'ce_sampled') return `ce-sampled${a}`;
  if (loss === 'ce_ohem') return `ce-ohem${a}`;
  return `ce${a}`;
}

function labelOf(loss: LossMode, gamma: number, alpha: number | null, beta: number | null): string {
  const a = `α=${fmtAlpha(alpha)}`;
  switch (loss) {
    case 'focal':
      return `FL γ=${gamma}, ${a}`;
    case 'focal_star':
      return `FL* γ=${gamma}, β=${beta}, ${a}`;
    case 'ce_sampled':
      return `CE, 1:3 sampling, ${a}`;
    case 'ce_ohem':
      return `CE, OHEM 1:3, ${a}`;
    default:
      return alpha === null ? 'CE' : `α-CE, ${a}`;
  }
}

function config(
  group: AblationGroup,
  loss: LossMode,
  gamma: number,
  alpha: number | null,
  opts: { beta?: number; prior?: number | null; imbalance?: string } = {},
): AblationConfig {
  const beta = loss === 'focal_star' ? (opts.beta ?? 1) : null;
  const prior = opts.prior === undefined ? PRIOR : opts.prior;
  const imbalance = opts.imbalance ?? 'default';
  let name = baseName(loss, gamma, alpha, beta);
  let label = labelOf(loss, gamma, alpha, beta);
  if (prior === null) {
    name += '-no-prior';
    label += ', no prior init';
  }
  if (imbalance !== 'default') {
    name = `${imbalance}-${name}`;
    label = `${label} [${IMBALANCE_LEVELS.find((l) => l.id === imbalance)?.label ?? imbalance}]`;
  }
  return { name, label, group, loss, gamma, alpha, beta, prior, imbalance };
}

/**
 * The configuration behind γ of the imbalance sweep at a level: γ = 0 → α-balanced CE ('ce' mode, α = 0.25),
 * γ > 0 → FL ('focal', α = 0.25). At the 'default' level these are the main configs 'ce-a0.25' and 'fl-g…'.
 */
export function sweepConfig(levelId: string, gamma: number): AblationConfig {
  return gamma === 0
    ? config('imbalance', 'ce', 0, SWEEP_ALPHA, { imbalance: levelId })
    : config('imbalance', 'focal', gamma, SWEEP_ALPHA, { imbalance: levelId });
}

/**
 * Every configuration of the study, in table order: the 12 main configurations on the default data, then
 * |SWEEP_GAMMAS| per non-default imbalance level (the default level's sweep points are main configurations).
 */
export function studyConfigs(): AblationConfig[] {
  const main: AblationConfig[] = [
    config('ce', 'ce', 0, null),
    config('ce', 'ce', 0, 0.25),
    config('ce', 'ce', 0, 0.75),
    ...[0.5, 1, 2, 5].map((g) => config('focal', 'focal', g, 0.25)),
    config('focal_star', 'focal_star', 2, 0.25, { beta: 1 }),
    config('sampling', 'ce_sampled', 0, null),
    config('sampling', 'ce_ohem', 0, null),
    config('prior', 'ce', 0, null, { prior: null }),
    config('prior', 'focal', 2, 0.25, { prior: null }),
  ];
  const names = new Set(main.map((c) => c.name));
  const sweep: AblationConfig[] = [];
  for (const level of IMBALANCE_LEVELS) {
    for (const g of SWEEP_GAMMAS) {
      const c = sweepConfig(level.id, g);
      if (level.id === 'default') {
        if (!names.has(c.name))
          throw new Error(`ablation: default sweep point ${c.name} is not a main config`);
        continue;
      }
      sweep.push(c);
    }
  }
  return [...main, ...sweep];
}

/** The imbalance level of a configuration (throws on an unknown id). */
export function levelOf(c: Pick<AblationConfig, 'imbalance'>): ImbalanceLevel {
  const l = IMBALANCE_LEVELS.find((x) => x.id === c.imbalance);
  if (!l) throw new RangeError(`ablation: unknown imbalance level '${c.imbalance}'`);
  return l;
}

/** Budget shared by every run of one study. */
export interface StudyBudget {
  steps: number;
  batch: number;
  lr: number;
  evalImages: number;
}

/** One training run: a configuration, a seed and the budget; `fig4` asks the run to also compute Figure 4. */
export interface RunSpec {
  config: AblationConfig;
  seed: number;
  budget: StudyBudget;
  fig4: boolean;
}

/** Configurations whose seed-0 model provides the Figure 4 statistic: FL γ=2 (the paper's) and plain CE. */
export const FIG4_CONFIGS = { focal: 'fl-g2', ce: 'ce' } as const;
export const FIG4_SEED = 0;

/**
 * The run plan: seed-major (every configuration with the first seed, then the next seed …) so an interrupted
 * study still covers every configuration with the seeds it finished.
 */
export function planRuns(configs: AblationConfig[], seeds: number[], budget: StudyBudget): RunSpec[] {
  const fig4Names = new Set<string>(Object.values(FIG4_CONFIGS));
  return seeds.flatMap((seed) =>
    configs.map((config) => ({
      config,
      seed,
      budget,
      fig4: seed === FIG4_SEED && fig4Names.has(config.name),
    })),
  );
}

/**
 * Identity of a run for resuming: every field that changes its result. Two runs with the same key are the
 * same computation (training is deterministic given the seed, up to backend float summation order).
 */
export function runKey(spec: Pick<RunSpec, 'config' | 'seed' | 'budget'>): string {
  const c = spec.config;
  const b = spec.budget;
  return JSON.stringify([
    c.name,
    c.loss,
    c.gamma,
    c.alpha,
    c.beta,
    c.prior,
    c.imbalance,
    spec.seed,
    b.steps,
    b.batch,
    b.lr,
    b.evalImages,
  ]);
}

/** Cost model of the time estimate (milliseconds, default design, one process per core). */
export interface CostModel {
  /** Training step incl. target building, batch 16. */
  msPerStep: number;
  /** Generating one training batch of 16 images. */
  dataMsPerStep: number;
  /** Detection + COCO evaluation per held-out image. */
  evalMsPerImage: number;
  /** Process start, backend init and model build per run. */
  startupMs: number;
  /** Figure 4 extra time per image of the held-out set. */
  fig4MsPerImage: number;
  /** Multiplies the training time: slower steps than the median (GC, the other job, other processes). */
  margin: number;
}

/**
 * Calibrated on the 2-core development machine, WASM backend, 2 jobs in parallel, 800-step runs of fl-g2 and
 * ratios7-fl-g2: median step 164 ms (ratios7: 197 ms), data 17 ms/step, evaluation of 200 held-out images
 * 2.4 s (ratios7: 6.1 s), ~2 s process start. The 10 % margin covers steps slower than the median.
 * Per-step costs scale ∝ batch.
 */
export const DEFAULT_COST: CostModel = {
  msPerStep: 165,
  dataMsPerStep: 17,
  evalMsPerImage: 12,
  startupMs: 3000,
  fig4MsPerImage: 50,
  margin: 1.1,
};

/** Estimated wall time of one run in seconds (see {@link CostModel}). */
export function estimateRunSeconds(spec: RunSpec, cost: CostModel = DEFAULT_COST): number {
  const level = levelOf(spec.config);
  const b = spec.budget;
  const perStep = ((cost.msPerStep * level.costFactor + cost.dataMsPerStep) * b.batch * cost.margin) / 16;
  const evalMs =
    b.evalImages * (cost.evalMsPerImage * level.evalCostFactor + (spec.fig4 ? cost.fig4MsPerImage : 0));
  return (cost.startupMs + b.steps * perStep + evalMs) / 1000;
}

/**
 * Estimated wall time of a plan with `jobs` parallel processes: runs are handed out in plan order to the first
 * free job (what the CLI does), so the estimate is that greedy schedule's makespan.
 */
export function estimatePlanSeconds(plan: RunSpec[], jobs: number, cost: CostModel = DEFAULT_COST): number {
  const free = new Array<number>(Math.max(1, jobs)).fill(0);
  for (const spec of plan) {
    let j = 0;
    for (let i = 1; i < free.length; i++) if (free[i] < free[j]) j = i;
    free[j] += estimateRunSeconds(spec, cost);
  }
  return Math.max(...free);
}

/** mean, sample standard deviation (n − 1 in the denominator; 0 for n = 1), min, max and n of a sample. */
export interface Summary {
  mean: number;
  std: number;
  min: number;
  max: number;
  n: number;
}

/**
 * Summary of a sample: mean = Σx/n, std = √(Σ(x − mean)² / (n − 1)) (Bessel-corrected; 0 when n = 1).
 * An empty sample gives NaN for every statistic (and n = 0) rather than a made-up number.
 */
export function summarise(xs: readonly number[]): Summary {
  const n = xs.length;
  if (n === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN, n: 0 };
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  return {
    mean,
    std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    min: Math.min(...xs),
    max: Math.max(...xs),
    n,
  };
}

/** Per-seed values of one configuration: `values[i]` was measured with `seeds[i]`. */
export interface SeedSample {
  seeds: readonly number[];
  values: readonly number[];
}

/** A paired comparison of a run with a baseline over the seeds both finished (same seed = same data, init). */
export interface PairedDifference extends Summary {
  /** The seeds present in both samples, ascending. */
  seeds: number[];
  /** d_s = run_s − baseline_s for each seed s in `seeds`. */
  diffs: number[];
  /** Standard error of the mean difference: std / √n (NaN for n < 2). */
  se: number;
  /**
   * |mean| > 2·se with n ≥ 2: the criterion of issue 11 for calling a difference real. With n = 3 seeds it
   * is weak (a t-test at 95 % would need |mean| > 4.3·se), so prose treats it as necessary, not sufficient.
   */
  separated: boolean;
  /** Every d_s has the same strict sign (false for n = 0 or any d_s = 0). */
  sameSign: boolean;
}

/**
 * Paired difference of two per-seed samples: d_s = run_s − base_s over the seeds in both, summarised as
 * mean ± sample std (n − 1), with se = std/√n. Pairing removes what a seed shares between the two runs (the
 * initial weights and training images), so it is the comparison the study's design supports; comparing the
 * two means with their own spreads ignores that and is more pessimistic.
 */
export function pairedDifference(run: SeedSample, base: SeedSample): PairedDifference {
  const at = new Map(base.seeds.map((s, i) => [s, base.values[i]] as const));
  const seeds: number[] = [];
  const diffs: number[] = [];
  run.seeds.forEach((s, i) => {
    const b = at.get(s);
    if (b !== undefined && Number.isFinite(b) && Number.isFinite(run.values[i])) {
      seeds.push(s);
      diffs.push(run.values[i] - b);
    }
  });
  const order = seeds.map((_, i) => i).sort((a, b) => seeds[a] - seeds[b]);
  const sortedSeeds = order.map((i) => seeds[i]);
  const sortedDiffs = order.map((i) => diffs[i]);
  const sum = summarise(sortedDiffs);
  const se = sum.n > 1 ? sum.std / Math.sqrt(sum.n) : NaN;
  return {
    ...sum,
    seeds: sortedSeeds,
    diffs: sortedDiffs,
    se,
    separated: sum.n > 1 && Math.abs(sum.mean) > 2 * se,
    sameSign: sum.n > 0 && (sortedDiffs.every((d) => d > 0) || sortedDiffs.every((d) => d < 0)),
  };
}

/** Whether two mean ± std intervals overlap: |mean_a − mean_b| ≤ std_a + std_b (NaN-safe: false). */
export function spreadsOverlap(a: Pick<Summary, 'mean' | 'std'>, b: Pick<Summary, 'mean' | 'std'>): boolean {
  return Math.abs(a.mean - b.mean) <= a.std + b.std;
}

/**
 * The index of the entry with the highest mean when its mean ± std interval overlaps no other entry's, else
 * null: a table bolds a single winner only when the spreads say there is one.
 */
export function clearBest(xs: readonly Pick<Summary, 'mean' | 'std'>[]): number | null {
  let best = -1;
  xs.forEach((x, i) => {
    if (Number.isFinite(x.mean) && (best < 0 || x.mean > xs[best].mean)) best = i;
  });
  if (best < 0) return null;
  return xs.every((x, i) => i === best || !Number.isFinite(x.mean) || !spreadsOverlap(xs[best], x))
    ? best
    : null;
}

/** What one finished run reports (one line of the partial-results file). Metrics in [0, 1]. */
export interface RunResult {
  key: string;
  name: string;
  seed: number;
  ap: number;
  ap50: number;
  ap75: number;
  ar100: number;
  /** Median ms per training step after a 10-step warm-up (under the study's parallel load). */
  ms_per_step: number;
  data_ms_per_step: number;
  /** Mean foreground anchors per training image (StepStats.numFg / batch, averaged over steps). */
  fg_per_image: number;
  /** Mean background anchors entering the loss per training image (StepStats.numNeg / batch). */
  bg_per_image: number;
  /** Total loss of the last step (cls + box, normalised by the foreground count). */
  final_loss: number;
  /** Steps actually trained (fewer than budgeted if the loss became non-finite). */
  steps_done: number;
  /** Set when the loss became NaN/∞ and training stopped early; the run still counts, with its AP. */
  diverged: boolean;
  train_seconds: number;
  eval_seconds: number;
  backend: string;
  /** Figure 4 of this run's model on the held-out set, when the spec asked for it. */
  fig4?: unknown;
}

/** A failed run (process crash or exception), reported in the output instead of hidden. */
export interface RunFailure {
  name: string;
  seed: number;
  error: string;
}

/** One row of ablation.json's `results`. */
export interface AblationRow {
  name: string;
  label: string;
  group: AblationGroup;
  loss: LossMode;
  gamma: number;
  alpha: number | null;
  beta: number | null;
  prior: number | null;
  imbalance: string;
  /** Seeds with a finished run, ascending; ap/ap50/ap75/ar100 are aligned with it. */
  seeds: number[];
  ap: number[];
  ap50: number[];
  ap75: number[];
  ar100: number[];
  ap_mean: number;
  ap_std: number;
  ap50_mean: number;
  ap50_std: number;
  ap75_mean: number;
  ap75_std: number;
  ar100_mean: number;
  ar100_std: number;
  /** Median over seeds of each run's median ms/step. */
  ms_per_step: number;
  fg_per_image: number;
  bg_per_image: number;
  /** Seeds whose run diverged (still included above). */
  diverged_seeds: number[];
  /** Seeds whose run failed (not included above). */
  failed_seeds: number[];
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Groups finished runs into result rows, one per configuration, in `configs` order (every config appears). */
export function aggregateResults(
  configs: AblationConfig[],
  runs: RunResult[],
  failures: RunFailure[] = [],
): AblationRow[] {
  return configs.map((c) => {
    const rs = runs.filter((r) => r.name === c.name).sort((a, b) => a.seed - b.seed);
    const pick = (f: (r: RunResult) => number) => rs.map(f);
    const ap = pick((r) => r.ap);
    const ap50 = pick((r) => r.ap50);
    const ap75 = pick((r) => r.ap75);
    const ar100 = pick((r) => r.ar100);
    const s = { ap: summarise(ap), ap50: summarise(ap50), ap75: summarise(ap75), ar100: summarise(ar100) };
    return {
      ...c,
      seeds: rs.map((r) => r.seed),
      ap,
      ap50,
      ap75,
      ar100,
      ap_mean: s.ap.mean,
      ap_std: s.ap.std,
      ap50_mean: s.ap50.mean,
      ap50_std: s.ap50.std,
      ap75_mean: s.ap75.mean,
      ap75_std: s.ap75.std,
      ar100_mean: s.ar100.mean,
      ar100_std: s.ar100.std,
      ms_per_step: median(pick((r) => r.ms_per_step)),
      fg_per_image: summarise(pick((r) => r.fg_per_image)).mean,
      bg_per_image: summarise(pick((r) => r.bg_per_image)).mean,
      diverged_seeds: rs.filter((r) => r.diverged).map((r) => r.seed),
      failed_seeds: failures
        .filter((f) => f.name === c.name)
        .map((f) => f.seed)
        .sort((a, b) => a - b),
    };
  });
}

/** One level of the sweep in ablation.json: measured imbalance and AP by γ. */
export interface SweepLevelSummary {
  id: string;
  label: string;
  description: string;
  image_size: number;
  anchors_per_location: number;
  /** Mean foreground / background anchors per training image, over the level's runs (all anchors enter). */
  fg_per_image: number;
  bg_per_image: number;
  /** bg_per_image / fg_per_image: background anchors per foreground anchor. */
  bg_per_fg: number;
  /** Per γ: the config name, AP mean ± std over seeds. */
  points: { gamma: number; alpha: number; name: string; ap_mean: number; ap_std: number; n: number }[];
  /** γ with the highest mean AP (null when no point has a finished run). */
  best_gamma: number | null;
}

/** The imbalance sweep of a set of rows: per level, its measured fg:bg and AP by γ, and the best γ. */
export function summariseSweep(rows: AblationRow[]): SweepLevelSummary[] {
  return IMBALANCE_LEVELS.map((level) => {
    const points = SWEEP_GAMMAS.map((gamma) => {
      const name = sweepConfig(level.id, gamma).name;
      const row = rows.find((r) => r.name === name);
      return {
        gamma,
        alpha: SWEEP_ALPHA,
        name,
        ap_mean: row?.ap_mean ?? NaN,
        ap_std: row?.ap_std ?? NaN,
        n: row?.seeds.length ?? 0,
      };
    });
    const levelRows = rows.filter((r) => points.some((p) => p.name === r.name) && r.seeds.length > 0);
    const fg = summarise(levelRows.map((r) => r.fg_per_image)).mean;
    const bg = summarise(levelRows.map((r) => r.bg_per_image)).mean;
    let best: number | null = null;
    let bestAp = -Infinity;
    for (const p of points) {
      if (p.n > 0 && p.ap_mean > bestAp) {
        bestAp = p.ap_mean;
        best = p.gamma;
      }
    }
    return {
      id: level.id,
      label: level.label,
      description: level.description,
      image_size: level.imageSize,
      anchors_per_location: level.anchorsPerLocation,
      fg_per_image: fg,
      bg_per_image: bg,
      bg_per_fg: bg / fg,
      points,
      best_gamma: best,
    };
  });
}

/** "61.2 ± 1.4" (percent, sample std); "—" without runs; no "±" for a single seed. */
export function formatMeanStd(mean: number, std: number, n: number): string {
  if (!(n > 0) || !Number.isFinite(mean)) return '—';
  return n > 1 ? `${(100 * mean).toFixed(1)} ± ${(100 * std).toFixed(1)}` : (100 * mean).toFixed(1);
}

/** The results as a GitHub Markdown table (AP in percent, mean ± sample std over seeds). */
export function markdownTable(rows: AblationRow[]): string {
  const head =
    '| configuration | loss | γ | α | prior | imbalance | seeds | AP | AP50 | AP75 | ms/step |\n' +
    '|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|';
  const lines = rows.map((r) => {
    const n = r.seeds.length;
    const notes = [
      r.diverged_seeds.length ? `diverged: ${r.diverged_seeds.join(',')}` : '',
      r.failed_seeds.length ? `failed: ${r.failed_seeds.join(',')}` : '',
    ].filter(Boolean);
    return (
      `| ${r.label}${notes.length ? ` (${notes.join('; ')})` : ''} | ${r.loss} | ${r.loss === 'focal' || r.loss === 'focal_star' ? r.gamma : '—'} | ${fmtAlpha(r.alpha)} | ${r.prior ?? 'none'} | ${r.imbalance} | ${n} | ` +
      `${formatMeanStd(r.ap_mean, r.ap_std, n)} | ${formatMeanStd(r.ap50_mean, r.ap50_std, n)} | ` +
      `${formatMeanStd(r.ap75_mean, r.ap75_std, n)} | ${Number.isFinite(r.ms_per_step) ? r.ms_per_step.toFixed(0) : '—'} |`
    );
  });
  return [head, ...lines].join('\n');
}

/** The imbalance sweep as a Markdown table: one row per level, AP per γ, measured fg:bg and the best γ. */
export function markdownSweepTable(levels: SweepLevelSummary[]): string {
  const head =
    `| level | fg : bg anchors / image | ${SWEEP_GAMMAS.map((g) => `γ=${g}`).join(' | ')} | best γ |\n` +
    `|---|---:|${SWEEP_GAMMAS.map(() => '---:').join('|')}|---:|`;
  const lines = levels.map((l) => {
    const ratio = Number.isFinite(l.bg_per_fg)
      ? `${l.fg_per_image.toFixed(1)} : ${l.bg_per_image.toFixed(0)} (1 : ${l.bg_per_fg.toFixed(0)})`
      : '—';
    return `| ${l.label} | ${ratio} | ${l.points.map((p) => formatMeanStd(p.ap_mean, p.ap_std, p.n)).join(' | ')} | ${l.best_gamma ?? '—'} |`;
  });
  return [head, ...lines].join('\n');
}

/**
 * Selects configurations by `--only` patterns: exact names, or a prefix ending in '*' ('objects3-*').
 * Returns the unknown patterns separately so the CLI can reject them.
 */
export function selectConfigs(
  configs: AblationConfig[],
  patterns: string[] | null,
): { selected: AblationConfig[]; unknown: string[] } {
  if (patterns === null) return { selected: configs, unknown: [] };
  const match = (p: string, name: string) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : p === name);
  const unknown = patterns.filter((p) => !configs.some((c) => match(p, c.name)));
  return { selected: configs.filter((c) => patterns.some((p) => match(p, c.name))), unknown };
}
