/**
 * No leaks: after every public function (and disposing what it returns), tf.memory().numTensors is back to its
 * baseline, on the CPU and WASM backends.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as loss from '../../../lib/loss';

/** Calls f with inputs made outside the measurement, and returns the tensor-count change after disposing. */
function leakOf(f: (x: tf.Tensor, t: tf.Tensor) => tf.Tensor | unknown): { during: number; after: number } {
  const x = tf.tensor1d([-30, -2, 0, 1.5, 40]);
  const t = tf.tensor1d([1, 0, 0.3, 1, 0]);
  const base = tf.memory().numTensors;
  const out = f(x, t);
  const during = tf.memory().numTensors - base;
  if (out instanceof tf.Tensor) out.dispose();
  const after = tf.memory().numTensors - base;
  x.dispose();
  t.dispose();
  return { during, after };
}

const tensorFns: Record<string, (x: tf.Tensor, t: tf.Tensor) => tf.Tensor> = {
  sigmoidFocalLoss: (x, t) => loss.sigmoidFocalLoss(x, t),
  'sigmoidFocalLoss mean': (x, t) =>
    loss.sigmoidFocalLoss(x, t, { reduction: 'mean', alpha: null, gamma: 0.5 }),
  sigmoidFocalLossStar: (x, t) => loss.sigmoidFocalLossStar(x, t, { reduction: 'sum' }),
  binaryCrossEntropy: (x, t) => loss.binaryCrossEntropy(x, t),
  sigmoidFocalLossBinary: (x, t) => {
    // The hard-target core takes 0/1 targets: round the shared soft ones (and free the copy).
    const hard = tf.round(t);
    const out = loss.sigmoidFocalLossBinary(x, hard);
    hard.dispose();
    return out;
  },
  'sigmoidFocalLossBinary weighted mean': (x, t) => {
    const hard = tf.round(t);
    const w = tf.onesLike(x);
    const out = loss.sigmoidFocalLossBinary(x, hard, { weights: w, reduction: 'mean', gamma: 0.5 });
    tf.dispose([hard, w]);
    return out;
  },
  sigmoidFocalLossStarBinary: (x, t) => {
    const hard = tf.round(t);
    const w = tf.onesLike(x);
    const out = loss.sigmoidFocalLossStarBinary(x, hard, { weights: w, reduction: 'sum' });
    tf.dispose([hard, w]);
    return out;
  },
  alphaBalancedCrossEntropy: (x, t) => loss.alphaBalancedCrossEntropy(x, t),
  modulatingFactor: (x, t) => loss.modulatingFactor(x, t, 2),
  logOneMinusPt: (x, t) => loss.logOneMinusPt(x, t),
  logSigmoidStable: (x) => loss.logSigmoidStable(x),
  bceWithLogits: (x, t) => loss.bceWithLogits(x, t),
  logAddExp: (x, t) => loss.logAddExp(x, t),
  softmaxFocalLoss: (x) => {
    // Inputs built inside count too; the helper disposes them so only the result remains.
    const logits = tf.reshape(x, [5, 1]);
    const zeros = tf.zerosLike(logits);
    const wide = tf.concat([logits, zeros], 1);
    const labels = tf.tensor1d([0, 1, 0, 1, 0], 'int32');
    const out = loss.softmaxFocalLoss(wide, labels, { alpha: [0.25, 0.75], reduction: 'mean' });
    tf.dispose([logits, zeros, wide, labels]);
    return out;
  },
};

const plainFns: Record<string, () => unknown> = {
  ptGrid: () => loss.ptGrid(),
  lossCurve: () => loss.lossCurve({ pt: loss.ptGrid(11), gamma: 2, alpha: 0.25 }),
  lossCurves: () =>
    loss.lossCurves(loss.ptGrid(11), [
      { gamma: 0, alpha: null },
      { gamma: 2, alpha: 0.25, target: 0 },
    ]),
  lossStarCurve: () => loss.lossStarCurve({ pt: loss.ptGrid(11), gamma: 2, beta: 1, alpha: null }),
  lossVsLogitCurve: () =>
    loss.lossVsLogitCurve({
      logits: [-1, 0, 1],
      gamma: 4,
      beta: 0,
      alpha: null,
      target: 1,
      kind: 'focal_star',
    }),
  modulatingFactorCurve: () => loss.modulatingFactorCurve({ pt: loss.ptGrid(11), gamma: 2 }),
  gradientCurve: () => loss.gradientCurve({ logits: [-1, 0, 1], gamma: 0.5, alpha: 0.25, target: 0 }),
  gradientCurves: () =>
    loss.gradientCurves([-1, 0, 1], [{ gamma: 2, alpha: null, kind: 'focal_star', beta: 1 }]),
  imbalanceBreakdown: () => loss.imbalanceBreakdown(),
};

describe.each(['cpu', 'wasm'])('on the %s backend', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
    await tf.ready();
  });

  it.each(Object.keys(tensorFns))('%s leaves only its result, and nothing once that is disposed', (name) => {
    const { during, after } = leakOf(tensorFns[name]);
    expect(during).toBe(1);
    expect(after).toBe(0);
  });

  it.each(Object.keys(tensorFns))('tf.grad through %s leaves nothing behind but the gradient', (name) => {
    const { during, after } = leakOf((x, t) => tf.grad((xi: tf.Tensor) => tf.sum(tensorFns[name](xi, t)))(x));
    expect(during).toBe(1);
    expect(after).toBe(0);
  });

  it.each(Object.keys(plainFns))('%s returns plain numbers and leaves no tensors', (name) => {
    const { during, after } = leakOf(() => plainFns[name]());
    expect(during).toBe(0);
    expect(after).toBe(0);
  });

  it('leaves no tensors when it throws on bad options', () => {
    const { after } = leakOf((x, t) => {
      expect(() => loss.sigmoidFocalLoss(x, t, { gamma: -1 })).toThrow(RangeError);
      expect(() => loss.imbalanceBreakdown({ spread: NaN })).toThrow(RangeError);
      return null;
    });
    expect(after).toBe(0);
  });
});
