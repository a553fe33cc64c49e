/**
 * Curve helpers for the figures: shapes, monotonicity and agreement with the paper's closed forms.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  gradientCurve,
  gradientCurves,
  lossCurve,
  lossCurves,
  lossStarCurve,
  lossVsLogitCurve,
  logitsForPt,
  modulatingFactorCurve,
  ptGrid,
} from '../../../lib/loss';
import { expectAllFinite, expectClose } from '../../helpers/close';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const isStrictlyDecreasing = (v: number[]) => v.every((x, i) => i === 0 || x < v[i - 1]);
const isStrictlyIncreasing = (v: number[]) => v.every((x, i) => i === 0 || x > v[i - 1]);

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('ptGrid', () => {
  it('has n strictly increasing points from min to max inclusive', () => {
    const g = ptGrid();
    expect(g).toHaveLength(241);
    expect(g[0]).toBe(1e-3);
    expect(g[240]).toBe(1 - 1e-4);
    expect(isStrictlyIncreasing(g)).toBe(true);
    expect(ptGrid(5, 0.1, 0.9)).toHaveLength(5);
  });

  it('is finer near both ends than in the middle (uniform in logit)', () => {
    const g = ptGrid();
    const first = g[1] - g[0];
    const middle = Math.max(...g.slice(1).map((p, i) => p - g[i]));
    const last = g[240] - g[239];
    expect(first).toBeLessThan(middle / 10);
    expect(last).toBeLessThan(middle / 10);
    expect(middle).toBeLessThan(0.02);
  });

  it('rejects n < 2 and bounds outside (0, 1)', () => {
    expect(() => ptGrid(1)).toThrow(RangeError);
    expect(() => ptGrid(10, 0, 0.5)).toThrow(RangeError);
    expect(() => ptGrid(10, 0.6, 0.5)).toThrow(RangeError);
  });
});

describe('lossCurve', () => {
  const pt = ptGrid();

  it.each([0, 0.5, 1, 2, 5])('is finite and strictly decreasing in p_t for γ = %s', (gamma) => {
    const curve = lossCurve({ pt, gamma, alpha: null });
    expect(curve).toHaveLength(pt.length);
    expectAllFinite(curve);
    expect(isStrictlyDecreasing(curve)).toBe(true);
  });

  it('is −log p_t for γ = 0 and −(1 − p_t)^γ log p_t otherwise', () => {
    expectClose(
      lossCurve({ pt, gamma: 0, alpha: null }),
      pt.map((p) => -Math.log(p)),
      { atol: 1e-6, rtol: 1e-5 },
    );
    expectClose(
      lossCurve({ pt, gamma: 2, alpha: null }),
      pt.map((p) => -((1 - p) ** 2) * Math.log(p)),
      {
        atol: 1e-6,
        rtol: 1e-4,
      },
    );
  });

  it('is the same for target 0 as for target 1 without α, and weights by 1 − α vs α with it', () => {
    const pos = lossCurve({ pt, gamma: 2, alpha: null });
    expectClose(lossCurve({ pt, gamma: 2, alpha: null, target: 0 }), pos);
    expectClose(
      lossCurve({ pt, gamma: 2, alpha: 0.25, target: 0 }),
      pos.map((v) => 0.75 * v),
    );
    expectClose(
      lossCurve({ pt, gamma: 2, alpha: 0.25, target: 1 }),
      pos.map((v) => 0.25 * v),
    );
  });

  it('matches its batched form lossCurves', () => {
    const settings = [0, 0.5, 1, 2, 5].map((gamma) => ({ gamma, alpha: null }));
    const batched = lossCurves(pt, settings);
    expect(batched).toHaveLength(5);
    batched.forEach((row, k) =>
      expect(row).toEqual(lossCurve({ pt, gamma: settings[k].gamma, alpha: null })),
    );
  });

  it('rejects p_t outside (0, 1)', () => {
    expect(() => lossCurve({ pt: [0, 0.5], gamma: 2, alpha: null })).toThrow(RangeError);
    expect(() => lossCurve({ pt: [0.5, 1], gamma: 2, alpha: null })).toThrow(RangeError);
  });
});

describe('logitsForPt', () => {
  it('maps p_t to x = logit(p_t) for target 1 and −logit(p_t) for target 0', () => {
    expectClose(logitsForPt([0.5, sigmoid(2)]), [0, 2]);
    expectClose(logitsForPt([sigmoid(2)], 0), [-2]);
  });
});

describe('modulatingFactorCurve', () => {
  it('is (1 − p_t)^γ: decreasing, 0.5^γ at p_t = 0.5, and all ones for γ = 0', () => {
    const pt = ptGrid(101);
    const f = modulatingFactorCurve({ pt, gamma: 2 });
    expect(isStrictlyDecreasing(f)).toBe(true);
    expectClose(
      f,
      pt.map((p) => (1 - p) ** 2),
      { atol: 1e-7, rtol: 1e-4 },
    );
    expectClose(modulatingFactorCurve({ pt: [0.5], gamma: 3 }), [0.125]);
    expect(modulatingFactorCurve({ pt, gamma: 0 }).every((v) => v === 1)).toBe(true);
  });
});

describe('FL* curves (Figure 5)', () => {
  it('lossStarCurve is −log σ(γ x_t + β)/γ and decreasing in p_t', () => {
    const pt = ptGrid(81);
    for (const [gamma, beta] of [
      [2, 1],
      [4, 0],
    ]) {
      const c = lossStarCurve({ pt, gamma, beta, alpha: null });
      expect(isStrictlyDecreasing(c)).toBe(true);
      const want = pt.map((p) => -Math.log(sigmoid(gamma * Math.log(p / (1 - p)) + beta)) / gamma);
      expectClose(c, want, { atol: 1e-6, rtol: 1e-4 }, `γ=${gamma} β=${beta}`);
    }
  });

  it('lossVsLogitCurve gives CE, FL and FL* against x_t', () => {
    const logits = [-5, -1, 0, 1, 5];
    const ce = lossVsLogitCurve({ logits, gamma: 0, alpha: null, target: 1, kind: 'focal' });
    expectClose(
      ce,
      logits.map((x) => Math.log1p(Math.exp(-x))),
    );
    const star = lossVsLogitCurve({ logits, gamma: 4, beta: 0, alpha: null, target: 1, kind: 'focal_star' });
    expectClose(
      star,
      logits.map((x) => Math.log1p(Math.exp(-4 * x)) / 4),
    );
    const neg = lossVsLogitCurve({
      logits: logits.map((x) => -x),
      gamma: 0,
      alpha: null,
      target: 0,
      kind: 'focal',
    });
    expectClose(neg, ce);
  });
});

describe('gradientCurve (Figure 6, Appendix B)', () => {
  const logits = Array.from({ length: 41 }, (_, i) => -10 + i / 2);

  it('gives dCE/dx = y(p_t − 1)', () => {
    for (const target of [0, 1] as const) {
      const y = target === 1 ? 1 : -1;
      const g = gradientCurve({ logits, gamma: 0, alpha: null, target });
      expectClose(
        g,
        logits.map((x) => y * (sigmoid(y * x) - 1)),
        undefined,
        `target ${target}`,
      );
    }
  });

  it('gives dFL/dx = y(1 − p_t)^γ(γ p_t log p_t + p_t − 1), negative everywhere for a positive', () => {
    const g = gradientCurve({ logits, gamma: 2, alpha: null, target: 1 });
    const want = logits.map((x) => {
      const p = sigmoid(x);
      return (1 - p) ** 2 * (2 * p * Math.log(p) + p - 1);
    });
    expectClose(g, want, { atol: 1e-7, rtol: 1e-4 });
    expect(g.every((v) => v < 0)).toBe(true);
  });

  it('gives d(FL*)/dx = y(p*_t − 1) for γ = 2, β = 1', () => {
    const g = gradientCurve({ logits, gamma: 2, beta: 1, alpha: null, target: 1, kind: 'focal_star' });
    expectClose(
      g,
      logits.map((x) => sigmoid(2 * x + 1) - 1),
    );
  });

  it('matches its batched form gradientCurves and stays finite at extreme logits for γ < 1', () => {
    const settings = [
      { gamma: 0, alpha: null, target: 1 as const },
      { gamma: 0.1, alpha: 0.25, target: 0 as const },
      { gamma: 2, alpha: null, target: 1 as const, kind: 'focal_star' as const, beta: 1 },
    ];
    const batched = gradientCurves(logits, settings);
    batched.forEach((row, k) => expect(row).toEqual(gradientCurve({ logits, ...settings[k] })));
    expectAllFinite(gradientCurves([-1e4, -40, 40, 1e4], settings));
  });
});
