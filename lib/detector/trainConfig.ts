/**
 * What a RetinaNet training run is configured with and what each step reports, as plain data: the config with its
 * defaults (`resolveTrainConfig`), the learning-rate schedule and the step statistics. tfjs-free, so the worker
 * protocol and the CLIs can use the types and defaults without loading the training stack (./train has the step).
 */
import { generateAnchors, type AnchorOptions, type AnchorSet } from './anchors';
import type { AssignOptions } from './assign';
import { isLossMode, LOSS_MODE_KEYS, LOSS_MODES, type LossMode } from './lossModes';
import type { ModelConfig } from './model';
import type { WarmStart } from './warmStart';

/** Learning-rate schedule and optimiser. */
export interface OptimConfig {
  /** 'adam' (default) or 'sgd' (momentum 0.9, as the paper). */
  optimizer?: 'adam' | 'sgd';
  /** Peak learning rate. Default 2e-3 (Adam); the paper's SGD used 0.01 at batch 16. */
  lr?: number;
  /** Linear warm-up from lr·warmupFactor to lr over this many steps. Default 100. */
  warmupSteps?: number;
  /** Start of the warm-up as a fraction of lr. Default 0.001 (torchvision's detection reference). */
  warmupFactor?: number;
  /** Steps at which lr is multiplied by 0.1. Default [⌊2/3·steps⌋, ⌊8/9·steps⌋] (paper: 60k, 80k of 90k). */
  milestones?: number[];
  /** SGD momentum. Default 0.9. */
  momentum?: number;
}

/** Everything a trainer needs. Every field has a default. */
export interface TrainConfig extends OptimConfig {
  loss?: LossMode;
  /** γ of FL / FL*. Default 2. */
  gamma?: number;
  /** α of α-balanced CE / FL / FL*; null = no weighting. Default: the mode's `defaultAlpha` (lib/detector/lossModes). */
  alpha?: number | null;
  /** β of FL*. Default 1. */
  beta?: number;
  /** Total number of steps planned (sets the lr milestones). Default 1500. */
  steps?: number;
  /** Seed of the initial weights and of the 1:3 sampler. Default 0. */
  seed?: number;
  /** Network config (prior, K, A, widths). */
  model?: ModelConfig;
  /** Square image side in px (a multiple of 16). Default 64. */
  imageSize?: number;
  /** Anchor generator options other than imageSize/strides (defaults: the scales × ratios). */
  anchors?: Omit<AnchorOptions, 'imageSize' | 'strides'>;
  /** Matcher options. Default fg 0.5, bg 0.4, low-quality matches on (skipping IoU-0 gts), as torchvision. */
  assign?: AssignOptions;
  /** Background:foreground ratio of the modes that select negatives ('sampled', 'ohem' in ./lossModes). Default 3. */
  negPosRatio?: number;
  /** β of the smooth-L1 box loss. Default 1/9. */
  boxBeta?: number;
  /**
   * Backbone + FPN weights to start from (./warmStart, written by scripts/pretext.ts); the heads are drawn from
   * `seed` with the prior init as usual. Default null: everything from `seed`.
   */
  warmStart?: WarmStart | null;
}

export type ResolvedTrainConfig = Required<
  Omit<TrainConfig, 'milestones' | 'model' | 'anchors' | 'assign' | 'warmStart'>
> & {
  milestones: number[];
  warmStart: WarmStart | null;
  model: ModelConfig;
  anchors: Omit<AnchorOptions, 'imageSize' | 'strides'>;
  assign: AssignOptions;
};

/** One minibatch in the layout of `lib/data/synthetic.makeBatch`. */
export interface TrainBatch {
  /** Float32Array [B·H·W·3], NHWC, values in [0, 1]. */
  images: Float32Array;
  /** Per image, Float32Array [n·4] boxes [x1, y1, x2, y2] px. */
  boxes: ArrayLike<number>[];
  /** Per image, Int32Array [n] class indices in [0, K). */
  labels: ArrayLike<number>[];
}

