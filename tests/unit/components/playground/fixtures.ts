/**
 * Small fabricated playground data for the view tests: deterministic, finite, shaped like the worker's messages
 * (lib/playground/protocol) and the page's model (lib/playground/model).
 */
import { generateAnchors } from '@/lib/detector/anchors';
import { anchorLayoutOf } from '@/lib/playground/reports';
import type {
  AnchorDetailMessage,
  AnchorLayout,
  Fig4Message,
  LossShareMessage,
  SampleImage,
  SamplesMessage,
} from '@/lib/playground/protocol';
import type { EvalHistory, LossHistory, PlaygroundModel, RunMeta } from '@/lib/playground/model';

export const CLASS_NAMES = ['rectangle', 'ellipse', 'triangle'];
const LABELS = ['FL γ=2, α=0.25', 'CE', 'α-CE α=0.25', 'OHEM 1:3'];
const GAMMAS = [2, 0, 0, 0];

/** The anchor layout of a 64×64 image, strides 8 and 16, 3 templates (ratios 0.5, 1, 2) per location. */
export function layout(): AnchorLayout {
  return anchorLayoutOf(
    generateAnchors({ imageSize: 64, strides: [8, 16], baseSizes: [16, 32], scales: [1] }),
    3,
  );
}

/** n runs; `diverged` lists run indices that diverged. */
export function runs(n: number, diverged: number[] = []): RunMeta[] {
  return Array.from({ length: n }, (_, i) => ({
    run: i,
    label: LABELS[i],
    active: !diverged.includes(i),
    diverged: diverged.includes(i) ? 'Its loss exceeded 10× its step-1 loss.' : null,
    gamma: GAMMAS[i],
    loss: i === 0 ? 'focal' : 'ce',
  }));
}

/** Loss histories of `steps` steps per run (a diverged run stops at half way), decaying from ~1 to ~0.01. */
export function losses(n: number, steps: number, diverged: number[] = []): LossHistory[] {
  return Array.from({ length: n }, (_, r) => {
    const len = diverged.includes(r) ? Math.floor(steps / 2) : steps;
    const step = Array.from({ length: len }, (_, i) => i + 1);
    const f = (scale: number) =>
      step.map((s) => scale * (0.01 + Math.exp(-s / (50 * (r + 1)))) * (1 + 0.1 * Math.sin(s)));
    const clsPos = f(0.3);
    const clsHardNeg = f(0.2);
    const clsEasyNeg = f(0.1);
    const cls = clsPos.map((v, i) => v + clsHardNeg[i] + clsEasyNeg[i]);
    const box = f(0.4);
    return { step, total: cls.map((v, i) => v + box[i]), cls, clsPos, clsHardNeg, clsEasyNeg, box };
  });
}

/** Evaluations at steps 0, 50, 100, … for n runs; runs[e][r] (evaluation-major, as the page's model keeps them). */
export function evals(n: number, count: number): EvalHistory {
  const step = Array.from({ length: count }, (_, e) => e * 50);
  return {
    step,
    numImages: 50,
    runs: step.map((_, e) =>
      Array.from({ length: n }, (_, r) => ({
        run: r,
        ap: (0.5 * e) / count / (r + 1),
        ap50: (0.9 * e) / count / (r + 1),
        ap75: (0.4 * e) / count / (r + 1),
        ar100: (0.6 * e) / count / (r + 1),
        numDetections: 10 * e,
      })),
    ),
  };
}

/** A 64×64 image, grey with one object box [8, 8, 24, 24] of class 1 and one [36, 30, 60, 50] of class 0. */
export function image(): SampleImage {
  const rgba = new Uint8ClampedArray(64 * 64 * 4).fill(128);
  return {
    width: 64,
    height: 64,
    rgba,
    boxes: Float32Array.from([8, 8, 24, 24, 36, 30, 60, 50]),
    labels: Int32Array.from([1, 0]),
  };
}

export function samples(n: number, lay: AnchorLayout, images = 2): SamplesMessage {
  return {
    type: 'samples',
    step: 120,
    scoreMode: 'max',
    runs: Array.from({ length: n }, (_, r) => ({
      run: r,
      images: Array.from({ length: images }, () => ({
        boxes: Float32Array.from([9, 9, 23, 25, 30, 30, 58, 48, 0, 0, 10, 10]),
        scores: Float32Array.from([0.9 - 0.1 * r, 0.5, 0.1]),
        labels: Int32Array.from([1, 0, 2]),
        levelScores: lay.levels.map((l) =>
          Float32Array.from({ length: l.height * l.width }, (_, c) => (c % 7) / 7),
        ),
      })),
    })),
  };
}

