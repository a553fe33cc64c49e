/**
 * imbalanceBreakdown caches its per-example loss and gradient curves by (backend, loss, bins, α, γ), so a
 * slider for the counts or the centres does not rerun tfjs. The cache must never change an answer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { imbalanceBreakdown } from '../../../lib/loss';
import { expectClose } from '../../helpers/close';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const KINDS = ['ce', 'alpha_ce', 'focal'] as const;
const GROUPS = ['easyNeg', 'hardNeg', 'pos'] as const;

describe('imbalanceBreakdown with cached per-example curves', () => {
  it('gives the same totals for a setting whether it is computed first or after other settings', () => {
    const setting = { numNegatives: 37_000, gamma: 1.3, alpha: 0.4, easyNegativePt: 0.97 };
    const first = imbalanceBreakdown(setting);
    // Other γ, α and counts in between, as a reader dragging sliders would produce.
    for (const gamma of [0, 0.5, 2, 5]) imbalanceBreakdown({ gamma, alpha: 0.25, numNegatives: 5000 });
    const again = imbalanceBreakdown(setting);
    expect(again).toEqual(first);
  });

  it('scales each group linearly with its count when only the count changes (curves reused)', () => {
    const a = imbalanceBreakdown({ numNegatives: 10_000, numPositives: 10 });
    const b = imbalanceBreakdown({ numNegatives: 30_000, numPositives: 30 });
    for (const k of KINDS) {
      for (const g of GROUPS) {
        expectClose(b.losses[k][g].loss, 3 * a.losses[k][g].loss, { rtol: 1e-9, atol: 0 });
        expectClose(b.losses[k][g].grad, 3 * a.losses[k][g].grad, { rtol: 1e-9, atol: 0 });
      }
    }
  });

  it('recomputes the focal curves when γ changes, and leaves CE and α-CE as they were', () => {
    const g2 = imbalanceBreakdown({ gamma: 2 });
    const g3 = imbalanceBreakdown({ gamma: 3 });
    expect(g3.losses.ce).toEqual(g2.losses.ce);
    expect(g3.losses.alpha_ce).toEqual(g2.losses.alpha_ce);
    expect(g3.losses.focal.easyNeg.loss).toBeLessThan(g2.losses.focal.easyNeg.loss);
  });

  it('recomputes α-CE and focal when α changes, and leaves CE as it was', () => {
    const a25 = imbalanceBreakdown({ alpha: 0.25 });
    const a75 = imbalanceBreakdown({ alpha: 0.75 });
    expect(a75.losses.ce).toEqual(a25.losses.ce);
    // Negatives are weighted 1 − α: from 0.75 to 0.25, a third.
    expectClose(a75.losses.alpha_ce.easyNeg.loss, a25.losses.alpha_ce.easyNeg.loss / 3, {
      rtol: 1e-5,
      atol: 0,
    });
    expectClose(a75.losses.focal.hardNeg.loss, a25.losses.focal.hardNeg.loss / 3, { rtol: 1e-5, atol: 0 });
  });

  it('leaves no tensors behind, on a miss or a hit', () => {
    imbalanceBreakdown({ gamma: 4.4 });
    const before = tf.memory().numTensors;
    imbalanceBreakdown({ gamma: 4.6 }); // miss
    imbalanceBreakdown({ gamma: 4.6, numNegatives: 2000 }); // hit
    expect(tf.memory().numTensors).toBe(before);
  });
});
