/**
 * The training step: targets per loss mode, the step's statistics against a reference computed on the soft-target
 * lib/loss functions, the lr schedule, a short training run that learns, and flat tensor counts. WASM backend.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { ensureBackend } from '../../../lib/tf/backend';
import { runIdleSlice } from '../../../lib/tf/idle-work';
import { makeBatch, type DataOptions } from '../../../lib/data/synthetic';
import { buildBatchTargets } from '../../../lib/detector/batchTargets';
import { LOSS_MODE_KEYS, LOSS_MODES } from '../../../lib/detector/lossModes';
import { forward, getWeights } from '../../../lib/detector/model';
import { createTrainer, smoothL1Sum, trainingBatch, type Trainer } from '../../../lib/detector/train';
import {
  anchorsFor,
  learningRateAt,
  resolveTrainConfig,
  type StepStats,
  type TrainBatch,
} from '../../../lib/detector/trainConfig';
import { evaluate } from '../../../lib/detector/infer';
import { expectAllFinite, expectClose } from '../../helpers/close';
import { SOFT_LOSS } from '../../helpers/softLoss';

beforeAll(async () => {
  await ensureBackend('wasm'); // with the gradient kernels WASM lacks
});

/** An easy data setting for the CI-sized training test: no distractors, no clutter, little noise. */
const EASY: Partial<DataOptions> = {
  distractors: [0, 0],
  clutterLines: [0, 0],
  noise: 0.01,
  sizeRange: [12, 28],
};

describe('learningRateAt', () => {
  it('warms up linearly, then decays ×0.1 at 2/3 and 8/9 of the steps', () => {
    const c = resolveTrainConfig({ lr: 1, steps: 900, warmupSteps: 100, warmupFactor: 0.001 });
    expect(c.milestones).toEqual([600, 800]);
    expectClose(learningRateAt(0, c), 0.001);
    expectClose(learningRateAt(50, c), 0.001 + 0.999 * 0.5);
    expectClose(learningRateAt(100, c), 1);
    expectClose(learningRateAt(599, c), 1);
    expectClose(learningRateAt(600, c), 0.1);
    expectClose(learningRateAt(800, c), 0.01);
  });
});

describe('buildBatchTargets', () => {
  const batch = makeBatch(5, 4);
  const anchors = anchorsFor(resolveTrainConfig());
  const N = anchors.numAnchors;
  const assign = resolveTrainConfig().assign;
  const rand = (() => {
    let s = 1;
    return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  })();
  const countAnchors = (w: Float32Array, b: number) => {
    let n = 0;
    for (let i = b * N; i < (b + 1) * N; i++) if (w[i * 3] !== 0) n++;
    return n;
  };

  it('weights every non-ignored anchor for ce and focal', () => {
    const t = buildBatchTargets(batch, anchors, 3, 'focal', { assign, negPosRatio: 3, rand });
    expect(t.numFg).toBeGreaterThan(0);
    expect(t.fgIndex.length).toBe(t.numFg);
    let valid = 0;
    for (let b = 0; b < 4; b++) valid += countAnchors(t.weight, b);
    expect(valid).toBe(t.numFg + t.numNeg);
    // One positive element per foreground anchor.
    expect(t.cls.reduce((a, v) => a + v, 0)).toBe(t.numFg);
  });

  it('keeps all foreground anchors and 3× as many random background anchors per image for ce_sampled', () => {
    const t = buildBatchTargets(batch, anchors, 3, 'ce_sampled', { assign, negPosRatio: 3, rand });
    for (let b = 0; b < 4; b++)
      expect(countAnchors(t.weight, b)).toBe(
        4 * Math.max(1, t.fgPerImage[b]) - (t.fgPerImage[b] === 0 ? 1 : 0),
      );
    expect(t.numNeg).toBe(Array.from(t.fgPerImage).reduce((a, f) => a + 3 * Math.max(1, f), 0));
  });

  it('weights only foreground anchors for ce_ohem (negatives are mined on the backend)', () => {
    const t = buildBatchTargets(batch, anchors, 3, 'ce_ohem', { assign, negPosRatio: 3, rand });
    let w = 0;
    for (let b = 0; b < 4; b++) w += countAnchors(t.weight, b);
    expect(w).toBe(t.numFg);
  });

  it('folds α_t into the weights: α on positives, 1 − α on negatives', () => {
    const t = buildBatchTargets(batch, anchors, 3, 'focal', { assign, negPosRatio: 3, rand, alpha: 0.25 });
    const seen = new Set<string>();
    for (let e = 0; e < t.weight.length; e++) if (t.weight[e] !== 0) seen.add(`${t.cls[e]}:${t.weight[e]}`);
    expect([...seen].sort()).toEqual(['0:0.75', '1:0.25']);
  });
});

