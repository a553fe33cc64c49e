/**
 * One RetinaNet training step and the trainer around it (paper §4 "Training", §5.1).
 *
 * Loss of a minibatch of B images with anchors n and classes k (targets y ∈ {0, 1}, sigmoid head):
 *
 *   L = (1 / max(1, F)) · [ Σ_{b,n,k} w_{b,n} · ℓ(x_{b,n,k}, y_{b,n,k})  +  Σ_{fg (b,n)} Σ_c smoothL1_β(d_{b,n,c} − t_{b,n,c}) ]
 *
 * where F = number of foreground anchors in the batch (the paper's normaliser: "the number of anchors assigned
 * to a ground-truth box"), ℓ the per-element classification loss of the chosen mode, w_{b,n} ∈ {0, 1} selects the
 * anchors that enter it (all non-ignored anchors, or a sample — see `LOSS_MODES`), d the predicted box deltas,
 * t the BoxCoder targets, and smoothL1_β(z) = 0.5 z²/β for |z| < β, |z| − 0.5β otherwise, β = 1/9
 * (Detectron / torchvision `_box_loss('smooth_l1', beta=1/9)`).
 *
 * Engineering (measured on the WASM backend in Node, batch 16, with `npm run bench:train`, scripts/bench.ts):
 * - targets are built in typed arrays on the CPU (`buildTargets`) and uploaded once per step as 4 tensors;
 * - the classification loss is weighted by a same-shape [B, N, K] mask (a multiply, no gather over N·K);
 *   the box loss gathers only the F foreground rows (gather's gradient is a cheap scatter of F rows);
 * - all statistics (losses split into positives / hard / easy negatives, gradient norm) are reduced into ONE
 *   tensor and read with one `dataSync` at the end of the step;
 * - everything happens inside one `tf.tidy`; the tensor count is flat across steps (tested).
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tf/gradients';
import { createRng, deriveSeed } from '../data/rng';
import { makeBatch, type Batch, type DataOptions } from '../data/synthetic';
import {
  alphaT,
  sigmoidFocalLoss,
  sigmoidFocalLossBinary,
  sigmoidFocalLossStar,
  sigmoidFocalLossStarBinary,
} from '../loss';
import { generateAnchors, type AnchorOptions, type AnchorSet } from './anchors';
import { buildTargets, type AssignOptions } from './assign';
import { createModel, disposeModel, forward, type ModelConfig, type RetinaNetModel } from './model';

/** The classification-loss modes, URL-safe keys (paper Table 1a, 1b, 1d and Table 3). */
export type LossMode = 'ce' | 'focal' | 'focal_star' | 'ce_sampled' | 'ce_ohem';

/** Registry of loss modes: label for UIs and what each one trains on. */
export const LOSS_MODES: Record<
  LossMode,
  { label: string; description: string; uses: ('alpha' | 'gamma' | 'beta')[] }
> = {
  ce: {
    label: 'Cross-entropy (α-balanced if α is set)',
    description: 'CE (or α-balanced CE, α_t) on every non-ignored anchor; paper Table 1a.',
    uses: ['alpha'],
  },
  focal: {
    label: 'Focal loss',
    description: 'FL = −α_t (1 − p_t)^γ log p_t on every non-ignored anchor; paper eq. 5, Table 1b.',
    uses: ['alpha', 'gamma'],
  },
  focal_star: {
    label: 'Focal loss FL*',
    description: 'FL* = −log σ(γ x_t + β) / γ on every non-ignored anchor; paper Appendix A, Table 3.',
    uses: ['alpha', 'gamma', 'beta'],
  },
  ce_sampled: {
    label: 'CE, 1:3 sampling',
    description:
      'CE on all foreground anchors plus 3× as many background anchors drawn at random (seeded) per image; ' +
      'the fixed 1:3 foreground:background minibatch of two-stage detectors (paper §1, §3.3).',
    uses: ['alpha'],
  },
  ce_ohem: {
    label: 'CE, OHEM 1:3',
    description:
      'CE on all foreground anchors plus the 3× as many highest-loss background anchors per image ' +
      '(online hard example mining, Shrivastava et al. 2016; paper §5.1, Table 1d; no NMS).',
    uses: ['alpha'],
  },
};

