/**
 * Paired per-seed differences and spread overlap (lib/detector/ablation.ts): the numbers behind the results
 * chapter's per-seed chart and the rule that a table bolds a single winner only when the spreads allow it.
 */
import { describe, expect, it } from 'vitest';
import { clearBest, pairedDifference, spreadsOverlap } from '../../../lib/detector/ablationResults';

describe('pairedDifference', () => {
  it('subtracts the baseline seed by seed and summarises the differences as mean ± sample std', () => {
    const d = pairedDifference(
      { seeds: [0, 1, 2], values: [5, 7, 9] },
      { seeds: [0, 1, 2], values: [1, 2, 3] },
    );
    expect(d.seeds).toEqual([0, 1, 2]);
    expect(d.diffs).toEqual([4, 5, 6]);
    expect(d.mean).toBeCloseTo(5, 12);
    expect(d.std).toBeCloseTo(1, 12);
    expect(d.se).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(d.n).toBe(3);
    expect(d.sameSign).toBe(true);
    expect(d.separated).toBe(true);
  });

  it('pairs by seed, not by position, and drops seeds only one side finished', () => {
    const d = pairedDifference({ seeds: [2, 0, 1], values: [30, 10, 20] }, { seeds: [0, 2], values: [1, 3] });
    expect(d.seeds).toEqual([0, 2]);
    expect(d.diffs).toEqual([9, 27]);
  });

  it('calls a difference separated only when |mean| exceeds twice its standard error', () => {
    const noisy = pairedDifference(
      { seeds: [0, 1, 2], values: [3, -2, 1] },
      { seeds: [0, 1, 2], values: [0, 0, 0] },
    );
    expect(noisy.sameSign).toBe(false);
    expect(noisy.separated).toBe(false);
    const one = pairedDifference({ seeds: [0], values: [3] }, { seeds: [0], values: [1] });
    expect(one.separated).toBe(false);
    expect(Number.isNaN(one.se)).toBe(true);
  });

  it('gives NaN statistics, not made-up numbers, when no seed is shared', () => {
    const d = pairedDifference({ seeds: [0], values: [1] }, { seeds: [1], values: [1] });
    expect(d.n).toBe(0);
    expect(Number.isNaN(d.mean)).toBe(true);
    expect(d.sameSign).toBe(false);
  });
});

describe('spreadsOverlap and clearBest', () => {
  it('two mean ± std intervals overlap when the means are closer than the stds added', () => {
    expect(spreadsOverlap({ mean: 10, std: 2 }, { mean: 13, std: 1.5 })).toBe(true);
    expect(spreadsOverlap({ mean: 10, std: 1 }, { mean: 13, std: 1.5 })).toBe(false);
    expect(spreadsOverlap({ mean: NaN, std: 1 }, { mean: 1, std: 1 })).toBe(false);
  });

  it('names a single best entry only when its interval overlaps no other', () => {
    expect(
      clearBest([
        { mean: 1, std: 0.1 },
        { mean: 2, std: 0.1 },
        { mean: 0, std: 3 },
      ]),
    ).toBeNull();
    expect(
      clearBest([
        { mean: 1, std: 0.1 },
        { mean: 2, std: 0.1 },
        { mean: 0, std: 0.5 },
      ]),
    ).toBe(1);
    expect(
      clearBest([
        { mean: NaN, std: 0 },
        { mean: 2, std: 0.1 },
      ]),
    ).toBe(1);
    expect(clearBest([])).toBeNull();
  });
});
