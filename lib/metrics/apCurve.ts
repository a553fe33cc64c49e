/**
 * "AP you can see": everything the AP figure (components/figures/ApFigure.tsx) draws, from a detector's candidate
 * boxes on a few labelled images. Nothing here computes AP or IoU a second time: NMS is lib/detector/boxes.ts
 * `batchedNms`, IoU is `boxIou`, matching, the precision–recall curve and the 101-point interpolated AP are
 * lib/metrics/coco.ts `cocoEvaluate` (pycocotools semantics). This module only arranges their outputs per class:
 * the detections sorted by score with their true/false-positive marks, the raw (cumulative) precision and recall
 * after each one, and the interpolated curve whose mean is the AP.
 *
 * Boxes are [x1, y1, x2, y2] px; labels are class indices in [0, K); category id = label + 1 (as in infer.ts).
 */
import { batchedNms, boxIou } from '../detector/boxes';
import { cocoEvaluate, toCocoDetections, toCocoGroundTruth } from './coco';

/** One labelled image and the detector's candidates on it (before NMS). */
export interface ApImage {
  /** Ground-truth boxes, [x1, y1, x2, y2] px each. */
  boxes: readonly (readonly number[])[];
  /** Class index of each ground-truth box. */
  labels: readonly number[];
  /** Candidates [x1, y1, x2, y2, score, label], any order. */
  candidates: readonly (readonly number[])[];
}

export interface ApOptions {
  /** Class index whose curve is returned. */
  classIndex: number;
  /** Number of classes K (the mean AP averages over those with ground truth). */
  numClasses: number;
  /** IoU a detection needs with an unmatched box of its class to count as a true positive: 0.5 or 0.75. */
  iouThreshold: 0.5 | 0.75;
  /** Per-class NMS threshold (suppress IoU > it), or null to skip NMS. */
  nmsIou: number | null;
  /** Detections kept per image after NMS, highest scores first (COCO's maxDets). Default 100. */
  maxDetections?: number;
}

/** What NMS did to one candidate. */
export interface CandidateFate {
  image: number;
  /** Index into the image's `candidates`. */
  index: number;
  box: readonly number[];
  score: number;
  label: number;
  /** Kept after NMS (always true without NMS). */
  kept: boolean;
  /** For a removed candidate: the index of the kept candidate that suppressed it, and their IoU. */
  suppressedBy?: { index: number; iou: number };
}

/** One detection of the chosen class in score order, with its match and the running precision and recall. */
export interface RankedDetection {
  rank: number;
  image: number;
  /** Index into the image's `candidates`. */
  index: number;
  score: number;
  box: readonly number[];
  /** Highest IoU with a ground-truth box of the same class in its image (0 when there is none). */
  bestIou: number;
  /** Matched a box at the IoU threshold (COCO's greedy matching by score). */
  truePositive: boolean;
  /** Cumulative precision TP/(TP + FP) and recall TP/(boxes of the class) after this detection. */
  precision: number;
  recall: number;
}

export interface ApResult {
  /** Per image, every candidate with its NMS fate. */
  fates: CandidateFate[][];
  /** The chosen class's detections (after NMS) over all images, by descending score. */
  ranked: RankedDetection[];
  /** Ground-truth boxes of the chosen class over all images. */
  numGroundTruth: number;
  /** COCO's 101 recall points 0, 0.01, …, 1 and the interpolated precision at each (0 beyond the last recall). */
  recallPoints: number[];
  interpolatedPrecision: number[];
  /** AP of the chosen class at the threshold: the mean of `interpolatedPrecision`; −1 without ground truth. */
  ap: number;
  /** The mean of the per-class APs at the threshold (COCO AP50 or AP75 over these images). */
  meanAp: number;
  /** AP of every class at the threshold, by class index (−1 for a class without ground truth). */
  perClassAp: number[];
}

