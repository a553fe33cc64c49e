/**
 * Helper threads for this project's own WebAssembly kernels (./wasm/*.wat): workers that instantiate them on tfjs's
 * shared memory (the threaded build's) and run a call's rows alongside this thread, synchronised through Atomics on
 * a small SharedArrayBuffer. With them, the conv kernels (./conv-direct.ts, ./conv-filter-grad.ts) and the
 * per-element loss (lib/loss/fusedBinary.ts) use every core,
 * and tfjs's XNNPACK pool is kept at one thread (./backend.ts): its pool threads spin for about a millisecond after
 * each of its calls, on the cores the helpers need.
 *
 * Only where tfjs's memory is a SharedArrayBuffer (cross-origin isolated, threaded build) and in a worker, where
 * Atomics.wait may block (a page's main thread may not). Everywhere else the kernels run on one thread, unchanged.
 *
 * A job is a range of rows [0, total) cut into chunks that every thread takes in turn from one atomic counter until
 * none is left, so the split follows each thread's real speed (a fixed half for a helper that wakes late, or shares
 * its core, finishes no sooner than one thread alone: measured in Chromium, 1.9 ms either way against 1.1 ms with
 * the queue). Each chunk is computed by one thread with the same code, so the result is bit-identical however the
 * chunks fall.
 *
 * The protocol (control = Int32Array on its own SharedArrayBuffer):
 *   [0] job sequence number, written last by this thread (Atomics.store + notify); −1 stops the helpers;
 *   [1] helpers done with the job (each adds 1), [8] 1 when a helper's call threw;
 *   [2] which function (index into the table sent at start), [3] argument count,
 *   [4] the index of the argument pair (first row, end row) of a chunk, [5] rows in all, [6] rows per chunk,
 *   [7] the next chunk (Atomics.add), [9 …] the i32 arguments.
 */
import { BINARY_LOSS_WASM } from '../loss/wasm/binaryLossWasm';
import { runIdleSlice } from './idle-work';
import { CONV_WASM } from './wasm/convWasm';
import { FILTER_GRAD_WASM } from './wasm/filterGradWasm';
import { moduleBytes } from './wasm-module';

/** Where a job's arguments start in the control array. */
const ARGS_AT = 9;

/** The helpers' source: plain JavaScript, started from a blob: URL (CSP worker-src allows blob:, scripts/csp.mjs). */
export const HELPER_SOURCE = `
onmessage = (e) => {
  const { memory, modules, fns, control } = e.data;
  const ctrl = new Int32Array(control);
  const table = [];
  try {
    const inst = {};
    for (const name of Object.keys(modules)) {
      inst[name] = new WebAssembly.Instance(modules[name], { env: { memory } }).exports;
    }
    for (const [m, f] of fns) table.push(inst[m] ? inst[m][f] : null);
  } catch (err) {
    postMessage({ ok: false, error: String(err) });
    return;
  }
  postMessage({ ok: true });
  let seen = 0;
  for (;;) {
    Atomics.wait(ctrl, 0, seen);
    const seq = Atomics.load(ctrl, 0);
    if (seq < 0) return;
    if (seq === seen) continue;
    seen = seq;
    const f = table[ctrl[2]];
    const args = [];
    for (let i = 0; i < ctrl[3]; i++) args.push(ctrl[${ARGS_AT} + i]);
    const at = ctrl[4], total = ctrl[5], chunk = ctrl[6];
    try {
      for (;;) {
        const r0 = Atomics.add(ctrl, 7, 1) * chunk;
        if (r0 >= total) break;
        args[at] = r0;
        args[at + 1] = Math.min(total, r0 + chunk);
        f(...args);
      }
    } catch {
      Atomics.store(ctrl, 8, 1);
    }
    Atomics.add(ctrl, 1, 1);
    Atomics.notify(ctrl, 1);
  }
};
`;

/** The part of a Worker the helper needs (a browser Worker, or a Node worker_threads shim in tests). */
export interface HelperWorker {
  postMessage(message: unknown): void;
  addEventListener(type: 'message' | 'error', listener: (event: { data?: unknown }) => void): void;
  terminate(): void;
}

/** The functions a helper can run: [module name, export name]; a job names one by its index here. */
export const HELPER_FUNCTIONS = [
  ['filterGrad', 'filterGrad'],
  ['conv', 'conv'],
  ['binaryLoss', 'binaryLossRows'],
] as const;
export type HelperFunction = (typeof HELPER_FUNCTIONS)[number][1];

const MAX_ARGS = 24;
/** The fewest chunks a job must have for this thread to run idle work in it (see `shareRows`). */
const IDLE_WORK_MIN_CHUNKS = 64;
/** How long this thread waits for the helper's share before doing it itself and retiring the helper. */
const HELPER_TIMEOUT_MS = 10_000;

/** Started helpers: run a call's rows with this thread. */
export interface KernelHelper {
  /** Helper threads (not counting this one). */
  readonly threads: number;
  /**
   * Runs `fn(...args)` over rows [0, total) in chunks of `chunk` rows on every thread: args[at], args[at + 1] are
   * each chunk's first and end row; `here(r0, r1)` runs a chunk on this thread, which first runs slices of its
   * queued idle work (./idle-work.ts) while chunks remain for the helpers. Returns once every chunk is done; where
   * a helper failed or timed out, this thread does them all again. Synchronous.
   */
  shareRows(
    fn: HelperFunction,
    args: number[],
    at: number,
    total: number,
    chunk: number,
    here: (r0: number, r1: number) => void,
  ): void;
  /** Stops the helpers' workers. */
  stop(): void;
}

