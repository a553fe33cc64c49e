/**
 * The WASM gradient kernels of lib/tf/wasm-conv-gradients.ts must give the same gradients as the reference CPU
 * backend (itself fixed by lib/tf/cpu-fixes.ts, whose ResizeNearestNeighborGrad is checked here on both backends).
 * Shapes stay small (≤ 17 px, ≤ 8 channels) because the CPU backend's conv gradients are slow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { cpuKernelFixes } from '../../../lib/tf/cpu-fixes';
import { planPhases1D, WASM_GRADIENT_KERNELS, wasmConvGradients } from '../../../lib/tf/wasm-conv-gradients';

const RTOL = 1e-4;

/** Deterministic uniform values in [-1, 1) (LCG), so every case is reproducible. */
function randomValues(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (s / 2 ** 32) * 2 - 1;
  }
  return a;
}

interface Input {
  values: Float32Array;
  shape: number[];
}

function input(shape: number[], seed: number): Input {
  return {
    values: randomValues(
      shape.reduce((p, q) => p * q, 1),
      seed,
    ),
    shape,
  };
}

/** Gradients of the scalar `f` w.r.t. every input, computed on `backend`, read back to plain arrays. */
async function gradsOn(
  backend: 'cpu' | 'wasm',
  f: (...xs: tf.Tensor[]) => tf.Scalar,
  inputs: Input[],
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
  const gs = tf.grads((...args: tf.Tensor[]) => f(...args))(xs);
  const out = gs.map((g) => g.dataSync() as Float32Array);
  tf.dispose([...xs, ...gs]);
  return out;
}

/** Max |a − b| relative to the largest |b| (or 1 when b is tiny), so the check is scale-free. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return maxDiff / Math.max(scale, 1e-6);
}

function expectGradientsToMatch(actual: Float32Array[], expected: Float32Array[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(a.every(Number.isFinite)).toBe(true);
    expect(relativeError(a, expected[i])).toBeLessThan(RTOL);
  });
}

/** Σ conv(x, w) ⊙ r with a fixed random r, so dy is not constant. */
function weightedConvLoss(stride: number, pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding) {
  return (x: tf.Tensor, w: tf.Tensor, r: tf.Tensor): tf.Scalar => {
    const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad);
    return tf.sum(tf.mul(y, tf.reshape(tf.slice(tf.reshape(r, [-1]), 0, y.size), y.shape)));
  };
}

type Case = [
  name: string,
  shape: [b: number, h: number, w: number, cin: number],
  cout: number,
  k: number,
  stride: number,
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding,
];

const CASES: Case[] = [
  ['3x3 s1 same, odd size', [2, 9, 9, 3], 4, 3, 1, 'same'],
  ['3x3 s1 same, even size', [1, 12, 12, 5], 3, 3, 1, 'same'],
  ['3x3 s1 valid', [3, 11, 10, 2], 6, 3, 1, 'valid'],
  ['3x3 s2 same, even size', [2, 16, 16, 4], 8, 3, 2, 'same'],
  ['3x3 s2 same, odd size', [2, 17, 15, 3], 5, 3, 2, 'same'],
  ['3x3 s2 valid, odd size', [1, 13, 13, 6], 2, 3, 2, 'valid'],
  ['3x3 s2 valid, even size', [2, 12, 14, 3], 4, 3, 2, 'valid'],
  ['1x1 s1 same', [4, 8, 9, 8], 8, 1, 1, 'same'],
  ['1x1 s1 valid', [1, 10, 10, 1], 3, 1, 1, 'valid'],
  ['1x1 s2 same, odd size', [2, 11, 9, 4], 5, 1, 2, 'same'],
  ['1x1 s2 valid, even size', [2, 12, 12, 3], 2, 1, 2, 'valid'],
  ['3x3 s2 numeric pad 1', [2, 12, 13, 4], 4, 3, 2, 1],
  [
    '3x3 s2 explicit asymmetric pad',
    [2, 10, 11, 3],
    3,
    3,
    2,
    [
      [0, 0],
      [1, 0],
      [0, 2],
      [0, 0],
    ],
  ],
  ['5x5 s3 same (beyond what the model needs)', [1, 14, 16, 2], 3, 5, 3, 'same'],
  ['4x4 s2 same (even kernel)', [1, 13, 12, 3], 2, 4, 2, 'same'],
];

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  wasmConvGradients.install();
  // The CPU reference itself needs a fix: its ResizeNearestNeighborGrad is wrong for batch > 1 (tfjs 4.22).
  cpuKernelFixes.install();
  await tf.setBackend('wasm');
  await tf.ready();
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('wasmConvGradients', () => {
  it('registers the missing filter gradient, the faster input gradient and UnsortedSegmentSum on wasm', () => {
    for (const name of WASM_GRADIENT_KERNELS) expect(tf.getKernel(name, 'wasm')).toBeDefined();
  });

  it('is idempotent: a second install registers nothing', () => {
    expect(wasmConvGradients.install()).toEqual([]);
  });
});

