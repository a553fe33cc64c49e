/**
 * Pure helpers that keep the live views cheap: long training histories are thinned for drawing (a path needs
 * about two points per pixel column, not 5,000), smoothed, and given readable log-scale ticks. No React.
 */

/** Drawn points of one series. */
export interface Thinned {
  xs: number[];
  ys: number[];
}

/**
 * At most ~2·`buckets` points of (xs, ys) for drawing. Up to 2·buckets points pass through unchanged; longer series
 * are cut into `buckets` runs of consecutive points and each run keeps its minimum and maximum (in their original
 * order), so spikes stay visible. The last point is always kept. Non-finite values are skipped.
 */
export function thinMinMax(xs: readonly number[], ys: readonly number[], buckets: number): Thinned {
  const n = Math.min(xs.length, ys.length);
  const b = Math.max(1, Math.floor(buckets));
  if (n <= 2 * b) {
    const outX: number[] = [];
    const outY: number[] = [];
    for (let i = 0; i < n; i++) {
      if (Number.isFinite(ys[i])) {
        outX.push(xs[i]);
        outY.push(ys[i]);
      }
    }
    return { xs: outX, ys: outY };
  }
  const outX: number[] = [];
  const outY: number[] = [];
  const size = n / b;
  let lastKept = -1;
  for (let k = 0; k < b; k++) {
    const lo = Math.floor(k * size);
    const hi = Math.min(n, Math.floor((k + 1) * size));
    let iMin = -1;
    let iMax = -1;
    for (let i = lo; i < hi; i++) {
      const v = ys[i];
      if (!Number.isFinite(v)) continue;
      if (iMin < 0 || v < ys[iMin]) iMin = i;
      if (iMax < 0 || v > ys[iMax]) iMax = i;
    }
    if (iMin < 0) continue;
    const first = Math.min(iMin, iMax);
    const second = Math.max(iMin, iMax);
    outX.push(xs[first]);
    outY.push(ys[first]);
    lastKept = first;
    if (second !== first) {
      outX.push(xs[second]);
      outY.push(ys[second]);
      lastKept = second;
    }
  }
  if (lastKept !== n - 1 && Number.isFinite(ys[n - 1])) {
    outX.push(xs[n - 1]);
    outY.push(ys[n - 1]);
  }
  return { xs: outX, ys: outY };
}

/** Every k-th point (k = ⌈n / maxPoints⌉) and the last one: for smooth curves, where min/max would add nothing. */
export function thinEvery(xs: readonly number[], ys: readonly number[], maxPoints: number): Thinned {
  const idx = sampleIndices(Math.min(xs.length, ys.length), maxPoints);
  return { xs: idx.map((i) => xs[i]), ys: idx.map((i) => ys[i]) };
}

/** Indices 0, k, 2k, … plus n − 1, at most about `max` of them (all of them when n ≤ max). */
export function sampleIndices(n: number, max: number): number[] {
  if (n <= 0) return [];
  const k = Math.max(1, Math.ceil(n / Math.max(1, max)));
  const out: number[] = [];
  for (let i = 0; i < n; i += k) out.push(i);
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

/**
 * Exponential moving average with bias correction (TensorBoard's smoothing): s_t = w·s_{t−1} + (1 − w)·y_t,
 * shown as s_t / (1 − w^t) so the first points are not pulled towards 0. Non-finite inputs are carried over.
 */
export function emaSmooth(ys: readonly number[], weight: number): number[] {
  const out = new Array<number>(ys.length);
  let s = 0;
  let norm = 0;
  for (let i = 0; i < ys.length; i++) {
    const v = ys[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    s = weight * s + (1 - weight) * v;
    norm = weight * norm + (1 - weight);
    out[i] = s / norm;
  }
  return out;
}

/** Index of the largest value ≤ v in sorted `xs`, or −1 when v is below the first (binary search). */
export function floorIndex(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  if (hi < 0 || v < xs[0]) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (xs[mid] <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** [min, max] of the finite (and, for a log axis, positive) values of several arrays; null when there are none. */
export function extent(
  arrays: readonly (readonly number[])[],
  positiveOnly = false,
): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    for (const v of a) {
      if (!Number.isFinite(v) || (positiveOnly && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * Tick values for a log axis on [lo, hi] (lo > 0): the powers of ten inside, or, when fewer than two fit, the
 * 1-2-5 multiples of the decades (and failing that the two ends), so a narrow log axis still has labels.
 */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi >= lo)) return [];
  const e0 = Math.ceil(Math.log10(lo) - 1e-9);
  const e1 = Math.floor(Math.log10(hi) + 1e-9);
  const pows: number[] = [];
  for (let e = e0; e <= e1; e++) pows.push(10 ** e);
  if (pows.length >= 2) {
    // Many decades: keep every k-th so labels do not crowd.
    const k = Math.ceil(pows.length / 6);
    return pows.filter((_, i) => i % k === 0);
  }
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(Number(v.toPrecision(12)));
    }
  }
  return out.length >= 2 ? out : [lo, hi];
}
