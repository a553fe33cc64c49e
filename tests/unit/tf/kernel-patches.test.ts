/**
 * Who patches tfjs kernels, and how often: a KernelPatch installs at most once and puts the stock kernels back;
 * `ensureBackend` (lib/tf/backend.ts) is the one place that installs them; the trainer and inference change no
 * global kernel. The kernels themselves are tested in wasm-conv-gradients.test.ts, conv-direct.test.ts and
 * wasm-zero-copy.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { createTrainer, trainingBatch } from '../../../lib/detector/train';
import { ensureBackend, ensureCpuBackendSync } from '../../../lib/tf/backend';
import { cpuKernelFixes } from '../../../lib/tf/cpu-fixes';
import { KernelPatch } from '../../../lib/tf/kernel-patch';
import { WASM_GRADIENT_KERNELS, wasmConvGradients } from '../../../lib/tf/wasm-conv-gradients';
import { wasmZeroCopy } from '../../../lib/tf/wasm-zero-copy';
import { WASM_CONV_KERNELS, wasmConvForward } from '../../../lib/tf/conv-direct';
import { wasmColumnSum } from '../../../lib/tf/conv-filter-grad';

/** Every kernel the patches can touch, as registered right now (the config objects, compared by identity). */
function registry(): Map<string, tf.KernelConfig | undefined> {
  const names = [...WASM_GRADIENT_KERNELS, ...WASM_CONV_KERNELS, 'Sum', 'Slice', 'SplitV', 'Identity'];
  return new Map(names.map((n) => [`wasm/${n}`, tf.getKernel(n, 'wasm')] as const));
}

afterAll(() => ensureCpuBackendSync());

describe('KernelPatch', () => {
  const kernel: tf.KernelFunc = () => {
    throw new Error('not called');
  };
  const patch = new KernelPatch('cpu', () => [{ kernelName: 'KernelPatchTestOnly', kernelFunc: kernel }]);

  it('installs once: a second install registers nothing', () => {
    expect(patch.install()).toEqual(['KernelPatchTestOnly']);
    expect(patch.install()).toEqual([]);
    expect(tf.getKernel('KernelPatchTestOnly', 'cpu')?.kernelFunc).toBe(kernel);
  });

  it('uninstall restores the registry as it was (here: no such kernel)', () => {
    patch.uninstall();
    expect(patch.installed).toBe(false);
    expect(tf.getKernel('KernelPatchTestOnly', 'cpu')).toBeUndefined();
  });
});

describe('ensureBackend installs each backend’s patches', () => {
  it('WASM gets the gradient, conv and zero-copy kernels, and a second call changes nothing', async () => {
    await ensureBackend('wasm');
    expect(wasmConvGradients.installed && wasmZeroCopy.installed && wasmConvForward.installed).toBe(true);
    expect(wasmColumnSum.installed).toBe(true);
    const before = registry();
    await ensureBackend('wasm');
    expect(registry()).toEqual(before);
  });

  it('CPU gets its fixes, also through the synchronous path', async () => {
    cpuKernelFixes.uninstall();
    ensureCpuBackendSync();
    expect(cpuKernelFixes.installed).toBe(true);
    expect(await ensureBackend('cpu')).toBe('cpu');
    expect(cpuKernelFixes.installed).toBe(true);
  });
});

describe('the trainer and inference change no global kernel', () => {
  it('creating a trainer and taking a step on WASM leaves the registry as it was', async () => {
    await ensureBackend('wasm');
    wasmZeroCopy.uninstall(); // the kernels createTrainer used to install behind the caller's back
    try {
      const before = registry();
      const trainer = createTrainer({ steps: 1 });
      trainer.step(trainingBatch(1, 0, 1));
      trainer.dispose();
      expect(registry()).toEqual(before);
    } finally {
      wasmZeroCopy.install();
    }
  });
});
