/**
 * Tolerance helpers for numeric tests: |got − want| <= atol + rtol·|want|, elementwise, over numbers, (nested)
 * arrays or typed arrays. NaN matches only NaN and ±Infinity only the same infinity, so a helper call can never
 * pass by accident on non-finite output.
 */
import { expect } from 'vitest';

export interface Tolerance {
  /** Absolute tolerance. */
  atol: number;
  /** Relative tolerance, scaled by |want|. */
  rtol: number;
}

/** The focal golden data's stated tolerance (its `about`: "|got-want| <= 1e-6 + 1e-4*|want|", float32). */
export const FOCAL_GOLDEN_TOLERANCE: Tolerance = { atol: 1e-6, rtol: 1e-4 };

/** A tight default for float32 results against a float64 reference. */
export const FLOAT32_TOLERANCE: Tolerance = { atol: 1e-6, rtol: 1e-5 };

export type Numeric = number | ArrayLike<number> | readonly Numeric[];

/** True when got is within tolerance of want (see module comment for NaN/∞). */
export function isClose(got: number, want: number, tol: Tolerance = FLOAT32_TOLERANCE): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  if (!Number.isFinite(got)) return false;
  return Math.abs(got - want) <= tol.atol + tol.rtol * Math.abs(want);
}

/** Flattens a number, array, nested array or typed array to number[] (row-major). */
export function flatten(x: Numeric): number[] {
  if (typeof x === 'number') return [x];
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const v = (x as ArrayLike<Numeric>)[i];
    if (typeof v === 'number') out.push(v);
    else out.push(...flatten(v));
  }
  return out;
}

/**
 * Asserts got ≈ want elementwise. On failure the message names `label`, the count of mismatches and the worst
 * few (index, got, want, allowed error), so a failing golden case is readable without a debugger.
 */
export function expectClose(
  got: Numeric,
  want: Numeric,
  tol: Tolerance = FLOAT32_TOLERANCE,
  label = '',
): void {
  const g = flatten(got);
  const w = flatten(want);
  expect(g.length, `${label}: length`).toBe(w.length);
  const bad: string[] = [];
  for (let i = 0; i < w.length; i++) {
    if (!isClose(g[i], w[i], tol)) {
      const allowed = tol.atol + tol.rtol * Math.abs(w[i]);
      bad.push(
        `[${i}] got ${g[i]} want ${w[i]} (|diff| ${Math.abs(g[i] - w[i]).toExponential(2)} > ${allowed.toExponential(2)})`,
      );
    }
  }
  expect(
    bad,
    `${label}: ${bad.length} of ${w.length} values out of tolerance:\n${bad.slice(0, 8).join('\n')}`,
  ).toEqual([]);
}

/** Asserts every value is finite (no NaN, no ±Infinity); the message lists the first offenders. */
export function expectAllFinite(values: Numeric, label = ''): void {
  const v = flatten(values);
  const bad = v.map((x, i) => [i, x] as const).filter(([, x]) => !Number.isFinite(x));
  expect(
    bad.length,
    `${label}: non-finite values ${JSON.stringify(bad.slice(0, 8).map(([i, x]) => [i, String(x)]))}`,
  ).toBe(0);
}
