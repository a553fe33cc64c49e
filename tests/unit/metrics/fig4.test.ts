/**
 * Figure 4 (paper §5.1): cumulative normalised loss over sorted positives / negatives for several γ.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { computeFig4, cumulativeLossCurve, fig4FromPt } from '../../../lib/metrics/fig4';
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