export function lossShare(n: number, bins = 10): LossShareMessage {
  const edges = Float32Array.from({ length: bins + 1 }, (_, i) => i / bins);
  return {
    type: 'lossShare',
    step: 120,
    edges,
    runs: Array.from({ length: n }, (_, r) => {
      const countNeg = Int32Array.from({ length: bins }, (_, b) => Math.round(10 ** (b / 2)));
      const countPos = Int32Array.from({ length: bins }, (_, b) => (b % 3 === 0 ? 0 : b + 1));
      const lossNeg = Float32Array.from({ length: bins }, () => 0.6 / bins);
      const lossPos = Float32Array.from({ length: bins }, () => 0.4 / bins);
      const curve = Float32Array.from({ length: bins }, (_, b) => {
        const pt = (b + 0.5) / bins;
        return (1 - pt) ** GAMMAS[r] * -Math.log(pt);
      });
      return {
        run: r,
        shares: { pos: 0.4, hardNeg: 0.35 - 0.05 * r, easyNeg: 0.25 + 0.05 * r },
        totals: { pos: 0.3, hardNeg: 0.2, easyNeg: 0.1 },
        numPos: 20,
        numHardNeg: 30,
        numEasyNeg: 3000,
        countPos,
        countNeg,
        lossPos,
        lossNeg,
        curvePos: Float32Array.from(curve, (v) => 0.25 * v),
        curveNeg: Float32Array.from(curve, (v) => 0.75 * v),
      };
    }),
  };
}

export function fig4(n: number, points = 11): Fig4Message {
  const fractions = Float32Array.from({ length: points }, (_, i) => i / (points - 1));
  return {
    type: 'fig4',
    step: 120,
    fractions,
    runs: Array.from({ length: n }, (_, r) => ({
      run: r,
      numPositive: 40,
      numNegative: 9000,
      curves: [0, 0.5, 1, 2].map((gamma) => ({
        gamma,
        positive: Float32Array.from(fractions, (f) => f ** (1 + gamma)),
        negative: Float32Array.from(fractions, (f) => f ** (1 + 3 * gamma)),
        negHardest1: 0.05 + 0.1 * gamma,
        negHardest10: 0.2 + 0.3 * gamma,
        posHardest20: 0.3 + 0.05 * gamma + 0.01 * r,
      })),
    })),
  };
}

export function anchorDetail(lay: AnchorLayout, anchor = 20): AnchorDetailMessage {
  const box = Array.from(lay.boxes.subarray(4 * anchor, 4 * anchor + 4));
  const steps = Int32Array.from({ length: 12 }, (_, i) => i * 10);
  return {
    type: 'anchorDetail',
    requestId: 3,
    run: 1,
    step: 110,
    image: 0,
    anchor,
    level: 0,
    y: 0,
    x: 6,
    a: 2,
    box,
    kind: 'fg',
    elements: CLASS_NAMES.map((_, k) => {
      const target = k === 1 ? 1 : 0;
      const score = k === 1 ? 0.7 : 0.05;
      const pt = target ? score : 1 - score;
      return {
        classIndex: k,
        target,
        score,
        pt,
        modulating: 1,
        alphaT: 1,
        loss: -Math.log(pt),
        share: 0.01 * (k + 1),
      };
    }),
    share: 0.06,
    history: {
      classIndex: 1,
      steps,
      pt: Float32Array.from(steps, (s) => 0.01 + s / 200),
      loss: Float32Array.from(steps, (s) => -Math.log(0.01 + s / 200)),
    },
  };
}

/** A whole page model after 120 steps with n runs. */
export function model(n: number, over: Partial<PlaygroundModel> = {}): PlaygroundModel {
  const lay = layout();
  return {
    phase: 'ready',
    backend: null,
    measuring: null,
    status: 'paused',
    step: 120,
    steps: 500,
    stepsPerSecond: 0,
    recentStepMs: [],
    doneReason: null,
    runs: runs(n),
    numParams: 1000,
    classNames: CLASS_NAMES,
    views: null,
    anchors: lay,
    images: [image(), image()],
    losses: losses(n, 120),
    evals: evals(n, 3),
    samples: samples(n, lay),
    lossShare: lossShare(n),
    fig4: fig4(n),
    anchor: null,
    memory: null,
    errors: [],
    ...over,
  };
}
