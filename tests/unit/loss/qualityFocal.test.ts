/**
 * Quality focal loss (Li et al., NeurIPS 2020) from logits: against a float64 reference written here from the
 * paper's formula, against the existing focal loss on hard targets, gradients against finite differences of the
 * reference, and finiteness for logits up to ±1e4 on the CPU and WASM backends.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { logAbsTargetGap, qualityFocalLoss, sigmoidFocalLoss, type Reduction } from '../../../lib/loss';
import { expectAllFinite, expectClose } from '../../helpers/close';

/** GFL eq. for QFL in float64, straight from probabilities: −|y − σ|^β ((1 − y) log(1 − σ) + y log σ). */
function qflRef(x: number, y: number, beta: number): number {
  const s = 1 / (1 + Math.exp(-x));
  return -(Math.abs(y - s) ** beta) * ((1 - y) * Math.log(1 - s) + y * Math.log(s));
}

/** Central finite difference of the float64 reference (h small against the curvature at |x| ≤ 8). */
function dqflRef(x: number, y: number, beta: number, h = 1e-5): number {
  return (qflRef(x + h, y, beta) - qflRef(x - h, y, beta)) / (2 * h);
}

const XS = [-8, -3, -1.5, -0.4, 0, 0.3, 1, 2.5, 5, 8];
const YS = [0, 1, 0.05, 0.3, 0.5, 0.77, 0.95];
const TOL = { atol: 1e-6, rtol: 1e-4 };
/** Gradients: float32 forward pass against a float64 finite difference. */
const GRAD_TOL = { atol: 2e-6, rtol: 2e-4 };

/** Loss values and d(sum)/dx of f at the logits. */
function lossAndGrad(f: (x: tf.Tensor) => tf.Tensor, logits: number[]): { loss: number[]; grad: number[] } {
  return tf.tidy(() => {
    const x = tf.tensor1d(logits);
    return {
      loss: Array.from(f(x).dataSync()),
      grad: Array.from(
        tf
          .grad((xi: tf.Tensor) => tf.sum(f(xi)))(x)
          .dataSync(),
      ),
    };
  });
}