/** Runs per-class NMS on one image's candidates and records, for each removed one, who removed it. */
export function nmsFates(image: ApImage, imageIndex: number, nmsIou: number | null): CandidateFate[] {
  const c = image.candidates;
  const boxes = c.map((d) => d.slice(0, 4));
  const scores = c.map((d) => d[4]);
  const labels = c.map((d) => d[5]);
  const fates: CandidateFate[] = c.map((d, index) => ({
    image: imageIndex,
    index,
    box: d.slice(0, 4),
    score: d[4],
    label: d[5],
    kept: true,
  }));
  if (nmsIou === null || c.length === 0) return fates;
  const kept = batchedNms(boxes, scores, labels, nmsIou);
  const keptSet = new Set(kept);
  const iou = boxIou(boxes, boxes);
  const n = c.length;
  for (const f of fates) {
    if (keptSet.has(f.index)) continue;
    f.kept = false;
    // Greedy NMS removed it at the first (highest-scoring) kept box of its class overlapping it by more than
    // the threshold; `kept` is in descending score order, so that is the first such box in it.
    for (const k of kept) {
      const v = iou[k * n + f.index];
      if (labels[k] === f.label && v > nmsIou) {
        f.suppressedBy = { index: k, iou: v };
        break;
      }
    }
  }
  return fates;
}

/**
 * The AP figure's numbers for one class, one IoU threshold and one NMS setting (see the module comment).
 * The chosen class's AP equals `cocoEvaluate`'s per-category AP50/AP75 on the same detections, by construction.
 */
export function apAnalysis(images: readonly ApImage[], opts: ApOptions): ApResult {
  const { classIndex, numClasses, iouThreshold, nmsIou } = opts;
  const maxDet = opts.maxDetections ?? 100;
  const fates = images.map((img, i) => nmsFates(img, i, nmsIou));
  // After NMS, the `maxDet` highest-scoring survivors per image (infer.ts postprocess does the same).
  const survivors = fates.map((fs) =>
    fs
      .filter((f) => f.kept)
      .sort((a, b) => b.score - a.score || a.index - b.index)
      .slice(0, maxDet),
  );
  const detections = survivors.flatMap((fs, i) =>
    toCocoDetections(
      i,
      fs.flatMap((f) => [...f.box]),
      fs.map((f) => f.score),
      fs.map((f) => f.label),
    ),
  );
  const groundTruth = images.flatMap((img, i) => toCocoGroundTruth(i, img.boxes.flat(), img.labels));
  const r = cocoEvaluate({
    images: images.map((_, i) => i),
    categories: Array.from({ length: numClasses }, (_, k) => k + 1),
    groundTruth,
    detections,
    maxDets: maxDet,
  });
  const t = r.iouThresholds.indexOf(iouThreshold);
  if (t < 0) throw new RangeError(`IoU threshold ${iouThreshold} is not one of COCO's`);
  const R = r.recallThresholds.length;
  const K = numClasses;
  const interpolatedPrecision = Array.from(r.recallThresholds, (_, ri) =>
    Math.max(0, r.precision[(t * R + ri) * K + classIndex]),
  );
  const perClassAp = r.perCategory.map((c) => (iouThreshold === 0.5 ? c.ap50 : c.ap75));

  // The chosen class's detections in COCO's accumulate order: descending score, stable in (image, rank) order.
  const flat = survivors.flatMap((fs) => fs.filter((f) => f.label === classIndex));
  const detIndex = new Map<CandidateFate, number>();
  let pos = 0;
  survivors.forEach((fs) => fs.forEach((f) => detIndex.set(f, pos++)));
  const order = flat.map((f, i) => i).sort((a, b) => flat[b].score - flat[a].score || a - b);
  const numGroundTruth = images.reduce((s, img) => s + img.labels.filter((l) => l === classIndex).length, 0);
  let tp = 0;
  const ranked: RankedDetection[] = order.map((i, rank) => {
    const f = flat[i];
    const match = r.detectionMatches[t * detections.length + (detIndex.get(f) ?? -1)];
    const truePositive = match > 0;
    if (truePositive) tp++;
    const img = images[f.image];
    const own = img.boxes.filter((_, g) => img.labels[g] === classIndex);
    const bestIou = own.length ? Math.max(...boxIou([f.box], own)) : 0;
    return {
      rank: rank + 1,
      image: f.image,
      index: f.index,
      score: f.score,
      box: f.box,
      bestIou,
      truePositive,
      precision: tp / (rank + 1),
      recall: numGroundTruth ? tp / numGroundTruth : 0,
    };
  });
  const ap = iouThreshold === 0.5 ? r.perCategory[classIndex].ap50 : r.perCategory[classIndex].ap75;
  return {
    fates,
    ranked,
    numGroundTruth,
    recallPoints: Array.from(r.recallThresholds),
    interpolatedPrecision,
    ap,
    meanAp: iouThreshold === 0.5 ? r.ap50 : r.ap75,
    perClassAp,
  };
}
