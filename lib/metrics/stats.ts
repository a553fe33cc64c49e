/**
 * Summary statistics shared by the ablation study (lib/detector/ablationResults.ts), the calibration tables
 * (./reliability.ts) and the benches (scripts/).
 */

/** Median of a list: the middle value, or the mean of the two middle values for an even count; NaN when empty. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** mean, sample standard deviation (n − 1 in the denominator; 0 for n = 1), min, max and n of a sample. */
export interface Summary {
  mean: number;
  std: number;
  min: number;
  max: number;
  n: number;
}

/**
 * Summary of a sample: mean = Σx/n, std = √(Σ(x − mean)² / (n − 1)) (Bessel-corrected; 0 when n = 1).
 * An empty sample gives NaN for every statistic (and n = 0) rather than a made-up number.
 */
export function summarise(xs: readonly number[]): Summary {
  const n = xs.length;
  if (n === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN, n: 0 };
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  return {
    mean,
    std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    min: Math.min(...xs),
    max: Math.max(...xs),
    n,
  };
}
