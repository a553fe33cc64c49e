/**
 * The targets of a training minibatch and which anchors enter its classification loss: assignment per image
 * (./assign), the loss mode's negative selection (every anchor, a seeded 1:3 sample, or OHEM mining on the
 * backend), and α_t folded into the element weights. B images, N anchors, K classes, F foreground anchors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { alphaT } from '../loss/binary';
import type { AnchorSet } from './anchors';
import { buildTargets, createAssignWorkspace, type AssignOptions, type AssignWorkspace } from './assign';
import { LOSS_MODES, type LossMode } from './lossModes';
import type { TrainBatch } from './trainConfig';

/** Per-batch targets in typed arrays, ready to upload. B images, N anchors, K classes, F fg anchors. */
export interface BatchTargets {
  /** Float32Array [B·N·K] one-hot class targets. */
  cls: Float32Array;
  /**
   * Float32Array [B·N·K]: weight of each element in the classification loss — 1 (or α_t when `alpha` is given)
   * where the anchor enters the loss (all K classes of it), 0 elsewhere.
   */
  weight: Float32Array;
  /** Float32Array [B·N]: 1 for background anchors that are OHEM candidates (valid, not fg). */
  bg: Float32Array;
  /** Int32Array [F]: flat indices b·N + n of the foreground anchors. */
  fgIndex: Int32Array;
  /** Float32Array [F·4]: BoxCoder targets of those anchors. */
  boxTargets: Float32Array;
  /** Foreground anchors per image. */
  fgPerImage: Int32Array;
  numFg: number;
  /** Background anchors entering the loss (for OHEM modes: the number that will be mined). */
  numNeg: number;
  /** Int32Array [B]: background anchors to mine per image, k_b (OHEM modes; 0 for the others). */
  minePerImage: Int32Array;
}

/** One matching workspace per anchor set and class count, reused by every batch (see ./assign.ts `AssignWorkspace`). */
const workspaces = new WeakMap<AnchorSet, Map<number, AssignWorkspace>>();

function workspaceFor(anchors: AnchorSet, K: number): AssignWorkspace {
  let byK = workspaces.get(anchors);
  if (!byK) workspaces.set(anchors, (byK = new Map()));
  let work = byK.get(K);
  if (!work) byK.set(K, (work = createAssignWorkspace(anchors.boxes, K)));
  return work;
}

/**
 * Builds the targets of a batch (CPU, typed arrays): assignment per image, the classification weight of each
 * element for the loss mode's `negatives` (lib/detector/lossModes), and the foreground list for the box loss.
 * 'all' weighs every non-ignored anchor; 'sampled' keeps all fg anchors and draws
 * k_b = min(#bg_b, ratio·max(1, F_b)) background anchors uniformly without replacement (partial Fisher–Yates with
 * `rand`); 'ohem' sets only the fg weights here and k_b in `minePerImage` (negatives are mined on the backend from
 * the current logits, {@link makeOhemMask}). With `alpha` set, each weight is multiplied by α_t.
 */
export function buildBatchTargets(
  batch: TrainBatch,
  anchors: AnchorSet,
  numClasses: number,
  mode: LossMode,
  opts: BatchTargetOptions,
): BatchTargets {
  const slices = batchTargetSlices(batch, anchors, numClasses, mode, opts);
  for (;;) {
    const r = slices.next();
    if (r.done) return r.value;
  }
}

/** {@link buildBatchTargets}'s options. */
export interface BatchTargetOptions {
  assign: AssignOptions;
  negPosRatio: number;
  rand: () => number;
  alpha?: number | null;
}

/**
 * {@link buildBatchTargets} one image at a time: a generator that yields after each image and returns the targets,
 * for lib/tf/idle-work.ts (a training step's worker builds the next step's targets while helper threads run its
 * convs). The one implementation: buildBatchTargets runs it to the end.
 */
