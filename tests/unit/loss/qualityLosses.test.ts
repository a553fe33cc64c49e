/**
 * The two soft-target losses with a quality target q ∈ [0, 1], quality focal loss (QFL, Li et al., NeurIPS 2020)
 * and varifocal loss (VFL, Zhang et al., CVPR 2021), from logits. One table drives what both must do: match a
 * float64 reference written here from the paper's formula, with gradients against its finite differences; reduce
 * by mean and sum; reject bad options; leave no tensors; stay finite for logits up to ±1e4 on the CPU and WASM
 * backends, and linear for confidently wrong examples. Each loss's own properties follow the table.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import {
  logAbsTargetGap,
  qualityFocalLoss,
  sigmoidFocalLoss,
  varifocalLoss,
  VFL_DEFAULTS,
  type Reduction,
} from '../../../lib/loss';
import { expectAllFinite, expectClose } from '../../helpers/close';
import { valueAndGrad } from '../../helpers/valueAndGrad';

const XS = [-8, -3, -1.5, -0.4, 0, 0.3, 1, 2.5, 5, 8];
const QS = [0, 1, 0.05, 0.3, 0.5, 0.77, 0.95];
const EXTREME = [-1e4, -100, -30, -17, -5, 0, 5, 17, 30, 100, 1e4];
const TOL = { atol: 1e-6, rtol: 1e-4 };
/** Gradients: float32 forward pass against a float64 finite difference. */
const GRAD_TOL = { atol: 2e-6, rtol: 2e-4 };

type Options = Record<string, number>;
/** Options as the table passes them: numbers, or a `reduction`. */
type LossFn = (x: tf.Tensor, t: tf.Tensor, o?: Record<string, unknown>) => tf.Tensor;

/** One loss of the table. */
interface QualityLoss {
  name: string;
  fn: LossFn;
  /** The paper's formula in float64 at logit x and target q. */
  ref(x: number, q: number, o: Options): number;
  /** Its default options. */
  defaults: Options;
  /** Options the formula is checked at. */
  settings: Options[];
  /** The parameter swept in the stability test (values 0, 0.5, 1, 2, 5). */
  swept: string;
  /** Options that must throw a RangeError. */
  bad: Options[];
  /** Confidently wrong examples at x = ∓1e4: loss and slope are linear in x. */
  linear: { q: number[]; x: number[]; loss: number[]; grad: number[] };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

const TABLE: QualityLoss[] = [
  {
    name: 'qualityFocalLoss',
    fn: qualityFocalLoss as LossFn,
    // GFL's QFL: −|y − σ|^β ((1 − y) log(1 − σ) + y log σ).
    ref: (x, y, { beta }) => {
      const s = sigmoid(x);
      return -(Math.abs(y - s) ** beta) * ((1 - y) * Math.log(1 - s) + y * Math.log(s));
    },
    defaults: { beta: 2 },
    settings: [0, 0.5, 1, 2, 3].map((beta) => ({ beta })),
    swept: 'beta',
    bad: [{ beta: -1 }, { beta: Number.NaN }, { beta: Infinity }],
    linear: { q: [1, 0], x: [-1e4, 1e4], loss: [1e4, 1e4], grad: [-1, 1] },
  },
  {
    name: 'varifocalLoss',
    fn: varifocalLoss as LossFn,
    // VarifocalNet's VFL: −q(q log p + (1 − q) log(1 − p)) if q > 0, else −α p^γ log(1 − p).
    ref: (x, q, { alpha, gamma }) => {
      const p = sigmoid(x);
      if (q > 0) return -q * (q * Math.log(p) + (1 - q) * Math.log(1 - p));
      return -alpha * p ** gamma * Math.log(1 - p);
    },
    defaults: { ...VFL_DEFAULTS },
    settings: [
      { ...VFL_DEFAULTS },
      { alpha: 0.5, gamma: 0 },
      { alpha: 1, gamma: 0.5 },
      { alpha: 0.25, gamma: 3 },
    ],
    swept: 'gamma',
    bad: [{ alpha: -0.1 }, { alpha: Number.NaN }, { gamma: -1 }, { gamma: Infinity }],
    // q = 0.5 at x = −1e4: 0.5·(0.5·1e4 + 0.5·0) = 2500; a negative at x = 1e4 costs α·|x|.
    linear: { q: [1, 0.5, 0], x: [-1e4, -1e4, 1e4], loss: [1e4, 2500, 0.75e4], grad: [-1, -0.25, 0.75] },
  },
];

/** Loss values and d(sum)/dx of f at the logits. */
function lossAndGrad(f: (x: tf.Tensor) => tf.Tensor, logits: number[]): { loss: number[]; grad: number[] } {
  const { value, grad } = valueAndGrad(f, logits);
  return { loss: value, grad };
}

const optionText = (o: Options) =>
  Object.entries(o)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');

describe.each(TABLE.map((c) => [c.name, c] as const))('%s on the CPU backend', (_, c) => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it.each(c.settings.map((o) => [optionText(o), o] as const))(
    'matches the paper formula and its finite-difference slope for %s',
    (_, o) => {
      for (const q of QS) {
        const t = tf.fill([XS.length], q);
        const { loss, grad } = lossAndGrad((x) => c.fn(x, t, o), XS);
        t.dispose();
        const h = 1e-5;
        expectClose(
          loss,
          XS.map((x) => c.ref(x, q, o)),
          TOL,
          `loss q=${q}`,
        );
        expectClose(
          grad,
          XS.map((x) => (c.ref(x + h, q, o) - c.ref(x - h, q, o)) / (2 * h)),
          GRAD_TOL,
          `grad q=${q}`,
        );
      }
    },
  );

  it('reduces by mean and sum over every element, and keeps the shape without a reduction', () => {
    const qs = XS.map((_, i) => QS[i % QS.length]);
    const x = tf.tensor1d(XS);
    const t = tf.tensor1d(qs);
    const total = XS.map((v, i) => c.ref(v, qs[i], c.defaults)).reduce((a, b) => a + b, 0);
    const got = (reduction: Reduction) => c.fn(x, t, { reduction }).dataSync()[0];
    expectClose(got('sum'), total, TOL);
    expectClose(got('mean'), total / XS.length, TOL);
    expect(c.fn(x, t).shape).toEqual([XS.length]);
    tf.dispose([x, t]);
  });

  it('rejects bad options, an unknown reduction and mismatched shapes with a RangeError', () => {
    const x = tf.tensor1d([0, 1]);
    const t = tf.tensor1d([0.5, 1]);
    for (const o of c.bad) expect(() => c.fn(x, t, o), optionText(o)).toThrow(RangeError);
    expect(() => c.fn(x, t, { reduction: 'avg' })).toThrow(RangeError);
    expect(() => c.fn(x, tf.tensor1d([1, 0, 1]))).toThrow(RangeError);
    tf.dispose([x, t]);
  });

  it('leaves no tensors behind', () => {
    const x = tf.tensor1d(XS);
    const t = tf.fill([XS.length], 0.4);
    const base = tf.memory().numTensors;
    c.fn(x, t).dispose();
    c.fn(x, t, { reduction: 'mean' }).dispose();
    expect(tf.memory().numTensors).toBe(base);
    tf.dispose([x, t]);
  });
});

