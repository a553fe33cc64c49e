/**
 * The classification loss of one image at the first training step, as a function of the prior π of the
 * classification-bias initialisation (paper §3.3 "Class Imbalance and Model Initialization", §4.1
 * "Initialization"): the last conv layer of the class subnet has weights ≈ 0 (N(0, 0.01²)) and bias
 * b = −log((1 − π)/π), so every anchor starts with logit ≈ b and probability σ(b) = π for every class.
 *
 * With N anchors entering the loss (foreground + background; ignored anchors enter neither loss), K classes and
 * P foreground anchors, the sigmoid head has N·K binary entries: P with target 1 (the true class of each
 * foreground anchor) and N·K − P with target 0 (every class of a background anchor and the K − 1 other classes of a
 * foreground anchor). All targets-1 entries share one loss value ℓ₁(π) and all targets-0 entries another, ℓ₀(π):
 *
 *   CE:  ℓ₁ = −log π,                 ℓ₀ = −log(1 − π)
 *   FL:  ℓ₁ = −(1 − π)^γ log π,       ℓ₀ = −π^γ log(1 − π)          (paper eq. 4, α omitted unless given)
 *
 * so the image's loss is P·ℓ₁ + (N·K − P)·ℓ₀, and the paper's normalised loss divides it by max(1, P) (§4, "the
 * total focal loss … normalized by the number of anchors assigned to a ground-truth box"). ℓ₁ and ℓ₀ are computed
 * by {@link sigmoidFocalLossBinary} from the logit b (float32, in logit space), not by the formulas above; only the
 * multiplication by the counts is done here, in float64.
 *
 * At π = 0.5 (b = 0, "no prior") ℓ₁ = ℓ₀ and the negatives' share of the loss is simply their share of the entries,
 * (N·K − P)/(N·K): the frequent class dominates the first steps, the instability §3.3 describes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { sigmoidFocalLossBinary } from './binary';
import { checkAlpha, checkGamma } from './types';
import { tidyValuesAll } from '../tf/tidyValues';

/**
 * The classification bias of the prior init: b = −log((1 − π)/π) (paper §4.1), so σ(b) = π; 0 when π is null
 * (no prior: p = 0.5). The toy detector's head (lib/detector/model.ts) and the playground's reset read it.
 */
export function priorBias(prior: number | null): number {
  return prior === null ? 0 : -Math.log((1 - prior) / prior);
}

/** Counts of one image's classification loss (see the module comment). */
export interface PriorLossCounts {
  /** N, anchors that enter the classification loss (foreground + background), > 0. */
  numAnchors: number;
  /** K, classes (sigmoid outputs per anchor), integer ≥ 1. */
  numClasses: number;
  /** P, foreground anchors (targets-1 entries), 0 ≤ P ≤ N. May be a mean (not an integer). */
  numPositives: number;
}

/** One loss's totals at one π (nats). */
export interface PriorLossTotals {
  /** Per-entry loss of a target-1 entry, ℓ₁. */
  perPositive: number;
  /** Per-entry loss of a target-0 entry, ℓ₀. */
  perNegative: number;
  /** P·ℓ₁. */
  positives: number;
  /** (N·K − P)·ℓ₀. */
  negatives: number;
  /** positives + negatives. */
  total: number;
  /** negatives / total, in [0, 1]. */
  negativeShare: number;
  /** total / max(1, P): the paper's normalisation (§4). */
  normalised: number;
}

/** The initial loss at one π, for cross-entropy and for the focal loss. */
export interface PriorLossPoint {
  pi: number;
  /** b = −log((1 − π)/π), the initial logit of every entry. */
  bias: number;
  /** Target-1 entries, P. */
  positiveEntries: number;
  /** Target-0 entries, N·K − P. */
  negativeEntries: number;
  ce: PriorLossTotals;
  fl: PriorLossTotals;
}

/** Options of {@link initialLossVsPrior}. */
export interface PriorLossOptions {
  /** γ of the focal loss, ≥ 0. Default 2. */
  gamma?: number;
  /** α-balancing for both losses (α for targets 1, 1 − α for targets 0) or null (default) for none. */
  alpha?: number | null;
}

