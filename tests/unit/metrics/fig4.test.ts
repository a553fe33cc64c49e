/**
 * Figure 4 (paper §5.1): cumulative normalised loss over sorted positives / negatives for several γ.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import {
  computeFig4,
  cumulativeLossCurve,
  fig4FromLogits,
  fig4FromPt,
  sortNearlySorted,
} from '../../../lib/metrics/fig4';
import { sigmoidFocalLoss } from '../../../lib/loss';
import { createModel, disposeModel } from '../../../lib/detector/model';
import { makeEvalSet } from '../../../lib/detector/infer';
import { generateAnchors } from '../../../lib/detector/anchors';
import { expectClose } from '../../helpers/close';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** A hand-made, imbalanced p_t set: many easy negatives, a few hard ones; positives spread out. */
function handMade() {
  const neg: number[] = [];
  for (let i = 0; i < 5000; i++) neg.push(0.9 + (0.0999 * ((i * 37) % 1000)) / 1000); // easy: p_t ∈ [0.9, 1)
  for (let i = 0; i < 50; i++) neg.push(0.05 + 0.6 * (i / 50)); // hard: p_t ∈ [0.05, 0.65)
  const pos = Array.from({ length: 200 }, (_, i) => 0.05 + 0.9 * (i / 199));
  return { pos, neg };
}

describe('cumulativeLossCurve', () => {
  it('is the cumulative share of the sorted losses, with the top shares exact', () => {
    const { curve, shares } = cumulativeLossCurve(
      Float64Array.from([4, 1, 0, 3, 2]),
      [0, 0.2, 0.4, 1],
      [0.2, 0.4],
    );
    expectClose(curve, [0, 0, 0.1, 1]);
    expectClose(shares, [0.4, 0.7]);
  });
});

describe('fig4FromPt', () => {
  let r: ReturnType<typeof fig4FromPt>;
  beforeAll(() => {
    const { pos, neg } = handMade();
    r = fig4FromPt(pos, neg);
  });

  it('gives monotone curves from 0 to 1 at 101 fractions for every γ', () => {
    expect(r.fractions.length).toBe(101);
    expect(r.curves.map((c) => c.gamma)).toEqual([0, 0.5, 1, 2]);
    for (const c of r.curves) {
      for (const curve of [c.positive, c.negative]) {
        expect(curve[0]).toBe(0);
        expectClose(curve[100], 1, { atol: 1e-12, rtol: 0 });
        for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeGreaterThanOrEqual(curve[i - 1]);
      }
    }
    expect(r.numPositive).toBe(200);
    expect(r.numNegative).toBe(5050);
  });

  it('concentrates the negative loss on the hardest negatives as γ grows', () => {
    const top10 = r.curves.map((c) => c.negHardest10);
    const top1 = r.curves.map((c) => c.negHardest1);
    for (let i = 1; i < top10.length; i++) {
      expect(top10[i]).toBeGreaterThan(top10[i - 1]);
      expect(top1[i]).toBeGreaterThan(top1[i - 1]);
    }
    expect(top10[3]).toBeGreaterThan(0.9); // γ = 2: the 1 % hard negatives dominate
    expect(top10[0]).toBeLessThan(0.6);
  });

  it('rejects p_t outside (0, 1)', () => {
    expect(() => fig4FromPt([1], [0.5])).toThrow(/p_t/);
  });
});

describe('sortNearlySorted', () => {
  it('sorts neighbours a rounding swapped, and anything else by a full sort', () => {
    expect(Array.from(sortNearlySorted([1, 2, 2.5, 2.4999, 3, 5, 4, 6]))).toEqual([
      1, 2, 2.4999, 2.5, 3, 4, 5, 6,
    ]);
    const reversed = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    expect(Array.from(sortNearlySorted(reversed))).toEqual(reversed.slice().reverse());
    expect(Array.from(sortNearlySorted([]))).toEqual([]);
    expect(Array.from(sortNearlySorted([0, -0.5, 3, 1e-9, 2]))).toEqual([-0.5, 0, 1e-9, 2, 3]);
  });
});

