/**
 * The initial loss under the prior initialisation (§3.3, §4.1): agreement with the closed forms, the π = 0.5
 * limit, and what the paper says the prior buys.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initialLossVsPrior, priorBias, priorGrid } from '../../../lib/loss/prior';
import { expectClose } from '../../helpers/close';
import { fromSliderPosition } from '../../../lib/params/schema';
import { priorInitSchema } from '../../../lib/params/retinanet';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const TOY = { numAnchors: 3000, numClasses: 3, numPositives: 8 };
/** float32 logits of priors as small as 1e-4: ℓ₀ ≈ π carries ~1e-3 relative rounding from the logit. */
const TOL = { atol: 1e-9, rtol: 2e-3 };

describe('initialLossVsPrior', () => {
  it('gives every entry the loss of logit b = −log((1 − π)/π): −log π for positives, −log(1 − π) for negatives', () => {
    const pis = [1e-4, 1e-3, 0.01, 0.1, 0.3, 0.5];
    const out = initialLossVsPrior(pis, TOY, { gamma: 2 });
    expectClose(
      out.map((o) => o.ce.perPositive),
      pis.map((p) => -Math.log(p)),
      TOL,
      'CE positive',
    );
    expectClose(
      out.map((o) => o.ce.perNegative),
      pis.map((p) => -Math.log1p(-p)),
      TOL,
      'CE negative',
    );
    expectClose(
      out.map((o) => o.fl.perPositive),
      pis.map((p) => -((1 - p) ** 2) * Math.log(p)),
      TOL,
      'FL positive',
    );
    expectClose(
      out.map((o) => o.fl.perNegative),
      pis.map((p) => -(p ** 2) * Math.log1p(-p)),
      TOL,
      'FL negative',
    );
    out.forEach((o, i) => expect(o.bias).toEqual(priorBias(pis[i]) + 0));
  });

  it('multiplies by P positive entries and N·K − P negative entries, and normalises by max(1, P)', () => {
    const [o] = initialLossVsPrior([0.01], TOY, { gamma: 0 });
    expect(o.positiveEntries).toBe(8);
    expect(o.negativeEntries).toBe(3000 * 3 - 8);
    expect(o.ce.positives).toBeCloseTo(8 * o.ce.perPositive, 9);
    expect(o.ce.negatives).toBeCloseTo(8992 * o.ce.perNegative, 9);
    expect(o.ce.total).toBeCloseTo(o.ce.positives + o.ce.negatives, 9);
    expect(o.ce.normalised).toBeCloseTo(o.ce.total / 8, 9);
    // γ = 0: FL is CE exactly.
    expect(o.fl).toEqual(o.ce);
  });

  it('at π = 0.5 (b = 0) gives the negatives exactly their share of the entries, for CE and any γ', () => {
    for (const gamma of [0, 0.5, 2, 5]) {
      const [o] = initialLossVsPrior([0.5], TOY, { gamma });
      expect(o.bias).toBe(0);
      expect(o.ce.negativeShare).toBeCloseTo(8992 / 9000, 12);
      expect(o.fl.negativeShare).toBeCloseTo(8992 / 9000, 12);
      expect(o.fl.perPositive).toBeCloseTo(Math.LN2 * 0.5 ** gamma, 6);
    }
  });

  it('makes the normalised CE loss tens of times larger at π = 0.5 than at π = 0.01 for the toy counts', () => {
    const [lo, hi] = initialLossVsPrior([0.01, 0.5], TOY, { gamma: 2 });
    expect(hi.ce.normalised / lo.ce.normalised).toBeGreaterThan(40);
    expect(lo.ce.negativeShare).toBeLessThan(hi.ce.negativeShare);
    expect(lo.fl.negativeShare).toBeLessThan(0.01);
  });

  it("makes the negatives' CE share grow monotonically with π", () => {
    const out = initialLossVsPrior(priorGrid(10), TOY);
    const shares = out.map((o) => o.ce.negativeShare);
    shares.forEach((s, i) => i === 0 || expect(s).toBeGreaterThan(shares[i - 1]));
  });

  it('applies α to positives and 1 − α to negatives when given', () => {
    const [plain] = initialLossVsPrior([0.01], TOY, { gamma: 2 });
    const [bal] = initialLossVsPrior([0.01], TOY, { gamma: 2, alpha: 0.25 });
    expect(bal.fl.perPositive).toBeCloseTo(0.25 * plain.fl.perPositive, 6);
    expect(bal.fl.perNegative / plain.fl.perNegative).toBeCloseTo(0.75, 4);
  });

  it('does not leak tensors', () => {
    const before = tf.memory().numTensors;
    initialLossVsPrior(priorGrid(2), TOY);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects π outside (0, 1) and impossible counts', () => {
    expect(() => initialLossVsPrior([0], TOY)).toThrow(RangeError);
    expect(() => initialLossVsPrior([1], TOY)).toThrow(RangeError);
    expect(() => initialLossVsPrior([0.1], { ...TOY, numPositives: 4000 })).toThrow(RangeError);
    expect(() => initialLossVsPrior([0.1], { ...TOY, numClasses: 0 })).toThrow(RangeError);
    expect(() => initialLossVsPrior([0.1], TOY, { gamma: -1 })).toThrow();
    expect(initialLossVsPrior([], TOY)).toEqual([]);
  });
});

describe('priorGrid', () => {
  it('runs from 1e-4 to 0.5 in steps of 1/20 decade, hitting every power of ten exactly', () => {
    const g = priorGrid();
    expect(g[0]).toBe(1e-4);
    expect(g[g.length - 1]).toBe(0.5);
    for (const p of [1e-4, 1e-3, 0.01, 0.1]) expect(g).toContain(p);
    const steps = g.slice(1, -1).map((v, i) => Math.log10(v) - Math.log10(g[i]));
    steps.forEach((s) => expect(s).toBeCloseTo(1 / 20, 9));
    g.forEach((v, i) => i === 0 || expect(v).toBeGreaterThan(g[i - 1]));
  });

  it('contains every value the π slider can take (log10 steps of 0.05 from 1e-4)', () => {
    const g = priorGrid();
    for (let k = 0; k <= 73; k++) {
      const slider = fromSliderPosition(priorInitSchema[0], -4 + k * 0.05);
      expect(
        g.some((v) => Math.abs(v - slider) <= 1e-9 * slider),
        `π = ${slider}`,
      ).toBe(true);
    }
  });

  it('rejects bad ranges', () => {
    expect(() => priorGrid(0)).toThrow(RangeError);
    expect(() => priorGrid(20, 0.5, 0.1)).toThrow(RangeError);
    expect(() => priorGrid(20, 0, 0.5)).toThrow(RangeError);
  });
});
