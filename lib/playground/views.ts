/**
 * The live views of the playground, computed in the worker from a run's current model on a fixed set of
 * held-out "probe" images. Every loss value comes from lib/loss (through lib/detector's `LOSS_FUNCTIONS`,
 * `lib/loss/curves` and `lib/metrics/fig4`); the JS here only bins, sums and packs numbers.
 *
 * Notation: P probe images, N anchors per image, K classes; an element is one (image, anchor, class) sigmoid
 * output; positives have target y = 1. An element enters the loss views when its anchor is not ignored by the
 * matcher (IoU between the thresholds). p_t = σ(x) for y = 1, 1 − σ(x) for y = 0; a negative is "hard" when
 * p_t < 0.5 (logit x > 0), the boundary the trainer's StepStats use.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tf/gradients';
import { withSyncReads } from '../tf/backend';
import { makeBatch, type Batch, type DataOptions } from '../data/synthetic';
import { toRgba } from '../data/rgba';
import { anchorLocation, type AnchorSet } from '../detector/anchors';
import { buildTargets, type AssignOptions } from '../detector/assign';
import { EVAL_DATASET_SEED, postprocess } from '../detector/infer';
import { forward } from '../detector/model';
import { LOSS_FUNCTIONS } from '../detector/lossFunctions';
import { effectiveGamma } from '../detector/lossModes';
import type { Trainer } from '../detector/train';
import { alphaT, lossCurves, modulatingFactor } from '../loss';
import { fig4FromLogits, FIG4_DEFAULT_GAMMAS } from '../metrics/fig4';
import type {
  AnchorDetailMessage,
  Fig4RunCurves,
  LossShareRun,
  RunConfig,
  SampleDetections,
  SampleImage,
  ViewOptions,
} from './protocol';

/** The fixed probe images with their anchor targets (shared by every run: same anchors, same images). */
export interface ProbeSet {
  batch: Batch;
  anchors: AnchorSet;
  numClasses: number;
  /** Float32Array [P·N·K] one-hot targets. */
  targets: Float32Array;
  /** Float32Array [P·N·K]: 1 where the element's anchor is not ignored, else 0 (the loss weight). */
  validElem: Float32Array;
  /** Uint8Array [P·N]: 0 ignored, 1 background, 2 foreground. */
  kind: Uint8Array;
  /** Foreground anchors over the probe set. */
  numFg: number;
}

/**
 * The first `count` images of the fixed 'eval' split (the start of the held-out set `makeEvalSet` uses) and their
 * targets from the trainer's matcher.
 */
export function makeProbeSet(
  count: number,
  data: Partial<DataOptions>,
  anchors: AnchorSet,
  numClasses: number,
  assign: AssignOptions,
): ProbeSet {
  const batch = makeBatch(EVAL_DATASET_SEED, count, data, { split: 'eval' });
  const N = anchors.numAnchors;
  const K = numClasses;
  const targets = new Float32Array(count * N * K);
  const validElem = new Float32Array(count * N * K);
  const kind = new Uint8Array(count * N);
  let numFg = 0;
  for (let i = 0; i < count; i++) {
    const t = buildTargets(anchors.boxes, batch.boxes[i], batch.labels[i], K, assign);
    targets.set(t.clsTargets, i * N * K);
    numFg += t.numFg;
    for (let n = 0; n < N; n++) {
      kind[i * N + n] = t.valid[n] ? (t.fgMask[n] ? 2 : 1) : 0;
      if (t.valid[n]) validElem.fill(1, (i * N + n) * K, (i * N + n + 1) * K);
    }
  }
  return { batch, anchors, numClasses: K, targets, validElem, kind, numFg };
}

/** Probe image i with its RGBA bytes (lib/data/rgba `toRgba`: HWC float [0, 1] → Uint8ClampedArray [H·W·4]). */
export function sampleImageOf(batch: Batch, i: number): SampleImage {
  const [, H, W] = batch.shape;
  const src = batch.images.subarray(i * H * W * 3, (i + 1) * H * W * 3);
  return {
    width: W,
    height: H,
    rgba: toRgba(src),
    boxes: batch.boxes[i].slice(),
    labels: batch.labels[i].slice(),
  };
}

