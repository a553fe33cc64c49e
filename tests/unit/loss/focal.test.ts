/**
 * Known answers for the sigmoid/softmax focal losses, written against float64 JS references of the paper's formulas.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  alphaBalancedCrossEntropy,
  binaryCrossEntropy,
  modulatingFactor,
  sigmoidFocalLoss,
  sigmoidFocalLossStar,
  softmaxFocalLoss,
} from '../../../lib/loss';
import { expectClose, FLOAT32_TOLERANCE } from '../../helpers/close';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
/** Paper eq. 5 in float64: −α_t (1 − p_t)^γ log p_t for a hard target. */
const flRef = (x: number, t: 0 | 1, gamma: number, alpha: number | null) => {
  const pt = t === 1 ? sigmoid(x) : 1 - sigmoid(x);
  const at = alpha === null ? 1 : t === 1 ? alpha : 1 - alpha;
  return -at * (1 - pt) ** gamma * Math.log(pt);
};
/** Paper Appendix B eq. 10: dFL/dx = y (1 − p_t)^γ (γ p_t log p_t + p_t − 1). */
const dflRef = (x: number, t: 0 | 1, gamma: number) => {
  const y = t === 1 ? 1 : -1;
  const pt = sigmoid(y * x);
  return y * (1 - pt) ** gamma * (gamma * pt * Math.log(pt) + pt - 1);
};

const xs = [-8, -3, -1, -0.25, 0, 0.25, 1, 3, 8];

/** Runs a loss on plain arrays and returns its values and d(sum)/dx. */
function run(f: (x: tf.Tensor) => tf.Tensor, logits: number[]): { loss: number[]; grad: number[] } {
  return tf.tidy(() => {
    const x = tf.tensor1d(logits);
    const loss = Array.from(f(x).dataSync());
    const grad = Array.from(
      tf
        .grad((xi: tf.Tensor) => tf.sum(f(xi)))(x)
        .dataSync(),
    );
    return { loss, grad };
  });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('sigmoidFocalLoss', () => {
  it.each([0, 0.5, 1, 2, 5])('matches the paper eq. 5 and its derivative eq. 10 for γ = %s', (gamma) => {
    for (const t of [0, 1] as const) {
      const targets = tf.fill([xs.length], t);
      const { loss, grad } = run((x) => sigmoidFocalLoss(x, targets, { alpha: null, gamma }), xs);
      targets.dispose();
      expectClose(
        loss,
        xs.map((x) => flRef(x, t, gamma, null)),
        FLOAT32_TOLERANCE,
        `loss t=${t}`,
      );
      expectClose(
        grad,
        xs.map((x) => dflRef(x, t, gamma)),
        FLOAT32_TOLERANCE,
        `grad t=${t}`,
      );
    }
  });

  it('with γ = 0 equals binary cross-entropy exactly, value and gradient', () => {
    const targets = [0, 1, 0.3, 1, 0, 0.7, 1, 0, 1];
    const t = tf.tensor1d(targets);
    const fl = run((x) => sigmoidFocalLoss(x, t, { alpha: null, gamma: 0 }), xs);
    const ce = run((x) => binaryCrossEntropy(x, t), xs);
    t.dispose();
    expect(fl.loss).toEqual(ce.loss);
    expect(fl.grad).toEqual(ce.grad);
    expectClose(
      ce.loss,
      xs.map((x, i) => -(targets[i] * Math.log(sigmoid(x)) + (1 - targets[i]) * Math.log(1 - sigmoid(x)))),
      FLOAT32_TOLERANCE,
      'BCE',
    );
  });

  it('weights positives by α and negatives by 1 − α, and alpha null means no weighting', () => {
    const t = tf.tensor1d([1, 0, 1, 0]);
    const logits = [-1, -1, 2, 2];
    const plain = run((x) => sigmoidFocalLoss(x, t, { alpha: null }), logits).loss;
    const weighted = run((x) => sigmoidFocalLoss(x, t, { alpha: 0.25 }), logits).loss;
    const byDefault = run((x) => sigmoidFocalLoss(x, t), logits).loss;
    t.dispose();
    expectClose(weighted, [0.25 * plain[0], 0.75 * plain[1], 0.25 * plain[2], 0.75 * plain[3]]);
    expect(byDefault).toEqual(weighted);
  });

  it('uses α_t = α·t + (1 − α)(1 − t) and torchvision p_t for soft targets', () => {
    const t = 0.3;
    const x = 0.8;
    const p = sigmoid(x);
    const ce = -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
    const pt = p * t + (1 - p) * (1 - t);
    const want = (0.25 * t + 0.75 * (1 - t)) * ce * (1 - pt) ** 2;
    const got = tf.tidy(() => sigmoidFocalLoss(tf.tensor1d([x]), tf.tensor1d([t])).dataSync()[0]);
    expectClose(got, want);
  });

  it('reduces with none (same shape), mean (over every element) and sum', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [-2, 0.5, 3],
        [1, -1, 0],
      ]);
      const t = tf.tensor2d([
        [0, 1, 1],
        [0, 1, 0],
      ]);
      const none = sigmoidFocalLoss(x, t);
      expect(none.shape).toEqual([2, 3]);
      const values = Array.from(none.dataSync());
      const total = values.reduce((a, b) => a + b, 0);
      const sum = sigmoidFocalLoss(x, t, { reduction: 'sum' });
      const mean = sigmoidFocalLoss(x, t, { reduction: 'mean' });
      expect(sum.shape).toEqual([]);
      expectClose(sum.dataSync()[0], total);
      expectClose(mean.dataSync()[0], total / 6);
    });
  });

  it('accepts int32 targets and casts them', () => {
    const got = tf.tidy(() =>
      Array.from(sigmoidFocalLoss(tf.tensor1d([1, -1]), tf.tensor1d([1, 0], 'int32')).dataSync()),
    );
    expectClose(got, [flRef(1, 1, 2, 0.25), flRef(-1, 0, 2, 0.25)]);
  });

  it('rejects bad options and mismatched shapes with RangeError', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([0, 1]);
      const t = tf.tensor1d([0, 1]);
      expect(() => sigmoidFocalLoss(x, t, { gamma: -1 })).toThrow(RangeError);
      expect(() => sigmoidFocalLoss(x, t, { gamma: NaN })).toThrow(RangeError);
      expect(() => sigmoidFocalLoss(x, t, { alpha: 1.5 })).toThrow(RangeError);
      expect(() => sigmoidFocalLoss(x, t, { alpha: -1 })).toThrow(RangeError);
      expect(() => sigmoidFocalLoss(x, t, { reduction: 'avg' as never })).toThrow(RangeError);
      expect(() => sigmoidFocalLoss(x, tf.tensor1d([0, 1, 1]))).toThrow(RangeError);
    });
  });
});