describe('fig4FromLogits', () => {
  /** The definition, step by step: every element's FL by the general (soft-target) core, sorted outright. */
  function reference(logits: Float32Array, targets: Float32Array, gamma: number, fractions: number[]) {
    const group = (y: number) => {
      const x = logits.filter((_, i) => targets[i] === y);
      const losses = tf.tidy(() =>
        sigmoidFocalLoss(tf.tensor1d(x), tf.fill([x.length], y), { alpha: null, gamma, reduction: 'none' }),
      );
      const v = Float64Array.from(losses.dataSync());
      losses.dispose();
      return cumulativeLossCurve(v, fractions, y === 1 ? [0.2] : [0.01, 0.1]);
    };
    return { positive: group(1), negative: group(0) };
  }

  it.each(['cpu', 'wasm'])(
    'equals the losses sorted outright on %s, with near-ties that float32 rounding may swap',
    async (backend) => {
      await tf.setBackend(backend);
      const n = 20000;
      const logits = new Float32Array(n);
      const targets = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        // Clusters of logits a few ulps apart (rounding-level neighbours), spread over easy and hard examples.
        logits[i] = Math.fround(-8 + (10 * ((i * 7919) % 613)) / 613 + (i % 5) * 1e-6);
        targets[i] = i % 41 === 0 ? 1 : 0;
      }
      const valid = Uint8Array.from({ length: n }, (_, i) => (i % 17 === 0 ? 0 : 1));
      const got = fig4FromLogits(logits, targets, undefined, { points: 21 });
      for (const c of got.curves) {
        const want = reference(logits, targets, c.gamma, got.fractions);
        expectClose(c.negative, want.negative.curve, { atol: 1e-6, rtol: 0 });
        expectClose(c.positive, want.positive.curve, { atol: 1e-6, rtol: 0 });
        expectClose([c.negHardest1, c.negHardest10], want.negative.shares, { atol: 1e-6, rtol: 0 });
        expectClose(c.posHardest20, want.positive.shares[0], { atol: 1e-6, rtol: 0 });
      }
      const masked = fig4FromLogits(logits, targets, valid, { gammas: [2], points: 5 });
      expect(masked.numPositive + masked.numNegative).toBe(valid.reduce((a, b) => a + b, 0));
      await tf.setBackend('cpu');
    },
  );
});

describe('computeFig4', () => {
  it('collects one positive per foreground anchor and the rest as negatives from a model', async () => {
    await tf.setBackend('wasm');
    const m = createModel({}, 0);
    const r = computeFig4(m, makeEvalSet(2), { gammas: [0, 2], points: 11 });
    expect(r.numPositive).toBeGreaterThan(0);
    expect(r.numPositive + r.numNegative).toBeLessThanOrEqual(2 * 3024 * 3);
    expect(r.curves[1].negHardest10).toBeGreaterThanOrEqual(r.curves[0].negHardest10);
    disposeModel(m);
    await tf.setBackend('cpu');
  });

  it('uses the model’s own anchors (A = 21 here), and names a mismatch instead of overrunning a buffer', async () => {
    await tf.setBackend('wasm');
    const m = createModel({ anchorsPerLocation: 21 }, 0);
    const set = makeEvalSet(2);
    const anchors = generateAnchors({ imageSize: 64, aspectRatios: [1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4] });
    const r = computeFig4(m, set, { gammas: [0, 2], points: 11, anchors });
    expect(r.numPositive + r.numNegative).toBeLessThanOrEqual(2 * anchors.numAnchors * 3);
    expect(r.numNegative).toBeGreaterThan(2 * 3024 * 3);
    expect(() => computeFig4(m, set, { gammas: [0], points: 11 })).toThrow(
      /A = 9 per location, the model 21/,
    );
    disposeModel(m);
    await tf.setBackend('cpu');
  });
});
