import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { anchorIndex, anchorLocation, generateAnchors } from '../../../lib/detector/anchors';

const close = (got: number, want: number, tol = 1e-4) => Math.abs(got - want) <= tol + tol * Math.abs(want);

/** Row i of a flat N×4 array. */
const row = (b: Float32Array, i: number) => Array.from(b.subarray(4 * i, 4 * i + 4));
const centre = (b: number[]) => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];

describe('generateAnchors with the defaults on a 64×64 image', () => {
  const set = generateAnchors({ imageSize: 64 });

  it('has 16²·9 + 8²·9 + 4²·9 = 3,024 anchors', () => {
    expect(set.numAnchors).toBe(3024);
    expect(set.boxes.length).toBe(3024 * 4);
    expect(set.anchorsPerLocation).toBe(9);
  });

  it('lays the levels out as 16×16, 8×8 and 4×4 maps, one after another', () => {
    expect(set.perLevel.map((l) => l.size)).toEqual([
      [16, 16],
      [8, 8],
      [4, 4],
    ]);
    expect(set.perLevel.map((l) => l.count)).toEqual([2304, 576, 144]);
    expect(set.perLevel.map((l) => l.offset)).toEqual([0, 2304, 2880]);
    expect(set.perLevel.map((l) => l.stride)).toEqual([4, 8, 16]);
  });

  it('centres each level on its cell centres, spanning the image symmetrically about (32, 32)', () => {
    for (const level of set.perLevel) {
      const xs: number[] = [];
      const ys: number[] = [];
      for (let i = level.offset; i < level.offset + level.count; i++) {
        const [cx, cy] = centre(row(set.boxes, i));
        xs.push(cx);
        ys.push(cy);
      }
      const s = level.stride;
      for (const cs of [xs, ys]) {
        expect(close(Math.min(...cs), s / 2)).toBe(true);
        expect(close(Math.max(...cs), 64 - s / 2)).toBe(true);
        expect(close(cs.reduce((a, b) => a + b, 0) / cs.length, 32)).toBe(true);
      }
    }
  });

  it('keeps each anchor area at (baseSize·scale)² with h/w equal to the aspect ratio (0.5 is wide)', () => {
    set.perLevel.forEach((level) => {
      for (let a = 0; a < 9; a++) {
        const b = row(set.boxes, level.offset + a);
        const w = b[2] - b[0];
        const h = b[3] - b[1];
        const { scale, aspectRatio } = set.templates[a];
        expect(close(w * h, (level.baseSize * scale) ** 2)).toBe(true);
        expect(close(h / w, aspectRatio)).toBe(true);
      }
    });
    const wide = row(set.boxes, 0); // a = 0: ratio 0.5, scale 1 at stride 4, base size 8
    expect(close(wide[2] - wide[0], 8 * Math.SQRT2)).toBe(true);
    expect(close(wide[3] - wide[1], 8 / Math.SQRT2)).toBe(true);
  });

  it('numbers anchors within a location ratio-major, scale-minor (a = r·3 + s)', () => {
    expect(set.templates.map((t) => t.aspectRatio)).toEqual([0.5, 0.5, 0.5, 1, 1, 1, 2, 2, 2]);
    expect(set.templates.map((t) => t.scale)).toEqual([
      1,
      2 ** (1 / 3),
      2 ** (2 / 3),
      1,
      2 ** (1 / 3),
      2 ** (2 / 3),
      1,
      2 ** (1 / 3),
      2 ** (2 / 3),
    ]);
  });

  it('orders anchors level, then row y, then column x, then anchor index', () => {
    // Level 1 (stride 8, 8×8): cell y = 2, x = 3, anchor a = 4 (ratio 1, scale 2^(1/3)).
    const index = 2304 + (2 * 8 + 3) * 9 + 4;
    const b = row(set.boxes, index);
    const [cx, cy] = centre(b);
    expect(close(cx, 3.5 * 8)).toBe(true);
    expect(close(cy, 2.5 * 8)).toBe(true);
    expect(close(b[2] - b[0], 16 * 2 ** (1 / 3))).toBe(true);
    expect(anchorLocation(set, index)).toEqual({ level: 1, y: 2, x: 3, a: 4 });
  });

  it('matches a conv head output [1, H, W, A·K] reshaped to [H·W·A, K] and concatenated over levels', () => {
    const K = 2;
    const A = set.anchorsPerLocation;
    // Each head cell carries its own (level, y, x, a) code, so after the reshape row n must be anchor n.
    const rows = tf.tidy(() =>
      tf.concat(
        set.perLevel.map((level, l) => {
          const [H, W] = level.size;
          const codes = new Float32Array(H * W * A * K);
          for (let y = 0; y < H; y++)
            for (let x = 0; x < W; x++)
              for (let a = 0; a < A; a++)
                for (let k = 0; k < K; k++)
                  codes[((y * W + x) * A + a) * K + k] = ((l * 100 + y) * 100 + x) * 100 + a;
          return tf.reshape(tf.tensor4d(codes, [1, H, W, A * K]), [H * W * A, K]);
        }),
        0,
      ),
    );
    const data = rows.dataSync();
    rows.dispose();
    expect(data.length).toBe(set.numAnchors * K);
    for (let n = 0; n < set.numAnchors; n += 37) {
      const { level, y, x, a } = anchorLocation(set, n);
      expect(data[n * K]).toBe(((level * 100 + y) * 100 + x) * 100 + a);
    }
  });
});

describe('generateAnchors with other settings', () => {
  it('gives one square anchor per location with scales [1] and aspectRatios [1]', () => {
    const set = generateAnchors({ imageSize: 64, scales: [1], aspectRatios: [1] });
    expect(set.anchorsPerLocation).toBe(1);
    expect(set.numAnchors).toBe(16 * 16 + 8 * 8 + 4 * 4);
    expect(row(set.boxes, 0)).toEqual([-2, -2, 6, 6]);
  });

  it('rounds feature-map sizes up for sides that are not multiples of the stride', () => {
    const set = generateAnchors({ imageSize: { width: 30, height: 64 }, strides: [8], baseSizes: [16] });
    expect(set.perLevel[0].size).toEqual([8, 4]);
    expect(set.numAnchors).toBe(8 * 4 * 9);
  });

  it('rejects mismatched strides and base sizes, and non-positive sizes', () => {
    expect(() => generateAnchors({ imageSize: 64, strides: [4, 8], baseSizes: [8] })).toThrow(/baseSizes/);
    expect(() => generateAnchors({ imageSize: 0 })).toThrow(/image size/);
    expect(() => anchorLocation(generateAnchors({ imageSize: 64 }), 3024)).toThrow(/out of range/);
  });
});

describe('anchorIndex (cell and template → anchor index)', () => {
  const set = generateAnchors({ imageSize: 64 });
  const A = set.anchorsPerLocation;

  it('inverts anchorLocation for every anchor', () => {
    for (let n = 0; n < set.numAnchors; n++) {
      const { level, y, x, a } = anchorLocation(set, n);
      expect(anchorIndex(set.perLevel[level], A, y, x, a)).toBe(n);
    }
  });

  it('is −1 off the grid, for a template past A and for a fractional cell', () => {
    const lv = set.perLevel[2]; // 4×4 cells
    expect(anchorIndex(lv, A, 4, 0, 0)).toBe(-1);
    expect(anchorIndex(lv, A, 0, -1, 0)).toBe(-1);
    expect(anchorIndex(lv, A, 0, 0, A)).toBe(-1);
    expect(anchorIndex(lv, A, 0.5, 0, 0)).toBe(-1);
  });
});