describe('alphaBalancedCrossEntropy', () => {
  it('is −α_t log p_t', () => {
    const got = tf.tidy(() =>
      Array.from(
        alphaBalancedCrossEntropy(tf.tensor1d([2, 2]), tf.tensor1d([1, 0]), { alpha: 0.75 }).dataSync(),
      ),
    );
    expectClose(got, [-0.75 * Math.log(sigmoid(2)), -0.25 * Math.log(sigmoid(-2))]);
  });
});

describe('modulatingFactor', () => {
  it('is (1 − p_t)^γ, and exactly 1 for γ = 0', () => {
    const got = tf.tidy(() =>
      Array.from(modulatingFactor(tf.tensor1d([0, 2, -2]), tf.tensor1d([1, 1, 1]), 2).dataSync()),
    );
    expectClose(got, [0.25, (1 - sigmoid(2)) ** 2, (1 - sigmoid(-2)) ** 2]);
    const ones = tf.tidy(() =>
      Array.from(modulatingFactor(tf.tensor1d([-1e4, 0, 1e4]), tf.tensor1d([1, 0.3, 0]), 0).dataSync()),
    );
    expect(ones).toEqual([1, 1, 1]);
  });

  it('stays correct where 1 − σ(x) underflows in float32 (x = 40, target 1: (1 − p_t)^0.5 = e^-20)', () => {
    const got = tf.tidy(() => modulatingFactor(tf.tensor1d([40]), tf.tensor1d([1]), 0.5).dataSync()[0]);
    expectClose(got, Math.exp(-20), { atol: 0, rtol: 1e-5 });
  });
});

