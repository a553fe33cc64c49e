/**
 * Box utilities for the toy RetinaNet: area, IoU, the torchvision `BoxCoder` encode/decode, NMS and
 * per-class (batched) NMS.
 *
 * Conventions (shared with anchors.ts, assign.ts):
 * - A box is `[x1, y1, x2, y2]` in pixels, x to the right, y down; width = x2 − x1 (no "+1", as in
 *   torchvision ≥ 0.3 and detectron2; the old Caffe "+1" pixel convention is not used).
 * - A set of N boxes is passed either flat (`ArrayLike<number>` of length 4N, row-major, e.g. a
 *   `Float32Array`) or nested (`number[][]`, N rows of 4). Both are read without copying when flat.
 * - Arithmetic is done in float64 (JS numbers) whatever the input type, so the results do not depend on
 *   the storage precision beyond the inputs' own rounding. Outputs that feed tensors (encode/decode) are
 *   `Float32Array`; outputs that feed decisions (IoU matrices) are `Float64Array`, so that threshold and
 *   tie decisions match torchvision's float64 reference exactly.
 *
 * Everything here is plain TypeScript on typed arrays: it runs once per image on a few thousand anchors
 * in Node and in a browser worker, deterministically, without a tfjs backend. `decodeBoxesTensor` is
 * the one tensor variant, for decoding a head's output without leaving the backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { areaAt, iouAt } from './iou';

/** N boxes `[x1, y1, x2, y2]`: flat (length 4N) or nested (N × 4). */
export type BoxesInput = ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;

/** Per-coordinate weights `(wx, wy, ww, wh)` of torchvision's `BoxCoder`; RetinaNet uses (1, 1, 1, 1). */
export type BoxCoderWeights = readonly [number, number, number, number];

/**
 * torchvision's `bbox_xform_clip = log(1000 / 16)` ≈ 4.135: the largest log-scale change allowed when
 * decoding, so a wild `dw` cannot produce a box more than 1000/16 = 62.5× its anchor (and exp overflow).
 */
export const BBOX_XFORM_CLIP = Math.log(1000 / 16);

const UNIT_WEIGHTS: BoxCoderWeights = [1, 1, 1, 1];

/**
 * Returns the boxes as a flat row-major array of length 4N (the input itself when already flat).
 * Nested input is copied into a `Float64Array` so no precision is lost.
 * @throws if a nested row does not have 4 numbers or a flat array's length is not a multiple of 4.
 */
export function flattenBoxes(boxes: BoxesInput): ArrayLike<number> {
  if (boxes.length === 0) return new Float64Array(0);
  const first = (boxes as ArrayLike<unknown>)[0];
  if (typeof first === 'number') {
    if (boxes.length % 4 !== 0) throw new Error(`flat boxes must have length 4N, got ${boxes.length}`);
    return boxes as ArrayLike<number>;
  }
  const rows = boxes as ReadonlyArray<ArrayLike<number>>;
  const out = new Float64Array(rows.length * 4);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.length !== 4) throw new Error(`box ${i} must have 4 coordinates, got ${r.length}`);
    out[4 * i] = r[0];
    out[4 * i + 1] = r[1];
    out[4 * i + 2] = r[2];
    out[4 * i + 3] = r[3];
  }
  return out;
}

/**
 * Area of each box, `(x2 − x1)·(y2 − y1)` in px², as torchvision `box_area` (no clamping: a degenerate
 * box with x2 < x1 gets a negative area, exactly as there).
 * @returns Float64Array [N]
 */
export function boxArea(boxes: BoxesInput): Float64Array {
  const b = flattenBoxes(boxes);
  const n = b.length / 4;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = areaAt(b, 4 * i);
  return out;
}

/**
 * Pairwise IoU matrix (Jaccard overlap) between box sets `a` (N boxes) and `b` (M boxes), torchvision
 * `box_iou` semantics (see ./iou.ts `iouAt`). IoU is symmetric bit-for-bit (float addition commutes), so
 * `boxIou(gt, anchors)` is the transpose of `boxIou(anchors, gt)`.
 * `reuse` (optional): `out`, a buffer of at least N·M values to write into (the result is then a view of it), and
 * `areaB`, b's areas (`boxArea(b)`) when the caller already has them.
 * @returns Float64Array [N·M], row-major: `iou[i·M + j]` = IoU(a_i, b_j), unitless in [0, 1].
 */
export function boxIou(
  a: BoxesInput,
  b: BoxesInput,
  reuse?: { out?: Float64Array; areaB?: Float64Array },
): Float64Array {
  const fa = flattenBoxes(a);
  const fb = flattenBoxes(b);
  const n = fa.length / 4;
  const m = fb.length / 4;
  const areaA = boxArea(fa);
  const areaB = reuse?.areaB ?? boxArea(fb);
  // `reuse.out` (at least n·m long; only the first n·m values are written) spares a hot loop an allocation per
  // call: in Chromium a fresh 225 kB Float64Array costs ~0.2 ms, three times Node's (./assign.ts's workspace).
  const out =
    reuse?.out && reuse.out.length >= n * m ? reuse.out.subarray(0, n * m) : new Float64Array(n * m);
  // A local binding: bundlers and Vitest turn an imported name into a getter on a module object, which V8 does
  // not inline in this N·M loop (measured 2–3× slower than the local call).
  const pairIou = iouAt;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) out[i * m + j] = pairIou(fa, 4 * i, areaA[i], fb, 4 * j, areaB[j]);
  }
  return out;
}