describe('conv2d gradients on wasm equal the CPU backend', () => {
  it.each(CASES)('%s', async (_name, shape, cout, k, stride, pad) => {
    const [, h, w] = shape;
    const inputs = [
      input(shape, 1 + h),
      input([k, k, shape[3], cout], 2 + w),
      input([shape[0] * (h + 2 * k) * (w + 2 * k) * cout], 3),
    ];
    const f = weightedConvLoss(stride, pad);
    const expected = await gradsOn('cpu', f, inputs);
    const actual = await gradsOn('wasm', f, inputs);
    expectGradientsToMatch(actual.slice(0, 2), expected.slice(0, 2));
  });

  it('leaves no intermediate tensors behind', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(input([2, 13, 12, 3], 7).values, [2, 13, 12, 3]) as tf.Tensor4D;
    const w = tf.tensor(input([3, 3, 3, 4], 8).values, [3, 3, 3, 4]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const gs = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')),
    )([x, w]);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([x, w, ...gs]);
  });

  it('rejects NCHW with a clear error', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 4, 8, 8]);
    const dy = tf.zeros([1, 4, 8, 8]);
    expect(() =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 4, 4] },
        ),
    ).toThrow(/only dataFormat 'NHWC'/);
    tf.dispose([x, dy]);
  });
});

describe('the composite of a small conv net has the same gradients on wasm and CPU', () => {
  it('conv s1 same → relu → conv s2 same → nearest ×2 upsample → 1×1 conv → weighted sum', async () => {
    const inputs = [
      input([2, 16, 16, 3], 11),
      input([3, 3, 3, 6], 12),
      input([3, 3, 6, 8], 13),
      input([1, 1, 8, 4], 14),
      input([2, 16, 16, 4], 15),
    ];
    const f = (x: tf.Tensor, w1: tf.Tensor, w2: tf.Tensor, w3: tf.Tensor, r: tf.Tensor): tf.Scalar => {
      const a = tf.relu(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 1, 'same'));
      const b = tf.conv2d(a, w2 as tf.Tensor4D, 2, 'same');
      const up = tf.image.resizeNearestNeighbor(b as tf.Tensor4D, [16, 16]);
      const c = tf.conv2d(up, w3 as tf.Tensor4D, 1, 'same');
      return tf.sum(tf.mul(c, r));
    };
    const expected = await gradsOn('cpu', f, inputs);
    const actual = await gradsOn('wasm', f, inputs);
    expectGradientsToMatch(actual.slice(0, 4), expected.slice(0, 4));
  });

  it('the other ops a detector head uses (group norm, fused conv, sigmoid, softplus, concat, gather) agree', async () => {
    const inputs = [
      input([2, 9, 9, 4], 21),
      input([3, 3, 4, 8], 22),
      input([8], 23),
      input([1, 1, 8, 3], 24),
      input([2, 9 * 9 * 2, 3], 25),
    ];
    const f = (x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor, w2: tf.Tensor, r: tf.Tensor): tf.Scalar => {
      // Fused conv + bias + relu (its gradient also goes through Conv2DBackpropInput/Filter).
      const y = tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: w as tf.Tensor4D,
        strides: 1,
        pad: 'same',
        bias,
        activation: 'relu',
      });
      // Group norm with 2 groups of 4 channels, built from ops.
      const g = tf.reshape(y, [2, 9, 9, 2, 4]);
      const { mean, variance } = tf.moments(g, [1, 2, 4], true);
      const n = tf.reshape(tf.div(tf.sub(g, mean), tf.sqrt(tf.add(variance, 1e-5))), [2, 9, 9, 8]);
      const head = tf.conv2d(n as tf.Tensor4D, w2 as tf.Tensor4D, 1, 'valid');
      const both = tf.concat([tf.sigmoid(head), tf.softplus(tf.neg(head))], 2); // [2, 9, 18, 3]
      const flat = tf.reshape(tf.transpose(both, [0, 2, 1, 3]), [2, 9 * 18, 3]);
      const picked = tf.gather(flat, tf.tensor1d([0, 5, 5, 17, 100, 161], 'int32'), 1); // UnsortedSegmentSum grad
      const sliced = tf.slice(flat, [0, 3, 0], [2, 40, 3]);
      return tf.add(tf.sum(tf.mul(flat, r)), tf.add(tf.sum(tf.square(picked)), tf.sum(sliced)));
    };
    const expected = await gradsOn('cpu', f, inputs);
    const actual = await gradsOn('wasm', f, inputs);
    expectGradientsToMatch(actual.slice(0, 4), expected.slice(0, 4));
  });
});

