import { describe, expect, it } from 'vitest';
import {
  emaSmooth,
  extent,
  floorIndex,
  logTicks,
  sampleIndices,
  thinEvery,
  thinMinMax,
} from '@/components/playground/views/series';

const close = (a: number, b: number, tol = 1e-12) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol);

describe('thinMinMax', () => {
  it('passes short series through unchanged', () => {
    expect(thinMinMax([1, 2, 3], [5, 4, 6], 10)).toEqual({ xs: [1, 2, 3], ys: [5, 4, 6] });
  });
  it('keeps at most two points per bucket plus the last, and keeps every spike', () => {
    const n = 5000;
    const xs = Array.from({ length: n }, (_, i) => i);
    const ys = xs.map((i) => (i === 1234 ? 100 : i === 4321 ? -100 : Math.sin(i)));
    const t = thinMinMax(xs, ys, 300);
    expect(t.xs.length).toBeLessThanOrEqual(601);
    expect(t.ys).toContain(100);
    expect(t.ys).toContain(-100);
    expect(t.xs[t.xs.length - 1]).toBe(n - 1);
    for (let i = 1; i < t.xs.length; i++) expect(t.xs[i]).toBeGreaterThan(t.xs[i - 1]);
  });
});

describe('thinEvery and sampleIndices', () => {
  it('take every k-th point and always the last', () => {
    expect(sampleIndices(10, 4)).toEqual([0, 3, 6, 9]);
    expect(sampleIndices(11, 4)).toEqual([0, 3, 6, 9, 10]);
    expect(sampleIndices(0, 4)).toEqual([]);
    expect(thinEvery([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], 2)).toEqual({ xs: [1, 4, 5], ys: [1, 4, 5] });
  });
});

describe('emaSmooth', () => {
  it('is bias-corrected: a constant series stays constant', () => {
    for (const v of emaSmooth([3, 3, 3, 3], 0.9)) close(v, 3, 1e-12);
  });
  it('with weight 0 is the identity and follows a step with the EMA weight', () => {
    expect(emaSmooth([1, 5, 2], 0)).toEqual([1, 5, 2]);
    const s = emaSmooth([0, 1], 0.5);
    close(s[1], (0.5 * 1) / (1 - 0.25));
  });
});

describe('floorIndex', () => {
  it('finds the last value ≤ v', () => {
    expect(floorIndex([1, 3, 5], 4)).toBe(1);
    expect(floorIndex([1, 3, 5], 5)).toBe(2);
    expect(floorIndex([1, 3, 5], 0)).toBe(-1);
  });
});

describe('extent', () => {
  it('ignores non-finite and, for a log axis, non-positive values', () => {
    expect(
      extent([
        [0, 2, NaN],
        [Infinity, 1],
      ]),
    ).toEqual([0, 2]);
    expect(extent([[0, 2], [0.5]], true)).toEqual([0.5, 2]);
    expect(extent([[NaN]])).toBeNull();
  });
});

describe('logTicks', () => {
  it('gives the powers of ten inside the domain', () => {
    expect(logTicks(0.05, 20)).toEqual([0.1, 1, 10]);
  });
  it('thins many decades to about six labels', () => {
    expect(logTicks(1e-8, 1e4).length).toBeLessThanOrEqual(7);
  });
  it('falls back to 1-2-5 multiples on a narrow axis', () => {
    expect(logTicks(0.15, 0.9)).toEqual([0.2, 0.5]);
  });
  it('is empty for an invalid domain', () => {
    expect(logTicks(0, 1)).toEqual([]);
  });
});
