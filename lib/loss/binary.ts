/**
 * Hard-target (y ∈ {0, 1}) forms of the sigmoid focal loss and of FL*: the same values and gradients as
 * {@link sigmoidFocalLoss} / {@link sigmoidFocalLossStar} (golden-tested on every 0/1 case), in ~⅓ of the backend
 * ops. This is the path every training step takes (lib/detector/train.ts).
 *
 * Why a second entry point and not a flag on the general one: the general functions accept soft targets, which
 * costs ~25 ops per element (four softplus, two log, `where`, logaddexp, …). With hard targets everything is a
 * function of the signed logit x_t = s·x, s = 2y − 1 (x_t = x for y = 1, −x for y = 0):
 *
 *   CE  = −log p_t          = softplus(−x_t)
 *   sp  = −log(1 − p_t)      = softplus(x_t) = CE + x_t            (identity softplus(z) − softplus(−z) = z)
 *   FL  = α_t · CE · exp(−γ·sp) = −α_t (1 − p_t)^γ log p_t          (paper eq. 5)
 *   FL* = α_t · softplus(−(γ·x_t + β)) / γ = −α_t log σ(γ x_t + β)/γ (paper Appendix A, eqs. 6–8)
 *
 * with α_t = α for y = 1 and 1 − α for y = 0. On the WASM backend the transcendental ops dominate (~1 ms each for
 * the 145k logits of a batch of 16, forward and backward), so one softplus and one exp instead of four softplus,
 * two logs and an exp roughly halve the loss's share of a step.
 *
 * Stability (the contract of lib/loss, see ./stable.ts): loss and gradient are finite for every finite logit and
 * γ ≥ 0. The modulating factor is exp(−γ·sp), never pow(1 − p_t, γ), so γ < 1 on confident predictions has no
 * autodiff ∞·0. sp is formed as CE + x_t rather than a second softplus: its absolute error is ~ulp(max(|x_t|, 1))
 * only inside softplus's exact-log region (|x_t| ≲ 14, error ≲ 1e-6), and exactly 0 beyond it where softplus
 * returns its argument; either way the factor exp(−γ·sp) moves by a relative ≤ γ·1e-6. γ = 0 returns CE exactly
 * (the factor is skipped).
 *
 * Exactness at the extremes: the focal term's derivative is written out ({@link focalTerm}), not left to autodiff.
 * Autodiff of exp(−γ·(CE + x_t)) differentiates CE + x_t as −(1 − p_t) + 1, two numbers that cancel to a float32
 * rounding error (~6e-8) when p_t ≈ 0, and the 10⁴-sized CE at x_t = −10⁴ then multiplies it: −0.990234375 instead
 * of −0.99 for α = 0.99. The closed form has no such difference (golden cases in
 * tests/golden/data/focal/extremes.json). FL* and α-CE have no cancelling sum, so autodiff is exact for them.
 *
 * Precondition: targets must be exactly 0 or 1. They are not read back to check (that would force a device
 * sync every step); any other value gives a meaningless loss. Use the general functions for soft targets.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tf/gradients';
import {
  fusedBinaryLoss,
  fusedBinaryLossAvailable,
  fusedBinaryLossSum,
  type FusedBinaryLossAttrs,
} from './fusedBinary';
// Registers the same kernels' WebGPU and WebGL shaders.
import './fusedBinaryGpu';
import {
  asFloat,
  checkAlpha,
  checkFinite,
  checkGamma,
  checkReduction,
  checkSameShape,
  reduce,
  type Reduction,
  type SigmoidFocalBinaryOptions,
  type SigmoidFocalStarBinaryOptions,
} from './types';

/**
 * The weight α_t of the α-balanced losses for one hard target: α for y = 1, 1 − α for y = 0 (paper §3.1), 1 when
 * alpha is null. Plain numbers, for callers that fold α_t into their own weight arrays on the CPU.
 */
export function alphaT(target: number, alpha: number | null): number {
  checkAlpha(alpha);
  if (alpha === null) return 1;
  return target === 1 ? alpha : 1 - alpha;
}