/** One run's model outputs on the probe set at one step. */
export interface ProbeOutputs {
  step: number;
  /** Float32Array [P·N·K] logits x. */
  logits: Float32Array;
  /** Float32Array [P·N·K] σ(x). */
  scores: Float32Array;
  /** Float32Array [S·N·4] box deltas of the first S (sample) images. */
  deltas: Float32Array;
  /** Float32Array [P·N·K] the run's per-element loss ℓ, 0 on ignored anchors (lib/loss via LOSS_FUNCTIONS). */
  loss: Float32Array;
  /**
   * Float32Array [P·N·K] the modulating factor (1 − p_t)^γ of the run's γ (lib/loss `modulatingFactor`), read with
   * the rest so the anchor inspector needs no read of its own (a GPU backend reads asynchronously).
   */
  modulating: Float32Array;
  /** All of the above finite. */
  finite: boolean;
}

/**
 * Forward pass of the probe images, the run's element loss and modulating factor: one tidy, 5 reads, awaited
 * (`data()`: a GPU backend reads asynchronously; see `Trainer.stepAsync` in lib/detector/train).
 * Shapes: images [P, H, W, 3] → logits [P, N, K], deltas [P, N, 4] (first S kept), loss and factor [P, N, K].
 */
export async function runProbeAsync(
  trainer: Trainer,
  probe: ProbeSet,
  run: RunConfig,
  sampleCount: number,
  step: number,
): Promise<ProbeOutputs> {
  const outputs = probeTensors(trainer, probe, run, sampleCount);
  try {
    return probeOutputs(step, (await Promise.all(outputs.map((t) => t.data()))) as Float32Array[]);
  } finally {
    tf.dispose(outputs);
  }
}

/** The probe's outputs as kept tensors (logits, scores, deltas of the first S images, loss, factor); caller disposes. */
function probeTensors(trainer: Trainer, probe: ProbeSet, run: RunConfig, sampleCount: number): tf.Tensor[] {
  const [P, H, W] = probe.batch.shape;
  const N = probe.anchors.numAnchors;
  const K = probe.numClasses;
  const S = Math.min(sampleCount, P);
  return tf.tidy(() => {
    const out = forward(trainer.model, tf.tensor4d(probe.batch.images, [P, H, W, 3]));
    const targets = tf.tensor3d(probe.targets, [P, N, K]);
    const weights = tf.tensor3d(probe.validElem, [P, N, K]);
    const ell = LOSS_FUNCTIONS[run.loss].element(out.cls, targets, run, weights);
    const d = S > 0 ? tf.slice(out.box, [0, 0, 0], [S, N, 4]) : tf.zeros([0]);
    const mod = modulatingFactor(out.cls, targets, effectiveGamma(run.loss, run.gamma));
    return [out.cls, tf.sigmoid(out.cls), d, ell, mod];
  });
}

function probeOutputs(
  step: number,
  [logits, scores, deltas, loss, modulating]: Float32Array[],
): ProbeOutputs {
  const finite = [logits, deltas, loss].every((a) => a.every(Number.isFinite));
  return { step, logits, scores, deltas, loss, modulating, finite };
}

/** Detections (and per-level anchor scores) of the first S probe images. */
export function samplesView(
  probe: ProbeSet,
  out: ProbeOutputs,
  opts: Pick<ViewOptions, 'sampleImages' | 'anchorScores' | 'topK' | 'maxDetections'>,
): SampleDetections[] {
  const [P, H, W] = probe.batch.shape;
  const { anchors } = probe;
  const N = anchors.numAnchors;
  const K = probe.numClasses;
  const A = anchors.anchorsPerLocation;
  const S = Math.min(opts.sampleImages, P);
  const images: SampleDetections[] = [];
  for (let i = 0; i < S; i++) {
    const scores = out.scores.subarray(i * N * K, (i + 1) * N * K);
    const dets = postprocess(
      scores,
      out.deltas.subarray(i * N * 4, (i + 1) * N * 4),
      anchors,
      K,
      { width: W, height: H },
      {
        topK: opts.topK,
        maxDetections: opts.maxDetections,
      },
    );
    const item: SampleDetections = {
      boxes: Float32Array.from(dets.flatMap((d) => d.box)),
      scores: Float32Array.from(dets, (d) => d.score),
      labels: Int32Array.from(dets, (d) => d.label),
    };
    if (opts.anchorScores !== 'none') {
      item.levelScores = anchors.perLevel.map((lv) => {
        const level = scores.subarray(lv.offset * K, (lv.offset + lv.count) * K);
        if (opts.anchorScores === 'full') return Float32Array.from(level);
        const cells = lv.size[0] * lv.size[1];
        const max = new Float32Array(cells);
        for (let c = 0; c < cells; c++) {
          let m = 0;
          for (let e = c * A * K; e < (c + 1) * A * K; e++) if (level[e] > m) m = level[e];
          max[c] = m;
        }
        return max;
      });
    }
    images.push(item);
  }
  return images;
}