/**
 * Encodes ground-truth boxes relative to their anchors, exactly torchvision `BoxCoder.encode_single`
 * (the Faster R-CNN parameterisation, Girshick et al. 2014 eq. 6–9, used by RetinaNet §4):
 *   w = x2 − x1, cx = x1 + 0.5·w (same for anchors: wa, cxa, …)
 *   dx = wx·(cx − cxa)/wa,  dy = wy·(cy − cya)/ha,  dw = ww·log(w/wa),  dh = wh·log(h/ha).
 * Row i of `gt` is encoded against row i of `anchors` (callers gather the matched gt first).
 * @param gt N boxes [x1,y1,x2,y2] px; @param anchors N boxes px; @param weights (wx, wy, ww, wh).
 * @returns Float32Array [N·4] of deltas (dx, dy, dw, dh), unitless.
 */
export function encodeBoxes(
  gt: BoxesInput,
  anchors: BoxesInput,
  weights: BoxCoderWeights = UNIT_WEIGHTS,
): Float32Array {
  const g = flattenBoxes(gt);
  const a = flattenBoxes(anchors);
  if (g.length !== a.length)
    throw new Error(`encodeBoxes: ${g.length / 4} gt boxes vs ${a.length / 4} anchors`);
  const [wx, wy, ww, wh] = weights;
  const out = new Float32Array(g.length);
  for (let k = 0; k < g.length; k += 4) {
    const aw = a[k + 2] - a[k];
    const ah = a[k + 3] - a[k + 1];
    const acx = a[k] + 0.5 * aw;
    const acy = a[k + 1] + 0.5 * ah;
    const gw = g[k + 2] - g[k];
    const gh = g[k + 3] - g[k + 1];
    const gcx = g[k] + 0.5 * gw;
    const gcy = g[k + 1] + 0.5 * gh;
    out[k] = (wx * (gcx - acx)) / aw;
    out[k + 1] = (wy * (gcy - acy)) / ah;
    out[k + 2] = ww * Math.log(gw / aw);
    out[k + 3] = wh * Math.log(gh / ah);
  }
  return out;
}

/**
 * Decodes regression deltas back to boxes, exactly torchvision `BoxCoder.decode_single`:
 *   dx/wx, dy/wy, dw' = min(dw/ww, clamp), dh' = min(dh/wh, clamp)   (clamp only from above, as there)
 *   cx = dx·wa + cxa, cy = dy·ha + cya, w = exp(dw')·wa, h = exp(dh')·ha
 *   box = [cx − 0.5·w, cy − 0.5·h, cx + 0.5·w, cy + 0.5·h]   (no clipping to the image).
 * @param deltas Float/number [N·4] (dx, dy, dw, dh); @param anchors N boxes px.
 * @param clamp upper bound on dw, dh before exp; default log(1000/16) (`BBOX_XFORM_CLIP`).
 * @returns Float32Array [N·4] boxes [x1,y1,x2,y2] px.
 */
export function decodeBoxes(
  deltas: BoxesInput,
  anchors: BoxesInput,
  weights: BoxCoderWeights = UNIT_WEIGHTS,
  clamp: number = BBOX_XFORM_CLIP,
): Float32Array {
  const d = flattenBoxes(deltas);
  const a = flattenBoxes(anchors);
  if (d.length !== a.length)
    throw new Error(`decodeBoxes: ${d.length / 4} deltas vs ${a.length / 4} anchors`);
  const [wx, wy, ww, wh] = weights;
  const out = new Float32Array(d.length);
  for (let k = 0; k < d.length; k += 4) {
    const aw = a[k + 2] - a[k];
    const ah = a[k + 3] - a[k + 1];
    const acx = a[k] + 0.5 * aw;
    const acy = a[k + 1] + 0.5 * ah;
    const dx = d[k] / wx;
    const dy = d[k + 1] / wy;
    const dw = Math.min(d[k + 2] / ww, clamp);
    const dh = Math.min(d[k + 3] / wh, clamp);
    const cx = dx * aw + acx;
    const cy = dy * ah + acy;
    const halfW = 0.5 * (Math.exp(dw) * aw);
    const halfH = 0.5 * (Math.exp(dh) * ah);
    out[k] = cx - halfW;
    out[k + 1] = cy - halfH;
    out[k + 2] = cx + halfW;
    out[k + 3] = cy + halfH;
  }
  return out;
}

/**
 * Tensor version of `decodeBoxes` (same formula, computed on the active tfjs backend in float32), for
 * decoding a regression head's output [N, 4] against anchors [N, 4] without a round trip to the CPU.
 * @returns tf.Tensor2D [N, 4] boxes [x1,y1,x2,y2] px. The caller owns (and disposes) the result.
 */
