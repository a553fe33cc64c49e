/**
 * The training worker in the current thread: the same message loop (./worker) behind a Worker-like object, with
 * messages structured-cloned and delivered asynchronously like a real worker's. Two uses: the page's fallback
 * where a Worker cannot start (training then competes with the UI, so the page should cap the speed), and tests
 * of the whole protocol in Node. Loads tfjs: import it dynamically.
 */
import type { WorkerLike } from './client';
import { attachTrainerWorker, type TrainerWorkerDeps, type WorkerScopeLike } from './worker';

type Listener = (event: unknown) => void;

/** A Worker-like object whose other end runs `attachTrainerWorker` here. */
export function createInlineWorker(deps: TrainerWorkerDeps = {}): WorkerLike {
  const pageListeners = new Map<string, Set<Listener>>();
  const workerListeners = new Map<string, Set<Listener>>();
  let closed = false;
  const on = (map: Map<string, Set<Listener>>, type: string, fn: Listener) => {
    if (!map.has(type)) map.set(type, new Set());
    map.get(type)!.add(fn);
  };
  const deliver = (map: Map<string, Set<Listener>>, data: unknown) => {
    // Structured clone like postMessage, on a later task like postMessage.
    const copy = structuredClone(data);
    setTimeout(() => {
      if (closed) return;
      for (const fn of map.get('message') ?? []) fn({ data: copy });
    }, 0);
  };
  const scope: WorkerScopeLike = {
    postMessage: (msg) => deliver(pageListeners, msg),
    addEventListener: (type, fn) => on(workerListeners, type, fn),
    close: () => {
      closed = true;
    },
  };
  attachTrainerWorker(scope, deps);
  return {
    postMessage: (msg) => deliver(workerListeners, msg),
    addEventListener: (type, fn) => on(pageListeners, type, fn),
    terminate: () => {
      closed = true;
    },
  };
}
