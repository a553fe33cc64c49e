/**
 * Anchor generation for the toy RetinaNet (paper §4 "Anchors"; torchvision `AnchorGenerator`).
 *
 * The paper places anchors of areas 32²…512² on pyramid levels P3–P7 (strides 8…128), with
 * A = 9 anchors per location: 3 scales {2^0, 2^(1/3), 2^(2/3)} × 3 aspect ratios {1:2, 1:1, 2:1}.
 * Focal Lab trains on 64×64 images, so the defaults shrink the pyramid to three levels with strides
 * 4, 8, 16 and base sizes 8, 16, 32 px, i.e. base size = 2 × stride (the paper's is 4 × stride: 32 px on
 * P3 at stride 8), so the smallest anchor is 8 px and the largest 32·2^(2/3) ≈ 50.8 px on a 64-px image.
 */

/** Options for `generateAnchors`. All lengths in pixels. */
export interface AnchorOptions {
  /** Image size: a number for a square image, or `{ width, height }`. */
  imageSize: number | { width: number; height: number };
  /** Stride of each pyramid level (feature-map cell size in px). Default [4, 8, 16]. */
  strides?: number[];
  /** Anchor side length at scale 1 for each level (same length as `strides`). Default [8, 16, 32]. */
  baseSizes?: number[];
  /** Scale multipliers of the base size. Default [2^0, 2^(1/3), 2^(2/3)] (paper §4). */
  scales?: number[];
  /** Aspect ratios r = h / w (torchvision's convention: r = 0.5 is a wide box). Default [0.5, 1, 2]. */
  aspectRatios?: number[];
}

/** One pyramid level of the anchor set. */
export interface AnchorLevel {
  /** Stride in px. */
  stride: number;
  /** Base anchor size in px (before `scales`). */
  baseSize: number;
  /** Feature-map size [H, W] = [ceil(height / stride), ceil(width / stride)]. */
  size: [number, number];
  /** Number of anchors on this level, H·W·A. */
  count: number;
  /** Index of this level's first anchor in the concatenated set. */
  offset: number;
}

/** The anchor set of one image size. */
export interface AnchorSet {
  /** Float32Array [numAnchors·4], row-major boxes [x1, y1, x2, y2] px. */
  boxes: Float32Array;
  /** Total number of anchors, Σ_levels H·W·A. */
  numAnchors: number;
  /** Per-level layout, in level order. */
  perLevel: AnchorLevel[];
  /** A = scales.length × aspectRatios.length. */
  anchorsPerLocation: number;
  /**
   * The A anchor shapes of a location, in anchor-index order (a = r·S + s): anchor a on a level has
   * size b = baseSize·scale and w = b/√aspectRatio, h = b·√aspectRatio. Lets a UI label anchor a.
   */
  templates: { scale: number; aspectRatio: number }[];
}

export const DEFAULT_STRIDES = [4, 8, 16];
export const DEFAULT_BASE_SIZES = [8, 16, 32];
export const DEFAULT_SCALES = [2 ** 0, 2 ** (1 / 3), 2 ** (2 / 3)];
export const DEFAULT_ASPECT_RATIOS = [0.5, 1, 2];

/**
 * Generates the anchors of every pyramid level for one image size.
 *
 * **Order** (must match the detection head's output layout): level-major (in `strides` order), then
 * feature-map row y, then column x, then anchor index a. That is exactly what a conv head output
 * [B, H, W, A·K] reshaped to [B, H·W·A, K] and concatenated over levels gives (NHWC, channel c = a·K + k).
 * Within a location the anchor index is **ratio-major, scale-minor**: a = r·S + s for ratio index r and
 * scale index s, as torchvision `AnchorGenerator.generate_anchors` (`w_ratios[:, None] * scales[None, :]`).
 *
 * **Shape**: for size b = baseSize·scale and ratio r = h/w, the area b² is preserved:
 * w = b / √r, h = b·√r (torchvision; unlike torchvision the template corners are not rounded to integers,
 * which would distort the 8-px anchors here by up to 6 %).
 *
 * **Centres**: anchor (x, y) on a level with stride s is centred at ((x + 0.5)·s, (y + 0.5)·s), the centre
 * of its feature-map cell. torchvision centres at (x·s, y·s), the cell's top-left corner; on a 64×64 image
 * with s = 16 that gives centres 0, 16, 32, 48 — touching the left/top edge but stopping 16 px short of the
 * right/bottom, so objects near the right/bottom edge get systematically worse anchors. Cell centres
 * (8, 24, 40, 56) are symmetric about the image centre (mean 32) on every level, which matters for a toy
 * dataset whose objects are uniformly placed.
 *
 * Feature-map size per level is ceil(side / stride), what a chain of stride-2 'same'-padded convs yields.
 * For 64×64 with the defaults: 16²·9 + 8²·9 + 4²·9 = 3,024 anchors.
 *
 * @throws if `strides` and `baseSizes` differ in length, or any size is not positive.
 */
