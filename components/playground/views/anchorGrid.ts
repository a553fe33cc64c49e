/**
 * Pure geometry of the anchor grid for the sample view: which anchor a click or a keyboard focus cell means.
 * No React, no DOM, so it is unit-tested directly.
 *
 * Anchor order: lib/detector/anchors `anchorIndex`. Cell (x, y) of a level with stride s covers
 * image pixels [x·s, (x + 1)·s) × [y·s, (y + 1)·s); its anchors are centred on the cell centre.
 */
import { anchorIndex } from '@/lib/detector/anchors';
import { iou } from '@/lib/detector/iou';
import type { AnchorLayout } from '@/lib/playground/protocol';

/** A feature-map cell of one pyramid level. */
export interface GridCell {
  level: number;
  y: number;
  x: number;
}

/** Index of anchor a at cell (y, x) of `level` (lib/detector/anchors `anchorIndex`), or −1 when any coordinate is out of range. */
export function anchorIndexAt(layout: AnchorLayout, level: number, y: number, x: number, a: number): number {
  const lv = layout.levels[level];
  if (!lv) return -1;
  return anchorIndex({ offset: lv.offset, size: [lv.height, lv.width] }, layout.anchorsPerLocation, y, x, a);
}

/** The cell of `level` under image pixel (px, py); points outside the image snap to the nearest edge cell. */
export function locationAt(layout: AnchorLayout, level: number, px: number, py: number): GridCell | null {
  const lv = layout.levels[level];
  if (!lv || !Number.isFinite(px) || !Number.isFinite(py)) return null;
  const clamp = (v: number, n: number) => Math.max(0, Math.min(n - 1, Math.floor(v)));
  return { level, y: clamp(py / lv.stride, lv.height), x: clamp(px / lv.stride, lv.width) };
}

/** Index of the ground-truth box (Float32Array [n·4]) whose centre is nearest to (cx, cy), or −1 when none. */
export function nearestBox(gt: ArrayLike<number>, cx: number, cy: number): number {
  let best = -1;
  let bestD = Infinity;
  for (let i = 0; i + 3 < gt.length; i += 4) {
    const d = ((gt[i] + gt[i + 2]) / 2 - cx) ** 2 + ((gt[i + 1] + gt[i + 3]) / 2 - cy) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i / 4;
    }
  }
  return best;
}

/**
 * The template a to inspect at a cell. Rule: among the A anchors of the cell, the one with the highest IoU to
 * the ground-truth box whose centre is nearest to the cell centre (ties: the lower a); with no ground truth,
 * or when no anchor of the cell overlaps that box at all, the middle template a = ⌊A/2⌋ (with the default
 * 3 ratios × 3 scales: ratio 1, scale 2^(1/3)).
 */
export function templateAt(layout: AnchorLayout, cell: GridCell, gt: ArrayLike<number>): number {
  const A = layout.anchorsPerLocation;
  const mid = Math.floor(A / 2);
  const lv = layout.levels[cell.level];
  if (!lv) return mid;
  const g = nearestBox(gt, (cell.x + 0.5) * lv.stride, (cell.y + 0.5) * lv.stride);
  if (g < 0) return mid;
  const box = [gt[4 * g], gt[4 * g + 1], gt[4 * g + 2], gt[4 * g + 3]];
  let best = mid;
  let bestIou = 0;
  for (let a = 0; a < A; a++) {
    const k = anchorIndexAt(layout, cell.level, cell.y, cell.x, a);
    const v = iou(layout.boxes.subarray(4 * k, 4 * k + 4), box);
    if (v > bestIou) {
      bestIou = v;
      best = a;
    }
  }
  return best;
}

/** The anchor index a selection at `cell` means (see `templateAt`), or −1 for a cell off the grid. */
export function chooseAnchor(layout: AnchorLayout, cell: GridCell, gt: ArrayLike<number>): number {
  return anchorIndexAt(layout, cell.level, cell.y, cell.x, templateAt(layout, cell, gt));
}

/**
 * The focus cell after a key press: arrows move one cell (clamped at the edges), Home/End jump to the first /
 * last column, PageUp/PageDown to the first / last row. Returns null for keys that do not move the cell.
 */
export function moveCell(layout: AnchorLayout, cell: GridCell, key: string): GridCell | null {
  const lv = layout.levels[cell.level];
  if (!lv) return null;
  const c = (v: number, n: number) => Math.max(0, Math.min(n - 1, v));
  switch (key) {
    case 'ArrowLeft':
      return { ...cell, x: c(cell.x - 1, lv.width) };
    case 'ArrowRight':
      return { ...cell, x: c(cell.x + 1, lv.width) };
    case 'ArrowUp':
      return { ...cell, y: c(cell.y - 1, lv.height) };
    case 'ArrowDown':
      return { ...cell, y: c(cell.y + 1, lv.height) };
    case 'Home':
      return { ...cell, x: 0 };
    case 'End':
      return { ...cell, x: lv.width - 1 };
    case 'PageUp':
      return { ...cell, y: 0 };
    case 'PageDown':
      return { ...cell, y: lv.height - 1 };
    default:
      return null;
  }
}

/** The cell of `level` that contains the centre of `cell` (keeps the focus in place when the level changes). */
export function cellOnLevel(layout: AnchorLayout, cell: GridCell, level: number): GridCell | null {
  const from = layout.levels[cell.level];
  if (!from) return null;
  return locationAt(layout, level, (cell.x + 0.5) * from.stride, (cell.y + 0.5) * from.stride);
}

/** The middle cell of a level (where keyboard focus starts). */
export function centreCell(layout: AnchorLayout, level: number): GridCell | null {
  const lv = layout.levels[level];
  if (!lv) return null;
  return { level, y: Math.floor((lv.height - 1) / 2), x: Math.floor((lv.width - 1) / 2) };
}

/**
 * Per-cell maximum score of one level from a `levelScores` entry: 'max' mode arrays ([H·W]) pass through, 'full'
 * arrays ([H·W·A·K], order y, x, a, k) are reduced over the A·K scores of each cell. Null for any other length.
 */
export function cellMaxScores(
  layout: AnchorLayout,
  level: number,
  scores: Float32Array | undefined,
): Float32Array | null {
  const lv = layout.levels[level];
  if (!lv || !scores) return null;
  const cells = lv.height * lv.width;
  if (scores.length === cells) return scores;
  const per = layout.anchorsPerLocation * layout.numClasses;
  if (scores.length !== cells * per) return null;
  const out = new Float32Array(cells);
  for (let c = 0; c < cells; c++) {
    let m = 0;
    for (let e = c * per; e < (c + 1) * per; e++) if (scores[e] > m) m = scores[e];
    out[c] = m;
  }
  return out;
}
