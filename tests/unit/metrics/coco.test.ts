import { describe, expect, it } from 'vitest';
import {
  IOU_THRESHOLDS,
  RECALL_THRESHOLDS,
  cocoEvaluate,
  toCocoDetections,
  toCocoGroundTruth,
  xyxyToXywh,
  type CocoDetection,
  type CocoGroundTruth,
} from '../../../lib/metrics/coco';

const TOL = 1e-9;
const gt = (image_id: number, bbox: number[], category_id = 1): CocoGroundTruth => ({
  image_id,
  category_id,
  bbox,
});
const det = (image_id: number, bbox: number[], score: number, category_id = 1): CocoDetection => ({
  image_id,
  category_id,
  bbox,
  score,
});
const expectSummary = (r: { ap: number; ap50: number; ap75: number; ar100: number }, want: number[]) =>
  [r.ap, r.ap50, r.ap75, r.ar100].forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(TOL));

const squares = [
  [0, 0, 10, 10],
  [20, 0, 10, 10],
  [0, 20, 10, 10],
  [20, 20, 10, 10],
];

describe('COCOeval thresholds', () => {
  it('uses numpy linspace’s exact IoU thresholds (0.8999999999999999, not 0.9) and 101 recall points', () => {
    expect(Array.from(IOU_THRESHOLDS)).toEqual([
      0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95,
    ]);
    expect(RECALL_THRESHOLDS.length).toBe(101);
    expect(RECALL_THRESHOLDS[100]).toBe(1);
  });
});

