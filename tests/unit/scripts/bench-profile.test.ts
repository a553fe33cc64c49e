/**
 * The per-kernel profiler of `npm run bench:train -- --profile` (scripts/bench-profile.ts): it wraps every kernel
 * registered for the backend (registerKernel) for the profiled steps, counts launches, splits nested kernels' time
 * out of their caller's, and puts the registry back as it was.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend } from '../../../lib/tf/backend';
import { profileSteps, formatProfile } from '../../../scripts/bench-profile';

beforeAll(async () => {
  await ensureBackend('cpu');
});

describe('profileSteps', () => {
  it('counts each kernel launch per step and restores the kernel registry', () => {
    const before = tf.getKernelsForBackend('cpu').map((k) => [k.kernelName, k.kernelFunc] as const);
    const x = tf.tensor1d([1, 2, 3]);
    const p = profileSteps(() => {
      tf.tidy(() => tf.sum(tf.mul(tf.add(x, 1), 2)));
    }, 4);
    x.dispose();
    const byName = Object.fromEntries(p.kernels.map((k) => [k.kernel, k]));
    expect(byName.Add?.launches).toBe(1);
    expect(byName.Multiply?.launches).toBe(1);
    expect(byName.Sum?.launches).toBe(1);
    expect(p.steps).toBe(4);
    expect(p.launches).toBe(p.kernels.reduce((s, k) => s + k.launches, 0));
    expect(p.kernels.reduce((s, k) => s + k.share, 0)).toBeCloseTo(1, 6);
    // The times themselves are the benchmark's to print (scripts/bench.ts --profile), not a test's to bound.
    for (const k of p.kernels) expect(Number.isFinite(k.ms), k.kernel).toBe(true);
    const after = new Map(tf.getKernelsForBackend('cpu').map((k) => [k.kernelName, k.kernelFunc] as const));
    for (const [name, fn] of before) expect(after.get(name), name).toBe(fn);
    expect(formatProfile(p).join('\n')).toMatch(/Multiply\s+1\s/);
  });

  it('restores the registry when a step throws', () => {
    const before = tf.getKernelsForBackend('cpu').map((k) => [k.kernelName, k.kernelFunc] as const);
    expect(() =>
      profileSteps(() => {
        throw new Error('boom');
      }, 1),
    ).toThrow('boom');
    const after = new Map(tf.getKernelsForBackend('cpu').map((k) => [k.kernelName, k.kernelFunc] as const));
    for (const [name, fn] of before) expect(after.get(name), name).toBe(fn);
  });
});
