/**
 * Sigmoid focal loss (Lin et al., ICCV 2017, §3.2 eq. 5 and Appendix A), computed from logits.
 *
 * All functions take raw logits x (never probabilities), any shape, float32, and return either the per-element
 * loss (reduction 'none', same shape) or a scalar. Units: nats. They run on any tfjs backend and are safe inside
 * `tf.grad`: for every finite logit and γ ≥ 0 the loss and its gradient are finite (see ./stable.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients; `tf.grad` over our losses needs them (the full @tensorflow/tfjs
// package does this import itself, which lib/ must not depend on).
import '../tf/gradients';
import { bceWithLogits, logOneMinusPt } from './stable';
import {
  asFloat,
  checkAlpha,
  checkFinite,
  checkGamma,
  checkReduction,
  checkSameShape,
  reduce,
  type Reduction,
  type SigmoidFocalOptions,
  type SigmoidFocalStarOptions,
} from './types';

/**
 * α_t = α·t + (1 − α)(1 − t): positives weighted α, negatives 1 − α, soft targets interpolated (torchvision).
 * Returns null when alpha is null (no weighting).
 */
function alphaWeight(targets: tf.Tensor, alpha: number | null): tf.Tensor | null {
  if (alpha === null) return null;
  return tf.add(tf.mul(targets, alpha), tf.mul(tf.sub(1, targets), 1 - alpha));
}

/**
 * Modulating factor (1 − p_t)^γ of the focal loss, with p = σ(x) and p_t = p·t + (1 − p)(1 − t).
 *
 * Computed as exp(γ · log(1 − p_t)) with log(1 − p_t) taken stably from the logits (−softplus(x_t) for hard
 * targets). Why: autodiff of pow(1 − p_t, γ) has the factor γ(1 − p_t)^(γ−1), which is ∞ for γ < 1 once p_t
 * rounds to 1 in float32 (x_t ≳ 17), giving NaN gradients (torchvision, kornia, optax all do this). Here the
 * derivative is γ·(1 − p_t)^γ·d log(1 − p_t)/dx, a product of finite numbers. γ = 0 gives exactly 1.
 *
 * @param logits any shape, float32
 * @param targets same shape, values in [0, 1]
 * @returns same shape, values in [0, 1]
 */
export function modulatingFactor(logits: tf.Tensor, targets: tf.Tensor, gamma: number): tf.Tensor {
  checkGamma(gamma);
  checkSameShape(logits, targets);
  return tf.tidy(() => tf.exp(tf.mul(gamma, logOneMinusPt(asFloat(logits), asFloat(targets)))));
}

/**
 * Sigmoid focal loss, torchvision.ops.sigmoid_focal_loss semantics:
 *
 *   ce   = BCE-with-logits(x, t) = t·softplus(−x) + (1 − t)·softplus(x)
 *   p_t  = p·t + (1 − p)(1 − t),  p = σ(x)
 *   loss = α_t · ce · (1 − p_t)^γ,  α_t = α·t + (1 − α)(1 − t)   (α_t = 1 when alpha is null)
 *
 * For hard targets this is the paper's FL(p_t) = −α_t (1 − p_t)^γ log(p_t) (eq. 5). Soft targets in [0, 1] are
 * allowed. γ = 0 returns exactly (α-balanced) cross-entropy.
 *
 * @param logits x, any shape, float32 (int tensors are cast)
 * @param targets t, same shape, values in [0, 1]
 * @returns per-element loss (reduction 'none', same shape) or a scalar ('mean' over all elements, 'sum'); nats
 */
export function sigmoidFocalLoss(
  logits: tf.Tensor,
  targets: tf.Tensor,
  { alpha = 0.25, gamma = 2, reduction = 'none' }: SigmoidFocalOptions = {},
): tf.Tensor {
  checkAlpha(alpha);
  checkGamma(gamma);
  checkReduction(reduction);
  checkSameShape(logits, targets);
  return tf.tidy(() => {
    const x = asFloat(logits);
    const t = asFloat(targets);
    let loss = bceWithLogits(x, t);
    // Skip the factor for γ = 0 so CE is structurally exact (exp(0·finite) would also give 1, but why compute it).
    if (gamma !== 0) loss = tf.mul(loss, tf.exp(tf.mul(gamma, logOneMinusPt(x, t))));
    const w = alphaWeight(t, alpha);
    if (w !== null) loss = tf.mul(w, loss);
    return reduce(loss, reduction);
  });
}

/**
 * FL*, the paper's alternative focal loss (Appendix A, eqs. 6–8, Figure 5):
 *
 *   x_t = y·x (y = +1 for t = 1, −1 for t = 0),  p*_t = σ(γ·x_t + β),  FL* = −log(p*_t)/γ = softplus(−(γ·x_t + β))/γ
 *
 * times α_t = α·t + (1 − α)(1 − t) when alpha is not null. The paper's Table 3 uses γ = 2, β = 1 and γ = 4, β = 0.
 * Its derivative is d(FL*)/dx = y(p*_t − 1) (eq. 11), finite everywhere.
 * Soft targets (not in the paper) interpolate like BCE: t·FL*(x, y=+1) + (1 − t)·FL*(x, y=−1), times α_t.
 *
 * @param logits x, any shape, float32
 * @param targets t, same shape, {0, 1} (or soft in [0, 1])
 * @returns per-element loss or a scalar (see reduction); nats
 */
export function sigmoidFocalLossStar(
  logits: tf.Tensor,
  targets: tf.Tensor,
  { alpha = 0.25, gamma = 2, beta = 1, reduction = 'none' }: SigmoidFocalStarOptions = {},
): tf.Tensor {
  checkAlpha(alpha);
  checkGamma(gamma, { positive: true });
  checkFinite('beta', beta);
  checkReduction(reduction);
  checkSameShape(logits, targets);
  return tf.tidy(() => {
    const x = asFloat(logits);
    const t = asFloat(targets);
    const gx = tf.mul(x, gamma);
    const posTerm = tf.softplus(tf.neg(tf.add(gx, beta))); // y = +1: −log σ(γx + β)
    const negTerm = tf.softplus(tf.sub(gx, beta)); // y = −1: −log σ(−γx + β)
    let loss = tf.div(tf.add(tf.mul(t, posTerm), tf.mul(tf.sub(1, t), negTerm)), gamma);
    const w = alphaWeight(t, alpha);
    if (w !== null) loss = tf.mul(w, loss);
    return reduce(loss, reduction);
  });
}

/**
 * Binary cross-entropy from logits, CE = t·softplus(−x) + (1 − t)·softplus(x): the focal loss with γ = 0 and no α.
 * Shapes and reduction as in {@link sigmoidFocalLoss}.
 */
export function binaryCrossEntropy(
  logits: tf.Tensor,
  targets: tf.Tensor,
  { reduction = 'none' }: { reduction?: Reduction } = {},
): tf.Tensor {
  return sigmoidFocalLoss(logits, targets, { alpha: null, gamma: 0, reduction });
}

/**
 * α-balanced cross-entropy, −α_t log(p_t) (paper §3.1): the focal loss with γ = 0. Default α = 0.25 as in
 * {@link sigmoidFocalLoss}; note the paper's best α for plain CE was 0.75 (Table 1a).
 */
export function alphaBalancedCrossEntropy(
  logits: tf.Tensor,
  targets: tf.Tensor,
  { alpha = 0.25, reduction = 'none' }: { alpha?: number | null; reduction?: Reduction } = {},
): tf.Tensor {
  return sigmoidFocalLoss(logits, targets, { alpha, gamma: 0, reduction });
}