describe('smoothL1Sum', () => {
  it('is 0.5 z²/β below β and |z| − β/2 above', () => {
    const v = smoothL1Sum(tf.tensor1d([0.05, -0.5, 2]), tf.tensor1d([0, 0, 0]), 0.1).dataSync()[0];
    expectClose(v, (0.5 * 0.05 ** 2) / 0.1 + (0.5 - 0.05) + (2 - 0.05));
  });
});

/** The step statistics the reference computes. */
const COMPARED = ['total', 'cls', 'box', 'clsPos', 'clsHardNeg', 'gradNorm'] as const;

/**
 * The loss statistics of a trainer's next step on `batch`, computed the plain way from its current weights: 0/1
 * element weights (α left to the loss), the soft-target lib/loss function of the mode (tests/helpers/softLoss),
 * and OHEM negatives chosen in JS (per image, every background anchor whose Σ_k softplus(x) reaches the k_b-th
 * largest). Statistics as in `StepStats`; gradNorm = ‖∂L/∂θ‖₂. Leaves the weights unchanged.
 */
function referenceStep(tr: Trainer, batch: TrainBatch): Pick<StepStats, (typeof COMPARED)[number]> {
  const c = tr.config;
  const B = batch.boxes.length;
  const N = tr.anchors.numAnchors;
  const K = tr.model.config.numClasses;
  const opts = { assign: c.assign, negPosRatio: c.negPosRatio, rand: Math.random, alpha: null };
  const tg = buildBatchTargets(batch, tr.anchors, K, c.loss, opts);
  const p = { alpha: c.alpha, gamma: c.gamma, beta: c.beta };
  return tf.tidy(() => {
    const images = tf.tensor4d(batch.images, [B, c.imageSize, c.imageSize, 3]);
    const clsT = tf.tensor3d(tg.cls, [B, N, K]);
    let parts: number[] = [];
    const { grads } = tf.variableGrads(() => {
      const out = forward(tr.model, images);
      const weight = tg.weight.slice();
      if (LOSS_MODES[c.loss].negatives === 'ohem') {
        const anchorLoss = tf.sum(tf.softplus(out.cls), 2).dataSync();
        for (let b = 0; b < B; b++) {
          const bgLoss = [];
          for (let n = 0; n < N; n++) if (tg.bg[b * N + n]) bgLoss.push(anchorLoss[b * N + n]);
          const k = tg.minePerImage[b];
          if (k === 0) continue;
          const thr = bgLoss.sort((u, v) => v - u)[k - 1];
          for (let n = 0; n < N; n++)
            if (tg.bg[b * N + n] && anchorLoss[b * N + n] >= thr)
              weight.fill(1, (b * N + n) * K, (b * N + n + 1) * K);
        }
      }
      const elem = tf.mul(SOFT_LOSS[c.loss](out.cls, clsT, p), tf.tensor3d(weight, [B, N, K]));
      const invF = 1 / Math.max(1, tg.numFg);
      const cls = tf.mul(tf.sum(elem), invF);
      const fgBoxes = tf.gather(tf.reshape(out.box, [B * N, 4]), tf.tensor1d(tg.fgIndex, 'int32'));
      const box = tf.mul(smoothL1Sum(fgBoxes, tf.tensor2d(tg.boxTargets, [tg.numFg, 4]), c.boxBeta), invF);
      const hardNeg = tf.mul(tf.sub(1, clsT), tf.cast(tf.greater(out.cls, 0), 'float32'));
      const total = tf.add(cls, box) as tf.Scalar;
      parts = [total, cls, box, tf.sum(tf.mul(elem, clsT)), tf.sum(tf.mul(elem, hardNeg))].map(
        (t, i) => t.dataSync()[0] * (i >= 3 ? invF : 1),
      );
      return total;
    }, [tr.model.params]);
    const [total, cls, box, clsPos, clsHardNeg] = parts;
    const gradNorm = Math.sqrt(tf.sum(tf.square(grads[tr.model.params.name])).dataSync()[0]);
    return { total, cls, box, clsPos, clsHardNeg, gradNorm };
  });
}

