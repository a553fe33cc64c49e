/**
 * Softmax (multi-class) focal loss: footnote 1 of the paper's §3, "Extending the focal loss to the multi-class case
 * is straightforward and works well". Taught in chapter 3 (components/figures/SoftmaxFocalFigure.tsx).
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tf/gradients';
import { checkGamma, checkReduction, reduce, type SoftmaxFocalOptions } from './types';
import { tidyValues } from '../tf/tidyValues';

/**
 * Softmax focal loss over N examples and C ≥ 2 classes:
 *
 *   log p_t       = x_{i,y_i} − logsumexp_j x_{i,j}                 (log-softmax of the true class)
 *   log(1 − p_t)  = logsumexp_{j≠y_i} x_{i,j} − logsumexp_j x_{i,j}  (stable even when p_t rounds to 1)
 *   loss_i        = −α_{y_i} · exp(γ·log(1 − p_t)) · log p_t
 *
 * α_{y_i} is the weight of the true class (1 when alpha is null). reduction 'mean' divides by N, 'sum' adds,
 * 'none' returns [N]. With C = 2 and alpha null this equals the sigmoid focal loss on the logit difference.
 *
 * @param logits [N, C] float32
 * @param labels [N] int32 class indices in [0, C). Values are not read back to check them (that would force a
 *   GPU sync); an out-of-range label selects no class and yields loss 0, or a gather error when alpha is set.
 * @returns [N] (reduction 'none') or a scalar; nats
 */
export function softmaxFocalLoss(
  logits: tf.Tensor,
  labels: tf.Tensor,
  { alpha = null, gamma = 2, reduction = 'none' }: SoftmaxFocalOptions = {},
): tf.Tensor {
  checkGamma(gamma);
  checkReduction(reduction);
  if (logits.rank !== 2) throw new RangeError(`logits must be [N, C]; got rank ${logits.rank}`);
  const [n, c] = logits.shape as [number, number];
  if (c < 2) throw new RangeError(`softmaxFocalLoss needs C >= 2 classes; got ${c}`);
  if (labels.rank !== 1 || labels.shape[0] !== n) {
    throw new RangeError(`labels must be [${n}]; got [${labels.shape.join(', ')}]`);
  }
  if (labels.dtype !== 'int32') throw new RangeError(`labels must be int32; got ${labels.dtype}`);
  if (alpha !== null) {
    if (alpha.length !== c) throw new RangeError(`alpha must have C = ${c} entries; got ${alpha.length}`);
    for (const a of alpha) {
      if (!Number.isFinite(a) || a < 0)
        throw new RangeError(`alpha entries must be finite and >= 0; got ${a}`);
    }
  }
  return tf.tidy(() => {
    const x = logits.dtype === 'float32' ? logits : tf.cast(logits, 'float32');
    const oneHot = tf.oneHot(labels, c); // int32 [N, C]
    const isTrue = tf.cast(oneHot, 'bool');
    const logp = tf.logSoftmax(x); // [N, C]
    const logPt = tf.sum(tf.mul(logp, tf.cast(oneHot, 'float32')), 1); // [N]
    // −∞ on the true class drops it from the logsumexp; exp(−∞) = 0 keeps its gradient 0, not NaN.
    const others = tf.where(isTrue, tf.fill([n, c], -Infinity), logp);
    const log1mPt = tf.logSumExp(others, 1); // [N]
    let loss = tf.neg(logPt);
    if (gamma !== 0) loss = tf.mul(loss, tf.exp(tf.mul(gamma, log1mPt)));
    if (alpha !== null) loss = tf.mul(loss, tf.gather(tf.tensor1d(alpha as number[], 'float32'), labels));
    return reduce(loss, reduction);
  });
}

/**
 * p_t of the true class when its logit is `margin` above each of the other K − 1 classes (all equal):
 * p_t = e^m / (e^m + K − 1) = 1 / (1 + (K − 1)·e^(−m)). Plain numbers.
 */
export function softmaxPtAtMargin(margin: number, numClasses: number): number {
  return 1 / (1 + (numClasses - 1) * Math.exp(-margin));
}

/** The margin m that gives the true class probability p_t among K classes: m = log(p_t·(K − 1)/(1 − p_t)). */
export function softmaxMarginForPt(pt: number, numClasses: number): number {
  return Math.log((pt * (numClasses - 1)) / (1 - pt));
}

/**
 * The softmax focal loss of one example against the true class's logit margin, through {@link softmaxFocalLoss}:
 * for each margin m the logits are [m, 0, …, 0] (K entries, the true class first), so p_t =
 * {@link softmaxPtAtMargin}(m, K). γ = 0 is softmax cross-entropy. No α.
 *
 * @param margins N margins (logit units)
 * @param numClasses K ≥ 2
 * @returns N losses (nats)
 */
export function softmaxMarginCurve(margins: readonly number[], numClasses: number, gamma: number): number[] {
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new RangeError(`softmaxMarginCurve: numClasses must be an integer >= 2; got ${numClasses}`);
  }
  const values = tidyValues(() => {
    const n = margins.length;
    const logits = tf.concat(
      [tf.tensor2d(margins as number[], [n, 1], 'float32'), tf.zeros([n, numClasses - 1])],
      1,
    );
    return softmaxFocalLoss(logits, tf.zeros([n], 'int32'), { gamma });
  });
  return Array.from(values);
}
