/**
 * The tensor functions of each loss mode of ./lossModes, in one map keyed by the same ids. Everything that
 * computes a mode's loss (the trainer's step, the playground's live views) goes through `LOSS_FUNCTIONS`, and
 * every value comes from lib/loss; this module only picks the lib/loss function and its settings per mode.
 */
import * as tf from '@tensorflow/tfjs-core';
import { sigmoidFocalLossBinary, sigmoidFocalLossStarBinary } from '../loss/binary';
import type { CurveSetting } from '../loss/curves';
import type { LossMode, LossParams } from './lossModes';

/** The tensor side of one loss mode. */
export interface LossFunction {
  /**
   * Per-element classification loss ℓ(x, y) for hard targets y ∈ {0, 1}, times `weights`:
   * logits x [B, N, K], targets y [B, N, K], weights [B, N, K] (or broadcastable; null = 1) → [B, N, K], nats.
   * Uses the hard-target core of lib/loss (`sigmoidFocalLossBinary` / `sigmoidFocalLossStarBinary`, tested equal
   * to the soft-target functions on such targets). The trainer folds α_t into `weights` and passes α = null.
   */
  element(logits: tf.Tensor, targets: tf.Tensor, p: LossParams, weights: tf.Tensor | null): tf.Tensor;
  /** The same loss as a lib/loss curve setting (ℓ against p_t, `lossCurves`), without the target. */
  curve(p: LossParams): Omit<CurveSetting, 'target'>;
}

/** FL with the mode's γ (FL with γ = 0 is α-balanced cross-entropy, exactly; paper eq. 3–5). */
function focal(gammaOf: (p: LossParams) => number): LossFunction {
  return {
    element: (logits, targets, p, weights) =>
      sigmoidFocalLossBinary(logits, targets, { alpha: p.alpha, gamma: gammaOf(p), weights }),
    curve: (p) => ({ kind: 'focal', gamma: gammaOf(p), alpha: p.alpha }),
  };
}

const crossEntropy = focal(() => 0);

/** FL* = −log σ(γ x_t + β) / γ, α_t-weighted (paper Appendix A). */
const focalStar: LossFunction = {
  element: (logits, targets, p, weights) =>
    sigmoidFocalLossStarBinary(logits, targets, { alpha: p.alpha, gamma: p.gamma, beta: p.beta, weights }),
  curve: (p) => ({ kind: 'focal_star', gamma: p.gamma, alpha: p.alpha, beta: p.beta }),
};

/** Loss functions by mode (the sampling baselines differ in which anchors enter, not in ℓ: see `negatives`). */
export const LOSS_FUNCTIONS: Record<LossMode, LossFunction> = {
  focal: focal((p) => p.gamma),
  ce: crossEntropy,
  focal_star: focalStar,
  ce_sampled: crossEntropy,
  ce_ohem: crossEntropy,
};
