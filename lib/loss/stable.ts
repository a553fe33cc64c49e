/**
 * Numerically stable building blocks in logit space, shared by every loss in lib/loss.
 *
 * Why these exist: the textbook formulas work on probabilities, and in float32 σ(x) rounds to exactly 1 for
 * x ≳ 17 (and 1 − σ(x) to 0), so log(p) and log(1 − p) become −∞ and their gradients NaN. Everything here is
 * written with `tf.softplus`, whose CPU and WASM kernels switch to the asymptotic forms (x or eˣ) at |x| ≈ 14 and
 * whose gradient is σ(x) — finite for every finite input.
 *
 * We deliberately avoid:
 * - `tf.logSigmoid`: in tfjs 4.22 its gradient throws ("Cannot read properties of undefined (reading
 *   'backend')") when applied to an intermediate tensor inside `tf.grad` (reproduced on CPU and WASM);
 * - `tf.log1p` on WASM: the WASM kernel evaluates log(1 + x) in float32, so log1p(1e-7) returns 1.19e-7.
 */
import * as tf from '@tensorflow/tfjs-core';

/** log σ(x) = −softplus(−x), elementwise; finite for finite x. Shape and dtype (float32) of `x`. */
export function logSigmoidStable(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.neg(tf.softplus(tf.neg(x))));
}

/**
 * log(eᵃ + eᵇ) elementwise, as max(a, b) + softplus(−|a − b|). Both inputs must be finite (callers clamp), so the
 * gradient is finite too: d/da = σ(a − b), d/db = σ(b − a).
 */
export function logAddExp(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(tf.maximum(a, b), tf.softplus(tf.neg(tf.abs(tf.sub(a, b))))));
}

/**
 * log(1 − p_t) for a sigmoid output p = σ(x) and a (possibly soft) target t ∈ [0, 1], where
 * p_t = p·t + (1 − p)(1 − t), so 1 − p_t = p(1 − t) + (1 − p)t.
 *
 * - Hard targets (t ∈ {0, 1}): 1 − p_t = σ(−x_t) with x_t = x for t = 1 and −x for t = 0, hence
 *   log(1 − p_t) = −softplus(x_t) — exact, finite for every finite x.
 * - Soft targets: log(1 − p_t) = logaddexp(log(1 − t) + log σ(x), log t + log σ(−x)), with log t and log(1 − t)
 *   clamped to ≥ log(1e-30) so the unused branch never holds −∞ (an ∞ anywhere in the graph turns into NaN
 *   gradients through `tf.where`, whose backward pass multiplies by a 0/1 mask).
 *
 * Shapes: `logits` and `targets` identical; returns that shape, float32, always finite and ≤ 0.
 */
export function logOneMinusPt(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const spPos = tf.softplus(logits); // −log(1 − p)
    const spNeg = tf.softplus(tf.neg(logits)); // −log p
    const hardOne = tf.neg(spPos);
    const hardZero = tf.neg(spNeg);
    const tiny = tf.scalar(1e-30);
    const logT = tf.log(tf.maximum(targets, tiny));
    const log1mT = tf.log(tf.maximum(tf.sub(1, targets), tiny));
    const soft = logAddExp(tf.sub(log1mT, spNeg), tf.sub(logT, spPos));
    return tf.where(tf.equal(targets, 1), hardOne, tf.where(tf.equal(targets, 0), hardZero, soft));
  });
}

/**
 * Binary cross-entropy with logits, −[t log σ(x) + (1 − t) log(1 − σ(x))] = t·softplus(−x) + (1 − t)·softplus(x),
 * elementwise (the same quantity as torch's `binary_cross_entropy_with_logits`). Units: nats.
 */
export function bceWithLogits(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  return tf.tidy(() =>
    tf.add(tf.mul(targets, tf.softplus(tf.neg(logits))), tf.mul(tf.sub(1, targets), tf.softplus(logits))),
  );
}
