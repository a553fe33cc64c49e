/**
 * RetinaNet inference and COCO evaluation (paper §4 "Inference": "decode box predictions from at most 1k
 * top-scoring predictions per FPN level, after thresholding detector confidence at 0.05. The top predictions
 * from all levels are merged and non-maximum suppression with a threshold of 0.5 is applied").
 *
 * Per image: scores p = σ(logit) for every (anchor, class) pair; on each pyramid level keep the pairs with
 * p > scoreThreshold, at most `topK` of them by score (per level, as the paper and torchvision's
 * `RetinaNet.postprocess_detections`); decode their anchors' deltas with the BoxCoder (weights 1,1,1,1, dw/dh
 * clamped at log(1000/16)), clip to the image, run per-class NMS at IoU `nmsIou`, and keep the
 * `maxDetections` highest-scoring survivors. A box can appear once per class (sigmoid heads are independent).
 */
import * as tf from '@tensorflow/tfjs-core';
import { makeBatch, type Batch, type DataOptions } from '../data/synthetic';
import {
  cocoEvaluate,
  toCocoDetections,
  toCocoGroundTruth,
  type CocoEvalResult,
  type CocoSummary,
} from '../metrics/coco';
import { generateAnchors, type AnchorSet } from './anchors';
import { argsortDescending, batchedNms, decodeBoxes } from './boxes';
import { forward, MODEL_STRIDES, type RetinaNetModel } from './model';

/** One detection, box in px [x1, y1, x2, y2], score = σ(logit) ∈ (0, 1), label = class index in [0, K). */
export interface Detection {
  box: [number, number, number, number];
  score: number;
  label: number;
}

/** Post-processing knobs; defaults are the paper's. */
export interface DetectOptions {
  /** Keep (anchor, class) pairs with score strictly above this. Default 0.05. */
  scoreThreshold?: number;
  /** At most this many candidates per pyramid level (after the threshold). Default 1000. */
  topK?: number;
  /** Per-class NMS IoU threshold (suppress IoU > nmsIou). Default 0.5. */
  nmsIou?: number;
  /** At most this many detections per image. Default 100. */
  maxDetections?: number;
  /** Images per forward pass (memory vs speed). Default 32. */
  chunkSize?: number;
  /** Anchor set of the model's image size (computed from the images when omitted). */
  anchors?: AnchorSet;
}

/** Images for `detect`: a tensor [B, H, W, 3] or a `makeBatch`-style Float32Array with its shape. */
export type ImagesInput = tf.Tensor4D | Pick<Batch, 'images' | 'shape'>;

/** Anchors matching the model's output for H×W images (strides 4, 8, 16, default scales and ratios). */
export function anchorsForImage(height: number, width: number): AnchorSet {
  return generateAnchors({ imageSize: { width, height }, strides: [...MODEL_STRIDES] });
}

/**
 * Post-processes one image's head outputs (plain arrays) into detections; see the module comment.
 * @param scores Float32Array [N·K] sigmoid scores, anchor-major; @param deltas Float32Array [N·4].
 */
export function postprocess(
  scores: ArrayLike<number>,
  deltas: ArrayLike<number>,
  anchors: AnchorSet,
  numClasses: number,
  imageSize: { width: number; height: number },
  opts: DetectOptions = {},
): Detection[] {
  const thr = opts.scoreThreshold ?? 0.05;
  const topK = opts.topK ?? 1000;
  const nmsIou = opts.nmsIou ?? 0.5;
  const maxDet = opts.maxDetections ?? 100;
  const K = numClasses;
  const candScore: number[] = [];
  const candAnchor: number[] = [];
  const candLabel: number[] = [];
  for (const level of anchors.perLevel) {
    const lvScore: number[] = [];
    const lvIdx: number[] = [];
    for (let e = level.offset * K; e < (level.offset + level.count) * K; e++) {
      if (scores[e] > thr) {
        lvScore.push(scores[e]);
        lvIdx.push(e);
      }
    }
    const order = argsortDescending(lvScore);
    for (let i = 0; i < Math.min(topK, order.length); i++) {
      const e = lvIdx[order[i]];
      candScore.push(lvScore[order[i]]);
      candAnchor.push(Math.floor(e / K));
      candLabel.push(e % K);
    }
  }
  const M = candScore.length;
  if (M === 0) return [];
  const a = new Float32Array(M * 4);
  const d = new Float32Array(M * 4);
  for (let i = 0; i < M; i++) {
    const n = candAnchor[i];
    for (let c = 0; c < 4; c++) {
      a[4 * i + c] = anchors.boxes[4 * n + c];
      d[4 * i + c] = deltas[4 * n + c];
    }
  }
  const boxes = decodeBoxes(d, a);
  // Clip to the image, as torchvision's box_ops.clip_boxes_to_image.
  for (let i = 0; i < M; i++) {
    boxes[4 * i] = Math.min(Math.max(boxes[4 * i], 0), imageSize.width);
    boxes[4 * i + 1] = Math.min(Math.max(boxes[4 * i + 1], 0), imageSize.height);
    boxes[4 * i + 2] = Math.min(Math.max(boxes[4 * i + 2], 0), imageSize.width);
    boxes[4 * i + 3] = Math.min(Math.max(boxes[4 * i + 3], 0), imageSize.height);
  }
  const keep = batchedNms(boxes, candScore, candLabel, nmsIou);
  const out: Detection[] = [];
  for (let j = 0; j < Math.min(maxDet, keep.length); j++) {
    const i = keep[j];
    out.push({
      box: [boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]],
      score: candScore[i],
      label: candLabel[i],
    });
  }
  return out;
}

