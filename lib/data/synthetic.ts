/**
 * A synthetic, seeded detection dataset: small RGB images with one (or a few) filled shapes of K = 3 classes on a
 * smooth coloured background, plus hard negatives (distractor shapes that are *not* objects) and clutter lines.
 *
 * Why synthetic: the explainer trains a toy RetinaNet in the browser in minutes, so the data must be tiny, infinite,
 * reproducible from a seed and still exhibit the paper's core difficulty — almost every anchor is an easy
 * background, and a few background regions (the distractors) look a lot like objects.
 *
 * Image i of a dataset depends only on (datasetSeed, split, i): images can be generated in any order, in a worker or
 * in Node, and are bit-identical everywhere (only IEEE-exact arithmetic, see lib/data/rng.ts). The 'eval' split
 * is a disjoint stream from 'train' for the same dataset seed.
 *
 * Units and layout: pixels; image = Float32Array, HWC (row-major, channel fastest), RGB values in [0, 1];
 * boxes = Float32Array of n×4 (x1, y1, x2, y2) in pixel-edge coordinates (pixel (col, row) spans [col, col+1) ×
 * [row, row+1)), the tight box of the pixels the shape covers; labels = Int32Array of n class ids in [0, K).
 *
 * Rasterisation: a pixel belongs to a shape iff its centre (col + ½, row + ½) is inside it — no anti-aliasing,
 * so boxes are integers and the mask is exact.
 */
import { iou } from '../detector/iou';
import { createRng, deriveSeed, type Rng, type Seed } from './rng';

/** Class names, indexed by label. */
export const CLASS_NAMES = ['rectangle', 'ellipse', 'triangle'] as const;
/** K, the number of object classes. */
export const NUM_CLASSES = CLASS_NAMES.length;
export type ClassName = (typeof CLASS_NAMES)[number];

/** Kinds of hard-negative distractors. */
export const DISTRACTOR_KINDS = ['outline', 'cut', 'diamond', 'cross'] as const;
export type DistractorKind = (typeof DISTRACTOR_KINDS)[number];

/** Dataset splits; each is an independent stream of images for the same dataset seed. */
export type Split = 'train' | 'eval';

/** Generator knobs. Ranges are inclusive [min, max]. */
export interface DataOptions {
  /** Image side in pixels (square images). */
  imageSize: number;
  /** Number of objects per image, [min, max]; with max > 1, objects overlap by IoU ≤ maxObjectIoU. */
  objectsPerImage: [number, number];
  /** Number of hard-negative distractors per image, [min, max]. */
  distractors: [number, number];
  /** Number of thin clutter line segments per image, [min, max]. */
  clutterLines: [number, number];
  /** Std of the i.i.d. Gaussian pixel noise added to every channel (intensity units, image range [0, 1]). */
  noise: number;
  /** Peak-to-peak amplitude of the smooth background variation per channel (intensity units). */
  backgroundContrast: number;
  /** Object size √(w·h) in pixels, drawn log-uniformly from [min, max]. */
  sizeRange: [number, number];
  /** Largest aspect ratio max(w/h, h/w) of objects and distractors (log-uniform in [1/a, a]). */
  maxAspect: number;
  /** Minimum RGB Euclidean distance between a shape's colour and the mean colour beneath it (max √3). */
  minColorDistance: number;
  /** Largest IoU allowed between two objects of the same image. */
  maxObjectIoU: number;
}

/** Defaults: 64×64 px, 1 object, 1–3 distractors, 0–2 lines, sizes 8–28 px. */
export const DATA_DEFAULTS: Readonly<DataOptions> = Object.freeze({
  imageSize: 64,
  objectsPerImage: [1, 1],
  distractors: [1, 3],
  clutterLines: [0, 2],
  noise: 0.03,
  backgroundContrast: 0.35,
  sizeRange: [8, 28],
  maxAspect: 1.6,
  minColorDistance: 0.35,
  maxObjectIoU: 0.15,
}) as Readonly<DataOptions>;

/** One generated image with its annotations. */
export interface Sample {
  /** [height, width, 3] HWC RGB in [0, 1]. */
  image: Float32Array;
  width: number;
  height: number;
  /** n×4 (x1, y1, x2, y2), pixels, tight boxes of the drawn objects. */
  boxes: Float32Array;
  /** n class ids in [0, K). */
  labels: Int32Array;
  /** m×4 tight boxes of the distractors (not objects; for figures and hard-negative analysis). */
  distractorBoxes: Float32Array;
  /** m distractor kinds, aligned with distractorBoxes. */
  distractorKinds: DistractorKind[];
}

