import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  BBOX_XFORM_CLIP,
  batchedNms,
  boxArea,
  boxIou,
  decodeBoxes,
  decodeBoxesTensor,
  encodeBoxes,
  flattenBoxes,
  nms,
} from '../../../lib/detector/boxes';

const close = (got: number, want: number, tol = 1e-4) => Math.abs(got - want) <= tol + tol * Math.abs(want);
const allClose = (got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-4) =>
  got.length === want.length && Array.from(got).every((g, i) => close(g, want[i], tol));

describe('boxArea and boxIou', () => {
  it('measures width × height with no +1 pixel', () => {
    expect(
      Array.from(
        boxArea([
          [0, 0, 2, 3],
          [1, 1, 1, 5],
        ]),
      ),
    ).toEqual([6, 0]);
  });

  it('gives IoU 1 for identical boxes and 0 for disjoint or edge-touching ones', () => {
    const a = [[3, 4, 10, 12]];
    expect(boxIou(a, a)[0]).toBe(1);
    expect(boxIou(a, [[20, 20, 30, 30]])[0]).toBe(0);
    expect(boxIou(a, [[10, 4, 15, 12]])[0]).toBe(0);
  });

  it('gives 1/3 for two 2×2 squares overlapping by half', () => {
    expect(boxIou([[0, 0, 2, 2]], [[1, 0, 3, 2]])[0]).toBeCloseTo(1 / 3, 15);
  });

  it('returns an a×b row-major matrix and its exact transpose when swapped', () => {
    const a = [
      [0, 0, 4, 4],
      [2, 2, 6, 6],
    ];
    const b = [
      [1, 1, 3, 3],
      [0, 0, 4, 4],
      [5, 5, 9, 9],
    ];
    const ab = boxIou(a, b);
    const ba = boxIou(b, a);
    expect(ab.length).toBe(6);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expect(ab[i * 3 + j]).toBe(ba[j * 2 + i]);
    expect(ab[1]).toBe(1);
  });

  it('reads flat Float32Array boxes the same as nested arrays', () => {
    const nested = [
      [0.5, 1, 4, 4.25],
      [2, 2, 6, 6],
    ];
    const flat = new Float32Array(nested.flat());
    expect(Array.from(boxIou(flat, flat))).toEqual(Array.from(boxIou(nested, nested)));
  });

  it('defines the IoU of two degenerate boxes as 0, and rejects malformed input', () => {
    expect(boxIou([[1, 1, 1, 1]], [[1, 1, 1, 1]])[0]).toBe(0);
    expect(() => flattenBoxes([1, 2, 3])).toThrow(/4N/);
    expect(() => flattenBoxes([[1, 2, 3]])).toThrow(/4 coordinates/);
  });
});