/** Bin edges 0, 1/B, …, 1 of the p_t histogram. */
export function histogramEdges(bins: number): Float32Array {
  return Float32Array.from({ length: bins + 1 }, (_, i) => i / bins);
}

const curveCache = new Map<string, { pos: Float32Array; neg: Float32Array }>();

/**
 * The run's loss ℓ(p_t) at the bin centres, for a positive and a negative example, from lib/loss's curves
 * (the mode's `curve` in lib/detector/lossFunctions). Cached: it depends only on the settings.
 */
export function runLossCurves(run: RunConfig, bins: number): { pos: Float32Array; neg: Float32Array } {
  const key = JSON.stringify([run.loss, run.gamma, run.alpha, run.beta, bins]);
  const hit = curveCache.get(key);
  if (hit) return { pos: hit.pos.slice(), neg: hit.neg.slice() };
  const centres = Array.from({ length: bins }, (_, i) => (i + 0.5) / bins);
  const curve = LOSS_FUNCTIONS[run.loss].curve(run);
  const [pos, neg] = withSyncReads(() =>
    lossCurves(centres, [
      { ...curve, target: 1 },
      { ...curve, target: 0 },
    ]),
  );
  const value = { pos: Float32Array.from(pos), neg: Float32Array.from(neg) };
  if (curveCache.size > 64) curveCache.clear();
  curveCache.set(key, value);
  return { pos: value.pos.slice(), neg: value.neg.slice() };
}

/**
 * "Where the loss goes": the run's classification loss over every non-ignored element of the probe set, split into
 * positives, hard negatives (p_t < 0.5) and easy negatives, and the p_t histogram (counts and loss share per bin).
 */
export function lossShareView(
  probe: ProbeSet,
  out: ProbeOutputs,
  run: RunConfig,
  runIndex: number,
  bins: number,
): LossShareRun {
  const countPos = new Int32Array(bins);
  const countNeg = new Int32Array(bins);
  const sumPos = new Float64Array(bins);
  const sumNeg = new Float64Array(bins);
  let pos = 0;
  let hard = 0;
  let easy = 0;
  let numPos = 0;
  let numHard = 0;
  let numEasy = 0;
  const { targets, validElem, logits, scores, loss } = { ...probe, ...out };
  for (let e = 0; e < targets.length; e++) {
    if (validElem[e] === 0) continue;
    const l = loss[e];
    const isPos = targets[e] === 1;
    const pt = isPos ? scores[e] : 1 - scores[e];
    const b = Math.min(bins - 1, Math.max(0, Math.floor(pt * bins)));
    if (isPos) {
      pos += l;
      numPos++;
      countPos[b]++;
      sumPos[b] += l;
    } else {
      countNeg[b]++;
      sumNeg[b] += l;
      if (logits[e] > 0) {
        hard += l;
        numHard++;
      } else {
        easy += l;
        numEasy++;
      }
    }
  }
  const total = pos + hard + easy;
  const share = (x: number) => (total > 0 ? x / total : 0);
  const norm = 1 / Math.max(1, probe.numFg);
  const curves = runLossCurves(run, bins);
  return {
    run: runIndex,
    shares: { pos: share(pos), hardNeg: share(hard), easyNeg: share(easy) },
    totals: { pos: pos * norm, hardNeg: hard * norm, easyNeg: easy * norm },
    numPos,
    numHardNeg: numHard,
    numEasyNeg: numEasy,
    countPos,
    countNeg,
    lossPos: Float32Array.from(sumPos, share),
    lossNeg: Float32Array.from(sumNeg, share),
    curvePos: curves.pos,
    curveNeg: curves.neg,
  };
}

