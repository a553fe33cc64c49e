/**
 * The toy RetinaNet network: parameter count, output shapes in anchor order, the paper's prior initialisation,
 * seeded determinism, weight copying and tensor hygiene. WASM backend (conv-sized tensors).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { generateAnchors } from '../../../lib/detector/anchors';
import {
  classLogits,
  countParams,
  createModel,
  disposeModel,
  forward,
  getWeights,
  initialWeights,
  paramSpecs,
  setWeights,
} from '../../../lib/detector/model';
import { groupNormOps } from '../../../lib/detector/groupNorm';
import { priorBias } from '../../../lib/loss/prior';
import { expectClose } from '../../helpers/close';

function images(b: number, size = 64, seed = 1): tf.Tensor4D {
  const a = new Float32Array(b * size * size * 3);
  let s = seed;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 32;
  }
  return tf.tensor4d(a, [b, size, size, 3]);
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

describe('model', () => {
  it('has about 130k parameters, laid out contiguously in θ', () => {
    const P = countParams();
    expect(P).toBe(128_367);
    const specs = paramSpecs();
    let offset = 0;
    for (const s of specs) {
      expect(s.offset).toBe(offset);
      expect(s.size).toBe(s.shape.reduce((a, b) => a * b, 1));
      offset += s.size;
    }
    expect(offset).toBe(P);
  });

  it('outputs [B, N, K] logits and [B, N, 4] deltas with N = the anchor count of the image', () => {
    const m = createModel({}, 0);
    const x = images(2);
    const { cls, box } = forward(m, x);
    const N = generateAnchors({ imageSize: 64 }).numAnchors;
    expect(N).toBe(3024);
    expect(cls.shape).toEqual([2, N, 3]);
    expect(box.shape).toEqual([2, N, 4]);
    tf.dispose([cls, box, x]);
    disposeModel(m);
  });

  it("gives forward's logits from classLogits, which skips the box subnet, and refuses other image sizes", () => {
    const m = createModel({}, 4);
    const x = images(2);
    const [want, got] = tf.tidy(() => [forward(m, x).cls.dataSync(), classLogits(m, x).dataSync()]);
    expect(Array.from(got)).toEqual(Array.from(want));
    tf.tidy(() => {
      expect(() => classLogits(m, tf.zeros([1, 40, 64, 3]) as tf.Tensor4D)).toThrow(/multiple of 16/);
      expect(() => forward(m, tf.zeros([1, 64, 56, 3]) as tf.Tensor4D)).toThrow(/multiple of 16/);
    });
    x.dispose();
    disposeModel(m);
  });

  it('follows A and K of its config and other image sizes', () => {
    const m = createModel({ anchorsPerLocation: 1, numClasses: 2 }, 0);
    const x = images(1, 96);
    const { cls, box } = forward(m, x);
    const N = generateAnchors({ imageSize: 96, scales: [1], aspectRatios: [1] }).numAnchors;
    expect(cls.shape).toEqual([1, N, 2]);
    expect(box.shape).toEqual([1, N, 4]);
    tf.dispose([cls, box, x]);
    disposeModel(m);
  });

  it('starts every anchor at confidence ≈ π with the prior init, and at 0.5 without it', () => {
    expectClose(priorBias(0.01), -Math.log(99), { atol: 1e-12, rtol: 0 });
    for (const [prior, want] of [
      [0.01, 0.01],
      [null, 0.5],
    ] as const) {
      const m = createModel({ prior }, 3);
      const mean = tf.tidy(() => tf.mean(tf.sigmoid(forward(m, images(2)).cls)).dataSync()[0]);
      expectClose(mean, want, { atol: 0.002, rtol: 0.05 }, `prior ${prior}`);
      disposeModel(m);
    }
  });

  it('gives identical weights for the same seed and different ones for another seed', () => {
    const a = initialWeights({}, 7);
    const b = initialWeights({}, 7);
    const c = initialWeights({}, 8);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
    // Head convs are N(0, 0.01²): their sample std is close to 0.01.
    const spec = paramSpecs().find((s) => s.name === 'cls_conv0/w')!;
    const w = a.subarray(spec.offset, spec.offset + spec.size);
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expectClose(std, 0.01, { atol: 0, rtol: 0.05 });
  });

  it('copies weights between models with getWeights / setWeights', () => {
    const a = createModel({}, 1);
    const b = createModel({}, 2);
    setWeights(b, getWeights(a));
    const x = images(1);
    const [ya, yb] = tf.tidy(() => [forward(a, x).cls.dataSync(), forward(b, x).cls.dataSync()]);
    expectClose(yb, ya, { atol: 0, rtol: 0 });
    expect(() => setWeights(b, new Float32Array(3))).toThrow(/expected 128367/);
    x.dispose();
    disposeModel(a);
    disposeModel(b);
  });

  it('leaves no tensors behind after a forward pass in tidy and disposeModel', () => {
    const before = tf.memory().numTensors;
    const m = createModel({}, 0);
    tf.tidy(() => forward(m, images(1)).cls.dataSync());
    disposeModel(m);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('normalises each (sample, group) to mean 0 and variance 1 in groupNormOps', () => {
    const x = tf.add(tf.mul(images(2, 8), 5), 3) as tf.Tensor4D; // [2, 8, 8, 3] → use 4 channels below
    const x4 = tf.concat([x, tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 1])], 3) as tf.Tensor4D; // C = 4
    const y = groupNormOps(x4, tf.ones([4]), tf.zeros([4]), 2);
    const g = tf.reshape(tf.transpose(y, [0, 3, 1, 2]), [2, 2, -1]);
    const { mean, variance } = tf.moments(g, 2);
    expectClose(mean.dataSync(), [0, 0, 0, 0], { atol: 1e-5, rtol: 0 });
    expectClose(variance.dataSync(), [1, 1, 1, 1], { atol: 1e-3, rtol: 0 });
    tf.dispose([x, x4, y, g, mean, variance]);
  });
});
