/**
 * Quality focal loss (QFL), from Li et al., "Generalized Focal Loss: Learning Qualified and Distributed Bounding
 * Boxes for Dense Object Detection", NeurIPS 2020, computed from logits.
 *
 * The classification target becomes a soft quality label y ∈ [0, 1] (in GFL: the IoU of the predicted box with
 * its ground truth for a positive's class, 0 everywhere else), and the focal term (1 − p_t)^γ becomes the distance
 * to that label:
 *
 *   QFL(σ) = −|y − σ|^β · ((1 − y) log(1 − σ) + y log σ),  σ = σ(x),  β = 2 in the paper.
 *
 * Its minimum, 0, is at σ = y. For y ∈ {0, 1} it is the sigmoid focal loss of Lin et al. with γ = β and no α,
 * because then |y − σ| = 1 − p_t.
 *
 * Stability (the contract of lib/loss, see ./stable.ts): loss and gradient are finite for every finite logit.
 * The cross-entropy part is t·softplus(−x) + (1 − t)·softplus(x); the factor |y − σ|^β is exp(β·log|y − σ|) with
 * log|y − σ| taken from the logits:
 * - y = 1: log|1 − σ(x)| = log σ(−x) = −softplus(x); y = 0: log σ(x) = −softplus(−x). Exact for any finite x,
 *   where σ(x) − 1 would round to 0 in float32 for x ≳ 17 and lose the (tiny, but non-zero) loss.
 * - 0 < y < 1: y − σ(x) = y·σ(−x) − (1 − y)·σ(x), a difference of two bounded terms that cannot both be tiny,
 *   so it is accurate to ~1 ulp except at its root σ = y, where the loss is 0 anyway. |·| is clamped to ≥ 1e-30
 *   before the log so the root never produces log 0 = −∞ (an ∞ in an unused `tf.where` branch turns into NaN
 *   gradients). Near the root the factor's true slope is 0 for β > 1 (∞ for β < 1); the clamp gives 0.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tf/gradients';
import { bceWithLogits } from './stable';
import { asFloat, checkReduction, checkSameShape, reduce, type Reduction } from './types';

/** Options of {@link qualityFocalLoss}. */
export interface QualityFocalOptions {
  /** Exponent β ≥ 0 of the distance |y − σ|; β = 0 is soft-target binary cross-entropy. GFL uses β = 2. */
  beta?: number;
  reduction?: Reduction;
}

/** β of QFL in Li et al. (2020): 2. */
export const QFL_DEFAULT_BETA = 2;

function checkBeta(beta: unknown): asserts beta is number {
  if (typeof beta !== 'number' || !Number.isFinite(beta) || beta < 0) {
    throw new RangeError(`beta must be a finite number >= 0; got ${String(beta)}`);
  }
}

/**
 * log|y − σ(x)| elementwise, finite for every finite x (see the module comment): −softplus(x) where y = 1,
 * −softplus(−x) where y = 0, log(max(|y·σ(−x) − (1 − y)·σ(x)|, 1e-30)) otherwise.
 *
 * @param logits x, any shape, float32
 * @param targets y, same shape, values in [0, 1]
 * @returns same shape, float32, ≤ 0
 */
export function logAbsTargetGap(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  checkSameShape(logits, targets);
  return tf.tidy(() => {
    const x = asFloat(logits);
    const y = asFloat(targets);
    const hardOne = tf.neg(tf.softplus(x));
    const hardZero = tf.neg(tf.softplus(tf.neg(x)));
    const gap = tf.sub(tf.mul(y, tf.sigmoid(tf.neg(x))), tf.mul(tf.sub(1, y), tf.sigmoid(x)));
    const soft = tf.log(tf.maximum(tf.abs(gap), tf.scalar(1e-30)));
    return tf.where(tf.equal(y, 1), hardOne, tf.where(tf.equal(y, 0), hardZero, soft));
  });
}

/**
 * Quality focal loss from logits:
 *
 *   ce   = y·softplus(−x) + (1 − y)·softplus(x)        (= −(1 − y) log(1 − σ) − y log σ)
 *   loss = |y − σ(x)|^β · ce = exp(β·log|y − σ(x)|) · ce
 *
 * β = 0 returns exactly the soft-target cross-entropy. No class weight α (GFL has none).
 *
 * @param logits x, any shape, float32 (int tensors are cast)
 * @param targets y, same shape, soft quality labels in [0, 1] (not checked on the device: that would need a sync)
 * @returns per-element loss (reduction 'none', same shape) or a scalar ('mean' over all elements, 'sum'); nats
 * @throws RangeError for β < 0 or not finite, an unknown reduction, or different shapes
 */
export function qualityFocalLoss(
  logits: tf.Tensor,
  targets: tf.Tensor,
  { beta = QFL_DEFAULT_BETA, reduction = 'none' }: QualityFocalOptions = {},
): tf.Tensor {
  checkBeta(beta);
  checkReduction(reduction);
  checkSameShape(logits, targets);
  return tf.tidy(() => {
    const x = asFloat(logits);
    const y = asFloat(targets);
    let loss = bceWithLogits(x, y);
    if (beta !== 0) loss = tf.mul(loss, tf.exp(tf.mul(logAbsTargetGap(x, y), beta)));
    return reduce(loss, reduction);
  });
}