export function generateAnchors(opts: AnchorOptions): AnchorSet {
  const width = typeof opts.imageSize === 'number' ? opts.imageSize : opts.imageSize.width;
  const height = typeof opts.imageSize === 'number' ? opts.imageSize : opts.imageSize.height;
  const strides = opts.strides ?? DEFAULT_STRIDES;
  const baseSizes = opts.baseSizes ?? DEFAULT_BASE_SIZES;
  const scales = opts.scales ?? DEFAULT_SCALES;
  const ratios = opts.aspectRatios ?? DEFAULT_ASPECT_RATIOS;
  if (strides.length !== baseSizes.length) {
    throw new Error(`generateAnchors: ${strides.length} strides but ${baseSizes.length} baseSizes`);
  }
  const positive = (xs: number[], what: string) => {
    for (const x of xs)
      if (!(x > 0) || !Number.isFinite(x)) throw new Error(`generateAnchors: bad ${what} ${x}`);
  };
  positive([width, height], 'image size');
  positive(strides, 'stride');
  positive(baseSizes, 'base size');
  positive(scales, 'scale');
  positive(ratios, 'aspect ratio');
  if (scales.length === 0 || ratios.length === 0) throw new Error('generateAnchors: need ≥1 scale and ratio');

  const A = scales.length * ratios.length;
  const templates: { scale: number; aspectRatio: number }[] = [];
  for (const r of ratios) for (const s of scales) templates.push({ scale: s, aspectRatio: r });

  const perLevel: AnchorLevel[] = [];
  let total = 0;
  for (let l = 0; l < strides.length; l++) {
    const H = Math.ceil(height / strides[l]);
    const W = Math.ceil(width / strides[l]);
    perLevel.push({
      stride: strides[l],
      baseSize: baseSizes[l],
      size: [H, W],
      count: H * W * A,
      offset: total,
    });
    total += H * W * A;
  }

  const boxes = new Float32Array(total * 4);
  for (const level of perLevel) {
    const { stride, baseSize } = level;
    const [H, W] = level.size;
    // Half extents of the A templates for this level, in anchor-index order.
    const hw = new Float64Array(A);
    const hh = new Float64Array(A);
    templates.forEach(({ scale, aspectRatio }, a) => {
      const b = baseSize * scale;
      const sr = Math.sqrt(aspectRatio);
      hw[a] = b / sr / 2;
      hh[a] = (b * sr) / 2;
    });
    let k = level.offset * 4;
    for (let y = 0; y < H; y++) {
      const cy = (y + 0.5) * stride;
      for (let x = 0; x < W; x++) {
        const cx = (x + 0.5) * stride;
        for (let a = 0; a < A; a++) {
          boxes[k++] = cx - hw[a];
          boxes[k++] = cy - hh[a];
          boxes[k++] = cx + hw[a];
          boxes[k++] = cy + hh[a];
        }
      }
    }
  }
  return { boxes, numAnchors: total, perLevel, anchorsPerLocation: A, templates };
}

/**
 * Index of anchor a at feature-map cell (y, x) of one level, in the order of `generateAnchors`:
 * index = offset + (y·W + x)·A + a for a level of H × W cells (`size` [H, W]) whose first anchor is `offset`.
 * The inverse of {@link anchorLocation}. Returns −1 when y ∉ [0, H), x ∉ [0, W) or a ∉ [0, A), or any of them
 * is not an integer, so a caller can pass a clicked or keyed cell without checking it first.
 */
export function anchorIndex(
  level: { offset: number; size: readonly [number, number] },
  A: number,
  y: number,
  x: number,
  a: number,
): number {
  const [H, W] = level.size;
  const inRange = (v: number, n: number) => Number.isInteger(v) && v >= 0 && v < n;
  if (!inRange(y, H) || !inRange(x, W) || !inRange(a, A)) return -1;
  return level.offset + (y * W + x) * A + a;
}

/**
 * The anchor indices of one level, in index order, keeping only templates a with `keep(a)` (all by default).
 * @returns indices offset … offset + count − 1 whose a = (n − offset) mod A passes.
 */
export function anchorsOfLevel(
  level: Pick<AnchorLevel, 'offset' | 'count'>,
  A: number,
  keep: (a: number) => boolean = () => true,
): number[] {
  const out: number[] = [];
  for (let n = level.offset; n < level.offset + level.count; n++)
    if (keep((n - level.offset) % A)) out.push(n);
  return out;
}

/**
 * Where anchor `index` lives: its level, feature-map cell (y, x) and anchor index a within the cell
 * (inverse of {@link anchorIndex}). Useful for drawing a head's output.
 */
export function anchorLocation(
  set: AnchorSet,
  index: number,
): { level: number; y: number; x: number; a: number } {
  if (!(index >= 0 && index < set.numAnchors)) throw new Error(`anchor index ${index} out of range`);
  const A = set.anchorsPerLocation;
  for (let l = 0; l < set.perLevel.length; l++) {
    const lv = set.perLevel[l];
    if (index < lv.offset + lv.count) {
      const local = index - lv.offset;
      const cell = Math.floor(local / A);
      return { level: l, y: Math.floor(cell / lv.size[1]), x: cell % lv.size[1], a: local % A };
    }
  }
  throw new Error('unreachable');
}