function checkCounts(c: PriorLossCounts): void {
  const { numAnchors: N, numClasses: K, numPositives: P } = c;
  if (!(Number.isFinite(N) && N > 0)) throw new RangeError(`numAnchors must be > 0; got ${N}`);
  if (!(Number.isInteger(K) && K >= 1)) throw new RangeError(`numClasses must be an integer ≥ 1; got ${K}`);
  if (!(Number.isFinite(P) && P >= 0 && P <= N)) {
    throw new RangeError(`numPositives must lie in [0, numAnchors]; got ${P}`);
  }
}

function totals(perPositive: number, perNegative: number, pos: number, neg: number): PriorLossTotals {
  const positives = pos * perPositive;
  const negatives = neg * perNegative;
  const total = positives + negatives;
  return {
    perPositive,
    perNegative,
    positives,
    negatives,
    total,
    negativeShare: total > 0 ? negatives / total : 0,
    normalised: total / Math.max(1, pos),
  };
}

/**
 * The initial classification loss of one image for each prior π in `pis` (see the module comment).
 *
 * @param pis priors, each in (0, 1)
 * @param counts N, K, P of the image
 * @returns one {@link PriorLossPoint} per π, same order; nats
 * @throws RangeError on π outside (0, 1), bad counts, γ < 0 or α outside [0, 1]
 */
export function initialLossVsPrior(
  pis: readonly number[],
  counts: PriorLossCounts,
  { gamma = 2, alpha = null }: PriorLossOptions = {},
): PriorLossPoint[] {
  checkCounts(counts);
  checkGamma(gamma);
  checkAlpha(alpha);
  for (const p of pis) {
    if (!(Number.isFinite(p) && p > 0 && p < 1)) throw new RangeError(`π must lie in (0, 1); got ${p}`);
  }
  const M = pis.length;
  if (M === 0) return [];
  // `+ 0` turns π = 0.5's −log(1) = −0 into 0, so no reader sees "−0".
  const bias = pis.map((p) => priorBias(p) + 0);
  // Entries [0, M): target 1 at logit b_i; entries [M, 2M): target 0 at the same logits.
  const [ce, fl] = tidyValuesAll(() => {
    const x = tf.tensor1d([...bias, ...bias], 'float32');
    const t = tf.concat([tf.ones([M]), tf.zeros([M])]);
    return [0, gamma].map((g) => sigmoidFocalLossBinary(x, t, { gamma: g, alpha }));
  }).map((v) => Array.from(v));
  const P = counts.numPositives;
  const neg = counts.numAnchors * counts.numClasses - P;
  return pis.map((pi, i) => ({
    pi,
    bias: bias[i],
    positiveEntries: P,
    negativeEntries: neg,
    ce: totals(ce[i], ce[M + i], P, neg),
    fl: totals(fl[i], fl[M + i], P, neg),
  }));
}

/**
 * Priors for plotting against a log axis: 10^(log10(min) + k/perDecade) for k = 0, 1, … while below `max`, then
 * `max` itself. With `min` a power of ten every power of ten in range is hit exactly (1e-4, 1e-3, 0.01, 0.1), and
 * so is every value of a log slider whose step is 1/perDecade decade from `min` (the chapter's π slider).
 * @returns strictly increasing number[] from min to max inclusive
 */
export function priorGrid(perDecade = 20, min = 1e-4, max = 0.5): number[] {
  if (!Number.isInteger(perDecade) || perDecade < 1) {
    throw new RangeError(`perDecade must be a positive integer; got ${perDecade}`);
  }
  if (!(min > 0 && max < 1 && min < max)) throw new RangeError(`need 0 < min < max < 1; got ${min}, ${max}`);
  const lo = Math.log10(min);
  const out: number[] = [];
  for (let k = 0; ; k++) {
    // Rounded to 12 significant digits so that 10^(−4 + 40/20) prints (and compares) as 0.01.
    const v = Number((10 ** (lo + k / perDecade)).toPrecision(12));
    if (v >= max * (1 - 1e-12)) break;
    out.push(v);
  }
  out.push(max);
  return out;
}
