/**
 * The reference loss of each loss mode for tests: the general soft-target lib/loss functions
 * (`sigmoidFocalLoss`, `sigmoidFocalLossStar`), with α applied by the loss. The production path
 * (lib/detector/lossFunctions, hard-target core, α_t folded into the element weights) is checked against these;
 * like micrograd's PyTorch cross-check, the second code path lives in the tests only.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { sigmoidFocalLoss, sigmoidFocalLossStar } from '../../lib/loss';
import type { LossMode, LossParams } from '../../lib/detector/lossModes';

type SoftLoss = (logits: tf.Tensor, targets: tf.Tensor, p: LossParams) => tf.Tensor;

const crossEntropy: SoftLoss = (l, t, p) => sigmoidFocalLoss(l, t, { alpha: p.alpha, gamma: 0 });

/** Per-element loss ℓ(x, y) of each mode, same shape as the logits. */
export const SOFT_LOSS: Record<LossMode, SoftLoss> = {
  focal: (l, t, p) => sigmoidFocalLoss(l, t, { alpha: p.alpha, gamma: p.gamma }),
  ce: crossEntropy,
  focal_star: (l, t, p) => sigmoidFocalLossStar(l, t, { alpha: p.alpha, gamma: p.gamma, beta: p.beta }),
  ce_sampled: crossEntropy,
  ce_ohem: crossEntropy,
};
