/**
 * The softmax focal loss against the logit margin (footnote 1 of §3), as the SoftmaxFocalFigure plots it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  lossCurve,
  sigmoidFocalLoss,
  softmaxMarginCurve,
  softmaxMarginForPt,
  softmaxPtAtMargin,
} from '../../../lib/loss';
import { expectClose } from '../../helpers/close';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const MARGINS = [-3, -1, 0, 0.5, 2, 4.4, 8, 12];

describe('softmaxMarginCurve', () => {
  it('with K = 2 equals the sigmoid focal loss on the margin (no α)', () => {
    const want = tf.tidy(() =>
      Array.from(
        sigmoidFocalLoss(tf.tensor1d(MARGINS), tf.ones([MARGINS.length]), {
          alpha: null,
          gamma: 2,
        }).dataSync(),
      ),
    );
    expectClose(softmaxMarginCurve(MARGINS, 2, 2), want, { atol: 1e-6, rtol: 1e-4 });
  });

  it('depends on K only through p_t: it is the binary focal loss at p_t = softmaxPtAtMargin(m, K)', () => {
    for (const k of [3, 80]) {
      const pts = MARGINS.map((m) => softmaxPtAtMargin(m, k));
      const want = lossCurve({ pt: pts, gamma: 2, alpha: null });
      expectClose(softmaxMarginCurve(MARGINS, k, 2), want, { atol: 1e-5, rtol: 1e-4 });
    }
  });

  it('with γ = 0 is softmax cross-entropy, −log p_t', () => {
    const want = MARGINS.map((m) => -Math.log(softmaxPtAtMargin(m, 80)));
    expectClose(softmaxMarginCurve(MARGINS, 80, 0), want, { atol: 1e-5, rtol: 1e-4 });
  });

  it('leaves no tensors behind and refuses K < 2', () => {
    const base = tf.memory().numTensors;
    softmaxMarginCurve(MARGINS, 5, 1);
    expect(tf.memory().numTensors).toBe(base);
    expect(() => softmaxMarginCurve(MARGINS, 1, 2)).toThrow(RangeError);
  });
});

describe('softmaxMarginForPt', () => {
  it('inverts softmaxPtAtMargin', () => {
    for (const k of [2, 80])
      for (const pt of [0.1, 0.5, 0.9])
        expect(softmaxPtAtMargin(softmaxMarginForPt(pt, k), k)).toBeCloseTo(pt, 12);
  });
});
