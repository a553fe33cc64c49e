/**
 * Choosing and initialising the tfjs backend, once, for both the browser and Node (tests).
 *
 * - `ensureCpuBackendSync()` is for main-thread figures that need numbers during render: the CPU backend
 *   initialises synchronously, so after the call tensors can be created and read with dataSync() at once.
 * - `ensureBackend(name)` is the general async path (WASM, WebGL): it loads the backend package on demand with a
 *   dynamic import so pages that never use it do not ship it.
 *
 * Also registers tfjs-core's gradient functions: `@tensorflow/tfjs-core` alone has none, and `tf.grad` would throw
 * "gradient function not found for Sum".
 *
 * The one place that patches tfjs kernels: a backend initialised here gets its {@link KernelPatch}es (WASM: the
 * gradient kernels of ./wasm-conv-gradients.ts and the zero-copy kernels of ./wasm-zero-copy.ts; CPU: the fixes
 * of ./cpu-fixes.ts), each installed at most once. Library code (the trainer, inference) never patches kernels.
 */
import * as tf from '@tensorflow/tfjs-core';
import './gradients';
import '@tensorflow/tfjs-backend-cpu';
import { cpuKernelFixes } from './cpu-fixes';
import type { KernelPatch } from './kernel-patch';
import type { TfjsWasmModuleOwner } from './wasm-module';

export type BackendName = 'cpu' | 'wasm' | 'webgl' | 'webgpu';

/** The WASM backend package once loaded (for its thread count). */
let wasmPackage: typeof import('@tensorflow/tfjs-backend-wasm') | null = null;
/** Whether the WASM backend's build, threads and binary path have been chosen (once, before it initialises). */
let wasmConfigured = false;

/**
 * Threads the WASM backend should use here: every logical core (at most 8) where the scope is a cross-origin
 * isolated worker, else 1: the worker's own and, for the rest, helpers of this project's kernels (./wasm-helper.ts). Without isolation there is no SharedArrayBuffer and
 * tfjs loads its single-threaded SIMD build whatever is asked. On a page's own thread (the playground's fallback
 * when no Worker starts, lib/playground/inline-worker.ts) the threaded build cannot start: its pthread workers
 * `importScripts` the script that loaded it, which in a bundled page is a module chunk, so every one fails and the
 * backend never becomes ready (measured in Chromium: 24 failed workers, the playground stuck at "loading").
 */
export function wasmThreadsWanted(
  scope: {
    crossOriginIsolated?: boolean;
    navigator?: { hardwareConcurrency?: number };
    document?: unknown;
  } = globalThis,
): number {
  if (scope.crossOriginIsolated !== true || scope.document !== undefined) return 1;
  return Math.max(1, Math.min(8, scope.navigator?.hardwareConcurrency ?? 1));
}

/** Helper threads running this project's WASM kernels beside the worker's own (./wasm-helper.ts); 0 without. */
let wasmHelperThreads = 0;

/**
 * Threads the active backend computes with: for WASM, XNNPACK's pool (one thread where helpers run) plus the
 * helper threads of this project's kernels; 1 for every other backend.
 */
export function backendThreads(): number {
  if (tf.getBackend() !== 'wasm' || wasmPackage === null) return 1;
  try {
    return wasmPackage.getThreadsCount() + wasmHelperThreads;
  } catch {
    return 1;
  }
}

/**
 * With tfjs's threaded build, `count` helper threads for this project's own WASM kernels (./wasm-helper.ts), which
 * run every conv and conv gradient of a training step. Where they cannot start, the kernels run on one thread.
 */
async function startWasmHelpers(count: number): Promise<void> {
  const memory = (tf.backend() as unknown as Partial<TfjsWasmModuleOwner>).wasm?.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) return;
  const { startHelperOn } = await import('./wasm-helper');
  if (await startHelperOn(memory, count).catch(() => false)) wasmHelperThreads = count;
}

/** In-flight initialisations, so concurrent callers share one setBackend. */
const pending = new Map<BackendName, Promise<string>>();
/** Backends initialised here, patches included (one that tfjs picked by itself has none yet). */
const initialised = new Set<BackendName>();

/**
 * Loads the backend package (and, for WASM, its patches: loaded on demand like the package, which they import);
 * returns the kernel patches the backend needs.
 */
