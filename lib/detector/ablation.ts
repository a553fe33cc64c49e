/**
 * The ablation study of `npm run ablate` as data: which configurations are trained, on which data and anchors,
 * plus the pure bookkeeping before training (run plan, resume keys, time estimate); ./ablationResults summarises
 * what the runs report. No tfjs here: the CLI (scripts/ablate.ts) trains, this module only describes, so every
 * piece is unit-testable.
 *
 * The study mirrors the paper's ablations (Lin et al. 2017, §5.1) at toy scale:
 * - Table 1a: CE with α ∈ {none, 0.25, 0.75};
 * - Table 1b: FL with γ ∈ {0.5, 1, 2, 5} at α = 0.25;
 * - Table 3: FL* with γ = 2, β = 1;
 * - §1 / Table 1d: CE with a fixed 1:3 foreground:background sample, and CE with OHEM (1:3, no NMS);
 * - §4.1 "Initialization": CE and FL (γ = 2) without the prior bias init (π = none, bias 0);
 * - an imbalance sweep (not in the paper): γ ∈ {0, 0.5, 1, 2} at α = 0.25 — γ = 0 is α-balanced CE with the
 *   same α = 0.25, so only γ changes along a sweep — at three levels of foreground:background anchor ratio,
 *   to see whether the best γ grows with imbalance. The 'default' level reuses the main runs;
 * - a Table 1b analogue: the γ × α grid, γ ∈ {0, 0.5, 1, 2, 5} × α ∈ {0.25, 0.5, 0.75} (`gridConfigs`).
 *
 * Protocol (issue 11): every run trains on its own seed's stream, and is scored on one of two held-out sets that
 * share no image with each other, with any training stream or with the warm-start pretext (`heldOutRange`,
 * `trainRange`, `pretextRange` in ./splits): validation for every choice, test only for the numbers the site reports.
 */
import type { DataOptions } from '../data/synthetic';
import type { AnchorOptions } from './anchors';
import type { EvalSplit } from './splits';
import { LOSS_MODES, shortLabel, type LossMode } from './lossModes';

/**
 * Seeds every configuration of the published study is trained with (weights, data stream and 1:3 sampler all
 * derive from the seed): at least five, so a paired difference has a usable standard error (issue 11).
 */
export const ABLATION_SEEDS = [0, 1, 2, 3, 4];
/** Seeds of the `--quick` plan: for iteration on the validation split, never for the published file. */
export const QUICK_SEEDS = [0, 1];

