/**
 * A second thread for this project's own WebAssembly kernels (./wasm/*.wat): a worker that instantiates them on
 * tfjs's shared memory (the threaded build's) and runs one call's share of rows while this thread runs the other,
 * synchronised through Atomics on a small SharedArrayBuffer. XNNPACK's own thread pool only serves tfjs's C++
 * kernels; without this, our kernels would leave the second core idle.
 *
 * Only where tfjs's memory is a SharedArrayBuffer (cross-origin isolated, threaded build) and in a worker, where
 * Atomics.wait may block (a page's main thread may not). Everywhere else the kernels run on one thread, unchanged.
 *
 * A job is a range of rows [0, total) cut into chunks that both threads take in turn from one atomic counter
 * until none is left, so the split follows each thread's real speed: right after one of tfjs's parallel kernels
 * XNNPACK's pool thread keeps spinning for about a millisecond on the second core, and a fixed half for the helper
 * then finished no sooner than one thread alone (measured in Chromium: 1.9 ms either way, 1.1 ms with the helper
 * once the spinning had stopped). Each chunk is computed by one thread with the same code, so the result is
 * bit-identical however the chunks fall.
 *
 * The helper's protocol (control = Int32Array on its own SharedArrayBuffer):
 *   [0] job sequence number, written last by this thread (Atomics.store + notify); −1 stops the helper;
 *   [1] the helper's answer: the job's number when done, its negation when a call threw;
 *   [2] which function (index into the table sent at start), [3] argument count,
 *   [4] the index of the argument pair (first row, end row) of a chunk, [5] rows in all, [6] rows per chunk,
 *   [7] the next chunk (Atomics.add), [8 …] the i32 arguments.
 */
import { FILTER_GRAD_WASM } from './wasm/filterGradWasm';
import { moduleBytes } from './wasm-module';

/** Where a job's arguments start in the control array. */
const ARGS_AT = 8;

/** The helper's source: plain JavaScript, started from a blob: URL (CSP worker-src allows blob:, scripts/csp.mjs). */
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
    for (const [m, f] of fns) table.push(inst[m][f]);
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
    let status = seq;
    try {
      for (;;) {
        const r0 = Atomics.add(ctrl, 7, 1) * chunk;
        if (r0 >= total) break;
        args[at] = r0;
        args[at + 1] = Math.min(total, r0 + chunk);
        f(...args);
      }
    } catch {
      status = -seq;
    }
    Atomics.store(ctrl, 1, status);
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
export const HELPER_FUNCTIONS = [['filterGrad', 'filterGrad']] as const;
export type HelperFunction = (typeof HELPER_FUNCTIONS)[number][1];

const MAX_ARGS = 24;
/** How long this thread waits for the helper's share before doing it itself and retiring the helper. */
const HELPER_TIMEOUT_MS = 10_000;

/** A started helper: runs `fn(args)` there while the caller runs its own share. */
export interface KernelHelper {
  /**
   * Runs `fn(...args)` over rows [0, total) in chunks of `chunk` rows on both threads: args[at], args[at + 1] are
   * each chunk's first and end row; `here(r0, r1)` runs a chunk on this thread. Returns once every chunk is done;
   * where the helper failed or timed out, this thread does them all again. Synchronous.
   */
  shareRows(
    fn: HelperFunction,
    args: number[],
    at: number,
    total: number,
    chunk: number,
    here: (r0: number, r1: number) => void,
  ): void;
  /** Stops the helper's worker. */
  stop(): void;
}

/**
 * Starts a helper on `memory` (shared) with the compiled `modules`; resolves to it once its instances exist, or to
 * null where it cannot start (no SharedArrayBuffer, the worker failed, instantiation failed).
 */
export function startKernelHelper(
  spawn: () => HelperWorker,
  memory: WebAssembly.Memory,
  modules: Record<string, WebAssembly.Module>,
): Promise<KernelHelper | null> {
  if (typeof SharedArrayBuffer === 'undefined' || !(memory.buffer instanceof SharedArrayBuffer)) {
    return Promise.resolve(null);
  }
  let worker: HelperWorker;
  try {
    worker = spawn();
  } catch {
    return Promise.resolve(null);
  }
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * (4 + MAX_ARGS)));
  let seq = 0;
  let alive = true;
  const retire = () => {
    if (!alive) return;
    alive = false;
    Atomics.store(ctrl, 0, -1);
    Atomics.notify(ctrl, 0);
    worker.terminate();
  };
  const helper: KernelHelper = {
    shareRows(fn, args, at, total, chunk, here) {
      const all = () => {
        for (let r0 = 0; r0 < total; r0 += chunk) here(r0, Math.min(total, r0 + chunk));
      };
      if (!alive || args.length > MAX_ARGS) {
        all();
        return;
      }
      seq = seq >= 0x3fffffff ? 1 : seq + 1;
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
        for (;;) {
          const r0 = Atomics.add(ctrl, 7, 1) * chunk;
          if (r0 >= total) break;
          here(r0, Math.min(total, r0 + chunk));
        }
      } finally {
        // Wait for the helper even when `here` threw: its writes must end before the caller frees anything.
        const deadline = Date.now() + HELPER_TIMEOUT_MS;
        let status = Atomics.load(ctrl, 1);
        while (status !== seq && status !== -seq) {
          const left = deadline - Date.now();
          if (left <= 0) break;
          Atomics.wait(ctrl, 1, status, left);
          status = Atomics.load(ctrl, 1);
        }
        if (status !== seq) {
          if (status !== -seq) retire(); // timed out: never let it write into memory the caller reuses
          all();
        }
      }
    },
    stop: retire,
  };
  return new Promise((resolve) => {
    worker.addEventListener('message', (e) => {
      const ok = (e.data as { ok?: boolean } | undefined)?.ok === true;
      if (!ok) retire();
      resolve(ok ? helper : null);
    });
    worker.addEventListener('error', () => {
      retire();
      resolve(null);
    });
    worker.postMessage({ memory, modules, fns: HELPER_FUNCTIONS, control: ctrl.buffer });
  });
}

/** The helper running on a memory (at most one: tfjs has one WASM backend), for the kernels to find. */
let current: { memory: WebAssembly.Memory; helper: KernelHelper } | null = null;

/** The helper running on `memory`, or null. */
export function kernelHelperOn(memory: WebAssembly.Memory): KernelHelper | null {
  return current?.memory === memory ? current.helper : null;
}

/**
 * Starts the helper for tfjs's memory where it can run (shared memory, in a worker: see the module comment) and
 * makes it the one {@link kernelHelperOn} finds; resolves to whether it runs. Idempotent per memory.
 */
export async function startHelperOn(
  memory: WebAssembly.Memory,
  spawn: () => HelperWorker = spawnBrowserHelper,
): Promise<boolean> {
  if (current?.memory === memory) return true;
  const inWorker = typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
  if (!inWorker || typeof Worker === 'undefined') return false;
  const modules = { filterGrad: new WebAssembly.Module(moduleBytes(FILTER_GRAD_WASM, true)) };
  const helper = await startKernelHelper(spawn, memory, modules);
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
