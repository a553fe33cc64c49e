/**
 * Shared option types and validation for the focal-loss core.
 */
import * as tf from '@tensorflow/tfjs-core';

/** How per-element losses are combined: 'none' keeps the input shape, 'mean' averages every element, 'sum' adds. */
export type Reduction = 'none' | 'mean' | 'sum';

export const REDUCTIONS: readonly Reduction[] = ['none', 'mean', 'sum'];

/** Options of {@link sigmoidFocalLoss}; defaults follow torchvision (α = 0.25, γ = 2, reduction 'none'). */
export interface SigmoidFocalOptions {
  /** Weight of positives (negatives get 1 − α; soft targets α_t = α·t + (1 − α)(1 − t)); null = no weighting. */
  alpha?: number | null;
  /** Focusing parameter γ ≥ 0; γ = 0 is (α-balanced) cross-entropy. */
  gamma?: number;
  reduction?: Reduction;
}

/** Options of {@link sigmoidFocalLossStar}: p*_t = σ(γ·x_t + β), FL* = −log(p*_t)/γ (paper, Appendix A). */
export interface SigmoidFocalStarOptions {
  alpha?: number | null;
  /** γ > 0 (FL* divides by γ). */
  gamma?: number;
  /** Shift β of the logit (any finite number). */
  beta?: number;
  reduction?: Reduction;
}

/**
 * Extra option of the hard-target losses {@link sigmoidFocalLossBinary} and {@link sigmoidFocalLossStarBinary}.
 */
export interface BinaryWeightOptions {
  /**
   * Per-element weights w ≥ 0, same shape as the logits or broadcastable to it (e.g. a 0/1 mask of the elements
   * that enter the loss); the per-element loss becomes w·α_t·ℓ before the reduction. null = 1. Treated as a
   * constant: pass a tensor that does not depend on the logits (its gradient is not needed).
   */
  weights?: tf.Tensor | null;
}

/** Options of {@link sigmoidFocalLossBinary}: those of {@link sigmoidFocalLoss} plus `weights`. */
export interface SigmoidFocalBinaryOptions extends SigmoidFocalOptions, BinaryWeightOptions {}

/** Options of {@link sigmoidFocalLossStarBinary}: those of {@link sigmoidFocalLossStar} plus `weights`. */
export interface SigmoidFocalStarBinaryOptions extends SigmoidFocalStarOptions, BinaryWeightOptions {}

/** Options of {@link softmaxFocalLoss}. */
export interface SoftmaxFocalOptions {
  /** Per-class weights (length C); the weight of the true class multiplies each example; null = 1. */
  alpha?: readonly number[] | null;
  gamma?: number;
  reduction?: Reduction;
}

export function checkReduction(reduction: unknown): asserts reduction is Reduction {
  if (!REDUCTIONS.includes(reduction as Reduction)) {
    throw new RangeError(`reduction must be one of ${REDUCTIONS.join(', ')}; got ${String(reduction)}`);
  }
}

export function checkGamma(gamma: unknown, { positive = false } = {}): asserts gamma is number {
  if (typeof gamma !== 'number' || !Number.isFinite(gamma) || gamma < 0 || (positive && gamma === 0)) {
    throw new RangeError(`gamma must be a finite number ${positive ? '> 0' : '>= 0'}; got ${String(gamma)}`);
  }
}

export function checkAlpha(alpha: unknown): asserts alpha is number | null {
  if (alpha === null) return;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 0 || alpha > 1) {
    // torchvision turns weighting off with α < 0; we make "off" explicit (null) and reject the rest.
    throw new RangeError(`alpha must be null or a number in [0, 1]; got ${String(alpha)}`);
  }
}

/**
 * logit(p) = log p − log(1 − p), the inverse of σ, in float64 (log1p keeps it exact near p = 0): −∞ at 0, +∞ at
 * 1, NaN outside [0, 1]. For preparing inputs and placing axis ticks, not inside a loss.
 */
export function logit(p: number): number {
  return Math.log(p) - Math.log1p(-p);
}

export function checkFinite(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number; got ${String(value)}`);
  }
}

export function checkSameShape(logits: tf.Tensor, targets: tf.Tensor): void {
  if (!tf.util.arraysEqual(logits.shape, targets.shape)) {
    throw new RangeError(
      `logits and targets must have the same shape; got [${logits.shape.join(', ')}] and [${targets.shape.join(', ')}]`,
    );
  }
}

/** Applies a {@link Reduction} to a per-element loss tensor. 'mean' of an empty tensor is NaN, as in torch. */
export function reduce(loss: tf.Tensor, reduction: Reduction): tf.Tensor {
  if (reduction === 'mean') return tf.mean(loss);
  if (reduction === 'sum') return tf.sum(loss);
  return loss;
}

/** Casts to float32 when needed (int targets, int32 logits) without copying float32 inputs. */
export function asFloat(x: tf.Tensor): tf.Tensor {
  return x.dtype === 'float32' ? x : tf.cast(x, 'float32');
}
