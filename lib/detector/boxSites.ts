/**
 * Where a training step needs the box subnet: the feature-map cells of the foreground anchors, with the window of
 * the pyramid each cell's output depends on. Pure and tfjs-free; ./model.ts `forwardTrain` runs the box subnet
 * on these windows only.
 *
 * Why: the box loss reads the box deltas of the F foreground anchors only (paper §4 "Training": smooth L1 "only
 * for positive anchors"; ./train.ts), yet the dense box subnet runs on every cell of every level. In the
 * playground's default design (one object per image, 21 anchors per cell) a 64×64 image has ≈ 3 cells with a
 * foreground anchor out of 336, and the box subnet was 40 % of the forward's multiply-adds (14.3 of 35.4 M per
 * image; `npm run bench:train` prints them, from ./macs.ts).
 *
 * The subnet is `depth` 3×3 'same' convs + ReLU and a 3×3 'same' output conv, so the output at cell (y, x)
 * depends on the k × k window of the level centred there, k = 2·(depth + 1) + 1. Running the same convs
 * 'valid' on that window gives the same numbers, provided every intermediate value that lies outside the
 * feature map is 0 (the dense conv's zero padding): the window reads a zero row there, and `masks[i]` zeroes the
 * outputs of inner conv i that fall outside the map.
 */
import type { AnchorSet } from './anchors';

/** The cells a step's box loss reads, and how to cut their windows from the flattened pyramid. */
export interface BoxSites {
  /** Images in the batch, B. */
  batch: number;
  /** Feature-map size [H, W] of each level, in level order. */
  levelSizes: [number, number][];
  /** Anchors per cell, A. */
  anchorsPerCell: number;
  /** Inner convs of the box subnet (the model's headDepth). */
  depth: number;
  /** Distinct cells (image, level, y, x) holding a foreground anchor, U. */
  cells: number;
  /** Window side k = 2·(depth + 1) + 1. */
  window: number;
  /**
   * Int32Array [U·k·k]: for each cell, its window in row-major order, as rows of the flattened pyramid: the
   * levels' [B·H_l·W_l, C] matrices stacked in level order, then one zero row (index `zeroRow`) for every
   * position outside the map.
   */
  rows: Int32Array;
  /** Index of the zero row: Σ_l B·H_l·W_l. */
  zeroRow: number;
  /** Per inner conv i: Float32Array [U·s·s], s = k − 2(i + 1): 1 where that output lies on the map, else 0. */
  masks: Float32Array[];
  /** Int32Array [F]: row u·A + a of each foreground anchor (in `fgIndex` order) in the subnet's [U·A, 4] output. */
  fgRows: Int32Array;
}

/**
 * The box sites of a batch's foreground anchors `fgIndex` (flat indices b·N + n, ./batchTargets), for a box
 * subnet with `depth` inner convs on the pyramid of `anchors`.
 */
export function boxSites(anchors: AnchorSet, fgIndex: Int32Array, batch: number, depth: number): BoxSites {
  if (!(Number.isInteger(depth) && depth >= 0)) throw new RangeError(`boxSites: bad depth ${depth}`);
  const N = anchors.numAnchors;
  const A = anchors.anchorsPerLocation;
  const levels = anchors.perLevel;
  const levelSizes = levels.map((l) => [l.size[0], l.size[1]] as [number, number]);
  // First row of each level in the flattened pyramid.
  const rowOffset: number[] = [];
  let zeroRow = 0;
  for (const [H, W] of levelSizes) {
    rowOffset.push(zeroRow);
    zeroRow += batch * H * W;
  }
  const k = 2 * (depth + 1) + 1;
  const r = depth + 1;

  // Distinct cells, keyed by their own row in the flattened pyramid, in first-seen order.
  const cellOfRow = new Map<number, number>();
  const cellLevel: number[] = [];
  const cellB: number[] = [];
  const cellY: number[] = [];
  const cellX: number[] = [];
  const fgRows = new Int32Array(fgIndex.length);
  for (let f = 0; f < fgIndex.length; f++) {
    const i = fgIndex[f];
    if (!(Number.isInteger(i) && i >= 0 && i < batch * N))
      throw new RangeError(`boxSites: foreground index ${i} outside 0 … ${batch * N - 1}`);
    const b = Math.floor(i / N);
    const n = i - b * N;
    let l = 0;
    while (n >= levels[l].offset + levels[l].count) l++;
    const local = n - levels[l].offset;
    const cell = Math.floor(local / A);
    const a = local - cell * A;
    const [H, W] = levelSizes[l];
    const y = Math.floor(cell / W);
    const x = cell - y * W;
    const row = rowOffset[l] + (b * H + y) * W + x;
    let u = cellOfRow.get(row);
    if (u === undefined) {
      u = cellLevel.length;
      cellOfRow.set(row, u);
      cellLevel.push(l);
      cellB.push(b);
      cellY.push(y);
      cellX.push(x);
    }
    fgRows[f] = u * A + a;
  }

  const U = cellLevel.length;
  const rows = new Int32Array(U * k * k);
  const masks: Float32Array[] = [];
  for (let i = 0; i < depth; i++) masks.push(new Float32Array(U * (k - 2 * (i + 1)) ** 2));
  for (let u = 0; u < U; u++) {
    const l = cellLevel[u];
    const [H, W] = levelSizes[l];
    const base = rowOffset[l] + cellB[u] * H * W;
    for (let dy = 0; dy < k; dy++) {
      const yy = cellY[u] + dy - r;
      for (let dx = 0; dx < k; dx++) {
        const xx = cellX[u] + dx - r;
        const inside = yy >= 0 && yy < H && xx >= 0 && xx < W;
        rows[(u * k + dy) * k + dx] = inside ? base + yy * W + xx : zeroRow;
      }
    }
    masks.forEach((m, i) => {
      const s = k - 2 * (i + 1);
      const c = (s - 1) / 2;
      for (let dy = 0; dy < s; dy++) {
        const yy = cellY[u] + dy - c;
        for (let dx = 0; dx < s; dx++) {
          const xx = cellX[u] + dx - c;
          m[(u * s + dy) * s + dx] = yy >= 0 && yy < H && xx >= 0 && xx < W ? 1 : 0;
        }
      }
    });
  }
  return { batch, levelSizes, anchorsPerCell: A, depth, cells: U, window: k, rows, zeroRow, masks, fgRows };
}
