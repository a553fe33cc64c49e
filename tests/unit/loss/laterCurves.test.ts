/**
 * The curve helper of LaterLossesFigure: shapes, agreement with the loss functions it wraps, and the facts the
 * figure is there to show (QFL and VFL aim a positive at p = q, CE/FL/FL* at p = 1; a negative's QFL is FL γ = 2).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  LATER_LOSSES,
  laterLossCurves,
  laterLossRows,
  lossVsLogitCurves,
  logitsForPt,
} from '../../../lib/loss';
import { expectAllFinite, expectClose } from '../../helpers/close';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const XS = Array.from({ length: 121 }, (_, i) => -6 + i * 0.1);
const idx = (name: string) => LATER_LOSSES.findIndex((l) => l.name === name);

describe('laterLossCurves', () => {
  it('returns one finite row per registered loss and side, of the logits’ length', () => {
    for (const what of ['loss', 'grad'] as const) {
      const c = laterLossCurves(XS, 0.7, what);
      for (const side of [c.positive, c.negative]) {
        expect(side).toHaveLength(LATER_LOSSES.length);
        for (const row of side) {
          expect(row).toHaveLength(XS.length);
          expectAllFinite(row);
        }
      }
    }
  });

  it('lists CE, FL, FL*, QFL and VFL under URL-safe names', () => {
    expect(LATER_LOSSES.map((l) => l.name)).toEqual(['ce', 'fl', 'flstar', 'qfl', 'vfl']);
  });

  it('gives CE, FL and FL* the values of the existing curve helper (hard targets)', () => {
    const c = laterLossCurves(XS, 0.5);
    const want = (target: 0 | 1) =>
      lossVsLogitCurves(XS, [
        { gamma: 0, alpha: null, target },
        { gamma: 2, alpha: null, target },
        { gamma: 2, beta: 1, alpha: null, target, kind: 'focal_star' },
      ]);
    expectClose(c.positive.slice(0, 3), want(1));
    expectClose(c.negative.slice(0, 3), want(0));
  });

  it('puts the positive’s QFL minimum (0) and VFL minimum at p = q, where CE keeps falling towards p = 1', () => {
    const q = 0.6;
    const xq = logitsForPt([q], 1)[0];
    const xs = [xq - 1, xq, xq + 1];
    const loss = laterLossCurves(xs, q).positive;
    const grad = laterLossCurves(xs, q, 'grad').positive;
    expectClose(loss[idx('qfl')][1], 0, { atol: 1e-7, rtol: 0 });
    expect(loss[idx('qfl')][0]).toBeGreaterThan(0);
    expect(loss[idx('qfl')][2]).toBeGreaterThan(0);
    expectClose(grad[idx('vfl')][1], 0, { atol: 1e-6, rtol: 0 });
    expect(grad[idx('vfl')][2]).toBeGreaterThan(0); // past q, VFL pushes the score back down…
    expect(grad[idx('ce')][2]).toBeLessThan(0); // …while CE still pushes it up.
  });

  it('for a negative, QFL equals FL γ = 2 and VFL is 0.75 × FL γ = 2', () => {
    const n = laterLossCurves(XS, 0.9).negative;
    expectClose(n[idx('qfl')], n[idx('fl')], { atol: 0, rtol: 1e-6 });
    expectClose(
      n[idx('vfl')],
      n[idx('fl')].map((v) => 0.75 * v),
      { atol: 0, rtol: 1e-5 },
    );
  });

  it('rejects q outside (0, 1] and non-finite logits with a RangeError, and leaks no tensors', () => {
    expect(() => laterLossCurves(XS, 0)).toThrow(RangeError);
    expect(() => laterLossCurves(XS, 1.01)).toThrow(RangeError);
    expect(() => laterLossCurves([0, Number.NaN], 0.5)).toThrow(RangeError);
    const base = tf.memory().numTensors;
    laterLossCurves(XS, 0.3, 'grad');
    expect(tf.memory().numTensors).toBe(base);
  });
});

describe('what chapter 9 says about calibration', () => {
  it('the expected focal loss of an anchor that is foreground with probability η is minimised between η and ½; CE’s at η', () => {
    const xs = Array.from({ length: 4001 }, (_, i) => -8 + i * 0.004);
    const argminP = (eta: number, gamma: number) => {
      const [pos, neg] = lossVsLogitCurves(xs, [
        { gamma, alpha: null, target: 1 },
        { gamma, alpha: null, target: 0 },
      ]);
      let best = 0;
      const e = (i: number) => eta * pos[i] + (1 - eta) * neg[i];
      for (let i = 1; i < xs.length; i++) if (e(i) < e(best)) best = i;
      return 1 / (1 + Math.exp(-xs[best]));
    };
    for (const eta of [0.05, 0.2, 0.8, 0.95]) {
      expectClose(argminP(eta, 0), eta, { atol: 2e-3, rtol: 0 });
      for (const gamma of [1, 2]) {
        const p = argminP(eta, gamma);
        expect(Math.abs(p - 0.5), `η=${eta} γ=${gamma}`).toBeLessThan(Math.abs(eta - 0.5) - 0.02);
        expect(Math.sign(p - 0.5)).toBe(Math.sign(eta - 0.5));
      }
    }
    expectClose(argminP(0.5, 2), 0.5, { atol: 2e-3, rtol: 0 });
  });
});

describe('laterLossRows', () => {
  it('gives, for a subset of losses and one target, the rows laterLossCurves gives for them', () => {
    for (const what of ['loss', 'grad'] as const) {
      const all = laterLossCurves(XS, 0.4, what);
      const soft = laterLossRows(XS, 0.4, ['vfl', 'qfl'], what);
      expectClose(soft, [all.positive[idx('vfl')], all.positive[idx('qfl')]]);
      // A hard-target loss ignores q: its positive row is the same for any quality.
      expectClose(laterLossRows(XS, 0.9, ['fl'], what), [all.positive[idx('fl')]]);
      expectClose(laterLossRows(XS, 'negative', ['ce', 'qfl'], what), [
        all.negative[idx('ce')],
        all.negative[idx('qfl')],
      ]);
    }
  });

  it('refuses an unknown loss name and a quality outside (0, 1]', () => {
    expect(() => laterLossRows(XS, 0.5, ['nope' as never])).toThrow(RangeError);
    expect(() => laterLossRows(XS, 0, ['qfl'])).toThrow(RangeError);
    expect(() => laterLossRows(XS, 1.5, ['qfl'])).toThrow(RangeError);
  });
});