/** The training budget and evaluation size of the default study; equal for every configuration. */
export const ABLATION_BUDGET = {
  /**
   * Training steps per run. The PyTorch prototype used 1,500; 700 is what fits the 90-minute limit of a plan
   * (the default plan: 50 runs of the A = 21 design, measured at 88.5 min on 2 cores with 2 parallel jobs in
   * session 6; see `estimatePlanSeconds` and `DEFAULT_COST`). 700 × 16 = 11,200 training images per run.
   */
  steps: 700,
  /** Images per step. */
  batch: 16,
  /**
   * Backbone + FPN of every run start from this file (`npm run pretext`: a plain-CE toy detector trained on
   * images no study split uses; heads fresh, prior init as usual), the toy's analogue of the paper's
   * ImageNet-pretrained backbone. `npm run ablate -- --from-scratch` trains without it.
   */
  warmStart: 'public/models/warm-start.bin',
  /** Peak Adam learning rate (linear warm-up over 100 steps, ×0.1 at 2/3 and 8/9 of the steps). */
  lr: 2e-3,
  /** Held-out images per evaluation (the size of the validation and of the test set, `heldOutRange`). */
  evalImages: 500,
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

/** The toy's anchors per location in its default design: 3 scales × 7 aspect ratios {1:4 … 4:1}. */
export const DESIGN_ASPECT_RATIOS = [1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4];

/**
 * The levels of the imbalance sweep, from least to most imbalanced. The default design (issue 11, chosen on the
 * validation split; content/training.mdx "How the toy was designed") has 21 anchors per location, more background
 * per object than the paper's 9, and starts its backbone + FPN from the warm start (`ABLATION_BUDGET.warmStart`).
 */
export const IMBALANCE_LEVELS: readonly ImbalanceLevel[] = [
  {
    id: 'objects3',
    label: '3 objects / image',
    description:
      'Three objects per image instead of one (same 64×64 images and 7,056 anchors): about 3× as many ' +
      'foreground anchors for the same background, i.e. less imbalanced.',
    data: { objectsPerImage: [3, 3] },
    imageSize: 64,
    anchors: { aspectRatios: DESIGN_ASPECT_RATIOS },
    anchorsPerLocation: 21,
    plannedRatio: '24 : 7,000 (1 : 290)',
    costFactor: 1.02,
    evalCostFactor: 1.1,
  },
  {
    id: 'ratios3',
    label: "3 aspect ratios (A = 9, the paper's)",
    description:
      "The paper's 3 scales × 3 aspect ratios {1:2, 1:1, 2:1} = 9 anchors per location (3,024 per image), the " +
      "toy's design before issue 11: almost the same foreground with less than half the background.",
    data: {},
    imageSize: 64,
    anchors: {},
    anchorsPerLocation: 9,
    plannedRatio: '7.5 : 3,001 (1 : 402)',
    costFactor: 0.83,
    evalCostFactor: 0.4,
  },
  {
    id: 'default',
    label: 'default (1 object, A = 21)',
    description:
      'The default design: one object per 64×64 image, 3 scales × 7 aspect ratios {1:4, 1:3, 1:2, 1:1, 2:1, ' +
      '3:1, 4:1} = 21 anchors per location (7,056 per image). Objects have aspect ≤ 1.6, so the elongated anchors ' +
      'almost never match: about twice the background of the paper-style 9 anchors for the same foreground.',
    data: {},
    imageSize: 64,
    anchors: { aspectRatios: DESIGN_ASPECT_RATIOS },
    anchorsPerLocation: 21,
    plannedRatio: '8.1 : 7,024 (1 : 865)',
    costFactor: 1,
    evalCostFactor: 1,
  },
];

/** The default design's level (data, anchors, A). */
export function defaultLevel(): ImbalanceLevel {
  return IMBALANCE_LEVELS.find((l) => l.id === 'default')!;
}

/** γ values of the imbalance sweep (α = 0.25 for all, including γ = 0, which is α-balanced CE). */
export const SWEEP_GAMMAS = [0, 0.5, 1, 2];
/** α of the imbalance sweep. */
export const SWEEP_ALPHA = 0.25;

/** Which part of the study a configuration belongs to (paper table it mirrors). */
export type AblationGroup = 'ce' | 'focal' | 'focal_star' | 'sampling' | 'prior' | 'imbalance' | 'grid';

/**
 * The study's main configurations, the rows of chapter 8's table and seeds figure: everything but the imbalance
 * sweep and the γ × α grid, which have tables of their own.
 */
export const MAIN_GROUPS: readonly AblationGroup[] = ['ce', 'focal', 'focal_star', 'sampling', 'prior'];

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

/** α as written in names and tables: the number, or 'none'. */
export function fmtAlpha(a: number | null): string {
  return a === null ? 'none' : String(a);
}

/**
 * Name of the (loss, γ, β, α) part of a config: the mode's slug, then the settings it reads, then α unless it is
 * the mode's default: 'ce', 'ce-a0.25', 'fl-g2', 'fl-g2-anone', 'fl-star-g2-b1'.
 */
function baseName(loss: LossMode, gamma: number, alpha: number | null, beta: number): string {
  const m = LOSS_MODES[loss];
  const g = m.uses.gamma ? `-g${gamma}` : '';
  const b = m.uses.beta ? `-b${beta}` : '';
  return `${m.slug}${g}${b}${alpha === m.defaultAlpha ? '' : `-a${fmtAlpha(alpha)}`}`;
}

/** Label of the (loss, γ, β, α) part: 'FL γ=2, α=0.25', 'CE, OHEM 1:3, α=none'; plain CE (Table 1a) is 'CE'. */
function labelOf(loss: LossMode, gamma: number, alpha: number | null, beta: number): string {
  const short = shortLabel(loss, { gamma, alpha, beta });
  return loss === 'ce' && alpha === null ? short : `${short}, α=${fmtAlpha(alpha)}`;
}

function config(
  group: AblationGroup,
  loss: LossMode,
  gamma: number,
  alpha: number | null,
  opts: { beta?: number; prior?: number | null; imbalance?: string } = {},
): AblationConfig {
  const beta = LOSS_MODES[loss].uses.beta ? (opts.beta ?? 1) : null;
  const prior = opts.prior === undefined ? PRIOR : opts.prior;
  const imbalance = opts.imbalance ?? 'default';
  let name = baseName(loss, gamma, alpha, beta ?? 1);
  let label = labelOf(loss, gamma, alpha, beta ?? 1);
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
  const main = mainConfigs();
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

/**
 * A configuration moved to another level of the data and anchor design (`--level` of `npm run ablate`): same loss,
 * γ, α, β and prior, the level's data and anchors, and the level's id in front of the name. Moving to 'default'
 * or to the level it is already at returns it unchanged.
 */
export function configAtLevel(c: AblationConfig, levelId: string): AblationConfig {
  if (levelId === c.imbalance) return c;
  if (c.imbalance !== 'default') {
    throw new RangeError(`ablation: ${c.name} is already at level '${c.imbalance}'`);
  }
  levelOf({ imbalance: levelId });
  return config(c.group, c.loss, c.gamma, c.alpha, {
    beta: c.beta ?? undefined,
    prior: c.prior,
    imbalance: levelId,
  });
}

/** Every configuration any plan trains (main, sweep, then the grid's own cells), each once. */
export function allConfigs(): AblationConfig[] {
  const all = studyConfigs();
  const names = new Set(all.map((c) => c.name));
  return [...all, ...gridConfigs().filter((c) => !names.has(c.name))];
}

/** The 12 main configurations on the default data, in table order. */
function mainConfigs(): AblationConfig[] {
  return [
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
}

/** γ of the Table 1b analogue (the γ × α grid); γ = 0 is α-balanced CE. */
export const GRID_GAMMAS = [0, 0.5, 1, 2, 5];
/** α of the Table 1b analogue. */
export const GRID_ALPHAS = [0.25, 0.5, 0.75];

/**
 * The configuration of one cell of the γ × α grid on the default data: γ = 0 → α-balanced CE, γ > 0 → FL.
 * Cells that are main configurations (α = 0.25 for every γ, and CE α = 0.75) keep the main configuration's group
 * and name, so the grid plan reuses those runs.
 */
export function gridConfig(gamma: number, alpha: number): AblationConfig {
  const main = mainConfigs().find(
    (c) =>
      c.prior === PRIOR &&
      c.alpha === alpha &&
      c.gamma === gamma &&
      c.loss === (gamma === 0 ? 'ce' : 'focal'),
  );
  if (main) return main;
  return gamma === 0 ? config('grid', 'ce', 0, alpha) : config('grid', 'focal', gamma, alpha);
}

/** Every cell of the γ × α grid, γ-major. */
export function gridConfigs(): AblationConfig[] {
  return GRID_GAMMAS.flatMap((g) => GRID_ALPHAS.map((a) => gridConfig(g, a)));
}

/**
 * The plans of `npm run ablate`. Each fits the 90-minute limit on 2 cores with `--jobs 2` on its own (see
 * `estimatePlanSeconds`); they share one partial-results file, so `--resume` gathers them into one ablation.json.
 * - default: the main configurations but the two without prior init (everything the results chapter compares)
 *   × 5 seeds, test split;
 * - prior: the two main configurations without the prior init (§4.1) × 5 seeds, test split (split off so that
 *   the default plan fits 90 minutes with the default design's 21 anchors per location);
 * - grid: the cells of the γ × α grid (Table 1b analogue) that are not main configurations × 5 seeds, test
 *   split (the α = 0.25 column and CE α = 0.75 are main runs: run the default plan first, then --grid --resume);
 * - sweep: the imbalance sweep's non-default levels × 5 seeds, test split;
 * - quick: the main configurations × 2 seeds on the validation split, for iteration; never the published file.
 */
export type PlanId = 'default' | 'prior' | 'grid' | 'sweep' | 'quick';

/** Configurations of a plan (see {@link PlanId}). */
export function planConfigs(plan: PlanId): AblationConfig[] {
  if (plan === 'grid') return gridConfigs().filter((c) => c.group === 'grid');
  if (plan === 'sweep') return studyConfigs().filter((c) => c.imbalance !== 'default');
  if (plan === 'prior') return mainConfigs().filter((c) => c.group === 'prior');
  if (plan === 'default') return mainConfigs().filter((c) => c.group !== 'prior');
  return mainConfigs();
}

/** Seeds and held-out split of a plan. */
export function planProtocol(plan: PlanId): { seeds: number[]; evalSplit: EvalSplit } {
  return plan === 'quick'
    ? { seeds: [...QUICK_SEEDS], evalSplit: 'val' }
    : { seeds: [...ABLATION_SEEDS], evalSplit: 'test' };
}

/**
 * The named baselines of the paired differences of a row (issue 11, item 3): at the default level, plain CE,
 * the α-balanced CEs of the study, 1:3 sampling and OHEM 1:3; at a sweep level, that level's γ = 0 point.
 */
export function pairedBaselines(c: Pick<AblationConfig, 'imbalance'>): string[] {
  if (c.imbalance !== 'default') return [sweepConfig(c.imbalance, 0).name];
  return mainConfigs()
    .filter((m) => (m.group === 'ce' || m.group === 'sampling') && m.prior === PRIOR)
    .map((m) => m.name);
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
  /** Size of the held-out set the runs are scored on. */
  evalImages: number;
  /** Which held-out set: 'val' for choices, 'test' for reported numbers (`heldOutRange`). Default 'test'. */
  evalSplit?: EvalSplit;
  /**
   * Warm start of backbone + FPN (a file written by scripts/pretext.ts, by path), heads fresh with the prior
   * init; absent = from scratch. Part of the run's identity.
   */
  warmStart?: string;
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
    b.evalSplit ?? 'test',
    b.warmStart ?? null,
  ]);
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
