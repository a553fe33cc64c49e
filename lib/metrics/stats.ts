/**
 * Summary statistics shared by the ablation study (lib/detector/ablationResults.ts) and the benches (scripts/).
 */

/** Median of a list: the middle value, or the mean of the two middle values for an even count; NaN when empty. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
