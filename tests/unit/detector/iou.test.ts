import { describe, expect, it } from 'vitest';
import { areaAt, iou, iouAt } from '../../../lib/detector/iou';
import { boxIou } from '../../../lib/detector/boxes';

describe('iou (the one IoU of the matcher, NMS, the data generator and the anchor picker)', () => {
  it('is 1 for equal boxes, 0 for disjoint ones and 1/7 for two half-overlapping squares', () => {
    expect(iou([0, 0, 2, 2], [0, 0, 2, 2])).toBe(1);
    expect(iou([0, 0, 1, 1], [2, 2, 3, 3])).toBe(0);
    expect(iou([0, 0, 2, 2], [1, 1, 3, 3])).toBeCloseTo(1 / 7, 12);
  });

  it('is 0 for boxes that only touch, and for degenerate boxes instead of NaN', () => {
    expect(iou([0, 0, 1, 1], [1, 0, 2, 1])).toBe(0);
    expect(iou([1, 1, 1, 1], [1, 1, 1, 1])).toBe(0);
    expect(iou([0, 0, NaN, 1], [0, 0, 1, 1])).toBe(0);
  });

  it('reads boxes at an offset of a flat array, with the areas given once', () => {
    const flat = Float32Array.from([9, 9, 9, 9, 0, 0, 2, 2, 1, 1, 3, 3]);
    expect(iouAt(flat, 4, areaAt(flat, 4), flat, 8, areaAt(flat, 8))).toBe(iou([0, 0, 2, 2], [1, 1, 3, 3]));
    expect(areaAt([1, 2, 4, 6])).toBe(12);
  });

  it('gives boxIou exactly, entry by entry', () => {
    const a = [0, 0, 10, 10, 3.5, 2, 9, 7.25];
    const b = [1, 1, 8, 12, 5, 5, 6, 6, 20, 20, 30, 30];
    const m = boxIou(a, b);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++)
        expect(m[i * 3 + j]).toBe(iou(a.slice(4 * i, 4 * i + 4), b.slice(4 * j, 4 * j + 4)));
  });
});