describe('sigmoidFocalLossStar (FL*, Appendix A)', () => {
  it('with γ = 1, β = 0 and no α equals cross-entropy', () => {
    const t = tf.tensor1d([1, 0, 1, 0, 1, 0, 1, 0, 1]);
    const star = run((x) => sigmoidFocalLossStar(x, t, { alpha: null, gamma: 1, beta: 0 }), xs);
    const ce = run((x) => binaryCrossEntropy(x, t), xs);
    t.dispose();
    expectClose(star.loss, ce.loss);
    expectClose(star.grad, ce.grad);
  });

  it('is −log σ(γ x_t + β)/γ with derivative y(p*_t − 1) (eq. 11), for (γ, β) = (2, 1) and (4, 0)', () => {
    for (const [gamma, beta] of [
      [2, 1],
      [4, 0],
    ]) {
      for (const tgt of [0, 1] as const) {
        const y = tgt === 1 ? 1 : -1;
        const t = tf.fill([xs.length], tgt);
        const { loss, grad } = run((x) => sigmoidFocalLossStar(x, t, { alpha: null, gamma, beta }), xs);
        t.dispose();
        const pStar = xs.map((x) => sigmoid(gamma * y * x + beta));
        expectClose(
          loss,
          pStar.map((p) => -Math.log(p) / gamma),
          FLOAT32_TOLERANCE,
          `loss γ=${gamma} t=${tgt}`,
        );
        expectClose(
          grad,
          pStar.map((p) => y * (p - 1)),
          FLOAT32_TOLERANCE,
          `grad γ=${gamma} t=${tgt}`,
        );
      }
    }
  });

  it('tends to 0 for confident correct predictions and to −x_t (linear) for confident wrong ones', () => {
    const got = tf.tidy(() =>
      Array.from(
        sigmoidFocalLossStar(tf.tensor1d([50, -50]), tf.tensor1d([1, 1]), {
          alpha: null,
          gamma: 2,
          beta: 1,
        }).dataSync(),
      ),
    );
    expect(got[0]).toBeLessThan(1e-30);
    expectClose(got[1], (2 * 50 - 1) / 2);
  });

  it('rejects γ = 0 (FL* divides by γ) and non-finite β', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([0]);
      expect(() => sigmoidFocalLossStar(x, x, { gamma: 0 })).toThrow(RangeError);
      expect(() => sigmoidFocalLossStar(x, x, { beta: Infinity })).toThrow(RangeError);
    });
  });
});

describe('softmaxFocalLoss', () => {
  it('with C = 2 equals the sigmoid focal loss of the logit difference', () => {
    const pairs = [
      [0.3, -1.2],
      [2, 2.5],
      [-4, 3],
      [6, -6],
    ];
    const labels = [1, 0, 1, 0];
    for (const gamma of [0, 0.5, 2]) {
      const soft = tf.tidy(() => {
        const x = tf.tensor2d(pairs);
        const l = tf.tensor1d(labels, 'int32');
        const f = (xi: tf.Tensor) => softmaxFocalLoss(xi, l, { gamma });
        return {
          loss: Array.from(f(x).dataSync()),
          grad: Array.from(
            tf
              .grad((xi: tf.Tensor) => tf.sum(f(xi)))(x)
              .dataSync(),
          ),
        };
      });
      const diff = pairs.map(([a, b]) => b - a);
      const sig = run((d) => sigmoidFocalLoss(d, tf.tensor1d(labels), { alpha: null, gamma }), diff);
      expectClose(soft.loss, sig.loss, FLOAT32_TOLERANCE, `loss γ=${gamma}`);
      // d/da = −d/dd and d/db = d/dd for d = b − a.
      expectClose(
        soft.grad,
        sig.grad.flatMap((g) => [-g, g]),
        FLOAT32_TOLERANCE,
        `grad γ=${gamma}`,
      );
    }
  });

  it('weights each example by α of its true class; mean divides by N', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [1, 0, 0],
        [0, 2, 0],
      ]);
      const l = tf.tensor1d([0, 2], 'int32');
      const plain = softmaxFocalLoss(x, l, { gamma: 1 }).dataSync();
      const weighted = softmaxFocalLoss(x, l, { gamma: 1, alpha: [0.2, 0.5, 0.7] }).dataSync();
      expectClose(Array.from(weighted), [0.2 * plain[0], 0.7 * plain[1]]);
      const mean = softmaxFocalLoss(x, l, { gamma: 1, reduction: 'mean' }).dataSync()[0];
      expectClose(mean, (plain[0] + plain[1]) / 2);
    });
  });

  it('rejects wrong shapes, float labels, C = 1 and a wrong-length alpha', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([[1, 2]]);
      expect(() => softmaxFocalLoss(x, tf.tensor1d([0]))).toThrow(RangeError);
      expect(() => softmaxFocalLoss(x, tf.tensor1d([0, 1], 'int32'))).toThrow(RangeError);
      expect(() => softmaxFocalLoss(tf.tensor2d([[1]]), tf.tensor1d([0], 'int32'))).toThrow(RangeError);
      expect(() => softmaxFocalLoss(x, tf.tensor1d([0], 'int32'), { alpha: [1] })).toThrow(RangeError);
      expect(() => softmaxFocalLoss(tf.tensor1d([1, 2]), tf.tensor1d([0], 'int32'))).toThrow(RangeError);
    });
  });
});
