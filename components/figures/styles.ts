/**
 * What every figure and playground view shares that does not need tfjs: series styles, margins, plot sizes and
 * small numeric helpers. Kept apart from ./shared (which loads the loss core's backend) so that importing a
 * colour never pulls TensorFlow.js into a page.
 */
import type { ImbalanceGroup, ImbalanceLossKind } from '@/lib/loss/imbalance';
import type { Margin } from '../chart/types';

/**
 * Series styles: Okabe–Ito colours (CSS variables, themed in figures.css) each paired with its own dash,
 * so curves stay distinguishable in greyscale and for colour-blind readers.
 */
export const STYLES = [
  { color: 'var(--series-1)', dash: undefined },
  { color: 'var(--series-2)', dash: '7 4' },
  { color: 'var(--series-3)', dash: '2 3' },
  { color: 'var(--series-4)', dash: '10 3 2 3' },
  { color: 'var(--series-5)', dash: '4 2' },
  { color: 'var(--series-6)', dash: '1 3' },
] as const;

/** The three losses compared by the imbalance and bridge figures, in their order on the bars. */
export const LOSS_KINDS: readonly { key: ImbalanceLossKind; label: string }[] = [
  { key: 'ce', label: 'CE' },
  { key: 'alpha_ce', label: 'α-CE' },
  { key: 'focal', label: 'FL' },
];

/** Easy negatives, hard negatives and positives: one colour, dash and (for bars) hatching each, wherever shown. */
export const EXAMPLE_GROUPS: readonly {
  key: ImbalanceGroup;
  label: string;
  color: string;
  dash?: string;
  hatch?: boolean;
}[] = [
  { key: 'easyNeg', label: 'easy negatives', color: 'var(--series-6)' },
  { key: 'hardNeg', label: 'hard negatives', color: 'var(--series-2)', dash: '7 4', hatch: true },
  { key: 'pos', label: 'positives', color: 'var(--series-3)', dash: '2 3' },
];

/** The slider-driven curve: theme foreground, solid and thicker. */
export const HIGHLIGHT = { color: 'var(--series-hl)', dash: undefined, width: 3.5 } as const;

export const MARGIN: Margin = { top: 12, right: 16, bottom: 52, left: 60 };

/** Plot height for a container width: wide enough on a projector, not too flat on a phone. */
export function plotHeight(width: number, aspect = 0.6, min = 240, max = 440): number {
  return Math.round(Math.max(min, Math.min(max, width * aspect)));
}

/** A lazily computed module-level constant (reference curves that never change). */
export function once<T>(fn: () => T): () => T {
  let done = false;
  let v: T;
  return () => {
    if (!done) {
      v = fn();
      done = true;
    }
    return v;
  };
}

/** Index of the value in a sorted array closest to `v`. */
export function nearestIndex(values: readonly number[], v: number): number {
  let lo = 0;
  let hi = values.length - 1;
  if (hi < 0) return 0;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < v) lo = mid;
    else hi = mid;
  }
  return Math.abs(values[lo] - v) <= Math.abs(values[hi] - v) ? lo : hi;
}

/** Evenly spaced values from `start` to `stop` inclusive, rounded to `decimals` (e.g. 0.01 … 0.99). */
export function evenGrid(start: number, stop: number, step: number, decimals: number): number[] {
  const n = Math.round((stop - start) / step) + 1;
  return Array.from({ length: n }, (_, i) => Number((start + i * step).toFixed(decimals)));
}