/** Figure 4 of the run's current model on the probe set (lib/metrics/fig4, FL with α none, γ ∈ {0, .5, 1, 2}). */
export function fig4View(
  probe: ProbeSet,
  out: ProbeOutputs,
  runIndex: number,
  points: number,
): { fractions: Float32Array; run: Fig4RunCurves } {
  const valid = Uint8Array.from(probe.validElem);
  const r = withSyncReads(() =>
    fig4FromLogits(out.logits, probe.targets, valid, { gammas: FIG4_DEFAULT_GAMMAS, points }),
  );
  return {
    fractions: Float32Array.from(r.fractions),
    run: {
      run: runIndex,
      numPositive: r.numPositive,
      numNegative: r.numNegative,
      curves: r.curves.map((c) => ({
        gamma: c.gamma,
        positive: Float32Array.from(c.positive),
        negative: Float32Array.from(c.negative),
        negHardest1: c.negHardest1,
        negHardest10: c.negHardest10,
        posHardest20: c.posHardest20,
      })),
    },
  };
}

/** Index of the element an anchor's history follows: the true class of a fg anchor, else the top-scoring class. */
export function followedClass(probe: ProbeSet, out: ProbeOutputs, image: number, anchor: number): number {
  const N = probe.anchors.numAnchors;
  const K = probe.numClasses;
  const base = (image * N + anchor) * K;
  let best = 0;
  for (let k = 0; k < K; k++) {
    if (probe.targets[base + k] === 1) return k;
    if (out.scores[base + k] > out.scores[base + best]) best = k;
  }
  return best;
}

/** Loss of the whole probe image `image` (Σ of the run's ℓ over its non-ignored elements). */
function imageLoss(probe: ProbeSet, out: ProbeOutputs, image: number): number {
  const NK = probe.anchors.numAnchors * probe.numClasses;
  let s = 0;
  for (let e = image * NK; e < (image + 1) * NK; e++) s += out.loss[e];
  return s;
}

/**
 * Everything about one anchor of a probe image under a run: per class p_t, (1 − p_t)^γ (lib/loss
 * `modulatingFactor`), α_t (lib/loss `alphaT`), its loss ℓ and share of the image's classification loss.
 * `history` is filled by the caller.
 */
export function anchorDetailView(
  probe: ProbeSet,
  out: ProbeOutputs,
  run: RunConfig,
  runIndex: number,
  image: number,
  anchor: number,
): Omit<AnchorDetailMessage, 'requestId' | 'history'> {
  const N = probe.anchors.numAnchors;
  const K = probe.numClasses;
  const base = (image * N + anchor) * K;
  const t = probe.targets.slice(base, base + K);
  const kindCode = probe.kind[image * N + anchor];
  const total = imageLoss(probe, out, image);
  const elements = Array.from({ length: K }, (_, k) => {
    const score = out.scores[base + k];
    const target = t[k];
    const loss = kindCode === 0 ? 0 : out.loss[base + k];
    return {
      classIndex: k,
      target,
      score,
      pt: target === 1 ? score : 1 - score,
      modulating: out.modulating[base + k],
      alphaT: alphaT(target, run.alpha),
      loss,
      share: total > 0 ? loss / total : 0,
    };
  });
  const loc = anchorLocation(probe.anchors, anchor);
  return {
    type: 'anchorDetail',
    run: runIndex,
    step: out.step,
    image,
    anchor,
    level: loc.level,
    y: loc.y,
    x: loc.x,
    a: loc.a,
    box: Array.from(probe.anchors.boxes.subarray(4 * anchor, 4 * anchor + 4)),
    kind: kindCode === 2 ? 'fg' : kindCode === 1 ? 'bg' : 'ignored',
    elements,
    share: elements.reduce((s, e) => s + e.share, 0),
  };
}