/**
 * Runs the model on images in chunks of `chunkSize` and hands each image's head outputs, as plain arrays, to
 * `visit(i, scores, deltas)`: scores Float32Array [N·K] = σ(logit), anchor-major; deltas Float32Array [N·4].
 * The arrays are views into the chunk's readback (copy them to keep them). No tensors are left behind.
 * `detect` post-processes them; scripts/reliability.ts also bins every anchor's score.
 */
export function forEachImageOutput(
  model: RetinaNetModel,
  images: ImagesInput,
  opts: Pick<DetectOptions, 'chunkSize' | 'anchors'>,
  visit: (i: number, scores: Float32Array, deltas: Float32Array) => void,
): void {
  const plan = chunkPlan(model, images, opts);
  for (const c of plan.chunks) {
    const outputs = chunkOutputs(model, images, plan, c);
    let read: Float32Array[];
    try {
      read = outputs.map((t) => t.dataSync() as Float32Array);
    } finally {
      tf.dispose(outputs);
    }
    visitChunk(plan, c, read, visit);
  }
}

/**
 * `forEachImageOutput` reading each chunk with `await data()` (GPU backends: see `Trainer.stepAsync` in ./train);
 * the same chunks, outputs and order.
 */
export async function forEachImageOutputAsync(
  model: RetinaNetModel,
  images: ImagesInput,
  opts: Pick<DetectOptions, 'chunkSize' | 'anchors'>,
  visit: (i: number, scores: Float32Array, deltas: Float32Array) => void,
): Promise<void> {
  const plan = chunkPlan(model, images, opts);
  for (const c of plan.chunks) {
    const outputs = chunkOutputs(model, images, plan, c);
    let read: Float32Array[];
    try {
      read = (await Promise.all(outputs.map((t) => t.data()))) as Float32Array[];
    } finally {
      tf.dispose(outputs);
    }
    visitChunk(plan, c, read, visit);
  }
}

interface ChunkPlan {
  H: number;
  W: number;
  N: number;
  K: number;
  chunks: { start: number; size: number }[];
}

function chunkPlan(
  model: RetinaNetModel,
  images: ImagesInput,
  opts: Pick<DetectOptions, 'chunkSize' | 'anchors'>,
): ChunkPlan {
  const [B, H, W] = images.shape;
  const N = (opts.anchors ?? anchorsForImage(H, W)).numAnchors;
  const chunk = Math.max(1, opts.chunkSize ?? 32);
  const chunks = [];
  for (let start = 0; start < B; start += chunk) chunks.push({ start, size: Math.min(chunk, B - start) });
  return { H, W, N, K: model.config.numClasses, chunks };
}

/** One chunk's head outputs, kept for the caller to read and dispose: σ(logits) [b, N, K] and deltas [b, N, 4]. */
function chunkOutputs(
  model: RetinaNetModel,
  images: ImagesInput,
  { H, W, N }: ChunkPlan,
  { start, size: b }: ChunkPlan['chunks'][number],
): tf.Tensor[] {
  const per = H * W * 3;
  return tf.tidy(() => {
    const x =
      images instanceof tf.Tensor
        ? (tf.slice(images, [start, 0, 0, 0], [b, H, W, 3]) as tf.Tensor4D)
        : tf.tensor4d(images.images.subarray(start * per, (start + b) * per), [b, H, W, 3]);
    const o = forward(model, x);
    if (o.cls.shape[1] !== N)
      throw new Error(`detect: model gives ${o.cls.shape[1]} anchors, anchor set ${N}`);
    return [tf.sigmoid(o.cls), o.box];
  });
}

function visitChunk(
  { N, K }: ChunkPlan,
  { start, size: b }: ChunkPlan['chunks'][number],
  [scores, deltas]: Float32Array[],
  visit: (i: number, scores: Float32Array, deltas: Float32Array) => void,
): void {
  for (let i = 0; i < b; i++) {
    visit(
      start + i,
      scores.subarray(i * N * K, (i + 1) * N * K),
      deltas.subarray(i * N * 4, (i + 1) * N * 4),
    );
  }
}

