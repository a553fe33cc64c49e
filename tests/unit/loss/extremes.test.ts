/**
 * Numerical extremes, for every loss that lib/loss exports: on the CPU and WASM backends, over logits from ±1e4
 * (far beyond float32 exp's range) through ±88 (where exp(x) is about to overflow float32) and ±1e-8 (below float32
 * resolution around 1) to 0, and γ ∈ {0, 0.5, 1, 2, 5} (γ > 0 for FL*; the same values for QFL's β), the loss and its gradient are finite, the
 * loss is never negative, and for hard targets the gradient points the right way (down for y = 1, up for y = 0).
 *
 * stability.test.ts holds the focal losses to the same contract on a coarser grid and checks values; this file is
 * the exhaustive sweep, and its last test makes sure a loss added to lib/loss is added to the sweep too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as loss from '../../../lib/loss';
import { expectAllFinite } from '../../helpers/close';

const LOGITS = [-1e4, -88, -30, -17, -1, -1e-8, 0, 1e-8, 1, 17, 30, 88, 1e4];
const GAMMAS = [0, 0.5, 1, 2, 5];

/** An elementwise binary-style loss: (logits [N], targets [N]) → per-element loss [N]. */
type Elementwise = (x: tf.Tensor, t: tf.Tensor, gamma: number) => tf.Tensor;

interface Case {
  name: string;
  fn: Elementwise;
  /** Targets it accepts: hard {0, 1} only, or soft values too. */
  soft: boolean;
  /** FL* divides by γ. */
  gammaPositive?: boolean;
}

/** Every elementwise loss, each with α on (0.25) and off where it has α, FL* with both of the paper's β. */
const CASES: Case[] = [
  ...[0.25, null].map((alpha) => ({
    name: `sigmoidFocalLoss α=${alpha}`,
    fn: ((x, t, gamma) => loss.sigmoidFocalLoss(x, t, { alpha, gamma })) as Elementwise,
    soft: true,
  })),
  ...[0.25, null].map((alpha) => ({
    name: `sigmoidFocalLossBinary α=${alpha} (weighted)`,
    fn: ((x, t, gamma) =>
      loss.sigmoidFocalLossBinary(x, t, { alpha, gamma, weights: tf.fill(x.shape, 0.5) })) as Elementwise,
    soft: false,
  })),
  ...[0, 1].flatMap((beta) =>
    [0.25, null].flatMap((alpha) => [
      {
        name: `sigmoidFocalLossStar β=${beta} α=${alpha}`,
        fn: ((x, t, gamma) => loss.sigmoidFocalLossStar(x, t, { alpha, gamma, beta })) as Elementwise,
        soft: true,
        gammaPositive: true,
      },
      {
        name: `sigmoidFocalLossStarBinary β=${beta} α=${alpha}`,
        fn: ((x, t, gamma) => loss.sigmoidFocalLossStarBinary(x, t, { alpha, gamma, beta })) as Elementwise,
        soft: false,
        gammaPositive: true,
      },
    ]),
  ),
  { name: 'binaryCrossEntropy', fn: (x, t) => loss.binaryCrossEntropy(x, t), soft: true },
  { name: 'alphaBalancedCrossEntropy', fn: (x, t) => loss.alphaBalancedCrossEntropy(x, t), soft: true },
  { name: 'bceWithLogits', fn: (x, t) => loss.bceWithLogits(x, t), soft: true },
  // QFL's exponent is β (the grid's γ values); soft targets include σ(0) = 0.5, the root of |y − σ|.
  {
    name: 'qualityFocalLoss (β from the γ grid)',
    fn: (x, t, gamma) => loss.qualityFocalLoss(x, t, { beta: gamma }),
    soft: true,
  },
  ...[0.75, 0.25].map((alpha) => ({
    name: `varifocalLoss α=${alpha}`,
    fn: ((x, t, gamma) => loss.varifocalLoss(x, t, { alpha, gamma })) as Elementwise,
    soft: true,
  })),
];

/** Per-element loss and d(Σ loss)/dx, read back as plain arrays. */
function lossAndGrad(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): { value: number[]; grad: number[] } {
  return tf.tidy(() => ({
    value: Array.from(f(x).dataSync()),
    grad: Array.from(
      tf
        .grad((xi: tf.Tensor) => tf.sum(f(xi)))(x)
        .dataSync(),
    ),
  }));
}

/** Indices where the gradient has the wrong sign for target y (a tiny or zero gradient is fine). */
function wrongSign(grad: number[], y: number): number[] {
  return grad.flatMap((g, i) => ((y === 1 ? g > 0 : g < 0) ? [i] : []));
}