/** Throws unless `weights` broadcasts to exactly `shape` (so it can never enlarge the loss tensor). */
function checkWeights(shape: number[], weights: tf.Tensor): void {
  let ok: boolean;
  try {
    ok = tf.util.arraysEqual(tf.backend_util.assertAndGetBroadcastShape(shape, weights.shape), shape);
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new RangeError(
      `weights of shape [${weights.shape.join(', ')}] do not broadcast to the logits' shape [${shape.join(', ')}]`,
    );
  }
}

/**
 * The constant per-element factor w·α_t (or null when both are 1), from targets t ∈ {0, 1}:
 * α_t = (1 − α) + (2α − 1)·t. Built from constants only, so it adds no backward ops.
 */
function elementWeight(t: tf.Tensor, alpha: number | null, weights: tf.Tensor | null): tf.Tensor | null {
  const a = alpha === null ? null : tf.add(tf.mul(t, 2 * alpha - 1), 1 - alpha);
  if (weights === null) return a;
  const w = asFloat(weights);
  return a === null ? w : tf.mul(a, w);
}

/** Shared argument handling of the two binary losses: checks, then x_t = (2t − 1)·x and the element weight. */
function signedLogits(
  logits: tf.Tensor,
  targets: tf.Tensor,
  alpha: number | null,
  weights: tf.Tensor | null,
): { xt: tf.Tensor; w: tf.Tensor | null } {
  const x = asFloat(logits);
  const t = asFloat(targets);
  return { xt: tf.mul(x, tf.sub(tf.mul(t, 2), 1)), w: elementWeight(t, alpha, weights) };
}

/**
 * The loss, reduced, through the fused kernels of ./fusedBinary.ts when the active backend has them (CPU, WASM,
 * and WebGPU and WebGL through ./fusedBinaryGpu.ts),
 * else null (the caller takes the composite path). 'sum' and 'mean' take the sum kernel (no per-element loss, one
 * pass) unless the weights only broadcast to the logits' shape: those are multiplied after the per-element
 * kernel, which reads same-shape inputs only.
 */
function viaFusedKernel(
  logits: tf.Tensor,
  targets: tf.Tensor,
  weights: tf.Tensor | null,
  attrs: FusedBinaryLossAttrs,
  reduction: Reduction,
): tf.Tensor | null {
  if (!fusedBinaryLossAvailable()) return null;
  const sameShape = weights !== null && tf.util.arraysEqual(weights.shape, logits.shape);
  const w = sameShape ? asFloat(weights) : null;
  if (reduction !== 'none' && (weights === null || sameShape)) {
    return fusedBinaryLossSum(asFloat(logits), targets, w, attrs, reduction === 'mean' ? 1 / logits.size : 1);
  }
  const loss = fusedBinaryLoss(asFloat(logits), targets, w, attrs);
  return reduce(weights === null || sameShape ? loss : tf.mul(loss, asFloat(weights)), reduction);
}

/**
 * Sigmoid focal loss for hard targets y ∈ {0, 1}; equal to {@link sigmoidFocalLoss} on such targets (values and
 * gradients), in fewer ops (see the module comment):
 *
 *   x_t = (2y − 1)·x,  CE = softplus(−x_t),  loss = w · α_t · CE · exp(−γ·(CE + x_t))
 *
 * γ = 0 is (α-balanced) cross-entropy, exactly. α_t = α·y + (1 − α)(1 − y); alpha null → 1. w = `weights`
 * (default 1), applied before the reduction: 'mean' divides the weighted sum by the number of elements (torch's
 * `reduction='mean'` of a weighted loss), not by Σw.
 *
 * @param logits x, any shape, float32 (int tensors are cast)
 * @param targets y, same shape, values exactly 0 or 1 (float32, int32 or bool); not checked on the device
 * @returns per-element loss (reduction 'none', same shape) or a scalar ('mean', 'sum'); nats
 */
export function sigmoidFocalLossBinary(
  logits: tf.Tensor,
  targets: tf.Tensor,
  { alpha = 0.25, gamma = 2, reduction = 'none', weights = null }: SigmoidFocalBinaryOptions = {},
): tf.Tensor {
  checkAlpha(alpha);
  checkGamma(gamma);
  checkReduction(reduction);
  checkSameShape(logits, targets);
  if (weights !== null) checkWeights(logits.shape, weights);
  return tf.tidy(() => {
    const fused = viaFusedKernel(
      logits,
      targets,
      weights,
      { mode: 'focal', alpha: alpha ?? -1, gamma, beta: 0 },
      reduction,
    );
    if (fused) return fused;
    const { xt, w } = signedLogits(logits, targets, alpha, weights);
    let loss = gamma === 0 ? tf.softplus(tf.neg(xt)) : focalTerm(gamma)(xt);
    if (w !== null) loss = tf.mul(loss, w);
    return reduce(loss, reduction);
  });
}

