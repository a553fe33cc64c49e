/**
 * Varifocal loss (Zhang et al., CVPR 2021) from logits: against a float64 reference written here from the
 * paper's two-branch formula, its negative branch against the existing focal loss, gradients against finite
 * differences of the reference, and finiteness for logits up to ±1e4 on the CPU and WASM backends.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { sigmoidFocalLoss, varifocalLoss, VFL_DEFAULTS, type Reduction } from '../../../lib/loss';
import { expectAllFinite, expectClose } from '../../helpers/close';

/** VarifocalNet's VFL in float64, from probabilities: −q(q log p + (1 − q) log(1 − p)) if q > 0, else −α p^γ log(1 − p). */
function vflRef(x: number, q: number, alpha: number, gamma: number): number {
  const p = 1 / (1 + Math.exp(-x));
  if (q > 0) return -q * (q * Math.log(p) + (1 - q) * Math.log(1 - p));
  return -alpha * p ** gamma * Math.log(1 - p);
}

function dvflRef(x: number, q: number, alpha: number, gamma: number, h = 1e-5): number {
  return (vflRef(x + h, q, alpha, gamma) - vflRef(x - h, q, alpha, gamma)) / (2 * h);
}

const XS = [-8, -3, -1.5, -0.4, 0, 0.3, 1, 2.5, 5, 8];
const QS = [0, 1, 0.05, 0.3, 0.5, 0.77, 0.95];
const TOL = { atol: 1e-6, rtol: 1e-4 };
const GRAD_TOL = { atol: 2e-6, rtol: 2e-4 };

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

