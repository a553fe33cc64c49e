/**
 * The 2-D toy behind the logistic-regression bridge (chapter 2, BridgeFigure): a handful of positives among
 * thousands of negatives, most of the negatives far from any sensible boundary and a few of them close to the
 * positives. It is the dense detector's situation in the smallest model that has it: every point is an
 * "anchor", the classifier is one logistic unit.
 *
 * Deterministic: the same options give the same points, bit for bit (lib/data/rng.ts; only + − × ÷ and sqrt on
 * the data path). Each group draws from its own forked stream, so changing the number of negatives leaves the
 * positives where they were.
 */
import { createRng, type Seed } from '../data/rng';

export interface BridgeDataOptions {
  /** Seed of the point cloud (any integer or string). */
  seed: Seed;
  /** Negatives (background points), an integer ≥ 1. */
  numNegatives: number;
  /** Positives (objects), an integer ≥ 1; default {@link BRIDGE_DATA_DEFAULTS}.numPositives. */
  numPositives?: number;
  /** Share of the negatives drawn close to the positives (the "hard" background), in [0, 1]. */
  nearFraction?: number;
}

/**
 * Points, positives first: `u[i], v[i]` are the coordinates (unitless, within ±{@link BRIDGE_EXTENT}), `y[i]` is
 * 1 for a positive and 0 for a negative, `near[i]` is 1 for a negative drawn near the positives (how it was
 * made, not how a model sees it: easy and hard are decided by each model's p_t, see ./race.ts).
 */
export interface BridgeData {
  u: Float32Array;
  v: Float32Array;
  y: Float32Array;
  near: Uint8Array;
  numPositives: number;
  numNegatives: number;
}

/** Half the side of the square the points live in: every coordinate is in [−BRIDGE_EXTENT, BRIDGE_EXTENT]. */
export const BRIDGE_EXTENT = 4;

/**
 * The defaults: 8 positives ("a handful"), and 5% of the negatives near them. The cloud centres put the far
 * negatives about 3.7 units (≈ 4 of their standard deviations) from the positives, the near ones in between.
 */
export const BRIDGE_DATA_DEFAULTS = Object.freeze({ numPositives: 8, nearFraction: 0.05 });

const POS = { u: 1.7, v: 1.4, sd: 0.4 };
const FAR = { u: -1.1, v: -1.2, sd: 0.9 };
const NEAR = { u: 0.4, v: 0.3, sd: 0.6 };

const clamp = (z: number) => Math.min(BRIDGE_EXTENT - 0.05, Math.max(-BRIDGE_EXTENT + 0.05, z));

/**
 * The point cloud for `opts` (see {@link BridgeData}). Positives ~ N((1.7, 1.4), 0.4²), near negatives
 * ~ N((0.4, 0.3), 0.6²), far negatives ~ N((−1.1, −1.2), 0.9²), each clamped into the square.
 *
 * @throws RangeError on non-integer or out-of-range counts
 */
export function makeBridgeData(opts: BridgeDataOptions): BridgeData {
  const numPositives = opts.numPositives ?? BRIDGE_DATA_DEFAULTS.numPositives;
  const nearFraction = opts.nearFraction ?? BRIDGE_DATA_DEFAULTS.nearFraction;
  const { numNegatives } = opts;
  for (const [k, n] of [
    ['numPositives', numPositives],
    ['numNegatives', numNegatives],
  ] as const) {
    if (!Number.isInteger(n) || n < 1 || n > 1e6) {
      throw new RangeError(`makeBridgeData: ${k} must be an integer in [1, 1e6]; got ${n}`);
    }
  }
  if (!(nearFraction >= 0 && nearFraction <= 1)) {
    throw new RangeError(`makeBridgeData: nearFraction must be in [0, 1]; got ${nearFraction}`);
  }
  const n = numPositives + numNegatives;
  const u = new Float32Array(n);
  const v = new Float32Array(n);
  const y = new Float32Array(n);
  const near = new Uint8Array(n);
  const root = createRng(opts.seed);
  const streams = { pos: root.fork('positives'), near: root.fork('near'), far: root.fork('far') };
  const numNear = Math.round(numNegatives * nearFraction);
  let i = 0;
  const put = (rng: typeof root, c: typeof POS, label: 0 | 1, isNear: 0 | 1) => {
    u[i] = clamp(c.u + c.sd * rng.normal());
    v[i] = clamp(c.v + c.sd * rng.normal());
    y[i] = label;
    near[i] = isNear;
    i++;
  };
  for (let k = 0; k < numPositives; k++) put(streams.pos, POS, 1, 0);
  for (let k = 0; k < numNear; k++) put(streams.near, NEAR, 0, 1);
  for (let k = numNear; k < numNegatives; k++) put(streams.far, FAR, 0, 0);
  return { u, v, y, near, numPositives, numNegatives };
}
