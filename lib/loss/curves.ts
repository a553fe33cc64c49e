/**
 * Curve helpers for the site's figures (Figure 1: loss vs p_t; Figures 5–6: FL/FL* and their derivatives vs x_t).
 *
 * Every value is computed by the tensor functions in ./focal (no second JS formula for the losses), inside one
 * `tf.tidy` per call, and returned as plain number[] (float32 precision). The only JS math here converts the
 * x-axis (p_t → logit), which is input preparation, not a loss formula. Works on whichever tfjs backend is active;
 * on the main thread call `ensureCpuBackendSync()` (lib/tf/backend) first.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tf/gradients';
import { modulatingFactor, sigmoidFocalLoss, sigmoidFocalLossStar } from './focal';
import { checkFinite, logit } from './types';
import { tidyValues, tidyValuesAll } from '../tf/tidyValues';

export type CurveKind = 'focal' | 'focal_star';

/** Settings of one loss curve (see {@link lossCurves}). */
export interface CurveSetting {
  gamma: number;
  /** α (positives α, negatives 1 − α) or null for no weighting. */
  alpha: number | null;
  /** 'focal' (default) or 'focal_star' (then `beta` applies; γ must be > 0). */
  kind?: CurveKind;
  /** β of FL*; default 1 (the paper's FL* with γ = 2). Ignored for 'focal'. */
  beta?: number;
  /** Class of the example: 1 (default) = positive, 0 = negative. */
  target?: 0 | 1;
}

function checkProbabilities(name: string, values: readonly number[]): void {
  for (const v of values) {
    if (!Number.isFinite(v) || v <= 0 || v >= 1)
      throw new RangeError(`${name} values must lie in (0, 1); got ${v}`);
  }
}

function checkFiniteArray(name: string, values: readonly number[]): void {
  for (const v of values) checkFinite(name, v);
}

/**
 * The logit x that gives probability p_t to an example of class `target`: x = logit(p_t) for target 1, −logit(p_t)
 * for target 0 (so that x_t = y·x = logit(p_t)).
 */
export function logitsForPt(pt: readonly number[], target: 0 | 1 = 1): number[] {
  checkProbabilities('pt', pt);
  return pt.map((p) => (target === 1 ? logit(p) : -logit(p)));
}

/**
 * A grid of `n` p_t values from `min` to `max` (both included), uniform in logit(p_t). Why logit spacing: the
 * curves bend sharply near p_t → 0 (−log p_t) and p_t → 1 ((1 − p_t)^γ), which a linear grid would under-sample;
 * around p_t = 0.5 the step is ≈ (logit(max) − logit(min)) / (4(n − 1)) ≈ 0.017 with the defaults.
 *
 * @returns strictly increasing number[] of length n in (0, 1)
 */
export function ptGrid(n = 241, min = 1e-3, max = 1 - 1e-4): number[] {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`n must be an integer >= 2; got ${n}`);
  checkProbabilities('min/max', [min, max]);
  if (!(min < max)) throw new RangeError(`min must be < max; got ${min}, ${max}`);
  const lo = logit(min);
  const hi = logit(max);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const z = lo + ((hi - lo) * i) / (n - 1);
    out[i] = 1 / (1 + Math.exp(-z));
  }
  out[0] = min;
  out[n - 1] = max;
  return out;
}

/** Loss tensor for one setting at logits x (shape [n]), per element. */
function lossTensor(x: tf.Tensor1D, s: CurveSetting): tf.Tensor {
  const target = s.target ?? 1;
  const t = tf.fill(x.shape, target);
  if ((s.kind ?? 'focal') === 'focal_star') {
    return sigmoidFocalLossStar(x, t, { alpha: s.alpha, gamma: s.gamma, beta: s.beta ?? 1 });
  }
  return sigmoidFocalLoss(x, t, { alpha: s.alpha, gamma: s.gamma });
}

/**
 * Loss against the logit for several settings in one tidy: row k is the loss of `settings[k]` at each logit.
 * @param logits x values (finite), length n
 * @returns number[settings.length][n], nats
 */
export function lossVsLogitCurves(logits: readonly number[], settings: readonly CurveSetting[]): number[][] {
  checkFiniteArray('logits', logits);
  return tidyValuesAll(() => {
    const x = tf.tensor1d(logits as number[], 'float32');
    return settings.map((s) => lossTensor(x, s));
  }).map((v) => Array.from(v));
}