describe('qualityFocalLoss on the CPU backend', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it.each([0, 0.5, 1, 2, 3])(
    'matches the paper formula and its finite-difference slope for β = %s',
    (beta) => {
      for (const y of YS) {
        const t = tf.fill([XS.length], y);
        const { loss, grad } = lossAndGrad((x) => qualityFocalLoss(x, t, { beta }), XS);
        t.dispose();
        expectClose(
          loss,
          XS.map((x) => qflRef(x, y, beta)),
          TOL,
          `loss y=${y}`,
        );
        expectClose(
          grad,
          XS.map((x) => dqflRef(x, y, beta)),
          GRAD_TOL,
          `grad y=${y}`,
        );
      }
    },
  );

  it.each([0.5, 1, 2, 5])(
    'with y ∈ {0, 1} and β = γ = %s equals the sigmoid focal loss without α (value and gradient)',
    (g) => {
      const logits = [-30, ...XS, 30];
      for (const y of [0, 1]) {
        const t = tf.fill([logits.length], y);
        const qfl = lossAndGrad((x) => qualityFocalLoss(x, t, { beta: g }), logits);
        const fl = lossAndGrad((x) => sigmoidFocalLoss(x, t, { alpha: null, gamma: g }), logits);
        t.dispose();
        expectClose(qfl.loss, fl.loss, { atol: 0, rtol: 1e-6 }, `loss y=${y}`);
        expectClose(qfl.grad, fl.grad, { atol: 0, rtol: 1e-6 }, `grad y=${y}`);
      }
    },
  );

  it('is zero exactly where σ(x) equals the soft target, and positive on both sides', () => {
    const y = 0.3;
    const x0 = Math.log(y / (1 - y));
    const t = tf.fill([3], y);
    const loss = Array.from(qualityFocalLoss(tf.tensor1d([x0 - 0.5, x0, x0 + 0.5]), t).dataSync());
    t.dispose();
    expect(loss[1]).toBeLessThan(1e-12);
    expect(loss[0]).toBeGreaterThan(1e-3);
    expect(loss[2]).toBeGreaterThan(1e-3);
  });

  it('with β = 0 is the soft-target cross-entropy', () => {
    const t = tf.tensor1d(XS.map((_, i) => YS[i % YS.length]));
    const { loss } = lossAndGrad((x) => qualityFocalLoss(x, t, { beta: 0 }), XS);
    t.dispose();
    expectClose(
      loss,
      XS.map((x, i) => qflRef(x, YS[i % YS.length], 0)),
      TOL,
    );
  });

  it('reduces by mean and sum over every element', () => {
    const t = tf.tensor1d(XS.map((_, i) => YS[i % YS.length]));
    const x = tf.tensor1d(XS);
    const each = XS.map((v, i) => qflRef(v, YS[i % YS.length], 2));
    const total = each.reduce((a, b) => a + b, 0);
    const got = (reduction: Reduction) => qualityFocalLoss(x, t, { reduction }).dataSync()[0];
    expectClose(got('sum'), total, TOL);
    expectClose(got('mean'), total / XS.length, TOL);
    expect(qualityFocalLoss(x, t).shape).toEqual([XS.length]);
    tf.dispose([t, x]);
  });

  it('rejects a negative or non-finite β, an unknown reduction and mismatched shapes with a RangeError', () => {
    const x = tf.tensor1d([0, 1]);
    const t = tf.tensor1d([0.5, 1]);
    expect(() => qualityFocalLoss(x, t, { beta: -1 })).toThrow(RangeError);
    expect(() => qualityFocalLoss(x, t, { beta: Number.NaN })).toThrow(RangeError);
    expect(() => qualityFocalLoss(x, t, { beta: Infinity })).toThrow(RangeError);
    expect(() => qualityFocalLoss(x, t, { reduction: 'avg' as Reduction })).toThrow(RangeError);
    expect(() => qualityFocalLoss(x, tf.tensor1d([1, 0, 1]))).toThrow(RangeError);
    tf.dispose([x, t]);
  });

  it('leaves no tensors behind', () => {
    const x = tf.tensor1d(XS);
    const t = tf.fill([XS.length], 0.4);
    const base = tf.memory().numTensors;
    qualityFocalLoss(x, t).dispose();
    qualityFocalLoss(x, t, { reduction: 'mean' }).dispose();
    logAbsTargetGap(x, t).dispose();
    expect(tf.memory().numTensors).toBe(base);
    tf.dispose([x, t]);
  });
});

const EXTREME = [-1e4, -100, -30, -17, -5, 0, 5, 17, 30, 100, 1e4];

describe.each(['cpu', 'wasm'])('qualityFocalLoss stability on the %s backend', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
    await tf.ready();
  });

  it.each([0, 0.5, 1, 2, 5])('has finite loss and gradient for logits up to ±1e4, β = %s', (beta) => {
    expect(tf.getBackend()).toBe(backend);
    for (const y of [0, 1, 0.3, 0.9]) {
      const t = tf.fill([EXTREME.length], y);
      const { loss, grad } = lossAndGrad((x) => qualityFocalLoss(x, t, { beta }), EXTREME);
      t.dispose();
      expectAllFinite(loss, `loss y=${y}`);
      expectAllFinite(grad, `grad y=${y}`);
      expect(Math.min(...loss)).toBeGreaterThanOrEqual(0);
    }
  });

  it('keeps confidently wrong hard-target examples linear: loss ≈ |x| and slope ≈ ∓1 at x = ∓1e4', () => {
    const t = tf.tensor1d([1, 0]);
    const { loss, grad } = lossAndGrad((x) => qualityFocalLoss(x, t), [-1e4, 1e4]);
    t.dispose();
    expectClose(loss, [1e4, 1e4]);
    expectClose(grad, [-1, 1]);
  });

  it('keeps the tiny loss of a confident correct positive (x = 30) instead of rounding it to 0', () => {
    // σ(30) rounds to 1 in float32, so a naive |1 − σ|² would give exactly 0; the stable form gives ≈ e^{−90}.
    const t = tf.tensor1d([1]);
    const loss = qualityFocalLoss(tf.tensor1d([30]), t, { beta: 2 }).dataSync()[0];
    t.dispose();
    expectClose(loss, Math.exp(-30) * Math.exp(-60), { atol: 0, rtol: 1e-3 });
  });
});