export const LOSS_MODE_KEYS = Object.keys(LOSS_MODES) as LossMode[];

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
  /** α of α-balanced CE / FL / FL*; null = no weighting. Default: 0.25 for focal and focal_star, null for CE modes. */
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
  /** Background:foreground ratio of 'ce_sampled' and 'ce_ohem'. Default 3. */
  negPosRatio?: number;
  /** β of the smooth-L1 box loss. Default 1/9. */
  boxBeta?: number;
  /**
   * Which lib/loss entry point computes the classification loss: 'fast' (default) the hard-target core
   * (`sigmoidFocalLossBinary` / `sigmoidFocalLossStarBinary`, α_t folded into the element weights on the CPU);
   * 'lib' the general soft-target functions (`sigmoidFocalLoss` / `sigmoidFocalLossStar`). Same values and
   * gradients (tested); 'lib' costs ~2× the loss ops and is kept for cross-checking.
   */
  lossImpl?: 'fast' | 'lib';
}

export type ResolvedTrainConfig = Required<
  Omit<TrainConfig, 'milestones' | 'model' | 'anchors' | 'assign'>
> & {
  milestones: number[];
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

/** A trainer owns a model, an optimiser and the anchor set. */
export interface Trainer {
  readonly config: ResolvedTrainConfig;
  readonly model: RetinaNetModel;
  readonly anchors: AnchorSet;
  /** Steps taken so far. */
  readonly stepCount: number;
  /** One optimisation step on `batch`; synchronous, returns plain numbers. */
  step(batch: TrainBatch): StepStats;
  /** Frees the model, optimiser state and cached tensors. */
  dispose(): void;
}

/** Fills the defaults of a train config (α defaults depend on the loss mode). */
export function resolveTrainConfig(config: TrainConfig = {}): ResolvedTrainConfig {
  const loss = config.loss ?? 'focal';
  if (!(loss in LOSS_MODES))
    throw new RangeError(`train: unknown loss '${loss}' (one of ${LOSS_MODE_KEYS.join(', ')})`);
  const steps = config.steps ?? 1500;
  const defaultAlpha = loss === 'focal' || loss === 'focal_star' ? 0.25 : null;
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
    lossImpl: config.lossImpl ?? 'fast',
    optimizer: config.optimizer ?? 'adam',
    lr: config.lr ?? 2e-3,
    warmupSteps: config.warmupSteps ?? 100,
    warmupFactor: config.warmupFactor ?? 0.001,
    milestones: config.milestones ?? [Math.floor((2 * steps) / 3), Math.floor((8 * steps) / 9)],
    momentum: config.momentum ?? 0.9,
  };
  if (!(r.gamma >= 0) || (loss === 'focal_star' && !(r.gamma > 0)))
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

/** Per-batch targets in typed arrays, ready to upload. B images, N anchors, K classes, F fg anchors. */
export interface BatchTargets {
  /** Float32Array [B·N·K] one-hot class targets. */
  cls: Float32Array;
  /**
   * Float32Array [B·N·K]: weight of each element in the classification loss — 1 (or α_t when `alpha` is given)
   * where the anchor enters the loss (all K classes of it), 0 elsewhere.
   */
  weight: Float32Array;
  /** Float32Array [B·N]: 1 for background anchors that are OHEM candidates (valid, not fg). */
  bg: Float32Array;
  /** Int32Array [F]: flat indices b·N + n of the foreground anchors. */
  fgIndex: Int32Array;
  /** Float32Array [F·4]: BoxCoder targets of those anchors. */
  boxTargets: Float32Array;
  /** Foreground anchors per image. */
  fgPerImage: Int32Array;
  numFg: number;
  /** Background anchors entering the loss (for 'ce_ohem': the number that will be mined). */
  numNeg: number;
}

/**
 * Builds the targets of a batch (CPU, typed arrays): assignment per image, the classification weight of each
 * element for the loss mode, and the foreground list for the box loss.
 * 'ce_sampled' keeps all fg anchors and draws min(#bg, ratio·max(1, F_b)) background anchors uniformly without
 * replacement (partial Fisher–Yates with `rand`); 'ce_ohem' sets only the fg weights here (negatives are mined
 * on the backend from the current logits). With `alpha` set, each weight is multiplied by α_t.
 */
export function buildBatchTargets(
  batch: TrainBatch,
  anchors: AnchorSet,
  numClasses: number,
  mode: LossMode,
  opts: { assign: AssignOptions; negPosRatio: number; rand: () => number; alpha?: number | null },
): BatchTargets {
  const B = batch.boxes.length;
  const N = anchors.numAnchors;
  const K = numClasses;
  const cls = new Float32Array(B * N * K);
  const weight = new Float32Array(B * N * K);
  const bg = new Float32Array(B * N);
  const fgPerImage = new Int32Array(B);
  const fgList: number[] = [];
  const boxList: Float32Array[] = [];
  let numNeg = 0;
  for (let b = 0; b < B; b++) {
    const t = buildTargets(anchors.boxes, batch.boxes[b], batch.labels[b], K, opts.assign);
    cls.set(t.clsTargets, b * N * K);
    fgPerImage[b] = t.numFg;
    const negatives: number[] = [];
    for (let n = 0; n < N; n++) {
      if (t.fgMask[n]) {
        fgList.push(b * N + n);
        boxList.push(t.boxTargets.subarray(4 * n, 4 * n + 4));
        weight.fill(1, (b * N + n) * K, (b * N + n + 1) * K);
      } else if (t.valid[n]) {
        bg[b * N + n] = 1;
        negatives.push(n);
      }
    }
    if (mode === 'ce_sampled') {
      const want = Math.min(negatives.length, Math.round(opts.negPosRatio * Math.max(1, t.numFg)));
      for (let i = 0; i < want; i++) {
        const j = i + Math.floor(opts.rand() * (negatives.length - i));
        const n = negatives[j];
        negatives[j] = negatives[i];
        negatives[i] = n;
        weight.fill(1, (b * N + n) * K, (b * N + n + 1) * K);
      }
      numNeg += want;
    } else if (mode === 'ce_ohem') {
      numNeg += Math.min(negatives.length, Math.round(opts.negPosRatio * Math.max(1, t.numFg)));
    } else {
      for (const n of negatives) weight.fill(1, (b * N + n) * K, (b * N + n + 1) * K);
      numNeg += negatives.length;
    }
  }
  const alpha = opts.alpha ?? null;
  if (alpha !== null) {
    // α_t (lib/loss `alphaT`: α for y = 1, 1 − α for y = 0; paper §3.1), folded into the element weights.
    const aPos = alphaT(1, alpha);
    const aNeg = alphaT(0, alpha);
    for (let e = 0; e < weight.length; e++) if (weight[e] !== 0) weight[e] *= cls[e] === 1 ? aPos : aNeg;
  }
  const boxTargets = new Float32Array(fgList.length * 4);
  boxList.forEach((row, i) => boxTargets.set(row, 4 * i));
  return {
    cls,
    weight,
    bg,
    fgIndex: Int32Array.from(fgList),
    boxTargets,
    fgPerImage,
    numFg: fgList.length,
    numNeg,
  };
}

/**
 * Per-element classification loss ℓ(x, y) of a mode, [B, N, K] → [B, N, K], from lib/loss
 * (CE and the sampling baselines use γ = 0, i.e. (α-balanced) cross-entropy).
 */
export function elementLoss(
  mode: LossMode,
  logits: tf.Tensor,
  targets: tf.Tensor,
  p: { alpha: number | null; gamma: number; beta: number },
): tf.Tensor {
  if (mode === 'focal') return sigmoidFocalLoss(logits, targets, { alpha: p.alpha, gamma: p.gamma });
  if (mode === 'focal_star')
    return sigmoidFocalLossStar(logits, targets, { alpha: p.alpha, gamma: p.gamma, beta: p.beta });
  return sigmoidFocalLoss(logits, targets, { alpha: p.alpha, gamma: 0 });
}

/**
 * The same per-element losses as {@link elementLoss} for hard targets y ∈ {0, 1}, through the hard-target core of
 * lib/loss (`sigmoidFocalLossBinary` / `sigmoidFocalLossStarBinary`, ~⅓ of the backend ops of the soft-target
 * functions; tested equal to them). `weights` [B, N, K] (or broadcastable) multiplies each element; the trainer
 * folds α_t into it on the CPU (`buildBatchTargets` with `alpha`) and passes `alpha: null` here.
 */
export function binaryElementLoss(
  mode: LossMode,
  logits: tf.Tensor,
  targets: tf.Tensor,
  p: { alpha: number | null; gamma: number; beta: number },
  weights: tf.Tensor | null = null,
): tf.Tensor {
  if (mode === 'focal')
    return sigmoidFocalLossBinary(logits, targets, { alpha: p.alpha, gamma: p.gamma, weights });
  if (mode === 'focal_star')
    return sigmoidFocalLossStarBinary(logits, targets, {
      alpha: p.alpha,
      gamma: p.gamma,
      beta: p.beta,
      weights,
    });
  return sigmoidFocalLossBinary(logits, targets, { alpha: p.alpha, gamma: 0, weights });
}

/**
 * Smooth-L1 with transition β, summed: Σ 0.5 q²/β + (|z| − q), q = min(|z|, β) — equal to 0.5 z²/β for |z| < β
 * and |z| − 0.5β otherwise, written without `where` so the gradient is one fused chain.
 */
export function smoothL1Sum(pred: tf.Tensor, target: tf.Tensor, beta: number): tf.Scalar {
  return tf.tidy(() => {
    const a = tf.abs(tf.sub(pred, target));
    const q = tf.minimum(a, beta);
    return tf.sum(tf.add(tf.mul(tf.square(q), 0.5 / beta), tf.sub(a, q)));
  });
}

/**
 * OHEM selection without gradient: for each image b, the k_b = min(#bg_b, ratio·max(1, F_b)) background anchors of
 * highest CE, CE_n = Σ_k softplus(x_{n,k}) (targets are 0 on background anchors). Returns a [B, N, 1] 0/1 mask.
 * Implemented as `tf.customGrad` with a zero gradient so `TopK` (which has no gradient) stays off the tape.
 */
function makeOhemMask(kPerImage: Int32Array): (logits: tf.Tensor, bg: tf.Tensor) => tf.Tensor {
  const B = kPerImage.length;
  const kMax = Math.max(1, ...kPerImage);
  // sel[b, j] = 1 at j = k_b − 1: picks each image's k_b-th largest loss as its threshold.
  const sel = new Float32Array(B * kMax);
  for (let b = 0; b < B; b++) if (kPerImage[b] > 0) sel[b * kMax + kPerImage[b] - 1] = 1;
  const hasK = Float32Array.from(kPerImage, (k) => (k > 0 ? 1 : 0));
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const logits = args[0] as tf.Tensor;
    const bg = args[1] as tf.Tensor;
    const value = tf.tidy(() => {
      const anchorLoss = tf.sum(tf.softplus(logits), 2); // [B, N]
      // Non-candidates get −1 (< every CE ≥ 0), so they are never selected.
      const cand = tf.sub(tf.mul(anchorLoss, bg), tf.sub(1, bg));
      const top = tf.topk(cand, Math.min(kMax, cand.shape[1] ?? kMax)).values; // [B, kMax]
      const thr = tf.sum(tf.mul(top, tf.tensor2d(sel, [B, kMax])), 1, true); // [B, 1], the k_b-th largest loss
      // ≥ threshold (ties at the threshold are all kept), background only, none for images with k_b = 0.
      const chosen = tf.mul(
        tf.mul(tf.cast(tf.greaterEqual(cand, thr), 'float32'), bg),
        tf.tensor2d(hasK, [B, 1]),
      );
      return tf.expandDims(chosen, 2);
    });
    return { value, gradFunc: () => [tf.zerosLike(logits), tf.zerosLike(bg)] };
  }) as unknown as (logits: tf.Tensor, bg: tf.Tensor) => tf.Tensor;
}