/**
 * Loss against p_t for several settings in one tidy (the batched form of {@link lossCurve}); each setting's
 * `target` decides which logit produces p_t.
 * @returns number[settings.length][pt.length], nats
 */
export function lossCurves(pt: readonly number[], settings: readonly CurveSetting[]): number[][] {
  checkProbabilities('pt', pt);
  return tidyValuesAll(() =>
    settings.map((s) => lossTensor(tf.tensor1d(logitsForPt(pt, s.target ?? 1), 'float32'), s)),
  ).map((v) => Array.from(v));
}

/**
 * Focal loss FL(p_t) = −α_t (1 − p_t)^γ log p_t of an example of class `target` (default 1), as a function of p_t
 * (paper Figure 1 with alpha null). Computed by {@link sigmoidFocalLoss} at x = ±logit(p_t).
 * @returns number[pt.length], nats
 */
export function lossCurve(opts: {
  pt: readonly number[];
  gamma: number;
  alpha: number | null;
  target?: 0 | 1;
}): number[] {
  return lossCurves(opts.pt, [{ gamma: opts.gamma, alpha: opts.alpha, target: opts.target ?? 1 }])[0];
}

/**
 * FL*(p_t) = α_t·(−log σ(γ·x_t + β))/γ with x_t = logit(p_t) (paper Appendix A), for an example of class `target`.
 * Here p_t = σ(x_t) is the model's probability of the true class, not p*_t.
 * @returns number[pt.length], nats
 */
export function lossStarCurve(opts: {
  pt: readonly number[];
  gamma: number;
  beta: number;
  alpha: number | null;
  target?: 0 | 1;
}): number[] {
  const { pt, gamma, beta, alpha, target = 1 } = opts;
  return lossCurves(pt, [{ gamma, beta, alpha, target, kind: 'focal_star' }])[0];
}

/**
 * Loss against the raw logit x (paper Figure 5 plots it against x_t = y·x; for target 1, x_t = x).
 * @returns number[logits.length], nats
 */
export function lossVsLogitCurve(opts: {
  logits: readonly number[];
  gamma: number;
  alpha: number | null;
  target: 0 | 1;
  kind: CurveKind;
  beta?: number;
}): number[] {
  const { logits, ...setting } = opts;
  return lossVsLogitCurves(logits, [setting])[0];
}

/**
 * Modulating factor (1 − p_t)^γ against p_t (via {@link modulatingFactor} at x = logit(p_t), target 1).
 * @returns number[pt.length] in [0, 1]
 */
export function modulatingFactorCurve(opts: { pt: readonly number[]; gamma: number }): number[] {
  const { pt, gamma } = opts;
  checkProbabilities('pt', pt);
  return Array.from(
    tidyValues(() => {
      const x = tf.tensor1d(logitsForPt(pt, 1), 'float32');
      return modulatingFactor(x, tf.onesLike(x), gamma);
    }),
  );
}

/**
 * dL/dx for several settings in one tidy, by `tf.grad` of the summed per-element loss (elements are independent,
 * so this is the elementwise derivative). Paper Figure 6 / Appendix B eqs. 9–11: dCE/dx = y(p_t − 1),
 * d(FL*)/dx = y(p*_t − 1).
 * @param logits x values (finite), length n
 * @returns number[settings.length][n], nats per logit unit
 */
export function gradientCurves(logits: readonly number[], settings: readonly CurveSetting[]): number[][] {
  checkFiniteArray('logits', logits);
  return tidyValuesAll(() => {
    const x = tf.tensor1d(logits as number[], 'float32');
    return settings.map((s) => tf.grad((xi: tf.Tensor) => tf.sum(lossTensor(xi as tf.Tensor1D, s)))(x));
  }).map((v) => Array.from(v));
}

/**
 * dL/dx of one focal (or FL*) setting at each logit; see {@link gradientCurves}.
 * @returns number[logits.length]
 */
export function gradientCurve(opts: {
  logits: readonly number[];
  gamma: number;
  alpha: number | null;
  target: 0 | 1;
  kind?: CurveKind;
  beta?: number;
}): number[] {
  const { logits, ...setting } = opts;
  return gradientCurves(logits, [setting])[0];
}
