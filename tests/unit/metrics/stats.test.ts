import { describe, expect, it } from 'vitest';
import { median } from '../../../lib/metrics/stats';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values, and NaN of nothing', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('leaves its input unsorted', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
});
