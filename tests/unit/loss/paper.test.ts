/**
 * The paper's numeric claims about the focal loss (§3.2, Figure 1), checked through the tensor core.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { lossCurve, ptGrid } from '../../../lib/loss';
import { expectClose } from '../../helpers/close';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** CE(p_t) / FL(p_t) for γ = 2 (no α), from the curve helpers. */
function ceOverFl(pt: number[]): number[] {
  const ce = lossCurve({ pt, gamma: 0, alpha: null });
  const fl = lossCurve({ pt, gamma: 2, alpha: null });
  return ce.map((c, i) => c / fl[i]);
}

describe('paper §3.2 with γ = 2', () => {
  it('gives an example at p_t = 0.9 100× lower loss than CE', () => {
    expectClose(ceOverFl([0.9])[0], 100, { atol: 0, rtol: 1e-4 });
  });

  it('gives an example at p_t ≈ 0.968 1000× lower loss than CE (exactly 1000× at p_t = 1 − 1/√1000 = 0.96838)', () => {
    expectClose(ceOverFl([1 - 1 / Math.sqrt(1000)])[0], 1000, { atol: 0, rtol: 1e-3 });
    const at0968 = ceOverFl([0.968])[0];
    expect(at0968).toBeGreaterThan(950);
    expect(at0968).toBeLessThan(1000);
  });

  it('scales the loss down by at most 4× for p_t ≤ 0.5', () => {
    const pt = ptGrid(101, 1e-3, 0.5);
    const ratios = ceOverFl(pt);
    expect(Math.max(...ratios)).toBeLessThanOrEqual(4 * (1 + 1e-5));
    expectClose(ratios[ratios.length - 1], 4, { atol: 0, rtol: 1e-5 });
  });
});

describe('paper Figure 1', () => {
  it('orders the curves: at every p_t in (0, 1), larger γ means lower loss', () => {
    const pt = ptGrid(61);
    const curves = [0, 0.5, 1, 2, 5].map((gamma) => lossCurve({ pt, gamma, alpha: null }));
    for (let k = 1; k < curves.length; k++) {
      curves[k].forEach((v, i) => expect(v, `γ index ${k}, p_t ${pt[i]}`).toBeLessThan(curves[k - 1][i]));
    }
  });
});