describe('createTrainer', () => {
  it('runs one step of every loss mode (and SGD) with finite stats whose parts add up', () => {
    const batch = trainingBatch(1, 0, 2);
    for (const loss of LOSS_MODE_KEYS) {
      for (const optimizer of loss === 'focal' ? (['adam', 'sgd'] as const) : (['adam'] as const)) {
        const tr = createTrainer({ loss, optimizer, steps: 10, gamma: 2 });
        const s = tr.step(batch);
        expectAllFinite([s.total, s.cls, s.box, s.clsPos, s.clsHardNeg, s.clsEasyNeg, s.gradNorm], loss);
        expectClose(s.total, s.cls + s.box, { atol: 1e-5, rtol: 1e-5 });
        expect(s.clsPos + s.clsHardNeg + s.clsEasyNeg).toBeCloseTo(s.cls, 4);
        expect(s.numFg).toBeGreaterThan(0);
        expect(s.gradNorm).toBeGreaterThan(0);
        if (loss === 'ce_ohem' || loss === 'ce_sampled')
          expect(s.numNeg).toBeLessThanOrEqual(3 * s.numFg + 6);
        tr.dispose();
      }
    }
  });

  it('takes the step that the soft-target lib/loss reference computes (α applied by the loss, OHEM in JS)', () => {
    const batch = trainingBatch(3, 0, 2);
    for (const [loss, alpha] of [
      ['focal', 0.25],
      ['focal_star', 0.25],
      ['ce_ohem', null],
      ['ce_ohem', 0.25],
    ] as const) {
      const tr = createTrainer({ loss, alpha, steps: 10 });
      for (let i = 0; i < 2; i++) {
        const want = referenceStep(tr, batch);
        const got = tr.step(batch);
        for (const k of COMPARED)
          expectClose(got[k], want[k], { atol: 1e-5, rtol: 1e-4 }, `${loss} α=${alpha} step ${i} ${k}`);
      }
      tr.dispose();
    }
  });

  it('takes the same step with stepAsync (read with data()) as with step, and frees what it read', async () => {
    const batches = [0, 1].map((i) => trainingBatch(4, i, 2));
    const [a, b] = [createTrainer({ seed: 4, steps: 10 }), createTrainer({ seed: 4, steps: 10 })];
    for (const batch of batches) {
      const { ms: _a, ...sync } = a.step(batch);
      const { ms: _b, ...viaData } = await b.stepAsync(batch);
      expect(viaData).toEqual(sync);
    }
    expect(Array.from(getWeights(b.model))).toEqual(Array.from(getWeights(a.model)));
    // Adam has made its moments by now: a further step leaves the tensor count where it was.
    const count = tf.memory().numTensors;
    await b.stepAsync(batches[0]);
    expect(tf.memory().numTensors).toBe(count);
    a.dispose();
    b.dispose();
  });

  it('takes the same steps with the next batch prefetched, its targets built in slices in between (every mode)', () => {
    for (const loss of LOSS_MODE_KEYS) {
      const batches = [0, 1, 2].map((i) => trainingBatch(5, i, 2));
      const [plain, ahead] = [
        createTrainer({ loss, seed: 5, steps: 10 }),
        createTrainer({ loss, seed: 5, steps: 10 }),
      ];
      for (let i = 0; i < batches.length; i++) {
        if (i + 1 < batches.length) ahead.prefetch(batches[i + 1]);
        // Some of the prefetched slices run here, as they would while helper threads run a step's convs.
        if (i === 0) for (let k = 0; k < 3; k++) runIdleSlice();
        const { ms: _p, ...want } = plain.step(batches[i]);
        const { ms: _a, ...got } = ahead.step(batches[i]);
        expect(got, `${loss} step ${i}`).toEqual(want);
      }
      expect(Array.from(getWeights(ahead.model)), loss).toEqual(Array.from(getWeights(plain.model)));
      plain.dispose();
      ahead.dispose();
    }
    expect(runIdleSlice(), 'nothing left queued').toBe(false);
  });

  it('keeps the tensor count flat across steps and frees everything on dispose', () => {
    const before = tf.memory().numTensors;
    for (const loss of ['focal', 'ce_ohem'] as const) {
      const tr = createTrainer({ loss, steps: 20 });
      const batches = [0, 1, 2].map((i) => trainingBatch(2, i, 2));
      for (let i = 0; i < 3; i++) tr.step(batches[i % 3]);
      const counts: number[] = [];
      for (let i = 0; i < 10; i++) {
        tr.step(batches[i % 3]);
        counts.push(tf.memory().numTensors);
      }
      expect(new Set(counts).size, `${loss}: ${counts}`).toBe(1);
      tr.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lowers the loss and reaches AP50 > 0 in a short focal-loss run on easy data', () => {
    // CI budget: batch 8, 150 steps, on the easy setting (no distractors/clutter); ~20 s on 2 cores.
    const steps = 150;
    const tr = createTrainer({ loss: 'focal', gamma: 2, steps, seed: 0, lr: 3e-3, warmupSteps: 20 });
    const losses: number[] = [];
    for (let i = 0; i < steps; i++) losses.push(tr.step(trainingBatch(0, i, 8, EASY)).total);
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(losses.slice(-15))).toBeLessThan(0.7 * mean(losses.slice(0, 15)));
    const r = evaluate(tr.model, makeBatch(0, 48, EASY, { split: 'eval' }));
    expect(r.ap50).toBeGreaterThan(0.05);
    tr.dispose();
  });
});