async function registerBackendPackage(name: BackendName, wasmPath?: string): Promise<KernelPatch[]> {
  if (name === 'wasm') {
    const [wasm, { wasmConvGradients }, { wasmZeroCopy }, { wasmConvForward }, { wasmColumnSum }] =
      await Promise.all([
        import('@tensorflow/tfjs-backend-wasm'),
        import('./wasm-conv-gradients'),
        import('./wasm-zero-copy'),
        import('./conv-direct'),
        import('./conv-filter-grad'),
      ]);
    wasmPackage = wasm;
    if (!wasmConfigured) {
      wasmConfigured = true;
      // All of this must happen before the WASM backend starts initialising, and `tf.findBackend('wasm')` or
      // `tf.getBackend()` would start it (tfjs initialises a registered backend on lookup), so nothing here asks.
      const threads = wasmThreadsWanted();
      // One thread wanted: the single-threaded build, which tfjs would not pick by itself where the scope is
      // cross-origin isolated (it loads the threaded one whenever SharedArrayBuffer works). Set before the flag's
      // first read: a read already in flight would overwrite it.
      if (threads === 1) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      // Cross-origin isolated, tfjs picks its threaded SIMD build (tfjs-backend-wasm-threaded-simd.wasm, copied by
      // scripts/copy-tfjs-wasm.mjs), whose memory is shared. Its XNNPACK pool stays at one thread: the other cores
      // go to the helpers of this project's conv kernels (started once the backend is up), which do the bulk of a
      // training step, and XNNPACK's pool threads would spin on those cores after each of tfjs's own kernels.
      // Chromium, 2 cores, batch 16: 72 ms a step so, against 93–96 ms with a pool of two beside the helper.
      wasm.setThreadsCount(1);
      // In the browser the .wasm binaries are served from e.g. '/tfjs/'; in Node they load from node_modules.
      if (wasmPath !== undefined) wasm.setWasmPaths(wasmPath);
    }
    return [wasmConvGradients, wasmZeroCopy, wasmConvForward, wasmColumnSum];
  }
  if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
  // WebGPU's kernels cover every kernel a training step launches, gradients included (checked by
  // tests/unit/tf/gpu-kernel-coverage.test.ts), so it needs no patches.
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  return name === 'cpu' ? [cpuKernelFixes] : [];
}

/**
 * Makes `name` the active tfjs backend, with its kernel patches, and waits until it is ready; later calls with the
 * same name are cheap. (A backend made active by `tf.setBackend` directly has no patches: install them by hand.)
 *
 * @param name 'cpu' (default), 'wasm', 'webgl' or 'webgpu'
 * @param wasmPath folder (ending in '/') or URL prefix the .wasm files are served from; only used for 'wasm'
 *   the first time it is initialised
 * @returns the active backend's name
 * @throws Error if the backend cannot be initialised (e.g. no WebGL in this browser)
 */
export function ensureBackend(name: BackendName = 'cpu', wasmPath?: string): Promise<string> {
  if (tf.getBackend() === name && tf.findBackend(name) !== null && initialised.has(name)) {
    return Promise.resolve(name);
  }
  const inFlight = pending.get(name);
  if (inFlight) return inFlight.then(() => (tf.getBackend() === name ? name : ensureBackend(name, wasmPath)));
  const p = (async () => {
    const patches = await registerBackendPackage(name, wasmPath);
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`tfjs backend '${name}' failed to initialise`);
    await tf.ready();
    for (const patch of patches) patch.install();
    if (name === 'wasm' && wasmThreadsWanted() > 1) await startWasmHelpers(wasmThreadsWanted() - 1);
    initialised.add(name);
    return tf.getBackend();
  })();
  pending.set(name, p);
  // Let a failed attempt be retried rather than caching the rejection.
  p.finally(() => pending.delete(name)).catch(() => undefined);
  return p;
}

/**
 * Makes the CPU backend active synchronously, with its kernel fixes, for figures computed on the main thread
 * during render.
 *
 * tf.setBackend returns a promise, but for 'cpu' the body runs to completion before returning (no async init),
 * so the backend is usable immediately after this call. Switches away from another active backend (tensors
 * already created there stay there and remain readable).
 *
 * @returns 'cpu'
 */
export function ensureCpuBackendSync(): 'cpu' {
  if (tf.getBackend() !== 'cpu') {
    tf.setBackend('cpu').catch(() => undefined); // failure is reported by the check below
  }
  if (tf.getBackend() !== 'cpu' || tf.findBackend('cpu') === null) {
    throw new Error('the tfjs CPU backend did not initialise synchronously');
  }
  cpuKernelFixes.install();
  return 'cpu';
}

/**
 * Backends whose synchronous read (`dataSync`) does not work: tfjs's WebGPU backend reads synchronously through a
 * canvas, which gives zeros on SwiftShader (measured in Chromium) and stalls the pipeline on a real GPU.
 */
const NO_SYNC_READS: ReadonlySet<string> = new Set(['webgpu']);

/**
 * Runs `f` where a synchronous read works: on the active backend, or, while that is WebGPU, on the CPU backend
 * for the duration of the call (then back; the switch is synchronous for backends already initialised). For small
 * computations on plain arrays that end in `dataSync` (the playground worker's loss curves and Figure 4 of its
 * probe outputs): `f` must not use tensors that live on the active backend.
 */
export function withSyncReads<T>(f: () => T): T {
  const active = tf.getBackend();
  if (!NO_SYNC_READS.has(active)) return f();
  ensureCpuBackendSync();
  try {
    return f();
  } finally {
    tf.setBackend(active).catch(() => undefined);
  }
}