/** A batch of samples stacked for a model. */
export interface Batch {
  /** [B, H, W, 3] float32, row-major, the images one after the other. */
  images: Float32Array;
  shape: [number, number, number, 3];
  /** Per-image n×4 boxes (pixels) and labels. */
  boxes: Float32Array[];
  labels: Int32Array[];
}

type Box = [number, number, number, number];

/** A region with a conservative continuous bounding box and a point-membership test at pixel centres. */
interface Region {
  bounds: Box;
  inside(px: number, py: number): boolean;
}

/** Convex polygon (vertices in order) → signed distances to its edge lines (positive inside). */
function convexPolygon(vertices: [number, number][]): {
  bounds: Box;
  dist(px: number, py: number): number;
} {
  // Orientation-independent: flip edge normals so the centroid is inside.
  let cx = 0;
  let cy = 0;
  for (const [x, y] of vertices) {
    cx += x / vertices.length;
    cy += y / vertices.length;
  }
  const edges = vertices.map(([x0, y0], i) => {
    const [x1, y1] = vertices[(i + 1) % vertices.length];
    const len = Math.sqrt((x1 - x0) ** 2 + (y1 - y0) ** 2);
    let nx = -(y1 - y0) / len;
    let ny = (x1 - x0) / len;
    if (nx * (cx - x0) + ny * (cy - y0) < 0) {
      nx = -nx;
      ny = -ny;
    }
    return { x0, y0, nx, ny };
  });
  const xs = vertices.map((v) => v[0]);
  const ys = vertices.map((v) => v[1]);
  return {
    bounds: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
    dist(px, py) {
      let d = Infinity;
      for (const e of edges) d = Math.min(d, e.nx * (px - e.x0) + e.ny * (py - e.y0));
      return d;
    },
  };
}

/** The polygon of a class shape (rectangle, upward triangle) or a diamond inside box b. */
function polygonFor(kind: 'rectangle' | 'triangle' | 'diamond', b: Box): [number, number][] {
  const [x0, y0, x1, y1] = b;
  const mx = (x0 + x1) / 2;
  const my = (y0 + y1) / 2;
  if (kind === 'rectangle') {
    return [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
    ];
  }
  if (kind === 'triangle') {
    return [
      [mx, y0],
      [x1, y1],
      [x0, y1],
    ];
  }
  return [
    [mx, y0],
    [x1, my],
    [mx, y1],
    [x0, my],
  ];
}

/** Filled class shape inside box b. Ellipse: ((x−cx)/rx)² + ((y−cy)/ry)² ≤ 1. */
function classShape(label: number, b: Box): Region {
  if (CLASS_NAMES[label] === 'ellipse') {
    const [x0, y0, x1, y1] = b;
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    const rx = (x1 - x0) / 2;
    const ry = (y1 - y0) / 2;
    return {
      bounds: b,
      inside: (px, py) => ((px - cx) / rx) ** 2 + ((py - cy) / ry) ** 2 <= 1,
    };
  }
  const poly = convexPolygon(polygonFor(CLASS_NAMES[label] as 'rectangle' | 'triangle', b));
  return { bounds: poly.bounds, inside: (px, py) => poly.dist(px, py) >= 0 };
}

/**
 * Unfilled class shape (stroke of width s px along the inside of the boundary): the hard negative for "filled".
 * Polygons: 0 ≤ distance to boundary < s. Ellipse: inside the ellipse but outside the one with radii shrunk by s.
 */
function outlineShape(label: number, b: Box, s: number): Region {
  if (CLASS_NAMES[label] === 'ellipse') {
    const [x0, y0, x1, y1] = b;
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    const rx = (x1 - x0) / 2;
    const ry = (y1 - y0) / 2;
    const irx = Math.max(rx - s, 0.01);
    const iry = Math.max(ry - s, 0.01);
    return {
      bounds: b,
      inside: (px, py) =>
        ((px - cx) / rx) ** 2 + ((py - cy) / ry) ** 2 <= 1 &&
        ((px - cx) / irx) ** 2 + ((py - cy) / iry) ** 2 > 1,
    };
  }
  const poly = convexPolygon(polygonFor(CLASS_NAMES[label] as 'rectangle' | 'triangle', b));
  return {
    bounds: poly.bounds,
    inside: (px, py) => {
      const d = poly.dist(px, py);
      return d >= 0 && d < s;
    },
  };
}