describe('encodeBoxes / decodeBoxes (torchvision BoxCoder)', () => {
  it('encodes a box identical to its anchor as all-zero deltas', () => {
    expect(Array.from(encodeBoxes([[2, 3, 10, 7]], [[2, 3, 10, 7]]))).toEqual([0, 0, 0, 0]);
  });

  it('encodes a centre shift of half the anchor width and a doubled width as (0.5, 0, log 2, 0)', () => {
    const deltas = encodeBoxes([[0, 0, 4, 2]], [[0, 0, 2, 2]]);
    expect(allClose(deltas, [0.5, 0, Math.log(2), 0])).toBe(true);
  });

  it('round-trips: decode(encode(gt, anchors), anchors) = gt, for any weights', () => {
    const num = (min: number, max: number) => fc.double({ min, max, noNaN: true });
    // Sides in [2, 40] keep every size ratio ≤ 20 < 62.5, inside decode's clamp, so the trip is lossless.
    const box = fc
      .tuple(num(-20, 60), num(-20, 60), num(2, 40), num(2, 40))
      .map(([x, y, w, h]) => [x, y, x + w, y + h]);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(box, box), { minLength: 1, maxLength: 8 }),
        fc.constantFrom<[number, number, number, number]>([1, 1, 1, 1], [10, 10, 5, 5]),
        (pairs, weights) => {
          const gt = pairs.map((p) => p[0]);
          const anchors = pairs.map((p) => p[1]);
          const decoded = decodeBoxes(encodeBoxes(gt, anchors, weights), anchors, weights);
          return allClose(decoded, gt.flat(), 1e-3);
        },
      ),
    );
  });

  it('clamps dw and dh at log(1000/16) before exp, so a box grows at most 62.5×', () => {
    const [x1, y1, x2, y2] = decodeBoxes([[0, 0, 10, BBOX_XFORM_CLIP]], [[0, 0, 2, 2]]);
    expect(close(x2 - x1, 125)).toBe(true);
    expect(close(y2 - y1, 125)).toBe(true);
    expect(close((x1 + x2) / 2, 1)).toBe(true);
  });

  it('decodes the same boxes on a tensor backend as in plain arrays', async () => {
    await tf.setBackend('cpu');
    const anchors = [
      [0, 0, 8, 8],
      [10, 4, 30, 14],
      [5, 5, 6, 9],
    ];
    const deltas = [
      [0.1, -0.2, 0.3, -0.4],
      [1, 0.5, 9, -9],
      [0, 0, 0, 0],
    ];
    const t = decodeBoxesTensor(tf.tensor2d(deltas), tf.tensor2d(anchors), [1, 2, 1, 2]);
    expect(t.shape).toEqual([3, 4]);
    expect(allClose(t.dataSync(), decodeBoxes(deltas, anchors, [1, 2, 1, 2]))).toBe(true);
    t.dispose();
  });

  it('rejects a gt/anchor count mismatch', () => {
    expect(() => encodeBoxes([[0, 0, 1, 1]], [])).toThrow(/anchors/);
  });
});

describe('nms', () => {
  // A and B overlap with IoU 0.6; C is far away.
  const boxes = [
    [0, 0, 10, 10], // A
    [0, 0, 10, 6], // B: IoU(A, B) = 60/100
    [20, 20, 30, 30], // C
  ];

  it('suppresses a lower-scored box overlapping a kept one beyond the threshold', () => {
    expect(Array.from(nms(boxes, [0.9, 0.8, 0.7], 0.5))).toEqual([0, 2]);
  });

  it('keeps it when the threshold is above their IoU, returning indices by decreasing score', () => {
    expect(Array.from(nms(boxes, [0.7, 0.9, 0.8], 0.65))).toEqual([1, 2, 0]);
  });

  it('suppresses only when IoU is strictly greater than the threshold', () => {
    expect(
      Array.from(
        nms(
          [
            [0, 0, 2, 1],
            [0, 0, 1, 1],
          ],
          [0.9, 0.8],
          0.5,
        ),
      ),
    ).toEqual([0, 1]);
  });

  it('breaks score ties by index, so the earlier box survives', () => {
    expect(Array.from(nms(boxes, [0.5, 0.5, 0.5], 0.5))).toEqual([0, 2]);
    expect(Array.from(nms([boxes[1], boxes[0]], [0.5, 0.5], 0.5))).toEqual([0]);
  });

  it('returns nothing for no boxes', () => {
    expect(nms([], [], 0.5).length).toBe(0);
  });
});

describe('batchedNms', () => {
  const boxes = [
    [0, 0, 10, 10],
    [0, 0, 10, 6],
    [0, 0, 10, 9],
    [20, 20, 30, 30],
  ];

  it('never lets boxes of different classes suppress each other', () => {
    expect(Array.from(batchedNms(boxes, [0.9, 0.8, 0.7, 0.6], [0, 1, 0, 1], 0.5))).toEqual([0, 1, 3]);
  });

  it('merges the classes’ survivors in decreasing score order', () => {
    expect(Array.from(batchedNms(boxes, [0.6, 0.95, 0.7, 0.8], [0, 1, 1, 2], 0.5))).toEqual([1, 3, 0]);
  });
});
