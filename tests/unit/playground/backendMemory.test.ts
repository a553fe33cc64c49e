/** The remembered backend choice (lib/playground/backendMemory.ts): validated reads, storage that throws. */
import { describe, expect, it } from 'vitest';
import {
  BACKEND_MEMORY_KEY,
  parseRemembered,
  storageBackendMemory,
} from '../../../lib/playground/backendMemory';

describe('parseRemembered', () => {
  it('reads a well-formed value and drops bad timings', () => {
    const text = JSON.stringify({
      backend: 'webgpu',
      measured: [
        { backend: 'webgpu', msPerStep: 30 },
        { backend: 'webgl', msPerStep: -1 },
        { backend: 'gpu', msPerStep: 10 },
        null,
      ],
      at: '2026-12-05T21:00:00Z',
    });
    expect(parseRemembered(text)).toEqual({
      backend: 'webgpu',
      measured: [{ backend: 'webgpu', msPerStep: 30 }],
      at: '2026-12-05T21:00:00Z',
    });
  });

  it('returns null for anything else', () => {
    for (const t of [
      null,
      '',
      'x',
      '1',
      'null',
      '{"backend":"tpu","measured":[],"at":""}',
      '{"backend":"wasm"}',
    ]) {
      expect(parseRemembered(t), String(t)).toBeNull();
    }
  });
});

describe('storageBackendMemory', () => {
  it('writes, reads and forgets under its key', () => {
    const map = new Map<string, string>();
    const m = storageBackendMemory({
      getItem: (k) => map.get(k) ?? null,
      setItem: (k, v) => void map.set(k, v),
      removeItem: (k) => void map.delete(k),
    });
    m.write({ backend: 'wasm', measured: [{ backend: 'wasm', msPerStep: 100 }], at: 'now' });
    expect(map.has(BACKEND_MEMORY_KEY)).toBe(true);
    expect(m.read()?.backend).toBe('wasm');
    m.forget();
    expect(m.read()).toBeNull();
  });

  it('remembers nothing, and throws nothing, where storage throws', () => {
    const boom = () => {
      throw new Error('SecurityError');
    };
    const m = storageBackendMemory({ getItem: boom, setItem: boom, removeItem: boom });
    expect(() => m.write({ backend: 'wasm', measured: [], at: 'now' })).not.toThrow();
    expect(m.read()).toBeNull();
    expect(() => m.forget()).not.toThrow();
  });
});