export function* batchTargetSlices(
  batch: TrainBatch,
  anchors: AnchorSet,
  numClasses: number,
  mode: LossMode,
  opts: BatchTargetOptions,
): Generator<void, BatchTargets> {
  const B = batch.boxes.length;
  const N = anchors.numAnchors;
  const K = numClasses;
  const cls = new Float32Array(B * N * K);
  const weight = new Float32Array(B * N * K);
  const bg = new Float32Array(B * N);
  const fgPerImage = new Int32Array(B);
  const minePerImage = new Int32Array(B);
  const selection = LOSS_MODES[mode].negatives;
  // α_t (lib/loss `alphaT`: α for y = 1, 1 − α for y = 0; paper §3.1), folded into the element weights as each
  // row is written: one write per element, where a fill per row and a second pass over every element took
  // 2.8 ms for a default batch of 16 (now 2.0 ms; matching itself is 1.0 ms of it).
  const alpha = opts.alpha ?? null;
  const aPos = alpha === null ? 1 : alphaT(1, alpha);
  const aNeg = alpha === null ? 1 : alphaT(0, alpha);
  /** Weights the K elements of anchor row `row` (b·N + n), whose targets are cls[row·K …]. */
  const weighRow = (row: number) => {
    for (let e = row * K, end = e + K; e < end; e++) weight[e] = cls[e] === 1 ? aPos : aNeg;
  };
  const fgList: number[] = [];
  const boxList: number[] = [];
  let numNeg = 0;
  const work = workspaceFor(anchors, K);
  for (let b = 0; b < B; b++) {
    // Views of `work`, overwritten by the next image: everything kept is copied out here.
    const t = buildTargets(anchors.boxes, batch.boxes[b], batch.labels[b], K, opts.assign, work);
    cls.set(t.clsTargets, b * N * K);
    fgPerImage[b] = t.numFg;
    // 'all' weighs every negative here; only 'sampled' needs them listed (a 112k-entry list a batch of 16 for
    // nothing, before: 1.1 ms of 5.7 in Node); 'ohem' needs only their number.
    const negatives: number[] = [];
    let numNegatives = 0;
    for (let n = 0; n < N; n++) {
      if (t.fgMask[n]) {
        fgList.push(b * N + n);
        for (let c = 0; c < 4; c++) boxList.push(t.boxTargets[4 * n + c]);
        weighRow(b * N + n);
      } else if (t.valid[n]) {
        bg[b * N + n] = 1;
        numNegatives++;
        if (selection === 'sampled') negatives.push(n);
        else if (selection !== 'ohem') weighRow(b * N + n);
      }
    }
    const want = Math.min(numNegatives, Math.round(opts.negPosRatio * Math.max(1, t.numFg)));
    if (selection === 'sampled') {
      for (let i = 0; i < want; i++) {
        const j = i + Math.floor(opts.rand() * (negatives.length - i));
        const n = negatives[j];
        negatives[j] = negatives[i];
        negatives[i] = n;
        weighRow(b * N + n);
      }
      numNeg += want;
    } else if (selection === 'ohem') {
      minePerImage[b] = want;
      numNeg += want;
    } else {
      numNeg += numNegatives;
    }
    // Everything of this image is copied out of `work`: another task may use it between slices.
    yield;
  }
  const boxTargets = Float32Array.from(boxList);
  return {
    cls,
    weight,
    bg,
    fgIndex: Int32Array.from(fgList),
    boxTargets,
    fgPerImage,
    numFg: fgList.length,
    numNeg,
    minePerImage,
  };
}

/**
 * OHEM selection without gradient: for each image b, the k_b = min(#bg_b, ratio·max(1, F_b)) background anchors of
 * highest CE, CE_n = Σ_k softplus(x_{n,k}) (targets are 0 on background anchors). Returns a [B, N, 1] 0/1 mask.
 * Implemented as `tf.customGrad` with a zero gradient so `TopK` (which has no gradient) stays off the tape.
 */
export function makeOhemMask(kPerImage: Int32Array): (logits: tf.Tensor, bg: tf.Tensor) => tf.Tensor {
  const B = kPerImage.length;
  const kMax = Math.max(1, ...kPerImage);
  // sel[b, j] = 1 at j = k_b − 1: picks each image's k_b-th largest loss as its threshold.
  const sel = new Float32Array(B * kMax);
  for (let b = 0; b < B; b++) if (kPerImage[b] > 0) sel[b * kMax + kPerImage[b] - 1] = 1;
  const hasK = Float32Array.from(kPerImage, (k) => (k > 0 ? 1 : 0));
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const logits = args[0] as tf.Tensor;
    const bg = args[1] as tf.Tensor;
    const value = tf.tidy(() => {
      const anchorLoss = tf.sum(tf.softplus(logits), 2); // [B, N]
      // Non-candidates get −1 (< every CE ≥ 0), so they are never selected.
      const cand = tf.sub(tf.mul(anchorLoss, bg), tf.sub(1, bg));
      const top = tf.topk(cand, Math.min(kMax, cand.shape[1] ?? kMax)).values; // [B, kMax]
      const thr = tf.sum(tf.mul(top, tf.tensor2d(sel, [B, kMax])), 1, true); // [B, 1], the k_b-th largest loss
      // ≥ threshold (ties at the threshold are all kept), background only, none for images with k_b = 0.
      const chosen = tf.mul(
        tf.mul(tf.cast(tf.greaterEqual(cand, thr), 'float32'), bg),
        tf.tensor2d(hasK, [B, 1]),
      );
      return tf.expandDims(chosen, 2);
    });
    return { value, gradFunc: () => [tf.zerosLike(logits), tf.zerosLike(bg)] };
  }) as unknown as (logits: tf.Tensor, bg: tf.Tensor) => tf.Tensor;
}
