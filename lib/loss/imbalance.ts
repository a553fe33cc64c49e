/**
 * "Easy negatives swamp the loss" calculator behind the site's Figure 5-style breakdown (paper §1, §3, Figure 4).
 *
 * A dense detector scores ~10^4–10^5 anchors per image (§2); nearly all are background, and most of those are
 * easy (p_t near 1). Each contributes a tiny cross-entropy, but there are so many that together they can outweigh
 * the few hard examples. The focal term (1 − p_t)^γ removes almost all of their share.
 *
 * Model (deterministic, no sampling noise): each group — easy negatives, hard negatives, positives — has
 * x_t = logit(p_t) ~ Normal(logit(centre p_t), spread²), i.e. p_t is logit-normal around the given centre (its
 * median). A shared grid of `bins` cells uniform in x_t over [XT_MIN, XT_MAX] (the two end cells extend to ∓∞)
 * gets each group's probability mass Φ(upper edge) − Φ(lower edge); expected counts = mass × group size, so
 * counts sum to the inputs exactly. Loss and |dL/dx| at each cell centre come from the tensor core (one tidy,
 * one tf.grad per loss), then are weighted by the counts and summed. Cell width 0.1 logit with the defaults, so
 * the discretisation error is far below what a slider can show.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tf/gradients';
import { sigmoidFocalLoss } from './focal';
import { checkAlpha, checkGamma, logit } from './types';

export interface ImbalanceOptions {
  /** Background anchors in the image (paper §2: 10^4–10^5 candidate locations per image). */
  numNegatives: number;
  /** Anchors assigned to an object (IoU ≥ 0.5, §4). */
  numPositives: number;
  /** Fraction of negatives that are hard (the rest are easy), in [0, 1]. */
  hardNegativeFraction: number;
  /** Centre (median) p_t of easy negatives, in (0, 1). */
  easyNegativePt: number;
  /** Centre p_t of hard negatives, in (0, 1). */
  hardNegativePt: number;
  /** Centre p_t of positives, in (0, 1). */
  positivePt: number;
  /** Standard deviation of x_t = logit(p_t) within each group, in logit units, > 0. */
  spread: number;
  /** γ of the 'focal' loss, in [0, 5]. */
  gamma: number;
  /** α of 'alpha_ce' and 'focal' (positives α, negatives 1 − α), in [0, 1]. */
  alpha: number;
  /** Number of x_t cells (integer, 3–2000); default 221 (0.1 logit wide). */
  bins?: number;
}

export type ImbalanceLossKind = 'ce' | 'alpha_ce' | 'focal';
export type ImbalanceGroup = 'easyNeg' | 'hardNeg' | 'pos';

/** A group's expected count, summed loss (nats) and summed gradient magnitude Σ|dL/dx|. */
export interface GroupTotals {
  count: number;
  loss: number;
  grad: number;
}

export interface ImbalanceResult {
  /**
   * Per loss: 'ce' = plain cross-entropy (γ = 0, no α), 'alpha_ce' = α-balanced CE (γ = 0), 'focal' = α-balanced
   * focal loss with the given γ. Sums over the whole image (no normalisation by the number of positives; the
   * shares are what matter).
   */
  losses: Record<
    ImbalanceLossKind,
    Record<ImbalanceGroup, GroupTotals> & { total: { loss: number; grad: number } }
  >;
  /**
   * The modelled p_t distributions on the shared grid: `pt[i]` = σ(`xt[i]`) is cell i's centre, and each group
   * array holds the expected number of examples in that cell (sums to the group's count).
   */
  ptDistribution: { pt: number[]; xt: number[]; easyNeg: number[]; hardNeg: number[]; pos: number[] };
}

/** Range of the x_t = logit(p_t) grid: p_t from ≈ 1.0e-4 to ≈ 1 − 1.2e-5 (end cells are open-ended). */
export const XT_MIN = -9.2;
export const XT_MAX = 12.8;

/**
 * Defaults, chosen so the picture is the paper's and not an exaggeration:
 * - numNegatives 1e5: the upper end of "10^4–10^5 candidate locations per image" (§2); RetinaNet uses ~100k anchors.
 * - numPositives 50: "only a few locations contain objects" — e.g. ~7 objects × ~7 anchors with IoU ≥ 0.5.
 * - hardNegativeFraction 0.01: 1% of background anchors (1,000) overlap objects or clutter enough to be confusing.
 * - easyNegativePt 0.99: what the π = 0.01 prior initialisation (§4.1) gives every background anchor, and where a
 *   trained detector keeps the vast majority of them.
 * - hardNegativePt 0.4, positivePt 0.5: genuinely misclassified / undecided examples (p_t ≤ 0.5 is "hard", §3.2).
 * - spread 1 logit unit: broad enough that each group is a distribution, not a point.
 * - gamma 2, alpha 0.25: the paper's best setting (Table 1b).
 * With these, plain CE gets ~60% of its loss and ~72% of its gradient magnitude from the 99,000 easy negatives; with
 * γ = 2 (α = 0.25) their share drops to ~1% of the loss and ~3% of the gradient, and the 1,000 hard negatives carry
 * ~98% — the concentration the paper's Figure 4 shows (tests/unit/loss/imbalance.test.ts pins these shares).
 * numPositives up to 1000 reproduces Figure 4's ~1:100 positive:negative ratio.
 */