describe.each(TABLE.flatMap((c) => ['cpu', 'wasm'].map((backend) => [c.name, backend, c] as const)))(
  '%s stability on the %s backend',
  (_, backend, c) => {
    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
    });

    it.each([0, 0.5, 1, 2, 5])(`has finite loss and gradient for logits up to ±1e4, ${c.swept} = %s`, (v) => {
      expect(tf.getBackend()).toBe(backend);
      for (const q of [0, 1, 0.3, 0.9]) {
        const t = tf.fill([EXTREME.length], q);
        const { loss, grad } = lossAndGrad((x) => c.fn(x, t, { [c.swept]: v }), EXTREME);
        t.dispose();
        expectAllFinite(loss, `loss q=${q}`);
        expectAllFinite(grad, `grad q=${q}`);
        expect(Math.min(...loss)).toBeGreaterThanOrEqual(0);
      }
    });

    it('keeps confidently wrong examples linear at x = ∓1e4', () => {
      const t = tf.tensor1d(c.linear.q);
      const { loss, grad } = lossAndGrad((x) => c.fn(x, t), c.linear.x);
      t.dispose();
      expectClose(loss, c.linear.loss);
      expectClose(grad, c.linear.grad);
    });
  },
);

describe('qualityFocalLoss, beyond the table', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });
  const qflRef = TABLE[0].ref;

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
    const t = tf.tensor1d(XS.map((_, i) => QS[i % QS.length]));
    const { loss } = lossAndGrad((x) => qualityFocalLoss(x, t, { beta: 0 }), XS);
    t.dispose();
    expectClose(
      loss,
      XS.map((x, i) => qflRef(x, QS[i % QS.length], { beta: 0 })),
      TOL,
    );
  });

  it('leaves no tensors behind in logAbsTargetGap', () => {
    const x = tf.tensor1d(XS);
    const t = tf.fill([XS.length], 0.4);
    const base = tf.memory().numTensors;
    logAbsTargetGap(x, t).dispose();
    expect(tf.memory().numTensors).toBe(base);
    tf.dispose([x, t]);
  });

  it.each(['cpu', 'wasm'])(
    'keeps the tiny loss of a confident correct positive (x = 30) instead of rounding it to 0 on %s',
    async (backend) => {
      await tf.setBackend(backend);
      await tf.ready();
      // σ(30) rounds to 1 in float32, so a naive |1 − σ|² would give exactly 0; the stable form gives ≈ e^{−90}.
      const t = tf.tensor1d([1]);
      const loss = qualityFocalLoss(tf.tensor1d([30]), t, { beta: 2 }).dataSync()[0];
      t.dispose();
      expectClose(loss, Math.exp(-30) * Math.exp(-60), { atol: 0, rtol: 1e-3 });
      await tf.setBackend('cpu');
    },
  );
});

describe('varifocalLoss, beyond the table', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });
  const vflRef = TABLE[1].ref;

  it('defaults to the paper’s α = 0.75 and γ = 2', () => {
    expect(VFL_DEFAULTS).toEqual({ alpha: 0.75, gamma: 2 });
    const t = tf.tensor1d([0, 0.6, 0, 1]);
    const logits = [-2, 0.5, 1.5, 3];
    const { loss } = lossAndGrad((x) => varifocalLoss(x, t), logits);
    t.dispose();
    expectClose(
      loss,
      logits.map((x, i) => vflRef(x, [0, 0.6, 0, 1][i], { alpha: 0.75, gamma: 2 })),
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
});
