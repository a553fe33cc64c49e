/**
 * The zero-copy WASM Slice / SplitV / Identity kernels and the row-copy GatherV2 of lib/tf/wasm-zero-copy.ts
 * (`wasmZeroCopy`) must give exactly the stock kernels' results: contiguous and strided slices, rank 1 and 4,
 * float32 and int32, splits, and gathers along every axis with rows short and long, and with batchDims.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { wasmZeroCopy } from '../../../lib/tf/wasm-zero-copy';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

describe('wasmZeroCopy', () => {
  it('slices and splits exactly like the stock kernels once installed', () => {
    // The stock kernels first, whatever ran before in this process (ensureBackend installs the patch).
    wasmZeroCopy.uninstall();
    const x = tf.tensor(
      Float32Array.from({ length: 2 * 5 * 6 * 3 }, (_, i) => i),
      [2, 5, 6, 3],
    );
    const xi = tf.cast(x, 'int32');
    const cases: [number[], number[]][] = [
      [
        [0, 0, 0, 0],
        [2, 5, 6, 3],
      ],
      [
        [1, 2, 1, 0],
        [1, 2, 4, 3],
      ],
      [
        [0, 1, 0, 1],
        [2, 3, 6, 2],
      ],
      [
        [0, 0, 3, 0],
        [2, 5, 3, 3],
      ],
      [
        [1, 4, 5, 2],
        [1, 1, 1, 1],
      ],
    ];
    const before = cases.map(([b, s]) => tf.slice(x, b, s).arraySync());
    const beforeInt = cases.map(([b, s]) => tf.slice(xi, b, s).arraySync());
    const splitBefore = tf.split(x, [2, 1, 3], 2).map((t) => t.arraySync());
    const stockSlice = tf.getKernel('Slice', 'wasm');
    wasmZeroCopy.install();
    expect(tf.getKernel('Slice', 'wasm'), 'the Slice kernel was replaced').not.toBe(stockSlice);
    cases.forEach(([b, s], i) => {
      expect(tf.slice(x, b, s).arraySync()).toEqual(before[i]);
      expect(tf.slice(xi, b, s).arraySync()).toEqual(beforeInt[i]);
    });
    expect(tf.split(x, [2, 1, 3], 2).map((t) => t.arraySync())).toEqual(splitBefore);
    expect(tf.slice(tf.tensor1d([1, 2, 3, 4]), 1, 2).arraySync()).toEqual([2, 3]);
  });

  it('gathers exactly like the stock kernel once installed', () => {
    wasmZeroCopy.uninstall();
    const x = tf.tensor(
      Float32Array.from({ length: 3 * 4 * 20 }, (_, i) => i * 0.5 - 7),
      [3, 4, 20],
    );
    const xi = tf.cast(x, 'int32');
    const idx1 = tf.tensor1d([2, 0, 2, 1], 'int32');
    const idx2 = tf.tensor2d([0, 3, 3, 1, 0, 2], [3, 2], 'int32');
    const rows = tf.tensor2d(
      Float32Array.from({ length: 30 * 32 }, (_, i) => Math.sin(i)),
      [30, 32],
    );
    const idxRows = tf.tensor1d([29, 0, 7, 7, 13], 'int32');
    const cases = (): tf.Tensor[] => [
      tf.gather(x, idx1, 0),
      tf.gather(x, idx2, 1),
      tf.gather(x, tf.tensor1d([19, 0, 5], 'int32'), 2),
      tf.gather(x, tf.tensor1d([4, 1], 'int32'), -1),
      tf.gather(xi, idx2, 1),
      tf.gather(rows, idxRows, 0), // rows of 32
      tf.gather(x, tf.tensor1d([], 'int32'), 0),
      tf.gather(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), tf.tensor2d([2, 0, 1, 1], [2, 2], 'int32'), 1, 1),
    ];
    const before = cases().map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
    const stockGather = tf.getKernel('GatherV2', 'wasm');
    wasmZeroCopy.install();
    expect(tf.getKernel('GatherV2', 'wasm'), 'the GatherV2 kernel was replaced').not.toBe(stockGather);
    expect(cases().map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }))).toEqual(before);
    const [three, minusOne] = [tf.tensor1d([3], 'int32'), tf.tensor1d([-1], 'int32')];
    const bytes = tf.memory().numBytes;
    expect(() => tf.gather(x, three, 0)).toThrow(/not in \[0, 2\]/);
    expect(() => tf.gather(x, minusOne, 1)).toThrow(/not in \[0, 3\]/);
    expect(tf.memory().numBytes, 'a bad index allocates nothing').toBe(bytes);
  });

  it('is idempotent and leaves the tensor count unchanged', () => {
    wasmZeroCopy.install();
    expect(wasmZeroCopy.install(), 'a second install registers nothing').toEqual([]);
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const before = tf.memory().numTensors;
    const parts = tf.split(x, 3, 1);
    expect(parts.map((p) => p.arraySync())).toEqual([
      [[1], [4]],
      [[2], [5]],
      [[3], [6]],
    ]);
    tf.dispose(parts);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