describe('varifocalLoss on the CPU backend', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  const settings = [
    [VFL_DEFAULTS.alpha, VFL_DEFAULTS.gamma],
    [0.5, 0],
    [1, 0.5],
    [0.25, 3],
  ] as const;

  it.each(settings)(
    'matches the paper formula and its finite-difference slope for α = %s, γ = %s',
    (alpha, gamma) => {
      for (const q of QS) {
        const t = tf.fill([XS.length], q);
        const { loss, grad } = lossAndGrad((x) => varifocalLoss(x, t, { alpha, gamma }), XS);
        t.dispose();
        expectClose(
          loss,
          XS.map((x) => vflRef(x, q, alpha, gamma)),
          TOL,
          `loss q=${q}`,
        );
        expectClose(
          grad,
          XS.map((x) => dvflRef(x, q, alpha, gamma)),
          GRAD_TOL,
          `grad q=${q}`,
        );
      }
    },
  );

  it('defaults to the paper’s α = 0.75 and γ = 2', () => {
    expect(VFL_DEFAULTS).toEqual({ alpha: 0.75, gamma: 2 });
    const t = tf.tensor1d([0, 0.6, 0, 1]);
    const logits = [-2, 0.5, 1.5, 3];
    const { loss } = lossAndGrad((x) => varifocalLoss(x, t), logits);
    t.dispose();
    expectClose(
      loss,
      logits.map((x, i) => vflRef(x, [0, 0.6, 0, 1][i], 0.75, 2)),
      TOL,
    );
  });

  it('on negatives (q = 0) is the focal loss of a negative: −α p^γ log(1 − p), i.e. Lin et al.’s α = 1 − 0.75', () => {
    const logits = [-30, ...XS, 30];
    const t = tf.zeros([logits.length]);
    for (const gamma of [0.5, 2, 5]) {
      const vfl = lossAndGrad((x) => varifocalLoss(x, t, { alpha: 0.75, gamma }), logits);
      const fl = lossAndGrad((x) => sigmoidFocalLoss(x, t, { alpha: 0.25, gamma }), logits);
      expectClose(vfl.loss, fl.loss, { atol: 0, rtol: 1e-5 }, `loss γ=${gamma}`);
      expectClose(vfl.grad, fl.grad, { atol: 0, rtol: 1e-5 }, `grad γ=${gamma}`);
    }
    t.dispose();
  });

  it('on positives does not depend on α or γ, and is q·BCE(q): lowest at p = q, not at p = 1', () => {
    const q = 0.6;
    const logits = [-1, 0, Math.log(q / (1 - q)), 1, 3];
    const t = tf.fill([logits.length], q);
    const a = lossAndGrad((x) => varifocalLoss(x, t, { alpha: 0.75, gamma: 2 }), logits);
    const b = lossAndGrad((x) => varifocalLoss(x, t, { alpha: 0.1, gamma: 0 }), logits);
    t.dispose();
    expect(a.loss).toEqual(b.loss);
    expect(a.grad).toEqual(b.grad);
    // d/dx [q·BCE(x, q)] = q(σ(x) − q): zero at σ(x) = q.
    expectClose(a.grad[2], 0, { atol: 1e-6, rtol: 0 });
    expect(a.grad[1]).toBeLessThan(0);
    expect(a.grad[4]).toBeGreaterThan(0);
  });

  it('reduces by mean and sum over every element', () => {
    const qs = XS.map((_, i) => QS[i % QS.length]);
    const x = tf.tensor1d(XS);
    const t = tf.tensor1d(qs);
    const total = XS.map((v, i) => vflRef(v, qs[i], 0.75, 2)).reduce((a, b) => a + b, 0);
    const got = (reduction: Reduction) => varifocalLoss(x, t, { reduction }).dataSync()[0];
    expectClose(got('sum'), total, TOL);
    expectClose(got('mean'), total / XS.length, TOL);
    tf.dispose([x, t]);
  });

  it('rejects negative or non-finite α and γ, an unknown reduction and mismatched shapes with a RangeError', () => {
    const x = tf.tensor1d([0, 1]);
    const t = tf.tensor1d([0, 0.5]);
    expect(() => varifocalLoss(x, t, { alpha: -0.1 })).toThrow(RangeError);
    expect(() => varifocalLoss(x, t, { alpha: Number.NaN })).toThrow(RangeError);
    expect(() => varifocalLoss(x, t, { gamma: -1 })).toThrow(RangeError);
    expect(() => varifocalLoss(x, t, { gamma: Infinity })).toThrow(RangeError);
    expect(() => varifocalLoss(x, t, { reduction: 'avg' as Reduction })).toThrow(RangeError);
    expect(() => varifocalLoss(x, tf.tensor1d([0]))).toThrow(RangeError);
    tf.dispose([x, t]);
  });

  it('leaves no tensors behind', () => {
    const x = tf.tensor1d(XS);
    const t = tf.fill([XS.length], 0.4);
    const base = tf.memory().numTensors;
    varifocalLoss(x, t).dispose();
    varifocalLoss(x, t, { reduction: 'sum', gamma: 0 }).dispose();
    expect(tf.memory().numTensors).toBe(base);
    tf.dispose([x, t]);
  });
});

const EXTREME = [-1e4, -100, -30, -17, -5, 0, 5, 17, 30, 100, 1e4];

describe.each(['cpu', 'wasm'])('varifocalLoss stability on the %s backend', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
    await tf.ready();
  });

  it.each([0, 0.5, 1, 2, 5])('has finite loss and gradient for logits up to ±1e4, γ = %s', (gamma) => {
    expect(tf.getBackend()).toBe(backend);
    for (const q of [0, 1, 0.3, 0.9]) {
      const t = tf.fill([EXTREME.length], q);
      const { loss, grad } = lossAndGrad((x) => varifocalLoss(x, t, { gamma }), EXTREME);
      t.dispose();
      expectAllFinite(loss, `loss q=${q}`);
      expectAllFinite(grad, `grad q=${q}`);
      expect(Math.min(...loss)).toBeGreaterThanOrEqual(0);
    }
  });

  it('keeps confidently wrong examples linear at x = ∓1e4: q·|x| for a positive, α·|x| for a negative', () => {
    const t = tf.tensor1d([1, 0.5, 0]);
    const { loss, grad } = lossAndGrad((x) => varifocalLoss(x, t), [-1e4, -1e4, 1e4]);
    t.dispose();
    // q = 0.5 at x = −1e4: 0.5·(0.5·1e4 + 0.5·0) = 2500.
    expectClose(loss, [1e4, 2500, 0.75e4]);
    expectClose(grad, [-1, -0.25, 0.75]);
  });
});