describe('cocoEvaluate', () => {
  it('scores a perfect detector AP = AP50 = AP75 = AR = 1', () => {
    const r = cocoEvaluate({
      images: [1, 2],
      categories: [1, 2],
      groundTruth: [gt(1, squares[0]), gt(1, squares[1], 2), gt(2, squares[2])],
      detections: [det(1, squares[0], 0.9), det(1, squares[1], 0.5, 2), det(2, squares[2], 0.7)],
    });
    expectSummary(r, [1, 1, 1, 1]);
    expect(r.perCategory.map((c) => c.categoryId)).toEqual([1, 2]);
  });

  it('gives AR 0.5 and AP 51/101 to a detector that finds exactly half the objects', () => {
    const r = cocoEvaluate({
      images: [1],
      categories: [1],
      groundTruth: squares.map((b) => gt(1, b)),
      detections: [det(1, squares[0], 0.9), det(1, squares[3], 0.8)],
    });
    // Precision 1 at recall thresholds 0, .01, …, .50 (51 points) and 0 beyond.
    expectSummary(r, [51 / 101, 51 / 101, 51 / 101, 0.5]);
  });

  it('scores 0 when there are objects but no detections', () => {
    const r = cocoEvaluate({
      images: [1],
      categories: [1],
      groundTruth: [gt(1, squares[0])],
      detections: [],
    });
    expectSummary(r, [0, 0, 0, 0]);
  });

  it('reports −1 everywhere when no category has ground truth', () => {
    const r = cocoEvaluate({
      images: [1],
      categories: [1],
      groundTruth: [],
      detections: [det(1, squares[0], 0.9)],
    });
    expectSummary(r, [-1, -1, -1, -1]);
  });

  it('leaves a category without ground truth out of the mean', () => {
    const r = cocoEvaluate({
      images: [1],
      categories: [1, 2],
      groundTruth: [gt(1, squares[0])],
      detections: [det(1, squares[0], 0.9), det(1, squares[1], 0.95, 2)],
    });
    expectSummary(r, [1, 1, 1, 1]);
    expect(r.perCategory[1].ap).toBe(-1);
  });

  it('halves precision at full recall when a false positive outranks the true one', () => {
    const r = cocoEvaluate({
      images: [1],
      categories: [1],
      groundTruth: [gt(1, squares[0])],
      detections: [det(1, squares[1], 0.9), det(1, squares[0], 0.8)],
    });
    expectSummary(r, [0.5, 0.5, 0.5, 1]);
  });

  it('counts a duplicate detection as a false positive that does not lower AP (it comes after full recall)', () => {
    const r = cocoEvaluate({
      images: [1],
      categories: [1],
      groundTruth: [gt(1, squares[0])],
      detections: [det(1, squares[0], 0.9), det(1, squares[0], 0.8)],
    });
    expectSummary(r, [1, 1, 1, 1]);
  });

  it('credits a box of IoU 0.6 at thresholds .50–.60 only (3 of 10)', () => {
    const r = cocoEvaluate({
      images: [1],
      categories: [1],
      groundTruth: [gt(1, [0, 0, 10, 10])],
      detections: [det(1, [0, 0, 10, 6], 0.9)], // IoU = 60/100
    });
    expectSummary(r, [0.3, 1, 0, 0.3]);
  });

  it('breaks score ties across images by image id, after sorting the ids', () => {
    const run = (fpImage: number) =>
      cocoEvaluate({
        images: [2, 1],
        categories: [1],
        groundTruth: [gt(3 - fpImage, squares[0])],
        detections: [
          det(1, squares[fpImage === 1 ? 1 : 0], 0.5),
          det(2, squares[fpImage === 2 ? 1 : 0], 0.5),
        ],
      });
    // False positive in image 1 is ranked first: precision 0.5 at recall 1.
    expectSummary(run(1), [0.5, 0.5, 0.5, 1]);
    // True positive in image 1 is ranked first: precision 1 up to recall 1.
    expectSummary(run(2), [1, 1, 1, 1]);
  });

  it('gives a detection tied in IoU between two objects to the later one, as COCOeval’s greedy loop does', () => {
    const r = cocoEvaluate({
      images: [1],
      categories: [1],
      groundTruth: [gt(1, [0, 0, 10, 10]), gt(1, [2, 0, 10, 10])],
      // The first overlaps both gts with IoU 90/110; the second only gt 1 (IoU 80/120) and gt 0 (60/140).
      detections: [det(1, [1, 0, 10, 10], 0.9), det(1, [4, 0, 10, 10], 0.8)],
    });
    // Up to IoU .80 the first takes gt 1, leaving the second unmatched (gt 0 is below .5): recall 1/2.
    // (Were ties given to gt 0, both would match at .50–.65 and AP50 would be 1.) From .85 nothing matches.
    expectSummary(r, [(0.7 * 51) / 101, 51 / 101, 51 / 101, 0.35]);
  });

  it('keeps only the 100 best-scored detections per image and category', () => {
    const junk = Array.from({ length: 100 }, (_, i) => det(1, [40, 40, 5, 5], 0.5 + i / 1000));
    const r = cocoEvaluate({
      images: [1],
      categories: [1],
      groundTruth: [gt(1, squares[0])],
      detections: [...junk, det(1, squares[0], 0.1)],
    });
    expectSummary(r, [0, 0, 0, 0]);
  });

  it('rejects detections on images outside the evaluated set', () => {
    expect(() =>
      cocoEvaluate({ images: [1], categories: [1], groundTruth: [], detections: [det(2, squares[0], 1)] }),
    ).toThrow(/image 2/);
  });
});

describe('COCO format helpers', () => {
  it('converts [x1, y1, x2, y2] to [x, y, w, h]', () => {
    expect(xyxyToXywh([2, 3, 7, 11])).toEqual([2, 3, 5, 8]);
  });

  it('turns detector output into COCO records that evaluate to AP 1 against the same boxes', () => {
    const boxes = new Float32Array([0, 0, 10, 10, 20, 20, 30, 32]);
    const dets = toCocoDetections(7, boxes, [0.9, 0.8], [0, 1]);
    expect(dets[1]).toEqual({ image_id: 7, category_id: 2, bbox: [20, 20, 10, 12], score: 0.8 });
    const gts = toCocoGroundTruth(7, boxes, [0, 1], [5, 9]);
    expect(gts.map((g) => g.category_id)).toEqual([5, 9]);
    const r = cocoEvaluate({
      images: [7],
      categories: [1, 2],
      groundTruth: toCocoGroundTruth(7, boxes, [0, 1]),
      detections: dets,
    });
    expectSummary(r, [1, 1, 1, 1]);
  });
});
