import { describe, expect, it } from 'vitest';
import { apAnalysis, nmsFates, type ApImage } from '@/lib/metrics/apCurve';
import { cocoEvaluate } from '@/lib/metrics/coco';

/** Two images, class 0 only: a hit, its near-duplicate, a false alarm, and a missed object. */
const IMAGES: ApImage[] = [
  {
    boxes: [[10, 10, 30, 30]],
    labels: [0],
    candidates: [
      [10, 10, 30, 30, 0.9, 0], // exact hit
      [11, 11, 31, 31, 0.8, 0], // duplicate of it (IoU ≈ 0.82)
      [40, 40, 60, 60, 0.7, 0], // false alarm
    ],
  },
  {
    boxes: [
      [0, 0, 20, 20],
      [30, 30, 50, 50],
    ],
    labels: [0, 0],
    candidates: [
      [0, 0, 20, 16, 0.6, 0], // IoU 0.8: a hit at 0.5 and at 0.75
      [30, 30, 50, 40, 0.5, 0], // IoU 0.5: a hit at 0.5 only
    ],
  },
];

describe('nmsFates', () => {
  it('removes the duplicate and names the box that removed it', () => {
    const f = nmsFates(IMAGES[0], 0, 0.5);
    expect(f.map((x) => x.kept)).toEqual([true, false, true]);
    expect(f[1].suppressedBy?.index).toBe(0);
    expect(f[1].suppressedBy?.iou).toBeCloseTo(361 / 439, 12);
  });
  it('keeps everything with NMS off', () => {
    expect(nmsFates(IMAGES[0], 0, null).every((x) => x.kept)).toBe(true);
  });
});

describe('apAnalysis', () => {
  const base = { classIndex: 0, numClasses: 1 } as const;

  it('ranks detections by score with COCO’s matches and the running precision and recall', () => {
    const r = apAnalysis(IMAGES, { ...base, iouThreshold: 0.5, nmsIou: 0.5 });
    expect(r.numGroundTruth).toBe(3);
    expect(r.ranked.map((d) => d.score)).toEqual([0.9, 0.7, 0.6, 0.5]);
    expect(r.ranked.map((d) => d.truePositive)).toEqual([true, false, true, true]);
    expect(r.ranked.map((d) => d.precision)).toEqual([1, 0.5, 2 / 3, 0.75]);
    expect(r.ranked.map((d) => d.recall)).toEqual([1 / 3, 1 / 3, 2 / 3, 1]);
    expect(r.ranked[3].bestIou).toBeCloseTo(0.5, 12);
  });

  it('gives the AP that cocoEvaluate gives, as the mean of the 101 interpolated precisions', () => {
    for (const iouThreshold of [0.5, 0.75] as const) {
      for (const nmsIou of [0.5, null]) {
        const r = apAnalysis(IMAGES, { ...base, iouThreshold, nmsIou });
        const mean = r.interpolatedPrecision.reduce((s, p) => s + p, 0) / r.interpolatedPrecision.length;
        expect(r.ap).toBeCloseTo(mean, 12);
        expect(r.meanAp).toBeCloseTo(r.ap, 12);
        expect(r.recallPoints).toHaveLength(101);
      }
    }
  });

  it('counts an un-suppressed duplicate as a false positive, so AP falls without NMS', () => {
    const on = apAnalysis(IMAGES, { ...base, iouThreshold: 0.5, nmsIou: 0.5 });
    const off = apAnalysis(IMAGES, { ...base, iouThreshold: 0.5, nmsIou: null });
    expect(off.ranked[1].truePositive).toBe(false);
    expect(off.ap).toBeLessThan(on.ap);
  });

  it('is stricter at IoU 0.75: the 0.5-overlap box no longer counts', () => {
    const r = apAnalysis(IMAGES, { ...base, iouThreshold: 0.75, nmsIou: 0.5 });
    expect(r.ranked.map((d) => d.truePositive)).toEqual([true, false, true, false]);
  });
});

describe('cocoEvaluate detectionMatches', () => {
  it('gives each input detection the 1-based ground truth it matched, 0 for none, −1 for other categories', () => {
    const r = cocoEvaluate({
      images: [1],
      categories: [1],
      groundTruth: [{ image_id: 1, category_id: 1, bbox: [0, 0, 10, 10] }],
      detections: [
        { image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], score: 0.5 },
        { image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], score: 0.9 },
        { image_id: 1, category_id: 2, bbox: [0, 0, 10, 10], score: 0.9 },
      ],
    });
    const N = 3;
    expect(Array.from(r.detectionMatches.subarray(0, N))).toEqual([0, 1, -1]);
    expect(r.detectionMatches).toHaveLength(10 * N);
  });
});