export const IMBALANCE_DEFAULTS: Readonly<Required<ImbalanceOptions>> = Object.freeze({
  numNegatives: 1e5,
  numPositives: 50,
  hardNegativeFraction: 0.01,
  easyNegativePt: 0.99,
  hardNegativePt: 0.4,
  positivePt: 0.5,
  spread: 1,
  gamma: 2,
  alpha: 0.25,
  bins: 221,
});

/** Slider ranges for the UI ({min, max, step}); numNegatives is meant for a log-scale slider. */
export const IMBALANCE_RANGES: Readonly<
  Record<keyof ImbalanceOptions, { min: number; max: number; step: number }>
> = Object.freeze({
  numNegatives: { min: 1e3, max: 1e6, step: 1e3 },
  numPositives: { min: 1, max: 1000, step: 1 },
  hardNegativeFraction: { min: 0, max: 0.2, step: 0.001 },
  easyNegativePt: { min: 0.8, max: 0.9999, step: 0.0001 },
  hardNegativePt: { min: 0.05, max: 0.8, step: 0.01 },
  positivePt: { min: 0.05, max: 0.99, step: 0.01 },
  spread: { min: 0.1, max: 3, step: 0.1 },
  gamma: { min: 0, max: 5, step: 0.1 },
  alpha: { min: 0, max: 1, step: 0.05 },
  bins: { min: 21, max: 801, step: 20 },
});

/** Complementary error function, Numerical Recipes' Chebyshev fit (fractional error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF Φ(z); exact 0 and 1 at ∓∞. */
function normalCdf(z: number): number {
  if (z === -Infinity) return 0;
  if (z === Infinity) return 1;
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Mass of Normal(mu, sigma²) in each cell bounded by `edges` (length cells + 1, ends ±∞); sums to 1. */
function cellMasses(edges: number[], mu: number, sigma: number): number[] {
  const cdf = edges.map((e) => normalCdf((e - mu) / sigma));
  const mass = cdf.slice(1).map((c, i) => Math.max(0, c - cdf[i]));
  const total = mass.reduce((a, b) => a + b, 0);
  return mass.map((m) => m / total);
}

function validate(o: Required<ImbalanceOptions>): void {
  for (const [key, value] of Object.entries(o)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(`imbalanceBreakdown: ${key} must be a finite number; got ${String(value)}`);
    }
  }
  const fail = (msg: string) => {
    throw new RangeError(`imbalanceBreakdown: ${msg}`);
  };
  if (o.numNegatives < 0) fail('numNegatives must be >= 0');
  if (o.numPositives < 0) fail('numPositives must be >= 0');
  if (o.hardNegativeFraction < 0 || o.hardNegativeFraction > 1)
    fail('hardNegativeFraction must be in [0, 1]');
  for (const k of ['easyNegativePt', 'hardNegativePt', 'positivePt'] as const) {
    if (o[k] <= 0 || o[k] >= 1) fail(`${k} must be in (0, 1)`);
  }
  if (o.spread <= 0) fail('spread must be > 0');
  if (o.gamma > 5) fail('gamma must be <= 5');
  checkGamma(o.gamma);
  checkAlpha(o.alpha);
  if (!Number.isInteger(o.bins) || o.bins < 3 || o.bins > 2000) fail('bins must be an integer in [3, 2000]');
}

/** Loss (nats) and dL/dx per cell centre: `[2·bins]`, the bins negatives first, then the bins positives. */
interface PerExample {
  loss: Float32Array;
  grad: Float32Array;
}

/**
 * Recently computed per-example curves, keyed by backend, loss kind, bins and the (α, γ) it uses. Plain arrays, no
 * tensors, so tf.memory() is unaffected; at most PER_EXAMPLE_CACHE_SIZE entries (2·bins floats each).
 */
const perExampleCache = new Map<string, PerExample>();
const PER_EXAMPLE_CACHE_SIZE = 64;

function perExampleKey(kind: ImbalanceLossKind, bins: number, s: { alpha: number | null; gamma: number }) {
  // The backend is part of the key: cpu and wasm round differently in the last float bits.
  return `${tf.getBackend()}|${kind}|${bins}|${s.alpha}|${s.gamma}`;
}

