/**
 * The paper's Figure 4 statistic: how the loss is distributed over positive and over negative examples, for
 * several γ (Lin et al. 2017, §5.1 "Analysis of the Focal Loss", Figure 4).
 *
 * The paper takes a converged model, computes FL for ~10⁷ negative and ~10⁵ positive windows, normalises the
 * losses of each group to sum to 1, sorts them from lowest to highest and plots the cumulative sum against
 * the fraction of samples. For positives the curves barely move with γ; for negatives, raising γ concentrates
 * nearly all the loss on a small fraction of hard negatives.
 *
 * Here an "example" is one (anchor, class) element of the sigmoid head on a non-ignored anchor: positives are
 * the elements with target y = 1, negatives those with y = 0 (all classes of background anchors and the other
 * classes of foreground anchors) — exactly the terms of the training loss. FL is evaluated with lib/loss's
 * hard-target `sigmoidFocalLossBinary` with α = none (α only rescales each group uniformly, so it cannot change a
 * normalised curve).
 */
import * as tf from '@tensorflow/tfjs-core';
import { logit, sigmoidFocalLossBinary } from '../loss';
import { buildTargets, type AssignOptions } from '../detector/assign';
import type { AnchorSet } from '../detector/anchors';
import { anchorsForImage } from '../detector/infer';
import { classLogits, type RetinaNetModel } from '../detector/model';
import { tidyValues } from '../tf/tidyValues';

/** The cumulative loss curves of one γ. */
export interface Fig4Curve {
  gamma: number;
  /** Cumulative normalised loss of positives at each of `fractions` (sorted ascending by loss); [0 … 1]. */
  positive: number[];
  /** Same for negatives. */
  negative: number[];
  /** Share of the total negative loss carried by the hardest 1 % of negatives, in [0, 1]. */
  negHardest1: number;
  /** Share carried by the hardest 10 % of negatives. */
  negHardest10: number;
  /** Share of the positive loss carried by the hardest 20 % of positives (paper: "about half"). */
  posHardest20: number;
}

export interface Fig4Result {
  /** Fractions of samples, i/(points − 1), i = 0 … points − 1. */
  fractions: number[];
  curves: Fig4Curve[];
  numPositive: number;
  numNegative: number;
}

export interface Fig4Options {
  /** γ values. Default [0, 0.5, 1, 2] (the paper plots 0 … 2). */
  gammas?: number[];
  /** Number of sample fractions. Default 101 (0, 0.01, …, 1). */
  points?: number;
}

export const FIG4_DEFAULT_GAMMAS = [0, 0.5, 1, 2];

/**
 * Cumulative normalised-loss curve of one group: losses sorted ascending, cumulative sum / total, sampled at
 * fraction f → the sum of the ⌊f·n + ½⌋ smallest losses over the total. Also the share of the top fraction
 * `q` (the largest max(1, round(q·n)) losses). Empty or all-zero groups give a 0-curve ending at 1 and share 0.
 */
export function cumulativeLossCurve(
  losses: Float64Array,
  fractions: number[],
  topShares: number[],
): { curve: number[]; shares: number[] } {
  return curveOfSorted(Float64Array.from(losses).sort(), fractions, topShares);
}

/** {@link cumulativeLossCurve} of losses already sorted ascending. */
function curveOfSorted(
  sorted: ArrayLike<number>,
  fractions: number[],
  topShares: number[],
): { curve: number[]; shares: number[] } {
  const n = sorted.length;
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cum[i + 1] = cum[i] + sorted[i];
  const total = cum[n];
  if (!(total > 0)) {
    return { curve: fractions.map((f) => (f >= 1 ? 1 : 0)), shares: topShares.map(() => 0) };
  }
  const curve = fractions.map((f) => cum[Math.min(n, Math.max(0, Math.round(f * n)))] / total);
  const shares = topShares.map((q) => {
    const m = Math.min(n, Math.max(1, Math.round(q * n)));
    return (total - cum[n - m]) / total;
  });
  return { curve, shares };
}

