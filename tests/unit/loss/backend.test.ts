/**
 * lib/tf/backend: synchronous CPU selection for main-thread figures and the async path for WASM.
 * (Lives next to the loss tests because the curve helpers are what it must make usable at once.)
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend, ensureCpuBackendSync } from '../../../lib/tf/backend';
import { gradientCurve, lossCurve } from '../../../lib/loss';
import { expectAllFinite } from '../../helpers/close';

describe('ensureCpuBackendSync', () => {
  it('makes CPU active synchronously so the curve helpers work on the very next line', () => {
    expect(ensureCpuBackendSync()).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const curve = lossCurve({ pt: [0.1, 0.5, 0.9], gamma: 2, alpha: null });
    expect(curve).toHaveLength(3);
    expectAllFinite(curve);
    expectAllFinite(gradientCurve({ logits: [-1, 0, 1], gamma: 0.5, alpha: 0.25, target: 1 }));
  });

  it('switches back from WASM without awaiting', async () => {
    expect(await ensureBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    ensureCpuBackendSync();
    expect(tf.getBackend()).toBe('cpu');
    expectAllFinite(lossCurve({ pt: [0.2, 0.8], gamma: 1, alpha: null }));
  });
});

describe('ensureBackend', () => {
  it('initialises WASM once for concurrent callers and resolves to its name', async () => {
    const [a, b] = await Promise.all([ensureBackend('wasm'), ensureBackend('wasm')]);
    expect([a, b]).toEqual(['wasm', 'wasm']);
    expect(tf.getBackend()).toBe('wasm');
    expectAllFinite(lossCurve({ pt: [0.2, 0.8], gamma: 2, alpha: 0.25 }));
  });

  it('defaults to CPU', async () => {
    expect(await ensureBackend()).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });
});