/** `detect`'s visitor: post-processes each image's outputs into `out`, in image order. */
function collectDetections(
  model: RetinaNetModel,
  images: ImagesInput,
  opts: DetectOptions,
  out: Detection[][],
): { anchors: AnchorSet; visit: (i: number, scores: Float32Array, deltas: Float32Array) => void } {
  const [, H, W] = images.shape;
  const anchors = opts.anchors ?? anchorsForImage(H, W);
  const K = model.config.numClasses;
  return {
    anchors,
    visit: (_, scores, deltas) =>
      out.push(postprocess(scores, deltas, anchors, K, { width: W, height: H }, opts)),
  };
}

/**
 * Runs the model on images and returns, per image, its detections sorted by score (descending).
 * Images are processed in chunks of `chunkSize`; no tensors are left behind.
 */
export function detect(model: RetinaNetModel, images: ImagesInput, opts: DetectOptions = {}): Detection[][] {
  const out: Detection[][] = [];
  const { anchors, visit } = collectDetections(model, images, opts, out);
  forEachImageOutput(model, images, { ...opts, anchors }, visit);
  return out;
}

/** `detect` reading with `await data()` (GPU backends). */
export async function detectAsync(
  model: RetinaNetModel,
  images: ImagesInput,
  opts: DetectOptions = {},
): Promise<Detection[][]> {
  const out: Detection[][] = [];
  const { anchors, visit } = collectDetections(model, images, opts, out);
  await forEachImageOutputAsync(model, images, { ...opts, anchors }, visit);
  return out;
}

/** A labelled image set: `makeBatch`'s output. */
export type EvalSet = Batch;

/** Dataset seed of the held-out set; its 'eval' split is disjoint from every training stream. */
export const EVAL_DATASET_SEED = 0;

/**
 * The fixed held-out set: images 0…count−1 of the 'eval' split of dataset `EVAL_DATASET_SEED` (the same for every
 * training seed, so AP is comparable across runs; training reads the 'train' split, a different stream).
 */
export function makeEvalSet(count = 200, data: Partial<DataOptions> = {}): EvalSet {
  return makeBatch(EVAL_DATASET_SEED, count, data, { split: 'eval' });
}

/** COCO summary of a model on a labelled set, plus the detections it scored. */
export interface EvalResult extends CocoSummary {
  numImages: number;
  numDetections: number;
}

/**
 * pycocotools evaluation (`cocoEvaluate`) of per-image detections against a labelled set: image ids 0…M−1,
 * category id = label + 1. The result's `detectionMatches` [T·D] follow the detections flattened in image order,
 * `dets[0]` first (row 0 is IoU 0.5: > 0 a true positive, 0 a false positive).
 */
export function scoreDetections(
  dets: readonly Detection[][],
  dataset: Pick<EvalSet, 'boxes' | 'labels'>,
  numClasses: number,
): CocoEvalResult {
  return cocoEvaluate({
    images: dataset.boxes.map((_, i) => i),
    categories: Array.from({ length: numClasses }, (_, k) => k + 1),
    groundTruth: dataset.boxes.flatMap((boxes, i) => toCocoGroundTruth(i, boxes, dataset.labels[i])),
    detections: dets.flatMap((ds, i) =>
      toCocoDetections(
        i,
        ds.flatMap((d) => d.box),
        ds.map((d) => d.score),
        ds.map((d) => d.label),
      ),
    ),
  });
}

/**
 * COCO bbox AP@[.5:.95], AP50, AP75 and AR@100 of `model` on `dataset` (pycocotools semantics via
 * `scoreDetections`). All values in [0, 1].
 */
export function evaluate(model: RetinaNetModel, dataset: EvalSet, opts: DetectOptions = {}): EvalResult {
  return summarise(detect(model, dataset, opts), dataset, model.config.numClasses);
}

/** `evaluate` reading the model's outputs with `await data()` (GPU backends). */
export async function evaluateAsync(
  model: RetinaNetModel,
  dataset: EvalSet,
  opts: DetectOptions = {},
): Promise<EvalResult> {
  return summarise(await detectAsync(model, dataset, opts), dataset, model.config.numClasses);
}

function summarise(dets: Detection[][], dataset: EvalSet, numClasses: number): EvalResult {
  const r = scoreDetections(dets, dataset, numClasses);
  return {
    ap: r.ap,
    ap50: r.ap50,
    ap75: r.ap75,
    ar100: r.ar100,
    numImages: dataset.boxes.length,
    numDetections: dets.reduce((n, ds) => n + ds.length, 0),
  };
}
