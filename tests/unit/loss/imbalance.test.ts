/**
 * The "easy negatives swamp the loss" calculator (paper §1, §3, Figure 4).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  IMBALANCE_DEFAULTS,
  IMBALANCE_RANGES,
  imbalanceBreakdown,
  lossCurve,
  type ImbalanceOptions,
} from '../../../lib/loss';
import { expectClose } from '../../helpers/close';

const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const easyShare = (r: ReturnType<typeof imbalanceBreakdown>, kind: 'ce' | 'alpha_ce' | 'focal') => ({
  loss: r.losses[kind].easyNeg.loss / r.losses[kind].total.loss,
  grad: r.losses[kind].easyNeg.grad / r.losses[kind].total.grad,
});

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('imbalanceBreakdown at the defaults', () => {
  const r = imbalanceBreakdown();

  it('splits the counts exactly: easy + hard = numNegatives, positives = numPositives', () => {
    const ce = r.losses.ce;
    expect(ce.easyNeg.count + ce.hardNeg.count).toBe(IMBALANCE_DEFAULTS.numNegatives);
    expect(ce.hardNeg.count).toBe(1000);
    expect(ce.pos.count).toBe(IMBALANCE_DEFAULTS.numPositives);
  });

  it('has p_t distributions whose expected counts sum to the group sizes', () => {
    const d = r.ptDistribution;
    expect(d.pt).toHaveLength(IMBALANCE_DEFAULTS.bins);
    expectClose(sum(d.easyNeg), 99_000, { atol: 0, rtol: 1e-9 });
    expectClose(sum(d.hardNeg), 1000, { atol: 0, rtol: 1e-9 });
    expectClose(sum(d.pos), IMBALANCE_DEFAULTS.numPositives, { atol: 0, rtol: 1e-9 });
    expect(d.pt.every((p, i) => p > 0 && p < 1 && (i === 0 || p > d.pt[i - 1]))).toBe(true);
    // The easy negatives' mode sits at their centre p_t = 0.99.
    const mode = d.pt[d.easyNeg.indexOf(Math.max(...d.easyNeg))];
    expect(Math.abs(Math.log(mode / (1 - mode)) - Math.log(99))).toBeLessThan(0.1);
  });

  it('lets easy negatives dominate plain CE: most of the loss and of the gradient', () => {
    const share = easyShare(r, 'ce');
    expect(share.loss).toBeGreaterThan(0.55);
    expect(share.grad).toBeGreaterThan(0.65);
    // α-balancing does not change that (it rescales all negatives alike).
    expect(easyShare(r, 'alpha_ce').loss).toBeGreaterThan(0.55);
  });

  it('leaves easy negatives a small share under the focal loss with γ = 2', () => {
    const share = easyShare(r, 'focal');
    expect(share.loss).toBeLessThan(0.02);
    expect(share.grad).toBeLessThan(0.05);
    expect(r.losses.focal.hardNeg.loss / r.losses.focal.total.loss).toBeGreaterThan(0.95);
  });

  it('adds the groups up to the totals', () => {
    for (const kind of ['ce', 'alpha_ce', 'focal'] as const) {
      const L = r.losses[kind];
      expectClose(L.total.loss, L.easyNeg.loss + L.hardNeg.loss + L.pos.loss);
      expectClose(L.total.grad, L.easyNeg.grad + L.hardNeg.grad + L.pos.grad);
    }
  });
});

describe('imbalanceBreakdown', () => {
  it('makes the focal entry equal α-balanced CE when γ = 0, and easy negatives then dominate it', () => {
    const r = imbalanceBreakdown({ gamma: 0 });
    expect(r.losses.focal).toEqual(r.losses.alpha_ce);
    expect(easyShare(r, 'focal').loss).toBeGreaterThan(0.5);
  });

  it('sums count × per-example loss from the core over the p_t cells, negatives at target 0', () => {
    const r = imbalanceBreakdown();
    const { pt, easyNeg, hardNeg, pos } = r.ptDistribution;
    const neg = lossCurve({ pt, gamma: 2, alpha: 0.25, target: 0 });
    const posLoss = lossCurve({ pt, gamma: 2, alpha: 0.25, target: 1 });
    const dot = (a: number[], b: number[]) => sum(a.map((v, i) => v * b[i]));
    expectClose(r.losses.focal.easyNeg.loss, dot(easyNeg, neg), { atol: 0, rtol: 1e-6 });
    expectClose(r.losses.focal.hardNeg.loss, dot(hardNeg, neg), { atol: 0, rtol: 1e-6 });
    expectClose(r.losses.focal.pos.loss, dot(pos, posLoss), { atol: 0, rtol: 1e-6 });
  });

  it('puts a narrow group at its centre: total ≈ count × loss(centre p_t)', () => {
    const r = imbalanceBreakdown({ spread: 0.01, bins: 1001, positivePt: 0.5, numPositives: 10 });
    const atCentre = lossCurve({ pt: [0.5], gamma: 2, alpha: 0.25, target: 1 })[0];
    expectClose(r.losses.focal.pos.loss, 10 * atCentre, { atol: 0, rtol: 0.02 });
  });

  it('reduces the easy-negative share as γ grows', () => {
    const shares = [0, 0.5, 1, 2, 5].map((gamma) => easyShare(imbalanceBreakdown({ gamma }), 'focal').loss);
    shares.forEach((s, i) => i > 0 && expect(s).toBeLessThan(shares[i - 1]));
  });

  it('rejects non-finite and out-of-range inputs with RangeError', () => {
    const bad: Partial<ImbalanceOptions>[] = [
      { numNegatives: NaN },
      { numPositives: Infinity },
      { spread: 0 },
      { hardNegativeFraction: 1.5 },
      { easyNegativePt: 1 },
      { gamma: -1 },
      { gamma: 6 },
      { alpha: 2 },
      { bins: 2.5 },
    ];
    for (const opts of bad) expect(() => imbalanceBreakdown(opts), JSON.stringify(opts)).toThrow(RangeError);
  });

  it('accepts every slider extreme of IMBALANCE_RANGES with finite results', () => {
    for (const [key, range] of Object.entries(IMBALANCE_RANGES)) {
      for (const value of [range.min, range.max]) {
        const r = imbalanceBreakdown({ [key]: value });
        for (const L of Object.values(r.losses)) {
          expect(Number.isFinite(L.total.loss) && Number.isFinite(L.total.grad), `${key}=${value}`).toBe(
            true,
          );
        }
      }
      const def = IMBALANCE_DEFAULTS[key as keyof ImbalanceOptions];
      expect(def, `default of ${key} within its range`).toBeGreaterThanOrEqual(range.min);
      expect(def).toBeLessThanOrEqual(range.max);
    }
  });
});
