/**
 * The page's side of the worker protocol: a typed wrapper around a Worker (or the in-process fallback of
 * ./inline-worker). tfjs-free: importing it does not load the training stack.
 *
 * The page should batch what it renders to animation frames; this client delivers every message as it arrives.
 */
import type { AnchorDetailMessage, MainMessage, WorkerMessage } from './protocol';
import { isWorkerMessage } from './wire';

/** What the client needs of a Worker. */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: unknown) => void): void;
  terminate(): void;
}

/** Where the site serves the bundled training worker (scripts/build-worker.mjs writes it to public/workers/). */
export function trainerWorkerUrl(basePath = ''): string {
  return `${basePath.replace(/\/+$/, '')}/workers/trainer.worker.js`;
}

/**
 * Creates the real training worker: a module worker from the site's own origin, bundled by
 * scripts/build-worker.mjs from workers/trainer.worker.ts (Next's bundler does not bundle workers).
 * Throws where Workers are unavailable; the page then falls back to `createInlineWorker` (./inline-worker).
 */
export function createTrainerWorker(basePath = ''): Worker {
  return new Worker(trainerWorkerUrl(basePath), { type: 'module', name: 'focal-lab-trainer' });
}

export class TrainerClient {
  private readonly listeners = new Set<(msg: WorkerMessage) => void>();
  private readonly anchorWaiters = new Map<number, (msg: AnchorDetailMessage) => void>();
  private nextRequestId = 1;
  private terminated = false;

  constructor(private readonly worker: WorkerLike) {
    worker.addEventListener('message', (event) => {
      const data = (event as { data?: unknown }).data;
      if (!isWorkerMessage(data)) return;
      if (data.type === 'anchorDetail' && data.requestId >= 0) {
        this.anchorWaiters.get(data.requestId)?.(data);
        this.anchorWaiters.delete(data.requestId);
      }
      for (const fn of this.listeners) fn(data);
    });
    // A worker that fails to load (bad URL, syntax error, CSP) fires 'error' without any message.
    worker.addEventListener('error', (event) => {
      const e = event as { message?: string; preventDefault?: () => void };
      e.preventDefault?.();
      this.dispatch({
        type: 'error',
        message: e.message || 'The training worker failed to start.',
        fatal: true,
      });
    });
    worker.addEventListener('messageerror', () =>
      this.dispatch({
        type: 'error',
        message: 'A message from the training worker could not be read.',
        fatal: false,
      }),
    );
  }

  private dispatch(msg: WorkerMessage): void {
    for (const fn of this.listeners) fn(msg);
  }

  /** Sends a command (ignored after `terminate`). */
  send(msg: MainMessage): void {
    if (!this.terminated) this.worker.postMessage(msg);
  }

  /** Calls `fn` for every message; returns the unsubscribe function. */
  subscribe(fn: (msg: WorkerMessage) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Asks for one anchor's details (and starts watching it); resolves with the answer. */
  requestAnchor(run: number, image: number, anchor: number): Promise<AnchorDetailMessage> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      this.anchorWaiters.set(requestId, resolve);
      this.send({ type: 'anchor', requestId, run, image, anchor });
    });
  }

  /** Disposes the session and stops the worker. */
  terminate(): void {
    if (this.terminated) return;
    this.send({ type: 'dispose' });
    this.terminated = true;
    this.listeners.clear();
    this.anchorWaiters.clear();
    this.worker.terminate();
  }
}