function rememberPerExample(key: string, value: PerExample): void {
  perExampleCache.delete(key);
  perExampleCache.set(key, value);
  // Map iterates in insertion order: the first key is the oldest.
  if (perExampleCache.size > PER_EXAMPLE_CACHE_SIZE) {
    perExampleCache.delete(perExampleCache.keys().next().value as string);
  }
}

/**
 * Expected loss and gradient budget of one image split into easy negatives, hard negatives and positives, under
 * plain CE, α-balanced CE and the focal loss. See the module comment for the model; missing fields take
 * {@link IMBALANCE_DEFAULTS}.
 *
 * @throws RangeError on non-finite or out-of-range inputs
 */
export function imbalanceBreakdown(opts: Partial<ImbalanceOptions> = {}): ImbalanceResult {
  const o: Required<ImbalanceOptions> = { ...IMBALANCE_DEFAULTS, ...opts };
  validate(o);

  const hardCount = Math.round(o.numNegatives * o.hardNegativeFraction);
  const counts: Record<ImbalanceGroup, number> = {
    easyNeg: o.numNegatives - hardCount,
    hardNeg: hardCount,
    pos: o.numPositives,
  };

  const bins = o.bins;
  const step = (XT_MAX - XT_MIN) / (bins - 1);
  const xt = Array.from({ length: bins }, (_, i) => XT_MIN + i * step);
  const edges = [-Infinity, ...xt.slice(1).map((x) => x - step / 2), Infinity];
  const masses: Record<ImbalanceGroup, number[]> = {
    easyNeg: cellMasses(edges, logit(o.easyNegativePt), o.spread),
    hardNeg: cellMasses(edges, logit(o.hardNegativePt), o.spread),
    pos: cellMasses(edges, logit(o.positivePt), o.spread),
  };
  const dist: Record<ImbalanceGroup, number[]> = {
    easyNeg: masses.easyNeg.map((m) => m * counts.easyNeg),
    hardNeg: masses.hardNeg.map((m) => m * counts.hardNeg),
    pos: masses.pos.map((m) => m * counts.pos),
  };

  const settings: Record<ImbalanceLossKind, { alpha: number | null; gamma: number }> = {
    ce: { alpha: null, gamma: 0 },
    alpha_ce: { alpha: o.alpha, gamma: 0 },
    focal: { alpha: o.alpha, gamma: o.gamma },
  };

  // Per-example loss and dL/dx at each cell centre, for a negative (x = −x_t) and a positive (x = x_t). They
  // depend only on (bins, α, γ), not on the counts or centres, so a slider for those reuses them (cache).
  const perExample = {} as Record<ImbalanceLossKind, PerExample>;
  const missing: ImbalanceLossKind[] = [];
  for (const kind of Object.keys(settings) as ImbalanceLossKind[]) {
    const hit = perExampleCache.get(perExampleKey(kind, bins, settings[kind]));
    if (hit) perExample[kind] = hit;
    else missing.push(kind);
  }
  if (missing.length > 0) {
    tf.tidy(() => {
      const xtT = tf.tensor1d(xt, 'float32');
      const x = tf.concat([tf.neg(xtT), xtT]); // [2·bins]: negatives, then positives
      const t = tf.concat([tf.zeros([bins]), tf.ones([bins])]);
      for (const kind of missing) {
        const s = settings[kind];
        const f = (xi: tf.Tensor) => sigmoidFocalLoss(xi, t, s);
        const loss = f(x).dataSync() as Float32Array;
        const grad = tf
          .grad((xi: tf.Tensor) => tf.sum(f(xi)))(x)
          .dataSync() as Float32Array;
        perExample[kind] = { loss, grad };
        rememberPerExample(perExampleKey(kind, bins, s), perExample[kind]);
      }
    });
  }

  const losses = {} as ImbalanceResult['losses'];
  for (const kind of Object.keys(settings) as ImbalanceLossKind[]) {
    const { loss, grad } = perExample[kind];
    const group = (g: ImbalanceGroup): GroupTotals => {
      const offset = g === 'pos' ? bins : 0;
      let l = 0;
      let d = 0;
      dist[g].forEach((c, i) => {
        l += c * loss[offset + i];
        d += c * Math.abs(grad[offset + i]);
      });
      return { count: counts[g], loss: l, grad: d };
    };
    const easyNeg = group('easyNeg');
    const hardNeg = group('hardNeg');
    const pos = group('pos');
    losses[kind] = {
      easyNeg,
      hardNeg,
      pos,
      total: { loss: easyNeg.loss + hardNeg.loss + pos.loss, grad: easyNeg.grad + hardNeg.grad + pos.grad },
    };
  }

  return {
    losses,
    ptDistribution: { pt: xt.map((z) => 1 / (1 + Math.exp(-z))), xt, ...dist },
  };
}