describe.each(['cpu', 'wasm'])('on the %s backend', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
    await tf.ready();
  });

  for (const c of CASES) {
    const gammas = GAMMAS.filter((g) => !c.gammaPositive || g > 0);
    const targets = c.soft ? [0, 1, 0.5, 0.01, 0.7] : [0, 1];
    it.each(gammas)(
      `${c.name}: finite, non-negative loss and finite, correctly signed gradient, γ = %s`,
      (gamma) => {
        expect(tf.getBackend()).toBe(backend);
        const before = tf.memory().numTensors;
        for (const y of targets) {
          tf.tidy(() => {
            const x = tf.tensor1d(LOGITS);
            const t = tf.fill([LOGITS.length], y);
            const { value, grad } = lossAndGrad((xi) => c.fn(xi, t, gamma), x);
            const at = `y=${y}, logits ${JSON.stringify(LOGITS)}`;
            expectAllFinite(value, `loss, ${at}`);
            expectAllFinite(grad, `gradient, ${at}`);
            expect(Math.min(...value), `min loss, ${at}`).toBeGreaterThanOrEqual(0);
            if (y === 0 || y === 1) expect(wrongSign(grad, y), `wrong-signed gradients, ${at}`).toEqual([]);
          });
        }
        expect(tf.memory().numTensors).toBe(before);
      },
    );
  }

  it.each(GAMMAS)('modulatingFactor is finite, in [0, 1], with a finite gradient, γ = %s', (gamma) => {
    for (const y of [0, 1, 0.5]) {
      tf.tidy(() => {
        const t = tf.fill([LOGITS.length], y);
        const { value, grad } = lossAndGrad((xi) => loss.modulatingFactor(xi, t, gamma), tf.tensor1d(LOGITS));
        expectAllFinite(value, `factor y=${y}`);
        expectAllFinite(grad, `gradient y=${y}`);
        expect(Math.min(...value)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...value)).toBeLessThanOrEqual(1);
      });
    }
  });

  it.each(GAMMAS)(
    'softmaxFocalLoss is finite with a finite gradient for rows mixing ±1e4, ±88, ±1e-8 and 0, γ = %s',
    (gamma) => {
      const rows = LOGITS.flatMap((v) => [
        [v, 0, -v],
        [v, v, v],
        [v, 88, -88],
        [v, 1e-8, -1e4],
      ]);
      for (const alpha of [null, [0.25, 0.5, 0.75]]) {
        for (const label of [0, 1, 2]) {
          tf.tidy(() => {
            const l = tf.fill([rows.length], label, 'int32');
            const { value, grad } = lossAndGrad(
              (xi) => loss.softmaxFocalLoss(xi, l, { gamma, alpha }),
              tf.tensor2d(rows),
            );
            expectAllFinite(value, `loss label ${label} α=${JSON.stringify(alpha)}`);
            expectAllFinite(grad, `gradient label ${label} α=${JSON.stringify(alpha)}`);
            expect(Math.min(...value)).toBeGreaterThanOrEqual(0);
          });
        }
      }
    },
  );

  it("keeps 'mean' and 'sum' finite over a whole grid of extreme logits", () => {
    tf.tidy(() => {
      const x = tf.tensor1d(LOGITS);
      const t = tf.tensor1d(LOGITS.map((_, i) => i % 2));
      for (const reduction of ['mean', 'sum'] as const) {
        const values = [
          loss.sigmoidFocalLoss(x, t, { reduction }),
          loss.sigmoidFocalLossBinary(x, t, { reduction }),
          loss.sigmoidFocalLossStar(x, t, { reduction }),
          loss.sigmoidFocalLossStarBinary(x, t, { reduction }),
        ].map((v) => v.dataSync()[0]);
        expectAllFinite(values, reduction);
      }
    });
  });
});

describe('the sweep', () => {
  it('covers every loss function lib/loss exports', () => {
    // Functions that take tensors and return a loss or a loss term. Curves (number[] in, number[] out) are
    // exercised by curves.test.ts over their own domain.
    const covered = new Set([
      'sigmoidFocalLoss',
      'sigmoidFocalLossBinary',
      'sigmoidFocalLossStar',
      'sigmoidFocalLossStarBinary',
      'binaryCrossEntropy',
      'alphaBalancedCrossEntropy',
      'bceWithLogits',
      'modulatingFactor',
      'softmaxFocalLoss',
      'qualityFocalLoss',
      'varifocalLoss',
    ]);
    const lossLike = Object.entries(loss)
      .filter(([name, v]) => typeof v === 'function' && /Loss$|CrossEntropy$|^bce/.test(name))
      .map(([name]) => name);
    expect(
      lossLike.filter((n) => !covered.has(n)),
      'add these to CASES in this file',
    ).toEqual([]);
  });
});