/** A class shape with the part on one side of a line removed (a "broken" object): half-plane n·(p − p0) ≥ 0. */
function cutShape(label: number, b: Box, rng: Rng): Region {
  const base = classShape(label, b);
  const [x0, y0, x1, y1] = b;
  // A uniformly random direction n by rejection sampling in the unit disc (no trig, see rng.ts). For rectangles
  // keep the cut ≥ 20° away from the axes (|n_x|, |n_y| ≥ sin 20° ≈ 0.342), or the remainder would itself be a
  // (smaller) rectangle, i.e. a true object.
  let nx = 0;
  let ny = 0;
  for (;;) {
    const u = rng.uniform(-1, 1);
    const v = rng.uniform(-1, 1);
    const r2 = u * u + v * v;
    if (r2 < 1e-4 || r2 > 1) continue;
    const r = Math.sqrt(r2);
    nx = u / r;
    ny = v / r;
    if (CLASS_NAMES[label] !== 'rectangle' || (Math.abs(nx) >= 0.342 && Math.abs(ny) >= 0.342)) break;
  }
  const px0 = (x0 + x1) / 2 + rng.uniform(-0.15, 0.15) * (x1 - x0);
  const py0 = (y0 + y1) / 2 + rng.uniform(-0.15, 0.15) * (y1 - y0);
  return {
    bounds: b,
    inside: (px, py) => base.inside(px, py) && nx * (px - px0) + ny * (py - py0) >= 0,
  };
}

/** Plus-sign cross inside box b with arm half-thickness `arm` (fraction of the half-size). */
function crossShape(b: Box, arm: number): Region {
  const [x0, y0, x1, y1] = b;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const rx = (x1 - x0) / 2;
  const ry = (y1 - y0) / 2;
  return {
    bounds: b,
    inside: (px, py) => {
      const u = Math.abs(px - cx) / rx;
      const v = Math.abs(py - cy) / ry;
      return (u <= 1 && v <= arm) || (v <= 1 && u <= arm);
    },
  };
}

/** Line segment (x0,y0)–(x1,y1) of the given thickness: distance from the pixel centre ≤ thickness/2. */
function segmentShape(x0: number, y0: number, x1: number, y1: number, thickness: number): Region {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  const r = thickness / 2;
  return {
    bounds: [Math.min(x0, x1) - r, Math.min(y0, y1) - r, Math.max(x0, x1) + r, Math.max(y0, y1) + r],
    inside: (px, py) => {
      const t = Math.min(1, Math.max(0, ((px - x0) * dx + (py - y0) * dy) / len2));
      const ex = px - (x0 + t * dx);
      const ey = py - (y0 + t * dy);
      return ex * ex + ey * ey <= r * r;
    },
  };
}

class Canvas {
  readonly data: Float32Array;
  constructor(readonly size: number) {
    this.data = new Float32Array(size * size * 3);
  }

  /** Pixel index range [lo, hi) covering the continuous interval [a, b] (clipped to the image). */
  private span(a: number, b: number): [number, number] {
    return [Math.max(0, Math.floor(a)), Math.min(this.size, Math.ceil(b) + 1)];
  }

  /** Mean colour of the pixels inside `region` (or of its bounds when it covers none). */
  meanUnder(region: Region): [number, number, number] {
    const [cx0, cx1] = this.span(region.bounds[0], region.bounds[2]);
    const [cy0, cy1] = this.span(region.bounds[1], region.bounds[3]);
    const sum = [0, 0, 0];
    let n = 0;
    for (let y = cy0; y < cy1; y++) {
      for (let x = cx0; x < cx1; x++) {
        if (!region.inside(x + 0.5, y + 0.5)) continue;
        const o = (y * this.size + x) * 3;
        sum[0] += this.data[o];
        sum[1] += this.data[o + 1];
        sum[2] += this.data[o + 2];
        n++;
      }
    }
    n = Math.max(n, 1);
    return [sum[0] / n, sum[1] / n, sum[2] / n];
  }