/**
 * The unweighted hard-target focal term as a function of the signed logit, elementwise, with its derivative in
 * closed form (γ > 0; `xt` any shape, float32 → same shape, nats):
 *
 *   f(x_t)  = CE·(1 − p)^γ,  p = σ(x_t),  CE = softplus(−x_t),  (1 − p)^γ = exp(−γ·softplus(x_t))
 *   f′(x_t) = −(1 − p)^γ·[(1 − p) + γ·p·CE]      (dCE/dx_t = −(1 − p), d(1 − p)^γ/dx_t = −γ·p·(1 − p)^γ)
 *
 * p and 1 − p are each taken with σ (σ(x_t), σ(−x_t)), never as 1 − the other, so both keep their relative
 * precision in their small tails. Every factor is finite for finite x_t (CE ≤ |x_t| + log 2, the rest in [0, 1]),
 * so there is no 0·∞: at x_t = −10⁴, p = 0 and CE = 10⁴ give f′ = −1 exactly; at x_t = 10⁴, CE = 0 and
 * (1 − p)^γ = 0 give 0. Why not autodiff: see the module comment (cancellation in d(CE + x_t)/dx_t).
 */
function focalTerm(gamma: number): (xt: tf.Tensor) => tf.Tensor {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xt = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const ce = tf.softplus(tf.neg(xt));
    const factor = tf.exp(tf.mul(tf.add(ce, xt), -gamma));
    save([xt, ce, factor]);
    return {
      value: tf.mul(ce, factor),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [x, c, m] = saved;
          // −[(1 − p) + γ·p·CE] = (−γ)·p·CE − (1 − p)
          const bracket = tf.sub(tf.mul(tf.mul(tf.sigmoid(x), c), -gamma), tf.sigmoid(tf.neg(x)));
          return tf.mul(tf.mul(dy, m), bracket);
        }),
    };
  }) as unknown as (xt: tf.Tensor) => tf.Tensor;
}

/**
 * FL* for hard targets y ∈ {0, 1}; equal to {@link sigmoidFocalLossStar} on such targets:
 *
 *   x_t = (2y − 1)·x,  loss = w · α_t · softplus(−(γ·x_t + β)) / γ
 *
 * γ > 0, β any finite number; `weights`, α_t and reduction as in {@link sigmoidFocalLossBinary}.
 *
 * @param logits x, any shape, float32
 * @param targets y, same shape, exactly 0 or 1
 * @returns per-element loss or a scalar (see reduction); nats
 */
export function sigmoidFocalLossStarBinary(
  logits: tf.Tensor,
  targets: tf.Tensor,
  {
    alpha = 0.25,
    gamma = 2,
    beta = 1,
    reduction = 'none',
    weights = null,
  }: SigmoidFocalStarBinaryOptions = {},
): tf.Tensor {
  checkAlpha(alpha);
  checkGamma(gamma, { positive: true });
  checkFinite('beta', beta);
  checkReduction(reduction);
  checkSameShape(logits, targets);
  if (weights !== null) checkWeights(logits.shape, weights);
  return tf.tidy(() => {
    const fused = viaFusedKernel(
      logits,
      targets,
      weights,
      { mode: 'star', alpha: alpha ?? -1, gamma, beta },
      reduction,
    );
    if (fused) return fused;
    const { xt, w } = signedLogits(logits, targets, alpha, weights);
    // softplus(−(γ·x_t + β)) = softplus(−γ·x_t − β); the 1/γ folds into the weight when there is one.
    const sp = tf.softplus(tf.sub(tf.mul(xt, -gamma), beta));
    const loss = w === null ? tf.mul(sp, 1 / gamma) : tf.mul(sp, tf.mul(w, 1 / gamma));
    return reduce(loss, reduction);
  });
}
