/**
 * Counting what the matcher does: how many anchors of an image are foreground, ignored or background (paper §4
 * "Anchors": IoU ≥ 0.5 → object, [0.4, 0.5) → ignored, < 0.4 → background), per pyramid level and averaged over
 * the synthetic training images. Pure TypeScript over `assignAnchors`' output: no second IoU or matching rule here,
 * so the counts are exactly what the toy trainer's targets contain (tests/unit/detector/census.test.ts checks that
 * against `buildTargets`).
 */
import { generateAnchors, type AnchorLevel, type AnchorOptions, type AnchorSet } from './anchors';
import { assignAnchors, BETWEEN_THRESHOLDS, type AssignOptions } from './assign';
import { makeImage, NUM_CLASSES, type DataOptions, type Split } from '../data/synthetic';

/** The matcher settings the toy trainer uses by default (lib/detector/train `resolveTrainConfig().assign`). */
export const TOY_TRAINER_ASSIGN: Readonly<Required<AssignOptions>> = Object.freeze({
  fgIou: 0.5,
  bgIou: 0.4,
  allowLowQualityMatches: true,
  lowQualitySkipZeroIou: true,
});

/** The paper's rule as written (§4): 0.5 / 0.4, no low-quality matches. */
export const PAPER_ASSIGN: Readonly<Required<AssignOptions>> = Object.freeze({
  fgIou: 0.5,
  bgIou: 0.4,
  allowLowQualityMatches: false,
  lowQualitySkipZeroIou: false,
});

/** Anchor counts by matcher outcome. `anchors` = foreground + ignored + background. */
export interface AssignmentCounts {
  anchors: number;
  /** Matched to a ground-truth box (matcher output ≥ 0): enter both losses. */
  foreground: number;
  /** Best IoU in [bgIou, fgIou) (output −2): enter neither loss. */
  ignored: number;
  /** Best IoU below bgIou (output −1): enter the classification loss as all-zero targets. */
  background: number;
}

function emptyCounts(): AssignmentCounts {
  return { anchors: 0, foreground: 0, ignored: 0, background: 0 };
}

function add(c: AssignmentCounts, m: number): void {
  c.anchors++;
  if (m >= 0) c.foreground++;
  else if (m === BETWEEN_THRESHOLDS) c.ignored++;
  else c.background++;
}

/**
 * Counts the matcher's outcomes, in total and per pyramid level.
 *
 * @param matched `assignAnchors` output [N]: gt index ≥ 0 (foreground), −2 (ignored), anything else < 0 (background).
 * @param levels the anchor set's `perLevel` layout (offsets and counts); omit for totals only.
 * @returns `all` over the N anchors and `perLevel[l]` over anchors offset_l … offset_l + count_l − 1.
 * @throws if the levels do not tile [0, N) exactly.
 */
export function countAssignments(
  matched: ArrayLike<number>,
  levels: readonly Pick<AnchorLevel, 'offset' | 'count'>[] = [],
): { all: AssignmentCounts; perLevel: AssignmentCounts[] } {
  const all = emptyCounts();
  for (let n = 0; n < matched.length; n++) add(all, matched[n]);
  let covered = 0;
  const perLevel = levels.map((lv) => {
    if (lv.offset !== covered || lv.offset + lv.count > matched.length) {
      throw new RangeError(`countAssignments: level at offset ${lv.offset} does not continue at ${covered}`);
    }
    covered += lv.count;
    const c = emptyCounts();
    for (let n = lv.offset; n < lv.offset + lv.count; n++) add(c, matched[n]);
    return c;
  });
  if (levels.length > 0 && covered !== matched.length) {
    throw new RangeError(`countAssignments: levels cover ${covered} of ${matched.length} anchors`);
  }
  return { all, perLevel };
}

/** What the matcher gave one ground-truth object. */
export interface ObjectCoverage {
  /** Foreground anchors matched to it (0: the classifier gets no positive example of it). */
  foreground: number;
  /** Its highest IoU with any anchor, in [0, 1]. */
  bestIou: number;
}

/**
 * Per ground-truth object g: how many anchors the matcher made foreground for it (matched[n] = g) and its best IoU
 * max_n Q[g, n] with any anchor.
 *
 * @param matched `assignAnchors` output [N].
 * @param iou Q = boxIou(objects, anchors), [G·N] row-major (row g = object g).
 * @returns G entries, object order.
 */
export function objectCoverage(
  matched: ArrayLike<number>,
  iou: ArrayLike<number>,
  numObjects: number,
): ObjectCoverage[] {
  const N = matched.length;
  return Array.from({ length: numObjects }, (_, g) => {
    let foreground = 0;
    let bestIou = 0;
    for (let n = 0; n < N; n++) {
      if (matched[n] === g) foreground++;
      if (iou[g * N + n] > bestIou) bestIou = iou[g * N + n];
    }
    return { foreground, bestIou };
  });
}

/**
 * Each anchor's best IoU with any object, v_n = max_g Q[g, n] (the value the matcher thresholds); 0 with no objects.
 * @param iou Q = boxIou(objects, anchors), [G·N] row-major.
 * @returns Float64Array [N].
 */
