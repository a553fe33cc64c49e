/**
 * Varifocal loss (VFL), from Zhang, Wang, Dayoub and Sünderhauf, "VarifocalNet: An IoU-aware Dense Object
 * Detector", CVPR 2021, computed from logits.
 *
 * The target q is the IoU-aware classification score: for a positive's ground-truth class, the IoU of the
 * predicted box with its ground truth; 0 for every other class and for negatives. The loss is asymmetric:
 *
 *   VFL(p, q) = −q (q log p + (1 − q) log(1 − p))   if q > 0   (positives: BCE to q, weighted by q itself)
 *             = −α p^γ log(1 − p)                   if q = 0   (negatives: focal down-weighting only)
 *
 * with p = σ(x), α = 0.75 and γ = 2 in the paper. Unlike the focal loss, positives are not down-weighted by how
 * easy they are; high-quality positives (large q) weigh more. The negative branch is the sigmoid focal loss of a
 * negative with γ and weight α (Lin et al. write the negatives' weight as 1 − α_FL, so α = 0.75 here is their
 * α = 0.25).
 *
 * Stability (the contract of lib/loss, see ./stable.ts): every term is built from softplus, so loss and gradient
 * are finite for every finite logit:
 *   −log p = softplus(−x),  −log(1 − p) = softplus(x),  p^γ = exp(−γ·softplus(−x)).
 * The two branches are combined as q·BCE(x, q) + [q = 0]·α·p^γ·softplus(x): the first term is exactly 0 where
 * q = 0, and the 0/1 mask is a constant, so no `tf.where` needs a finite unused branch.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tf/gradients';
import { bceWithLogits } from './stable';
import { asFloat, checkReduction, checkSameShape, reduce, type Reduction } from './types';

/** Options of {@link varifocalLoss}; defaults are the paper's (α = 0.75, γ = 2). */
export interface VarifocalOptions {
  /** Weight α ≥ 0 of the negatives (q = 0). */
  alpha?: number;
  /** Exponent γ ≥ 0 of p in the negatives' factor p^γ; γ = 0 makes negatives plain α-weighted CE. */
  gamma?: number;
  reduction?: Reduction;
}

/** α and γ of VFL in Zhang et al. (2021). */
export const VFL_DEFAULTS = { alpha: 0.75, gamma: 2 } as const;

function checkNonNegative(name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new RangeError(`${name} must be a finite number >= 0; got ${String(v)}`);
  }
}

/**
 * Varifocal loss from logits:
 *
 *   loss = q · (q·softplus(−x) + (1 − q)·softplus(x))  +  [q = 0] · α · exp(−γ·softplus(−x)) · softplus(x)
 *
 * i.e. −q(q log p + (1 − q) log(1 − p)) for q > 0 and −α p^γ log(1 − p) for q = 0, p = σ(x).
 *
 * @param logits x, any shape, float32 (int tensors are cast)
 * @param targets q, same shape, IoU-aware scores in [0, 1]; exactly 0 marks a negative (not checked on the device)
 * @returns per-element loss (reduction 'none', same shape) or a scalar ('mean' over all elements, 'sum'); nats
 * @throws RangeError for α or γ negative or not finite, an unknown reduction, or different shapes
 */
export function varifocalLoss(
  logits: tf.Tensor,
  targets: tf.Tensor,
  { alpha = VFL_DEFAULTS.alpha, gamma = VFL_DEFAULTS.gamma, reduction = 'none' }: VarifocalOptions = {},
): tf.Tensor {
  checkNonNegative('alpha', alpha);
  checkNonNegative('gamma', gamma);
  checkReduction(reduction);
  checkSameShape(logits, targets);
  return tf.tidy(() => {
    const x = asFloat(logits);
    const q = asFloat(targets);
    const positive = tf.mul(q, bceWithLogits(x, q));
    const spPos = tf.softplus(x); // −log(1 − p)
    // p^γ = exp(γ log p) = exp(−γ softplus(−x)); γ = 0 skips it so the branch is exactly α·CE.
    const focal = gamma === 0 ? spPos : tf.mul(spPos, tf.exp(tf.mul(tf.softplus(tf.neg(x)), -gamma)));
    const negMask = tf.cast(tf.equal(q, 0), 'float32');
    const negative = tf.mul(focal, tf.mul(negMask, alpha));
    return reduce(tf.add(positive, negative), reduction);
  });
}