export function decodeBoxesTensor(
  deltas: tf.Tensor2D,
  anchors: tf.Tensor2D,
  weights: BoxCoderWeights = UNIT_WEIGHTS,
  clamp: number = BBOX_XFORM_CLIP,
): tf.Tensor2D {
  return tf.tidy(() => {
    const [ax1, ay1, ax2, ay2] = tf.split(anchors, 4, 1);
    const [tdx, tdy, tdw, tdh] = tf.split(deltas, 4, 1);
    const aw = tf.sub(ax2, ax1);
    const ah = tf.sub(ay2, ay1);
    const acx = tf.add(ax1, tf.mul(aw, 0.5));
    const acy = tf.add(ay1, tf.mul(ah, 0.5));
    const cx = tf.add(tf.mul(tf.div(tdx, weights[0]), aw), acx);
    const cy = tf.add(tf.mul(tf.div(tdy, weights[1]), ah), acy);
    const halfW = tf.mul(tf.mul(tf.exp(tf.minimum(tf.div(tdw, weights[2]), clamp)), aw), 0.5);
    const halfH = tf.mul(tf.mul(tf.exp(tf.minimum(tf.div(tdh, weights[3]), clamp)), ah), 0.5);
    return tf.concat(
      [tf.sub(cx, halfW), tf.sub(cy, halfH), tf.add(cx, halfW), tf.add(cy, halfH)],
      1,
    ) as tf.Tensor2D;
  });
}

/**
 * Indices 0..n−1 sorted by score descending; equal scores keep their index order (a stable sort, as
 * torchvision's CPU NMS kernel `scores.sort(stable=True, descending=True)`).
 */
export function argsortDescending(scores: ArrayLike<number>, indices?: ArrayLike<number>): Int32Array {
  const idx = indices ? Int32Array.from(indices) : Int32Array.from({ length: scores.length }, (_, i) => i);
  // Explicit index tie-break: the comparator alone defines a total order, independent of engine sort.
  return idx.sort((i, j) => scores[j] - scores[i] || i - j);
}

/**
 * Greedy non-maximum suppression, torchvision `nms` semantics: visit boxes by decreasing score (stable
 * for ties); keep a box unless an already-kept box overlaps it with IoU **strictly greater** than
 * `iouThreshold`. The paper's inference uses threshold 0.5 (§4, "Inference").
 * Cost O(N·K) for K kept boxes; fine for the ≤ few-thousand candidates per image here.
 * @param boxes N boxes px; @param scores [N]; @param iouThreshold unitless.
 * @returns Int32Array of kept indices (into `boxes`) in decreasing score order.
 */
export function nms(boxes: BoxesInput, scores: ArrayLike<number>, iouThreshold: number): Int32Array {
  const b = flattenBoxes(boxes);
  const n = b.length / 4;
  if (scores.length !== n) throw new Error(`nms: ${n} boxes vs ${scores.length} scores`);
  return nmsSubset(b, boxArea(b), scores, argsortDescending(scores), iouThreshold);
}

/** NMS over the boxes listed in `order` (already sorted by decreasing score). */
function nmsSubset(
  b: ArrayLike<number>,
  areas: Float64Array,
  scores: ArrayLike<number>,
  order: Int32Array,
  iouThreshold: number,
): Int32Array {
  const suppressed = new Uint8Array(order.length);
  const pairIou = iouAt; // local binding, see boxIou
  const keep: number[] = [];
  for (let oi = 0; oi < order.length; oi++) {
    if (suppressed[oi]) continue;
    const i = order[oi];
    keep.push(i);
    for (let oj = oi + 1; oj < order.length; oj++) {
      if (suppressed[oj]) continue;
      const j = order[oj];
      if (pairIou(b, 4 * i, areas[i], b, 4 * j, areas[j]) > iouThreshold) suppressed[oj] = 1;
    }
  }
  return Int32Array.from(keep);
}

/**
 * Per-class NMS, torchvision `batched_nms` semantics: boxes of different classes never suppress each
 * other; within a class, `nms` as above. The kept indices of all classes are merged and sorted by score
 * descending (ties: lower index first), as torchvision returns them.
 * @param boxes N boxes px; @param scores [N]; @param classes [N] integer class ids.
 * @returns Int32Array of kept indices in decreasing score order.
 */
export function batchedNms(
  boxes: BoxesInput,
  scores: ArrayLike<number>,
  classes: ArrayLike<number>,
  iouThreshold: number,
): Int32Array {
  const b = flattenBoxes(boxes);
  const n = b.length / 4;
  if (scores.length !== n || classes.length !== n) {
    throw new Error(`batchedNms: ${n} boxes, ${scores.length} scores, ${classes.length} classes`);
  }
  const areas = boxArea(b);
  const order = argsortDescending(scores);
  const byClass = new Map<number, number[]>();
  for (const i of order) {
    const list = byClass.get(classes[i]);
    if (list) list.push(i);
    else byClass.set(classes[i], [i]);
  }
  const kept: number[] = [];
  for (const list of byClass.values()) {
    for (const i of nmsSubset(b, areas, scores, Int32Array.from(list), iouThreshold)) kept.push(i);
  }
  return argsortDescending(scores, kept);
}
