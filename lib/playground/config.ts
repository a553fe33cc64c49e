/**
 * From the URL state (./schema) to what the worker trains (a `SessionConfig` of ./protocol), and the defaults and
 * validation of that config. Pure and tfjs-free.
 */
import { NUM_CLASSES } from '../data/synthetic';
import type { TrainConfig } from '../detector/trainConfig';
import type { WarmStart } from '../detector/warmStart';
import type { RunConfig, SessionConfig, ViewOptions } from './protocol';
import {
  MAX_RUNS,
  runLabel,
  type AnchorChoice,
  type ClutterLevel,
  type PlaygroundState,
  type RunSettings,
} from './schema';

/** Image side of the playground (the toy detector's design size). */
export const PLAYGROUND_IMAGE_SIZE = 64;

/** Where the page serves the tfjs .wasm binaries (scripts/copy-tfjs-wasm.mjs puts them in public/tfjs/). */
export function wasmPathFor(basePath = ''): string {
  return `${basePath.replace(/\/+$/, '')}/tfjs/`;
}

/** The warm start's file name (written by `npm run pretext`, served from public/models/). */
export const WARM_START_FILE = 'warm-start.bin';

/** Where the page serves the warm start (public/models/warm-start.bin). */
export function warmStartUrlFor(basePath = ''): string {
  return `${basePath.replace(/\/+$/, '')}/models/${WARM_START_FILE}`;
}

/**
 * Default reporting cadence. Views cost one forward pass of the probe images per run (≈ half a training step at
 * batch 16), Figure 4 also sorts ~70k losses for 4 γ; evaluation runs 64 images through detection + COCO AP.
 */
export const VIEW_DEFAULTS: Readonly<ViewOptions> = Object.freeze({
  progressIntervalMs: 100,
  evalEvery: 50,
  evalImages: 64,
  viewsEvery: 10,
  fig4Every: 25,
  probeImages: 8,
  sampleImages: 4,
  histogramBins: 25,
  fig4Points: 51,
  anchorScores: 'max',
  explodeFactor: 10,
  topK: 200,
  maxDetections: 50,
});

/**
 * Synthetic-data knobs of a clutter level: distractors (hard negatives: shapes that are not objects) and thin
 * clutter lines per image, [min, max]. 'default' is lib/data's DATA_DEFAULTS.
 */
export function clutterData(level: ClutterLevel): {
  distractors: [number, number];
  clutterLines: [number, number];
} {
  switch (level) {
    case 'none':
      return { distractors: [0, 0], clutterLines: [0, 0] };
    case 'light':
      return { distractors: [0, 1], clutterLines: [0, 1] };
    case 'heavy':
      return { distractors: [3, 5], clutterLines: [2, 4] };
    default:
      return { distractors: [1, 3], clutterLines: [0, 2] };
  }
}

/**
 * Anchor options of a choice of A: 1 = one square anchor of scale 2^(1/3) (sizes 10, 20, 40 px); 3 = the paper's
 * three scales {2^0, 2^(1/3), 2^(2/3)}, square; 9 = three scales × ratios {1:2, 1:1, 2:1} (paper, lib default);
 * 21 = three scales × seven ratios {1:4 … 4:1} (the ablation's most imbalanced level). More anchors per location
 * means more (mostly easy) background anchors per object.
 */
export function anchorOptionsFor(choice: AnchorChoice): { scales?: number[]; aspectRatios?: number[] } {
  switch (choice) {
    case '1':
      return { scales: [2 ** (1 / 3)], aspectRatios: [1] };
    case '3':
      return { aspectRatios: [1] };
    case '21':
      return { aspectRatios: [1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4] };
    default:
      return {};
  }
}

/** A run's trainer settings: π only when the prior init is on. */
export function runConfigOf(run: RunSettings): RunConfig {
  return {
    label: runLabel(run),
    loss: run.loss,
    gamma: run.gamma,
    alpha: run.alpha,
    beta: run.beta,
    prior: run.prior ? run.pi : null,
    lr: run.lr,
  };
}

/**
 * The worker's config for a playground state. Warm-up: min(100, steps/10) steps (the CLI's 100 steps would be
 * a fifth of a short browser run).
 */
export function sessionConfigFromState(
  state: PlaygroundState,
  views: Partial<ViewOptions> = {},
): SessionConfig {
  const { shared } = state;
  return {
    runs: state.runs.map(runConfigOf),
    seed: shared.seed,
    batchSize: shared.batch,
    steps: shared.steps,
    warmupSteps: Math.min(100, Math.round(shared.steps / 10)),
    imageSize: PLAYGROUND_IMAGE_SIZE,
    data: { objectsPerImage: [shared.objects, shared.objects], ...clutterData(shared.clutter) },
    anchors: anchorOptionsFor(shared.anchors),
    pretrained: shared.pretrained,
    views,
  };
}

/**
 * The trainer config of run `r` of a session (lib/detector/trainConfig): every run of a session shares seed,
 * schedule, image size and anchors (A = |scales|·|aspectRatios|, 3 × 3 by default) and differs in loss and prior.
 * The playground's session (./session) and the presets study (scripts/ablate-presets.ts) both build it here.
 */
