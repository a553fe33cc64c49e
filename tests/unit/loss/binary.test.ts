/**
 * The hard-target core (lib/loss/binary.ts): on targets y ∈ {0, 1} it equals the general soft-target functions in
 * value and gradient for every option, γ = 0 is cross-entropy, weights multiply before the reduction, and bad
 * options are rejected. CPU backend (tiny tensors); the golden test runs the same path on CPU and WASM.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  alphaT,
  binaryCrossEntropy,
  sigmoidFocalLoss,
  sigmoidFocalLossBinary,
  sigmoidFocalLossStar,
  sigmoidFocalLossStarBinary,
  type Reduction,
} from '../../../lib/loss';
import { expectClose } from '../../helpers/close';
import { valueAndGrad as valueAndGradAt } from '../../helpers/valueAndGrad';

const TOL = { atol: 1e-6, rtol: 1e-4 };
const X = [-20, -6, -2.5, -1, -0.3, 0, 0.4, 1.2, 3, 7, 25];
const Y = [1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0];

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** Value and d(sum)/dx of f at X. */
const valueAndGrad = (f: (x: tf.Tensor) => tf.Tensor) => valueAndGradAt(f, X);

function expectSameLoss(got: (x: tf.Tensor) => tf.Tensor, want: (x: tf.Tensor) => tf.Tensor, label: string) {
  const g = valueAndGrad(got);
  const w = valueAndGrad(want);
  expectClose(g.value, w.value, TOL, `${label} value`);
  expectClose(g.grad, w.grad, TOL, `${label} grad`);
}

describe('sigmoidFocalLossBinary', () => {
  const reductions: Reduction[] = ['none', 'mean', 'sum'];
  for (const gamma of [0, 0.5, 2, 5])
    for (const alpha of [null, 0.25, 0.9])
      for (const reduction of reductions)
        it(`equals sigmoidFocalLoss on 0/1 targets for γ = ${gamma}, α = ${alpha}, reduction ${reduction}`, () => {
          const t = tf.tensor1d(Y);
          expectSameLoss(
            (x) => sigmoidFocalLossBinary(x, t, { alpha, gamma, reduction }),
            (x) => sigmoidFocalLoss(x, t, { alpha, gamma, reduction }),
            `γ=${gamma} α=${alpha} ${reduction}`,
          );
          t.dispose();
        });

  it('with γ = 0 and alpha null equals binary cross-entropy', () => {
    const t = tf.tensor1d(Y);
    expectSameLoss(
      (x) => sigmoidFocalLossBinary(x, t, { alpha: null, gamma: 0 }),
      (x) => binaryCrossEntropy(x, t),
      'CE',
    );
    t.dispose();
  });

  it('multiplies each element by its weight before the reduction (mean divides by the element count)', () => {
    const t = tf.tensor1d(Y);
    const w = tf.tensor1d(X.map((_, i) => (i % 4 === 0 ? 0 : i / 3)));
    for (const reduction of ['none', 'sum', 'mean'] as const) {
      expectSameLoss(
        (x) => sigmoidFocalLossBinary(x, t, { weights: w, reduction }),
        (x) => {
          const l = tf.mul(sigmoidFocalLoss(x, t), w);
          return reduction === 'none' ? l : reduction === 'sum' ? tf.sum(l) : tf.mean(l);
        },
        `weights ${reduction}`,
      );
    }
    tf.dispose([t, w]);
  });

  it('broadcasts [N, 1] weights over the classes of each row', () => {
    const t = tf.tensor2d(Y.slice(0, 10), [5, 2]);
    const w = tf.tensor2d([1, 0, 2, 0.5, 1], [5, 1]);
    const x = tf.tensor2d(X.slice(0, 10), [5, 2]);
    const got = sigmoidFocalLossBinary(x, t, { weights: w, gamma: 1 }).arraySync() as number[][];
    const want = sigmoidFocalLoss(x, t, { gamma: 1 }).arraySync() as number[][];
    const wv = [1, 0, 2, 0.5, 1];
    expectClose(
      got,
      want.map((row, i) => row.map((v) => v * wv[i])),
      TOL,
    );
    tf.dispose([t, w, x]);
  });

  it('accepts int32 and bool targets', () => {
    const x = tf.tensor1d(X);
    const tf32 = tf.tensor1d(Y);
    const want = sigmoidFocalLoss(x, tf32).dataSync();
    for (const dtype of ['int32', 'bool'] as const) {
      const t = tf.tensor1d(Y, dtype);
      expectClose(sigmoidFocalLossBinary(x, t).dataSync(), want, TOL, dtype);
      t.dispose();
    }
    tf.dispose([x, tf32]);
  });

  it('rejects bad options and weights that would enlarge the loss, without leaking tensors', () => {
    const x = tf.tensor1d([0, 1]);
    const t = tf.tensor1d([0, 1]);
    const longer = tf.tensor1d([0, 1, 1]);
    const wide = tf.ones([3, 2]);
    const before = tf.memory().numTensors;
    expect(() => sigmoidFocalLossBinary(x, t, { gamma: -1 })).toThrow(RangeError);
    expect(() => sigmoidFocalLossBinary(x, t, { alpha: 1.5 })).toThrow(RangeError);
    expect(() => sigmoidFocalLossBinary(x, longer)).toThrow(RangeError);
    expect(() => sigmoidFocalLossBinary(x, t, { weights: wide })).toThrow(/do not broadcast/);
    expect(() => sigmoidFocalLossStarBinary(x, t, { gamma: 0 })).toThrow(RangeError);
    expect(() => sigmoidFocalLossStarBinary(x, t, { beta: NaN })).toThrow(RangeError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([longer, wide]);
    tf.dispose([x, t]);
  });
});

describe('sigmoidFocalLossStarBinary', () => {
  for (const [gamma, beta] of [
    [2, 1],
    [4, 0],
    [0.5, -1],
  ])
    for (const alpha of [null, 0.25])
      it(`equals sigmoidFocalLossStar on 0/1 targets for γ = ${gamma}, β = ${beta}, α = ${alpha}`, () => {
        const t = tf.tensor1d(Y);
        const w = tf.tensor1d(X.map((_, i) => 1 + (i % 2)));
        expectSameLoss(
          (x) => sigmoidFocalLossStarBinary(x, t, { alpha, gamma, beta, weights: w, reduction: 'sum' }),
          (x) => tf.sum(tf.mul(sigmoidFocalLossStar(x, t, { alpha, gamma, beta }), w)),
          `γ=${gamma} β=${beta} α=${alpha}`,
        );
        tf.dispose([t, w]);
      });
});

describe('alphaT', () => {
  it('is α for positives, 1 − α for negatives and 1 without weighting', () => {
    expect(alphaT(1, 0.25)).toBe(0.25);
    expect(alphaT(0, 0.25)).toBe(0.75);
    expect(alphaT(1, null)).toBe(1);
    expect(alphaT(0, null)).toBe(1);
    expect(() => alphaT(1, -0.5)).toThrow(RangeError);
  });
});