export function bestIouPerAnchor(
  iou: ArrayLike<number>,
  numObjects: number,
  numAnchors: number,
): Float64Array {
  const out = new Float64Array(numAnchors);
  for (let g = 0; g < numObjects; g++) {
    for (let n = 0; n < numAnchors; n++)
      if (iou[g * numAnchors + n] > out[n]) out[n] = iou[g * numAnchors + n];
  }
  return out;
}

/**
 * The candidate anchor with the highest best IoU (ties: the first candidate in iteration order), or −1 when there is
 * no candidate. With {@link bestIouPerAnchor} and `anchorsOfLevel`, the best anchor of a level; over the templates
 * of one cell, the best shape there.
 */
export function bestAnchor(bestIou: ArrayLike<number>, candidates: Iterable<number>): number {
  let best = -1;
  let bestV = -Infinity;
  for (const n of candidates) {
    if (bestIou[n] > bestV) {
      bestV = bestIou[n];
      best = n;
    }
  }
  return best;
}

/** One image's matcher outcome, counted: what the anchor explorer shows. */
export interface ImageCensus {
  /** `assignAnchors` output [N]: object index ≥ 0, −2 ignored, −1 background. */
  matched: Int32Array;
  /** Foreground / ignored / background counts, in total and per level. */
  counts: { all: AssignmentCounts; perLevel: AssignmentCounts[] };
  /** Per object, its foreground anchors and best IoU. */
  perObject: ObjectCoverage[];
}

/**
 * Runs the matcher on one image's anchors and counts the outcome: `assignAnchors`, then {@link countAssignments}
 * per level and {@link objectCoverage} per object.
 *
 * @param set the image's anchors; @param objects G boxes px; @param iou boxIou(objects, set.boxes) [G·N], computed
 * once by the caller so that a threshold change re-runs only the matching.
 */
export function imageCensus(
  set: AnchorSet,
  objects: ArrayLike<number>,
  iou: ArrayLike<number>,
  assign: AssignOptions,
): ImageCensus {
  const matched = assignAnchors(set.boxes, objects, assign);
  return {
    matched,
    counts: countAssignments(matched, set.perLevel),
    perObject: objectCoverage(matched, iou, objects.length / 4),
  };
}

/** Options of {@link anchorCensus}. */
export interface CensusOptions {
  /** Dataset seed (lib/data/synthetic). Default 0, the toy trainer's default. */
  seed?: number;
  /** Images 0 … images − 1 of the split are counted. Default 32. */
  images?: number;
  /** Synthetic-data options (e.g. objectsPerImage); defaults are the generator's. */
  data?: Partial<DataOptions>;
  /** Anchor options (scales, ratios, strides, base sizes); the image size comes from `data`. */
  anchors?: Omit<AnchorOptions, 'imageSize'>;
  /** Matcher settings. Default {@link TOY_TRAINER_ASSIGN}. */
  assign?: AssignOptions;
  /** Default 'train', the images the toy detector trains on. */
  split?: Split;
}

/** What one image's anchors look like to the classification loss, averaged over a set of images. */
export interface CensusResult {
  /** N, anchors per image (Σ_levels H·W·A). */
  numAnchors: number;
  /** A, anchors per location. */
  anchorsPerLocation: number;
  /** K, object classes (sigmoid outputs per anchor). */
  numClasses: number;
  images: number;
  /** Per-image counts, image order. */
  perImage: AssignmentCounts[];
  /** Means over the images (not rounded). */
  mean: AssignmentCounts;
  /** Fewest foreground anchors in any one image. */
  minForeground: number;
  maxForeground: number;
}

/**
 * Runs the matcher on images 0 … images − 1 of a synthetic dataset and counts foreground / ignored / background
 * anchors per image: the N, K and number of positives the classification loss actually sees at step 0.
 *
 * Cost: images × (one 64×64 render + one G×N IoU matrix); ≈ 0.5 ms per image for the default 3,024 anchors.
 * @throws RangeError if `images` is not a positive integer (≤ 10,000).
 */
export function anchorCensus(opts: CensusOptions = {}): CensusResult {
  const images = opts.images ?? 32;
  if (!Number.isInteger(images) || images < 1 || images > 10_000) {
    throw new RangeError(`anchorCensus: images must be an integer in [1, 10000]; got ${images}`);
  }
  const seed = opts.seed ?? 0;
  const split = opts.split ?? 'train';
  const assign = opts.assign ?? TOY_TRAINER_ASSIGN;
  const imageSize = opts.data?.imageSize ?? 64;
  const set: AnchorSet = generateAnchors({ ...opts.anchors, imageSize });
  const perImage: AssignmentCounts[] = [];
  for (let i = 0; i < images; i++) {
    const s = makeImage(seed, i, opts.data ?? {}, split);
    perImage.push(countAssignments(assignAnchors(set.boxes, s.boxes, assign)).all);
  }
  const mean = emptyCounts();
  for (const c of perImage) {
    mean.anchors += c.anchors / images;
    mean.foreground += c.foreground / images;
    mean.ignored += c.ignored / images;
    mean.background += c.background / images;
  }
  const fg = perImage.map((c) => c.foreground);
  return {
    numAnchors: set.numAnchors,
    anchorsPerLocation: set.anchorsPerLocation,
    numClasses: NUM_CLASSES,
    images,
    perImage,
    mean,
    minForeground: Math.min(...fg),
    maxForeground: Math.max(...fg),
  };
}