/**
 * Starts `count` helpers on `memory` (shared) with the compiled `modules` (by the module names of
 * {@link HELPER_FUNCTIONS}; a job may only name a function whose module was given); resolves to them once every
 * helper's instances exist, or to null where they cannot start (no SharedArrayBuffer, a worker failed,
 * instantiation failed).
 */
export function startKernelHelper(
  spawn: () => HelperWorker,
  memory: WebAssembly.Memory,
  modules: Record<string, WebAssembly.Module>,
  count = 1,
): Promise<KernelHelper | null> {
  if (
    typeof SharedArrayBuffer === 'undefined' ||
    !(memory.buffer instanceof SharedArrayBuffer) ||
    count < 1
  ) {
    return Promise.resolve(null);
  }
  const workers: HelperWorker[] = [];
  try {
    for (let i = 0; i < count; i++) workers.push(spawn());
  } catch {
    for (const w of workers) w.terminate();
    return Promise.resolve(null);
  }
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * (ARGS_AT + MAX_ARGS)));
  let seq = 0;
  let alive = true;
  const retire = () => {
    if (!alive) return;
    alive = false;
    Atomics.store(ctrl, 0, -1);
    Atomics.notify(ctrl, 0);
    for (const w of workers) w.terminate();
  };
  const helper: KernelHelper = {
    threads: count,
    shareRows(fn, args, at, total, chunk, here) {
      const all = () => {
        for (let r0 = 0; r0 < total; r0 += chunk) here(r0, Math.min(total, r0 + chunk));
      };
      if (!alive || args.length > MAX_ARGS) {
        all();
        return;
      }
      seq = seq >= 0x3fffffff ? 1 : seq + 1;
      Atomics.store(ctrl, 1, 0);
      Atomics.store(ctrl, 8, 0);
      ctrl[2] = HELPER_FUNCTIONS.findIndex(([, f]) => f === fn);
      ctrl[3] = args.length;
      ctrl[4] = at;
      ctrl[5] = total;
      ctrl[6] = chunk;
      Atomics.store(ctrl, 7, 0);
      for (let i = 0; i < args.length; i++) ctrl[ARGS_AT + i] = args[i];
      Atomics.store(ctrl, 0, seq);
      Atomics.notify(ctrl, 0);
      try {
        // While the helpers still have chunks to take, this thread does its own queued JavaScript (./idle-work.ts);
        // only in jobs of many chunks, where a slice (a fraction of a millisecond) cannot outlast the helpers' work.
        if (total >= IDLE_WORK_MIN_CHUNKS * chunk) {
          while (Atomics.load(ctrl, 7) * chunk < total && runIdleSlice());
        }
        for (;;) {
          const r0 = Atomics.add(ctrl, 7, 1) * chunk;
          if (r0 >= total) break;
          here(r0, Math.min(total, r0 + chunk));
        }
      } finally {
        // Wait for every helper even when `here` threw: their writes must end before the caller frees anything,
        // and the next job may not reset the queue under a helper still reading it.
        const deadline = Date.now() + HELPER_TIMEOUT_MS;
        let done = Atomics.load(ctrl, 1);
        while (done < count) {
          const left = deadline - Date.now();
          if (left <= 0) break;
          Atomics.wait(ctrl, 1, done, left);
          done = Atomics.load(ctrl, 1);
        }
        const failed = Atomics.load(ctrl, 8) !== 0;
        if (done < count) retire(); // timed out: never let them write into memory the caller reuses
        if (done < count || failed) all();
      }
    },
    stop: retire,
  };
  return new Promise((resolve) => {
    let ready = 0;
    let settled = false;
    const fail = () => {
      retire();
      if (!settled) resolve(null);
      settled = true;
    };
    for (const worker of workers) {
      worker.addEventListener('message', (e) => {
        if ((e.data as { ok?: boolean } | undefined)?.ok !== true) return fail();
        if (++ready === count && !settled) {
          settled = true;
          resolve(helper);
        }
      });
      worker.addEventListener('error', fail);
      worker.postMessage({ memory, modules, fns: HELPER_FUNCTIONS, control: ctrl.buffer });
    }
  });
}

/** The helper running on a memory (at most one: tfjs has one WASM backend), for the kernels to find. */
let current: { memory: WebAssembly.Memory; helper: KernelHelper } | null = null;

/** The helper running on `memory`, or null. */
export function kernelHelperOn(memory: WebAssembly.Memory): KernelHelper | null {
  return current?.memory === memory ? current.helper : null;
}

/**
 * Starts `count` helpers for tfjs's memory where they can run (shared memory, in a worker: see the module comment)
 * and makes them the ones {@link kernelHelperOn} finds; resolves to whether they run. Idempotent per memory.
 */
export async function startHelperOn(
  memory: WebAssembly.Memory,
  count: number,
  spawn: () => HelperWorker = spawnBrowserHelper,
): Promise<boolean> {
  if (current?.memory === memory) return true;
  const inWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
  if (!inWorker || typeof Worker === 'undefined') return false;
  const modules = {
    filterGrad: new WebAssembly.Module(moduleBytes(FILTER_GRAD_WASM, true)),
    conv: new WebAssembly.Module(moduleBytes(CONV_WASM, true)),
    binaryLoss: new WebAssembly.Module(moduleBytes(BINARY_LOSS_WASM, true)),
  };
  const helper = await startKernelHelper(spawn, memory, modules, count);
  if (!helper) return false;
  current?.helper.stop();
  current = { memory, helper };
  return true;
}

/** A browser helper worker from {@link HELPER_SOURCE}, or throws where workers cannot start. */
export function spawnBrowserHelper(): HelperWorker {
  const url = URL.createObjectURL(new Blob([HELPER_SOURCE], { type: 'text/javascript' }));
  try {
    return new Worker(url, { name: 'focal-lab-kernel-helper' }) as unknown as HelperWorker;
  } finally {
    // The worker has its script once constructed.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
