/**
 * The fused GroupNorm (+ ReLU) of lib/detector/groupNorm.ts beyond the golden set (tests/golden/groupnorm.test.ts,
 * against PyTorch): the WASM kernels' SIMD passes against their JavaScript loops, the fallback where C is not a
 * multiple of 4, the compiled module against its .wat, memory hygiene (tensors and the kernels' scratch), and a
 * clear error for groups that do not divide the channels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { ensureBackend } from '../../../lib/tf/backend';
import {
  FUSED_GROUP_NORM_FLAG,
  FUSED_GROUP_NORM_SIMD_FLAG,
  fusedGroupNormAvailable,
  groupNormRelu,
} from '../../../lib/detector/groupNorm';
import { GROUP_NORM_WASM } from '../../../lib/detector/wasm/groupNormWasm';
import { expectClose } from '../../helpers/close';

/** Seeded pseudo-random values (a linear congruential generator), offset + spread·U(−1, 1). */
function values(n: number, seed: number, offset = 0, spread = 1): Float32Array {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = offset + spread * (2 * (s / 2 ** 32) - 1);
  }
  return a;
}

/** y and the gradients of Σ dy·y with respect to x, scale, shift, as arrays, with the flags as given. */
function run(
  shape: [number, number, number, number],
  groups: number,
  relu: boolean,
  flags: { fused: boolean; simd: boolean },
  offset = 0,
) {
  tf.env().set(FUSED_GROUP_NORM_FLAG, flags.fused);
  tf.env().set(FUSED_GROUP_NORM_SIMD_FLAG, flags.simd);
  try {
    return tf.tidy(() => {
      const n = shape.reduce((a, b) => a * b, 1);
      const C = shape[3];
      const x = tf.tensor4d(values(n, 1, offset, 2), shape);
      const scale = tf.tensor1d(values(C, 2, 1, 0.5));
      const shift = tf.tensor1d(values(C, 3, 0, 0.3));
      const dy = tf.tensor4d(values(n, 4), shape);
      const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.mul(groupNormRelu(a as tf.Tensor4D, b, c, groups, relu), dy)) as tf.Scalar;
      const [dx, dscale, dshift] = tf.grads(f)([x, scale, shift]);
      const y = groupNormRelu(x, scale, shift, groups, relu);
      return [y, dx, dscale, dshift].map((t) => Array.from(t.dataSync()));
    });
  } finally {
    tf.env().set(FUSED_GROUP_NORM_FLAG, true);
    tf.env().set(FUSED_GROUP_NORM_SIMD_FLAG, true);
  }
}

const TOL = { atol: 2e-5, rtol: 2e-5 };
const NAMES = ['y', 'dx', 'dscale', 'dshift'];

describe('fused GroupNorm on WASM', () => {
  beforeAll(async () => {
    await ensureBackend('wasm');
  });
  afterAll(() => {
    tf.env().set(FUSED_GROUP_NORM_FLAG, true);
    tf.env().set(FUSED_GROUP_NORM_SIMD_FLAG, true);
  });

  it('is what lib/detector/wasm/groupNormWasm.ts holds: the .wat compiled by scripts/build-wasm.mjs', async () => {
    // @ts-expect-error -- plain ESM script without type declarations
    const { compile } = await import('../../../scripts/build-wasm.mjs');
    expect(await compile('groupNorm')).toEqual(GROUP_NORM_WASM);
  });

  it('is the path the model takes here', () => {
    expect(fusedGroupNormAvailable()).toBe(true);
  });

  // The backbone's shapes (C/G = 2 and 4), with and without ReLU, one with |μ| ≫ σ.
  const cases: [string, [number, number, number, number], number, boolean, number][] = [
    ['stem-like, C/G = 2, ReLU', [3, 8, 8, 16], 8, true, 0],
    ['C/G = 4, no ReLU', [2, 4, 6, 32], 8, false, 0.5],
    ['one group, offset 300', [2, 5, 3, 8], 1, false, 300],
  ];
  for (const [name, shape, groups, relu, offset] of cases) {
    it(`SIMD passes agree with the JavaScript loops and with tfjs ops: ${name}`, () => {
      const simd = run(shape, groups, relu, { fused: true, simd: true }, offset);
      const js = run(shape, groups, relu, { fused: true, simd: false }, offset);
      const ops = run(shape, groups, relu, { fused: false, simd: true }, offset);
      simd.forEach((v, i) => expectClose(v, js[i], TOL, `${NAMES[i]} SIMD vs JS`));
      // tfjs ops sum in float32: a looser bound, and none at all for the offset case (the golden test says why).
      if (offset < 100) simd.forEach((v, i) => expectClose(v, ops[i], { atol: 2e-4, rtol: 1e-3 }, NAMES[i]));
    });
  }

  it('falls back to the JavaScript loops where C is not a multiple of 4, with the same numbers', () => {
    const shape: [number, number, number, number] = [2, 3, 3, 6];
    const fused = run(shape, 3, true, { fused: true, simd: true });
    const ops = run(shape, 3, true, { fused: false, simd: true });
    fused.forEach((v, i) => expectClose(v, ops[i], { atol: 2e-4, rtol: 1e-3 }, NAMES[i]));
  });

  it('leaks no tensor and frees its scratch memory', () => {
    const backend = tf.backend() as unknown as { numDataIds(): number };
    run([2, 4, 4, 16], 8, true, { fused: true, simd: true }); // warm: module compiled, heap grown
    const tensors = tf.memory().numTensors;
    const data = backend.numDataIds();
    run([2, 4, 4, 16], 8, true, { fused: true, simd: true });
    run([2, 3, 3, 6], 3, false, { fused: true, simd: true });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(data);
    // Outside tf.tidy and without a tape: the kernel's μ and r outputs are freed with the call.
    const [x, scale, shift] = [tf.ones([1, 2, 2, 8]) as tf.Tensor4D, tf.ones([8]), tf.zeros([8])];
    const before = tf.memory().numTensors;
    groupNormRelu(x, scale, shift, 4).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, scale, shift]);
  });

  it('says so when the groups do not divide the channels', () => {
    const [x, scale, shift] = [tf.zeros([1, 2, 2, 6]) as tf.Tensor4D, tf.ones([6]), tf.zeros([6])];
    expect(() => groupNormRelu(x, scale, shift, 4)).toThrow(/6 channels cannot be split into 4 groups/);
    tf.dispose([x, scale, shift]);
  });
});
