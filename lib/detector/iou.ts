/**
 * Intersection over union of two boxes: the one IoU of Focal Lab. The matcher's IoU matrix and NMS
 * (./boxes.ts), the synthetic generator's overlap rule (lib/data/synthetic.ts) and the playground's anchor
 * picker all call it, so a threshold decision is the same wherever it is made.
 *
 * A box is `[x1, y1, x2, y2]` px (x right, y down, width = x2 − x1, no "+1"), read at offset i of a flat
 * array. Arithmetic is float64 whatever the storage type. No tfjs here: the data generator imports it.
 */

/** Area (x2 − x1)·(y2 − y1) px² of the box at offset i, as torchvision `box_area` (negative when x2 < x1). */
export function areaAt(b: ArrayLike<number>, i = 0): number {
  return (b[i + 2] - b[i]) * (b[i + 3] - b[i + 1]);
}

/**
 * IoU of box a (at offset i, area `areaA`) and box b (at offset j, area `areaB`), torchvision `box_iou`:
 * inter = max(0, min(x2) − max(x1)) · max(0, min(y2) − max(y1)), IoU = inter / (areaA + areaB − inter).
 * Where the boxes do not overlap, or the union is not positive (both degenerate), the IoU is 0 rather than
 * torchvision's NaN, so a degenerate box never matches anything. The areas are arguments so that a matrix
 * or NMS computes each box's area once. Unitless, in [0, 1].
 */
export function iouAt(
  a: ArrayLike<number>,
  i: number,
  areaA: number,
  b: ArrayLike<number>,
  j: number,
  areaB: number,
): number {
  const w = Math.min(a[i + 2], b[j + 2]) - Math.max(a[i], b[j]);
  const h = Math.min(a[i + 3], b[j + 3]) - Math.max(a[i + 1], b[j + 1]);
  const inter = (w > 0 ? w : 0) * (h > 0 ? h : 0);
  const union = areaA + areaB - inter;
  return union > 0 ? inter / union : 0;
}

/** IoU of two single boxes `[x1, y1, x2, y2]` (see {@link iouAt}); 0 when they do not overlap. */
export function iou(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return iouAt(a, 0, areaAt(a), b, 0, areaAt(b));
}