export function trainConfigOfRun(
  cfg: SessionConfig,
  r: RunConfig,
  warmStart: WarmStart | null = null,
): TrainConfig {
  const A = (cfg.anchors.scales?.length ?? 3) * (cfg.anchors.aspectRatios?.length ?? 3);
  if (cfg.pretrained && !warmStart) {
    throw new RangeError('session config: pretrained weights asked for, but no warm start was loaded');
  }
  return {
    warmStart: cfg.pretrained ? warmStart : null,
    loss: r.loss,
    gamma: r.gamma,
    alpha: r.alpha,
    beta: r.beta,
    lr: r.lr,
    seed: cfg.seed,
    steps: cfg.steps,
    warmupSteps: cfg.warmupSteps,
    imageSize: cfg.imageSize,
    anchors: cfg.anchors,
    model: { ...cfg.model, numClasses: NUM_CLASSES, anchorsPerLocation: A, prior: r.prior },
  };
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Clamps a number option into [min, max] (integer when asked); NaN/garbage → fallback. */
function clampOpt(x: unknown, min: number, max: number, fallback: number, integer = true): number {
  if (!finite(x)) return fallback;
  const v = Math.min(max, Math.max(min, x));
  return integer ? Math.round(v) : v;
}

/** View options with defaults filled and every value clamped to a sane range. */
export function resolveViewOptions(
  views: Partial<ViewOptions> = {},
  base: ViewOptions = VIEW_DEFAULTS,
): ViewOptions {
  const v = (views ?? {}) as Partial<Record<keyof ViewOptions, unknown>>;
  const probeImages = clampOpt(v.probeImages, 1, 32, base.probeImages);
  return {
    progressIntervalMs: clampOpt(v.progressIntervalMs, 0, 10_000, base.progressIntervalMs),
    evalEvery: clampOpt(v.evalEvery, 1, 100_000, base.evalEvery),
    evalImages: clampOpt(v.evalImages, 1, 500, base.evalImages),
    viewsEvery: clampOpt(v.viewsEvery, 1, 100_000, base.viewsEvery),
    fig4Every: clampOpt(v.fig4Every, 1, 100_000, base.fig4Every),
    probeImages,
    sampleImages: clampOpt(v.sampleImages, 0, probeImages, Math.min(base.sampleImages, probeImages)),
    histogramBins: clampOpt(v.histogramBins, 2, 200, base.histogramBins),
    fig4Points: clampOpt(v.fig4Points, 2, 1001, base.fig4Points),
    anchorScores:
      v.anchorScores === 'none' || v.anchorScores === 'max' || v.anchorScores === 'full'
        ? v.anchorScores
        : base.anchorScores,
    explodeFactor: clampOpt(v.explodeFactor, 1.5, 1e9, base.explodeFactor, false),
    topK: clampOpt(v.topK, 1, 5000, base.topK),
    maxDetections: clampOpt(v.maxDetections, 1, 1000, base.maxDetections),
  };
}

/**
 * Validates a config received by the worker (it crossed a message boundary, so it is checked field by field).
 * @throws RangeError naming the first bad field.
 */
export function validateSessionConfig(c: SessionConfig): SessionConfig & { views: ViewOptions } {
  const bad = (what: string) => {
    throw new RangeError(`session config: bad ${what}`);
  };
  if (!Array.isArray(c?.runs) || c.runs.length < 1 || c.runs.length > MAX_RUNS) bad('runs (1 to 4)');
  const posInt = (x: unknown, what: string, max: number) => {
    if (!(Number.isInteger(x) && (x as number) >= 1 && (x as number) <= max)) bad(what);
  };
  posInt(c.batchSize, 'batchSize', 64);
  posInt(c.steps, 'steps', 100_000);
  if (!(Number.isInteger(c.seed) && c.seed >= 0)) bad('seed');
  if (!(Number.isInteger(c.warmupSteps) && c.warmupSteps >= 0)) bad('warmupSteps');
  if (!(Number.isInteger(c.imageSize) && c.imageSize >= 16 && c.imageSize <= 256 && c.imageSize % 16 === 0))
    bad('imageSize (a multiple of 16, 16…256)');
  c.runs.forEach((r, i) => {
    if (!r || typeof r !== 'object') bad(`run ${i + 1}`);
    if (typeof r.loss !== 'string') bad(`run ${i + 1} loss`);
    if (!(finite(r.gamma) && r.gamma >= 0)) bad(`run ${i + 1} gamma`);
    if (!(r.alpha === null || (finite(r.alpha) && r.alpha >= 0 && r.alpha <= 1))) bad(`run ${i + 1} alpha`);
    if (!finite(r.beta)) bad(`run ${i + 1} beta`);
    if (!(r.prior === null || (finite(r.prior) && r.prior > 0 && r.prior < 1))) bad(`run ${i + 1} prior`);
    if (!(finite(r.lr) && r.lr > 0 && r.lr <= 10)) bad(`run ${i + 1} lr`);
  });
  if (!(c.pretrained === undefined || typeof c.pretrained === 'boolean')) bad('pretrained');
  return { ...c, views: resolveViewOptions(c.views) };
}