/**
 * Creates a trainer: model from `config.seed`, optimiser (tf.train.adam or tf.train.momentum), anchor set.
 * It changes no global kernels: on WASM it needs the gradient kernels that `ensureBackend` (lib/tf/backend.ts)
 * installs with the backend (or `wasmConvGradients.install()` after a bare `tf.setBackend`).
 */
export function createTrainer(config: TrainConfig = {}): Trainer {
  const c = resolveTrainConfig(config);
  const model = createModel(c.model, c.seed);
  const K = model.config.numClasses;
  const anchors = anchorsFor(c);
  if (anchors.anchorsPerLocation !== model.config.anchorsPerLocation) {
    throw new RangeError(
      `train: anchors give A = ${anchors.anchorsPerLocation} but the model has A = ${model.config.anchorsPerLocation}`,
    );
  }
  const N = anchors.numAnchors;
  const optimizer = c.optimizer === 'adam' ? tf.train.adam(c.lr) : tf.train.momentum(c.lr, c.momentum);
  // The 1:3 sampler's own stream: independent of the data stream and of the weight init.
  const samplerRng = createRng(deriveSeed(c.seed, 'focal-lab/train/sampler/v1'));
  const rand = () => samplerRng.float();
  const lossParams = { alpha: c.alpha, gamma: c.gamma, beta: c.beta };
  let stepCount = 0;

  const setLr = (lr: number) => {
    // SGD/momentum caches −lr in a scalar (setLearningRate rebuilds it); Adam reads this.learningRate per call.
    if (c.optimizer === 'sgd') (optimizer as tf.MomentumOptimizer).setLearningRate(lr);
    else (optimizer as unknown as { learningRate: number }).learningRate = lr;
  };

  function step(batch: TrainBatch): StepStats {
    const t0 = performance.now();
    const B = batch.boxes.length;
    const size = c.imageSize;
    if (batch.images.length !== B * size * size * 3) {
      throw new RangeError(
        `train: images has ${batch.images.length} values, expected ${B}×${size}×${size}×3`,
      );
    }
    const fast = c.lossImpl === 'fast';
    const tg = buildBatchTargets(batch, anchors, K, c.loss, {
      assign: c.assign,
      negPosRatio: c.negPosRatio,
      rand,
      alpha: fast ? c.alpha : null,
    });
    const lr = learningRateAt(stepCount, c);
    setLr(lr);
    const invF = 1 / Math.max(1, tg.numFg);
    const kPerImage = new Int32Array(B);
    if (c.loss === 'ce_ohem') {
      for (let b = 0; b < B; b++) {
        let nb = 0;
        for (let n = 0; n < N; n++) nb += tg.bg[b * N + n];
        kPerImage[b] = Math.min(nb, Math.round(c.negPosRatio * Math.max(1, tg.fgPerImage[b])));
      }
    }
    const values = tf.tidy(() => {
      const images = tf.tensor4d(batch.images, [B, size, size, 3]);
      const clsT = tf.tensor3d(tg.cls, [B, N, K]);
      let weight = tf.tensor3d(tg.weight, [B, N, K]);
      const fgIndex = tf.tensor1d(tg.fgIndex, 'int32');
      const boxT = tf.tensor2d(tg.boxTargets, [tg.numFg, 4]);
      const bg = c.loss === 'ce_ohem' ? tf.tensor2d(tg.bg, [B, N]) : null;
      const ohem = c.loss === 'ce_ohem' ? makeOhemMask(kPerImage) : null;
      let stats: tf.Tensor | null = null;
      const { grads } = tf.variableGrads(() => {
        const out = forward(model, images);
        if (ohem && bg) {
          // Mined background anchors, all K elements (α_t = 1 − α when folded).
          const negW = fast ? alphaT(0, c.alpha) : 1;
          weight = tf.add(weight, tf.mul(ohem(out.cls, bg), negW));
        }
        // w·ℓ per element; 'fast' has α_t inside `weight` already, 'lib' applies α itself.
        const elem = fast
          ? binaryElementLoss(c.loss, out.cls, clsT, { ...lossParams, alpha: null }, weight)
          : tf.mul(elementLoss(c.loss, out.cls, clsT, lossParams), weight);
        const clsLoss = tf.mul(tf.sum(elem), invF);
        const boxLoss =
          tg.numFg > 0
            ? tf.mul(smoothL1Sum(tf.gather(tf.reshape(out.box, [B * N, 4]), fgIndex), boxT, c.boxBeta), invF)
            : tf.scalar(0);
        const total = tf.add(clsLoss, boxLoss) as tf.Scalar;
        // Statistics (not on the gradient path): split of the class loss, kept past variableGrads' scope.
        const pos = tf.mul(tf.sum(tf.mul(elem, clsT)), invF);
        const hardNegMask = tf.mul(tf.sub(1, clsT), tf.cast(tf.greater(out.cls, 0), 'float32'));
        const hardNeg = tf.mul(tf.sum(tf.mul(elem, hardNegMask)), invF);
        stats = tf.keep(tf.stack([total, clsLoss, boxLoss, pos, hardNeg]));
        return total;
      }, [model.params]);
      const g = grads[model.params.name];
      const gradNorm = tf.sqrt(tf.sum(tf.square(g)));
      optimizer.applyGradients([{ name: model.params.name, tensor: g }]);
      const all = tf.concat([stats!, tf.reshape(gradNorm, [1])]);
      stats!.dispose();
      return all.dataSync();
    });
    stepCount++;
    const [total, cls, box, clsPos, clsHardNeg, gradNorm] = Array.from(values);
    return {
      step: stepCount,
      total,
      cls,
      box,
      clsPos,
      clsHardNeg,
      clsEasyNeg: cls - clsPos - clsHardNeg,
      numFg: tg.numFg,
      numNeg: tg.numNeg,
      gradNorm,
      lr,
      ms: performance.now() - t0,
    };
  }

  return {
    config: c,
    model,
    anchors,
    get stepCount() {
      return stepCount;
    },
    step,
    dispose() {
      optimizer.dispose();
      disposeModel(model);
    },
  };
}

/**
 * Training minibatch `step` of a run: images step·B … step·B + B − 1 of the 'train' split of dataset `seed`
 * (`makeBatch`), so a run's data stream is fixed by its seed and independent of the held-out 'eval' split.
 */
export function trainingBatch(
  seed: number,
  step: number,
  batchSize: number,
  data: Partial<DataOptions> = {},
): Batch {
  return makeBatch(seed, batchSize, data, { split: 'train', startIndex: step * batchSize });
}