describe('ResizeNearestNeighborGrad equals a direct scatter-add of dy onto the source pixels', () => {
  /** Reference: tfjs's forward mapping, written out. */
  function source(i: number, inSize: number, outSize: number, alignCorners: boolean, hpc: boolean): number {
    const a = alignCorners && outSize > 1 ? 1 : 0;
    const f = ((inSize - a) / (outSize - a)) * (hpc ? i + 0.5 : i);
    const s = Math.min(inSize - 1, alignCorners ? Math.round(f) : Math.floor(f));
    return hpc ? Math.max(0, s) : s;
  }

  const RESIZE_CASES: [number[], [number, number], boolean, boolean][] = [
    [[2, 4, 4, 3], [8, 8], false, false], // the FPN ×2 upsample, batch 2 (wrong on stock CPU; a block sum on wasm)
    [[2, 4, 4, 3], [8, 8], false, true], // ×2 with half-pixel centres: the same blocks
    [[1, 2, 3, 2], [8, 12], false, false], // ×4: a 4 × 4 block sum
    [[1, 2, 2, 1], [6, 6], false, false], // ×3 is not a power of two: the stock kernel
    [[2, 3, 5, 2], [7, 11], false, false],
    [[2, 3, 5, 2], [7, 11], true, false],
    [[2, 3, 5, 2], [7, 11], false, true], // halfPixelCenters (wrong on stock wasm)
    [[3, 6, 6, 1], [4, 3], false, true],
  ];

  it.each(RESIZE_CASES)(
    'images %j → %j, alignCorners %s, halfPixelCenters %s',
    async (shape, size, ac, hpc) => {
      const [b, h, w, c] = shape;
      const [oh, ow] = size;
      const dy = randomValues(b * oh * ow * c, 5);
      const expected = new Float32Array(b * h * w * c);
      for (let n = 0; n < b; n++)
        for (let y = 0; y < oh; y++)
          for (let x = 0; x < ow; x++)
            for (let d = 0; d < c; d++)
              expected[((n * h + source(y, h, oh, ac, hpc)) * w + source(x, w, ow, ac, hpc)) * c + d] +=
                dy[((n * oh + y) * ow + x) * c + d];
      const f = (img: tf.Tensor, r: tf.Tensor): tf.Scalar =>
        tf.sum(tf.mul(tf.image.resizeNearestNeighbor(img as tf.Tensor4D, size, ac, hpc), r));
      const inputs = [input(shape, 6), { values: dy, shape: [b, oh, ow, c] }];
      for (const backend of ['cpu', 'wasm'] as const) {
        const [g] = await gradsOn(backend, f, inputs);
        expect(relativeError(g, expected)).toBeLessThan(1e-6);
      }
    },
  );
});

describe('planPhases1D', () => {
  it('reduces to the rotated kernel with pad K−1−p for stride 1', () => {
    const p = planPhases1D(9, 9, 3, 1, 1);
    expect(p).toEqual({ U: 3, padBefore: 1, padAfter: 1, nCoarse: 9, taps: [[2, 1, 0]] });
  });

  it('splits a 3-tap stride-2 kernel into a 2-tap and a 1-tap phase sharing a 2-wide window', () => {
    // TF 'same' for H=16, K=3, s=2 pads 0 before and 1 after.
    const p = planPhases1D(16, 8, 3, 2, 0);
    expect(p.U).toBe(2);
    expect(p.taps).toEqual([
      [2, 0],
      [-1, 1],
    ]);
  });
});

describe('without the registration', () => {
  it('the stock wasm backend cannot differentiate a conv (why this module exists), and re-registering fixes it', async () => {
    wasmConvGradients.uninstall();
    try {
      await tf.setBackend('wasm');
      const x = tf.ones([1, 8, 8, 2]) as tf.Tensor4D;
      const w = tf.ones([3, 3, 2, 2]) as tf.Tensor4D;
      const g = tf.grad((k: tf.Tensor) => tf.sum(tf.conv2d(x, k as tf.Tensor4D, 1, 'same')));
      expect(() => g(w)).toThrow(/Conv2DBackpropFilter/);
      tf.dispose([x, w]);
    } finally {
      expect(wasmConvGradients.install()).toEqual([...WASM_GRADIENT_KERNELS]);
    }
  });
});
