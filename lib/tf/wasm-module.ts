/**
 * The project's hand-written WebAssembly kernels (lib/loss/wasm/binaryLoss.wat, lib/detector/wasm/groupNorm.wat,
 * compiled by scripts/build-wasm.mjs) instantiated on the memory of tfjs's WASM backend, so they read and write
 * tensors where tfjs keeps them: one home for finding that memory, choosing the module variant that imports it,
 * and compiling once per memory; and the backend members those kernels use.
 *
 * Synchronous compilation is allowed: each module is under the 4 kB a page's main thread may compile synchronously.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DataId, DataType, TensorInfo, TypedArray } from '@tensorflow/tfjs-core';

/** A module's bytes, base64, in the two variants: importing a plain memory / a shared one (tfjs's threaded build). */
export interface WasmVariants {
  plain: string;
  shared: string;
}

/** The part of tfjs's WASM backend that holds its Emscripten module. */
export interface TfjsWasmModuleOwner {
  /** tfjs's module: its memory is `wasmMemory` in the threaded build, `asm.memory` in the others. */
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
}

/**
 * The members of tfjs-backend-wasm 4.22's backend that this project's kernels use (not in its public types): one
 * declaration for ./wasm-zero-copy.ts, ./wasm-conv-gradients.ts, lib/loss/fusedBinary.ts and
 * lib/detector/groupNormSimd.ts.
 */
export interface TfjsWasmBackend extends TfjsWasmModuleOwner {
  /** A new tensor's data on the wasm heap (uninitialised: the heap is not zeroed). */
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  /** A typed-array view (no copy) of a tensor's data on the wasm heap; detached if the heap grows. */
  typedArrayFromHeap(t: TensorInfo): TypedArray;
  /** Where each tensor's data starts on the heap (byte offset). */
  dataIdMap: { get(id: DataId): { memoryOffset: number } | undefined };
  disposeData(dataId: DataId, force?: boolean): boolean;
}

/** A module's bytes: the variant importing a shared memory, or a plain one. */
export function moduleBytes(variants: WasmVariants, shared: boolean): Uint8Array<ArrayBuffer> {
  const text = atob(shared ? variants.shared : variants.plain);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The module's exports on `memory` (the variant for a plain or a shared memory); throws where it cannot compile (no SIMD). */
export function instantiateOnMemory(variants: WasmVariants, memory: WebAssembly.Memory): WebAssembly.Exports {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  return new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(variants, shared)), { env: { memory } })
    .exports;
}

/**
 * A getter of the module on a backend's memory, compiled once per memory: `{ memory, exports }`, or null where
 * the backend has no memory or the module cannot compile there (the caller's JavaScript loops then do the work).
 * `ready()` says whether the last lookup found the module; `activeBackend()` is tfjs's active backend where it is
 * WASM and the module runs on it, else null (for kernels called through ops, which do not get the backend).
 */
export function moduleOnTfjsMemory<T>(variants: WasmVariants): {
  (backend: TfjsWasmModuleOwner): { memory: WebAssembly.Memory; exports: T } | null;
  ready(): boolean;
  activeBackend(): TfjsWasmBackend | null;
} {
  let cached: { memory: WebAssembly.Memory; exports: T | null } | null = null;
  const get = (backend: TfjsWasmModuleOwner) => {
    const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
    if (!(memory instanceof WebAssembly.Memory)) return null;
    if (cached?.memory !== memory) {
      let exports: T | null = null;
      try {
        exports = instantiateOnMemory(variants, memory) as T;
      } catch {
        exports = null; // no WebAssembly SIMD here
      }
      cached = { memory, exports };
    }
    return cached.exports ? { memory, exports: cached.exports } : null;
  };
  const activeBackend = () => {
    const b = tf.backend() as unknown as Partial<TfjsWasmBackend>;
    if (!b.wasm || !b.makeOutput || !b.dataIdMap || !b.typedArrayFromHeap) return null;
    return get(b as TfjsWasmBackend) ? (b as TfjsWasmBackend) : null;
  };
  return Object.assign(get, { ready: () => cached?.exports != null, activeBackend });
}