  /** Paint `region` with a flat colour; returns the tight pixel-edge box of what was painted, or null. */
  fill(region: Region, color: [number, number, number]): Box | null {
    const [cx0, cx1] = this.span(region.bounds[0], region.bounds[2]);
    const [cy0, cy1] = this.span(region.bounds[1], region.bounds[3]);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let y = cy0; y < cy1; y++) {
      for (let x = cx0; x < cx1; x++) {
        if (!region.inside(x + 0.5, y + 0.5)) continue;
        const o = (y * this.size + x) * 3;
        this.data[o] = color[0];
        this.data[o + 1] = color[1];
        this.data[o + 2] = color[2];
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
    return minX === Infinity ? null : [minX, minY, maxX + 1, maxY + 1];
  }
}

/** Whether boxes a and b, each grown by `margin` px, intersect. */
function intersects(a: Box, b: Box, margin: number): boolean {
  return (
    Math.min(a[2], b[2]) + margin > Math.max(a[0], b[0]) - margin &&
    Math.min(a[3], b[3]) + margin > Math.max(a[1], b[1]) - margin
  );
}

function colorDistance(a: [number, number, number], b: [number, number, number]): number {
  return Math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2);
}

/** A random colour at least `minDist` from `under` (best of up to 30 tries). */
function contrastingColor(
  rng: Rng,
  under: [number, number, number],
  minDist: number,
): [number, number, number] {
  let best: [number, number, number] = [rng.float(), rng.float(), rng.float()];
  let bestD = colorDistance(best, under);
  for (let i = 0; i < 30 && bestD < minDist; i++) {
    const c: [number, number, number] = [rng.float(), rng.float(), rng.float()];
    const d = colorDistance(c, under);
    if (d > bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** A random box of size √(w·h) ∈ sizeRange (log-uniform) and aspect ∈ [1/a, a], fully inside the image. */
function randomBox(rng: Rng, o: DataOptions): Box {
  const s = rng.logUniform(o.sizeRange[0], o.sizeRange[1]);
  const r = Math.sqrt(rng.logUniform(1 / o.maxAspect, o.maxAspect)); // √aspect
  const w = Math.min(s * r, o.imageSize);
  const h = Math.min(s / r, o.imageSize);
  const x0 = rng.uniform(0, o.imageSize - w);
  const y0 = rng.uniform(0, o.imageSize - h);
  return [x0, y0, x0 + w, y0 + h];
}

/** Smooth background: per channel, a 5×5 grid of uniform values bilinearly upsampled, around a random base colour. */
function paintBackground(canvas: Canvas, rng: Rng, o: DataOptions): void {
  const G = 5;
  const n = canvas.size;
  // All random draws first, in the original order (per channel: base, then the G×G grid); the pixel loop draws
  // nothing, so the stream is unchanged.
  const base = new Float64Array(3);
  const grid = new Float64Array(3 * G * G);
  for (let c = 0; c < 3; c++) {
    base[c] = rng.uniform(0.2, 0.8);
    for (let i = 0; i < G * G; i++) grid[c * G * G + i] = rng.uniform(-0.5, 0.5) * o.backgroundContrast;
  }
  // The interpolation position of a pixel centre depends on x (or y) only: tabulate it once instead of per pixel
  // and channel. Same expressions, evaluated in the same order, so every pixel value is bit-identical.
  const cell = new Int32Array(n);
  const frac = new Float64Array(n);
  const rest = new Float64Array(n);
  for (let x = 0; x < n; x++) {
    const g = ((x + 0.5) / n) * (G - 1);
    cell[x] = Math.min(Math.floor(g), G - 2);
    frac[x] = g - cell[x];
    rest[x] = 1 - frac[x];
  }
  const data = canvas.data;
  for (let y = 0; y < n; y++) {
    const iy = cell[y];
    const fy = frac[y];
    const ry = rest[y];
    for (let x = 0; x < n; x++) {
      const ix = cell[x];
      const fx = frac[x];
      const rx = rest[x];
      const o = (y * n + x) * 3;
      for (let c = 0; c < 3; c++) {
        const g0 = c * G * G + iy * G + ix;
        const v =
          grid[g0] * rx * ry + grid[g0 + 1] * fx * ry + grid[g0 + G] * rx * fy + grid[g0 + G + 1] * fx * fy;
        data[o + c] = base[c] + v;
      }
    }
  }
}

/** Merge user options over {@link DATA_DEFAULTS} and validate them. */
export function resolveOptions(opts: Partial<DataOptions> = {}): DataOptions {
  const o: DataOptions = { ...DATA_DEFAULTS, ...opts } as DataOptions;
  const ranges: (keyof DataOptions)[] = ['objectsPerImage', 'distractors', 'clutterLines', 'sizeRange'];
  for (const k of ranges) {
    const [a, b] = o[k] as [number, number];
    if (!(a >= 0 && b >= a)) throw new Error(`DataOptions.${k}: need 0 ≤ min ≤ max, got [${a}, ${b}]`);
  }
  if (!(o.imageSize >= 8 && Number.isInteger(o.imageSize)))
    throw new Error('DataOptions.imageSize: integer ≥ 8');
  if (o.sizeRange[0] <= 0 || o.sizeRange[1] > o.imageSize) {
    throw new Error(`DataOptions.sizeRange must lie in (0, imageSize], got [${o.sizeRange}]`);
  }
  if (!(o.maxAspect >= 1)) throw new Error('DataOptions.maxAspect must be ≥ 1');
  return o;
}

/**
 * Draw one image from `rng` (consumes it). Order: background → clutter lines → distractors → objects → noise,
 * so objects are never occluded by non-objects. Objects pairwise IoU ≤ maxObjectIoU; distractors keep ≥ 1 px
 * away from every object box and overlap each other by IoU ≤ 0.1. A placement that fails these in 50 tries is
 * skipped (so with crowded settings an image can have fewer objects/distractors than drawn; the first object is
 * always placed).
 */
export function renderSample(rng: Rng, opts: Partial<DataOptions> = {}): Sample {
  const o = resolveOptions(opts);
  const n = o.imageSize;
  const canvas = new Canvas(n);
  paintBackground(canvas, rng, o);

  // Layout first (so distractors can avoid objects), drawing after.
  const nObjects = rng.int(o.objectsPerImage[0], o.objectsPerImage[1]);
  const objectBoxes: Box[] = [];
  const objectLabels: number[] = [];
  for (let k = 0; k < nObjects; k++) {
    const label = rng.int(0, NUM_CLASSES - 1);
    for (let tries = 0; tries < 50; tries++) {
      const b = randomBox(rng, o);
      if (objectBoxes.every((q) => iou(q, b) <= o.maxObjectIoU)) {
        objectBoxes.push(b);
        objectLabels.push(label);
        break;
      }
    }
  }

  const nLines = rng.int(o.clutterLines[0], o.clutterLines[1]);
  for (let k = 0; k < nLines; k++) {
    let x0: number, y0: number, x1: number, y1: number;
    do {
      x0 = rng.uniform(0, n);
      y0 = rng.uniform(0, n);
      x1 = rng.uniform(0, n);
      y1 = rng.uniform(0, n);
    } while ((x1 - x0) ** 2 + (y1 - y0) ** 2 < (n / 4) ** 2);
    const seg = segmentShape(x0, y0, x1, y1, rng.uniform(1, 2.2));
    canvas.fill(seg, contrastingColor(rng, canvas.meanUnder(seg), o.minColorDistance * 0.6));
  }

  const nDistractors = rng.int(o.distractors[0], o.distractors[1]);
  const distractorBoxes: Box[] = [];
  const distractorKinds: DistractorKind[] = [];
  for (let k = 0; k < nDistractors; k++) {
    const kind = rng.pick(DISTRACTOR_KINDS);
    const label = rng.int(0, NUM_CLASSES - 1);
    let region: Region | null = null;
    for (let tries = 0; tries < 50 && region === null; tries++) {
      const b = randomBox(rng, o);
      // Distractors never touch an object's box (1 px margin): an occluded distractor would read as part of
      // the object. Among themselves they may overlap a little.
      if (objectBoxes.some((q) => intersects(q, b, 1)) || distractorBoxes.some((q) => iou(q, b) > 0.1))
        continue;
      const side = Math.min(b[2] - b[0], b[3] - b[1]);
      if (kind === 'outline') region = outlineShape(label, b, Math.max(1.2, Math.min(2.5, side * 0.12)));
      else if (kind === 'cut') region = cutShape(label, b, rng);
      else if (kind === 'diamond') region = convexPolygonRegion('diamond', b);
      else region = crossShape(b, rng.uniform(0.25, 0.4));
    }
    if (region === null) continue;
    const drawn = canvas.fill(region, contrastingColor(rng, canvas.meanUnder(region), o.minColorDistance));
    if (drawn) {
      distractorBoxes.push(drawn);
      distractorKinds.push(kind);
    }
  }

  const boxes: number[] = [];
  const labels: number[] = [];
  objectBoxes.forEach((b, i) => {
    const region = classShape(objectLabels[i], b);
    const drawn = canvas.fill(region, contrastingColor(rng, canvas.meanUnder(region), o.minColorDistance));
    if (drawn) {
      boxes.push(...drawn);
      labels.push(objectLabels[i]);
    }
  });

  const img = canvas.data;
  // Pixel noise and clamping to [0, 1] (one normal draw per value, in order, only when noise > 0).
  if (o.noise > 0) {
    for (let i = 0; i < img.length; i++) {
      const v = img[i] + o.noise * rng.normal();
      img[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  } else {
    for (let i = 0; i < img.length; i++) {
      const v = img[i] + 0;
      img[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }

  return {
    image: img,
    width: n,
    height: n,
    boxes: Float32Array.from(boxes),
    labels: Int32Array.from(labels),
    distractorBoxes: Float32Array.from(distractorBoxes.flat()),
    distractorKinds,
  };
}

function convexPolygonRegion(kind: 'diamond', b: Box): Region {
  const poly = convexPolygon(polygonFor(kind, b));
  return { bounds: poly.bounds, inside: (px, py) => poly.dist(px, py) >= 0 };
}

/** The seed of image `index` of `split` in dataset `seed`. */
export function imageSeed(seed: Seed, index: number, split: Split = 'train'): number {
  return deriveSeed(seed, 'focal-lab/synthetic/v1', split, index);
}

/**
 * Image `index` of the dataset `seed` (split 'train' or the disjoint 'eval'); independent of every other image.
 */
export function makeImage(
  seed: Seed,
  index: number,
  opts: Partial<DataOptions> = {},
  split: Split = 'train',
): Sample {
  return renderSample(createRng(imageSeed(seed, index, split)), opts);
}

/** Images start, start+1, … of a dataset, lazily and without end. */
export function* sampleStream(
  seed: Seed,
  opts: Partial<DataOptions> = {},
  split: Split = 'train',
  start = 0,
): Generator<Sample, never, void> {
  for (let i = start; ; i++) yield makeImage(seed, i, opts, split);
}

/**
 * A batch of `batchSize` images, stacked into one [B, H, W, 3] Float32Array.
 * - `source` a Seed: images startIndex … startIndex+B−1 of that dataset/split (batch k of an epoch-free
 *   stream is startIndex = k·B);
 * - `source` an Rng: B fresh images, each from its own fork of the rng (consumes B draws).
 */
export function makeBatch(
  source: Seed | Rng,
  batchSize: number,
  opts: Partial<DataOptions> = {},
  { split = 'train', startIndex = 0 }: { split?: Split; startIndex?: number } = {},
): Batch {
  const o = resolveOptions(opts);
  const n = o.imageSize;
  const per = n * n * 3;
  const images = new Float32Array(batchSize * per);
  const boxes: Float32Array[] = [];
  const labels: Int32Array[] = [];
  for (let i = 0; i < batchSize; i++) {
    const s =
      typeof source === 'object'
        ? renderSample(source.fork('image'), o)
        : makeImage(source, startIndex + i, o, split);
    images.set(s.image, i * per);
    boxes.push(s.boxes);
    labels.push(s.labels);
  }
  return { images, shape: [batchSize, n, n, 3], boxes, labels };
}

/**
 * FNV-1a (32-bit) over the bytes of a sample's image, boxes and labels, as 8 hex digits: a cheap fingerprint for
 * regression pins ("did the generator change?"), not a cryptographic hash.
 */
export function sampleFingerprint(s: Pick<Sample, 'image' | 'boxes' | 'labels'>): string {
  let h = 0x811c9dc5;
  for (const arr of [s.image, s.boxes, s.labels]) {
    const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
    for (let i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193);
    }
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