/**
 * The per-element FL (α none) of one group's logits, sorted ascending by loss. FL is monotone in the logit for a
 * fixed target (non-decreasing for y = 0, non-increasing for y = 1, any γ ≥ 0), so the logits are sorted once per
 * group, in the order that makes the losses ascend, and every γ's losses come out sorted but for the neighbours a
 * float32 rounding swaps, which an insertion pass puts right: the result is the sorted losses exactly.
 * Computed by lib/loss's hard-target core (`sigmoidFocalLossBinary`, the fused kernel where the backend has
 * it), equal to `sigmoidFocalLoss` on 0/1 targets (tests/unit/loss). The playground's Figure 4 view (169k
 * elements, 4 γ, every 25 steps) took ≈ 330 ms a run as `sigmoidFocalLoss`'s ops read inside `tf.tidy` (see
 * lib/tf/tidyValues.ts) and eight sorts, 30 ms so (Node, WASM).
 */
function sortedFocalValues(orderedLogits: Float32Array, target: 0 | 1, gamma: number): ArrayLike<number> {
  if (orderedLogits.length === 0) return new Float64Array(0);
  const v = tidyValues(() =>
    sigmoidFocalLossBinary(tf.tensor1d(orderedLogits), tf.fill([orderedLogits.length], target), {
      alpha: null,
      gamma,
      reduction: 'none',
    }),
  );
  return sortNearlySorted(v);
}

/**
 * `values` sorted ascending, as a new Float64Array, by insertion: O(n + inversions) for the few neighbours that a
 * float32 rounding swaps (about one in 160k here), with a full sort should the inversions ever be many.
 */
export function sortNearlySorted(values: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(values);
  let shifts = 0;
  for (let i = 1; i < out.length; i++) {
    const x = out[i];
    if (x >= out[i - 1]) continue;
    let j = i - 1;
    while (j >= 0 && out[j] > x) {
      out[j + 1] = out[j];
      j--;
      if (++shifts > 4 * out.length) {
        out[j + 1] = x; // fill the hole first: every value stays in the array
        return out.sort();
      }
    }
    out[j + 1] = x;
  }
  return out;
}

/**
 * Figure 4 from raw logits and targets of the examples.
 * @param logits Float32Array [M] logits x; @param targets Float32Array [M] in {0, 1}.
 * @param valid optional Uint8Array [M]; elements with 0 are skipped (ignored anchors).
 */
export function fig4FromLogits(
  logits: Float32Array,
  targets: Float32Array,
  valid?: Uint8Array,
  opts: Fig4Options = {},
): Fig4Result {
  const gammas = opts.gammas ?? FIG4_DEFAULT_GAMMAS;
  const points = opts.points ?? 101;
  if (!(points >= 2)) throw new RangeError(`fig4: points must be ≥ 2, got ${points}`);
  if (targets.length !== logits.length || (valid && valid.length !== logits.length)) {
    throw new RangeError('fig4: logits, targets and valid must have the same length');
  }
  let numPos = 0;
  let numNeg = 0;
  for (let i = 0; i < logits.length; i++) {
    if (valid && !valid[i]) continue;
    if (targets[i] === 1) numPos++;
    else if (targets[i] === 0) numNeg++;
    else throw new RangeError(`fig4: targets must be 0 or 1, got ${targets[i]}`);
  }
  const pos = new Float32Array(numPos);
  const neg = new Float32Array(numNeg);
  for (let i = 0, p = 0, q = 0; i < logits.length; i++) {
    if (valid && !valid[i]) continue;
    if (targets[i] === 1) pos[p++] = logits[i];
    else neg[q++] = logits[i];
  }
  // Ascending loss: negatives by ascending logit, positives by descending logit.
  neg.sort();
  pos.sort().reverse();
  const fractions = Array.from({ length: points }, (_, i) => i / (points - 1));
  const curves = gammas.map((gamma): Fig4Curve => {
    const p = curveOfSorted(sortedFocalValues(pos, 1, gamma), fractions, [0.2]);
    const q = curveOfSorted(sortedFocalValues(neg, 0, gamma), fractions, [0.01, 0.1]);
    return {
      gamma,
      positive: p.curve,
      negative: q.curve,
      negHardest1: q.shares[0],
      negHardest10: q.shares[1],
      posHardest20: p.shares[0],
    };
  });
  return { fractions, curves, numPositive: pos.length, numNegative: neg.length };
}