/** Plain-number statistics of one step. Losses are already divided by max(1, numFg). */
export interface StepStats {
  step: number;
  /** cls + box. */
  total: number;
  cls: number;
  box: number;
  /** Part of `cls` from positive elements (y = 1). */
  clsPos: number;
  /**
   * Part of `cls` from misclassified negative elements, p_t < 0.5 (i.e. logit > 0): the paper's boundary between
   * "hard" and "well-classified" examples (Figure 1 shades p_t > 0.5 as well-classified).
   */
  clsHardNeg: number;
  /** Part of `cls` from well-classified negative elements, p_t ≥ 0.5 (logit ≤ 0). */
  clsEasyNeg: number;
  /** Foreground anchors in the batch (the normaliser before the max(1, ·)). */
  numFg: number;
  /** Background anchors that entered the classification loss. */
  numNeg: number;
  /** Global L2 norm of the gradient ‖∂L/∂θ‖. */
  gradNorm: number;
  /** Learning rate used for this step. */
  lr: number;
  /** Wall-clock duration of the step in ms (target building + forward + backward + update + readback). */
  ms: number;
}

/** Fills the defaults of a train config (α defaults depend on the loss mode). */
export function resolveTrainConfig(config: TrainConfig = {}): ResolvedTrainConfig {
  const loss = config.loss ?? 'focal';
  if (!isLossMode(loss))
    throw new RangeError(`train: unknown loss '${loss}' (one of ${LOSS_MODE_KEYS.join(', ')})`);
  const steps = config.steps ?? 1500;
  const defaultAlpha = LOSS_MODES[loss].defaultAlpha;
  const r: ResolvedTrainConfig = {
    loss,
    gamma: config.gamma ?? 2,
    alpha: config.alpha === undefined ? defaultAlpha : config.alpha,
    beta: config.beta ?? 1,
    steps,
    seed: config.seed ?? 0,
    model: config.model ?? {},
    imageSize: config.imageSize ?? 64,
    anchors: config.anchors ?? {},
    assign: config.assign ?? {
      fgIou: 0.5,
      bgIou: 0.4,
      allowLowQualityMatches: true,
      lowQualitySkipZeroIou: true,
    },
    negPosRatio: config.negPosRatio ?? 3,
    boxBeta: config.boxBeta ?? 1 / 9,
    warmStart: config.warmStart ?? null,
    optimizer: config.optimizer ?? 'adam',
    lr: config.lr ?? 2e-3,
    warmupSteps: config.warmupSteps ?? 100,
    warmupFactor: config.warmupFactor ?? 0.001,
    milestones: config.milestones ?? [Math.floor((2 * steps) / 3), Math.floor((8 * steps) / 9)],
    momentum: config.momentum ?? 0.9,
  };
  if (!(r.gamma >= 0) || (LOSS_MODES[loss].needsPositiveGamma && !(r.gamma > 0)))
    throw new RangeError(`train: bad gamma ${r.gamma}`);
  if (r.alpha !== null && !(r.alpha >= 0 && r.alpha <= 1))
    throw new RangeError(`train: bad alpha ${r.alpha}`);
  if (!Number.isFinite(r.beta)) throw new RangeError(`train: bad beta ${r.beta}`);
  if (!(r.lr > 0)) throw new RangeError(`train: bad lr ${r.lr}`);
  if (!(Number.isInteger(steps) && steps > 0)) throw new RangeError(`train: bad steps ${steps}`);
  if (!(r.imageSize > 0 && r.imageSize % 16 === 0))
    throw new RangeError(`train: imageSize must be a multiple of 16`);
  if (!(r.negPosRatio > 0)) throw new RangeError(`train: bad negPosRatio ${r.negPosRatio}`);
  if (!(r.boxBeta > 0)) throw new RangeError(`train: bad boxBeta ${r.boxBeta}`);
  return r;
}

/**
 * Learning rate at 0-based step t: lr · warm(t) · 0.1^{#milestones ≤ t}, with
 * warm(t) = f + (1 − f)·t / warmupSteps for t < warmupSteps (f = warmupFactor), else 1.
 */
export function learningRateAt(
  t: number,
  c: Pick<ResolvedTrainConfig, 'lr' | 'warmupSteps' | 'warmupFactor' | 'milestones'>,
): number {
  let lr = c.lr;
  if (t < c.warmupSteps) lr *= c.warmupFactor + ((1 - c.warmupFactor) * t) / c.warmupSteps;
  for (const m of c.milestones) if (t >= m) lr *= 0.1;
  return lr;
}

/** Anchors of a train config (the model's strides 4, 8, 16). */
export function anchorsFor(config: Pick<ResolvedTrainConfig, 'imageSize' | 'anchors'>): AnchorSet {
  return generateAnchors({ ...config.anchors, imageSize: config.imageSize, strides: [4, 8, 16] });
}