/**
 * Figure 4 from probabilities of the true class: p_t of each positive and of each negative example
 * (p_t = p for y = 1, 1 − p for y = 0), each in (0, 1). Converted to logits x = ±log(p_t / (1 − p_t)).
 */
export function fig4FromPt(
  positivePt: ArrayLike<number>,
  negativePt: ArrayLike<number>,
  opts: Fig4Options = {},
): Fig4Result {
  const logitOf = (p: number) => {
    if (!(p > 0 && p < 1)) throw new RangeError(`fig4: p_t must be in (0, 1), got ${p}`);
    return logit(p);
  };
  const P = positivePt.length;
  const N = negativePt.length;
  const logits = new Float32Array(P + N);
  const targets = new Float32Array(P + N);
  for (let i = 0; i < P; i++) {
    logits[i] = logitOf(positivePt[i]);
    targets[i] = 1;
  }
  for (let i = 0; i < N; i++) logits[P + i] = -logitOf(negativePt[i]); // p = 1 − p_t
  return fig4FromLogits(logits, targets, undefined, opts);
}

/** Logits, targets and validity of every (anchor, class) element of a labelled image set. */
export interface Fig4Inputs {
  logits: Float32Array;
  targets: Float32Array;
  valid: Uint8Array;
}

/**
 * Runs `model` on the images and assigns anchors (paper matcher: fg ≥ 0.5, bg < 0.4, low-quality matches on —
 * the trainer's defaults) to collect the inputs of {@link fig4FromLogits}.
 * @param dataset `makeBatch`-style images [B, H, W, 3] with per-image boxes and labels.
 */
export function collectFig4Inputs(
  model: RetinaNetModel,
  dataset: {
    images: Float32Array;
    shape: [number, number, number, 3];
    boxes: ArrayLike<number>[];
    labels: ArrayLike<number>[];
  },
  opts: { assign?: AssignOptions; chunkSize?: number; anchors?: AnchorSet } = {},
): Fig4Inputs {
  const [B, H, W] = dataset.shape;
  // The model's own anchors (a trainer's `anchors`): the default set only fits a model with the default A.
  const anchors = opts.anchors ?? anchorsForImage(H, W);
  if (anchors.anchorsPerLocation !== model.config.anchorsPerLocation) {
    throw new RangeError(
      `fig4: the anchors have A = ${anchors.anchorsPerLocation} per location, the model ${model.config.anchorsPerLocation}`,
    );
  }
  const K = model.config.numClasses;
  const N = anchors.numAnchors;
  const assign = opts.assign ?? {
    fgIou: 0.5,
    bgIou: 0.4,
    allowLowQualityMatches: true,
    lowQualitySkipZeroIou: true,
  };
  const chunk = opts.chunkSize ?? 32;
  const logits = new Float32Array(B * N * K);
  const targets = new Float32Array(B * N * K);
  const valid = new Uint8Array(B * N * K);
  const per = H * W * 3;
  for (let s = 0; s < B; s += chunk) {
    const b = Math.min(chunk, B - s);
    const v = tidyValues(() => {
      const x = tf.tensor4d(dataset.images.subarray(s * per, (s + b) * per), [b, H, W, 3]);
      return classLogits(model, x);
    });
    logits.set(v, s * N * K);
  }
  for (let i = 0; i < B; i++) {
    const t = buildTargets(anchors.boxes, dataset.boxes[i], dataset.labels[i], K, assign);
    targets.set(t.clsTargets, i * N * K);
    for (let n = 0; n < N; n++) if (t.valid[n]) valid.fill(1, (i * N + n) * K, (i * N + n + 1) * K);
  }
  return { logits, targets, valid };
}

/** Figure 4 of a trained model on a labelled image set (see {@link collectFig4Inputs}). */
export function computeFig4(
  model: RetinaNetModel,
  dataset: Parameters<typeof collectFig4Inputs>[1],
  opts: Fig4Options & { assign?: AssignOptions; anchors?: AnchorSet } = {},
): Fig4Result {
  const inp = collectFig4Inputs(model, dataset, opts);
  return fig4FromLogits(inp.logits, inp.targets, inp.valid, opts);
}
