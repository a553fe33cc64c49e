/**
 * The page's side of a session (lib/playground/controller) in Node: its states and transitions against a
 * scripted worker, frames cranked by hand, and one real session through the in-process worker.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { ensureBackend } from '../../../lib/tf/backend';
import type { WorkerLike } from '../../../lib/playground/client';
import { VIEW_DEFAULTS } from '../../../lib/playground/config';
import {
  INLINE_SPEED_CAP,
  PlaygroundController,
  type ControllerState,
  type FrameScheduler,
} from '../../../lib/playground/controller';
import { createInlineWorker } from '../../../lib/playground/inline-worker';
import type { MainMessage, SessionStatus, WorkerMessage } from '../../../lib/playground/protocol';
import { CE, FL, WASM_ONLY_ENV, progressPoint, tiny } from './fixtures';
import { storageBackendMemory, type BackendMemory } from '../../../lib/playground/backendMemory';

/** An in-memory Storage for the backend memory. */
class MapStorage {
  readonly map = new Map<string, string>();
  getItem(k: string): string | null {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.map.set(k, v);
  }
  removeItem(k: string): void {
    this.map.delete(k);
  }
}

const TINY = tiny([FL, CE]);

/** A Worker stand-in: records what the page sends, and sends what the test scripts. */
class ScriptedWorker implements WorkerLike {
  readonly sent: MainMessage[] = [];
  terminated = false;
  private readonly listeners = new Map<string, ((event: unknown) => void)[]>();
  postMessage(message: unknown): void {
    this.sent.push(message as MainMessage);
  }
  addEventListener(type: string, listener: (event: unknown) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  terminate(): void {
    this.terminated = true;
  }
  /** Delivers a message from the "worker". */
  post(msg: WorkerMessage): void {
    for (const fn of this.listeners.get('message') ?? []) fn({ data: msg });
  }
  /** A worker that fails to load (or throws uncaught) fires 'error'. */
  crash(message: string): void {
    for (const fn of this.listeners.get('error') ?? []) fn({ message });
  }
  types(): string[] {
    return this.sent.map((m) => m.type);
  }
}

/** Frames that run only when the test says so. */
function handFrames() {
  const queue: (() => void)[] = [];
  const schedule: FrameScheduler = (cb) => {
    queue.push(cb);
    return () => queue.splice(queue.indexOf(cb) >>> 0, 1);
  };
  return { schedule, pending: () => queue.length, run: () => queue.splice(0).forEach((cb) => cb()) };
}

const ready = (): WorkerMessage => ({ type: 'ready', backend: 'cpu', reason: 'a test', attempts: [] });
const setup = (): WorkerMessage => ({
  type: 'setup',
  runs: TINY.runs.map((config, run) => ({ run, label: config.label, config })),
  steps: TINY.steps,
  batchSize: TINY.batchSize,
  numParams: 100,
  classNames: ['a', 'b', 'c'],
  images: [],
  probeImages: 2,
  anchors: {
    numAnchors: 0,
    anchorsPerLocation: 9,
    numClasses: 3,
    boxes: new Float32Array(),
    levels: [],
    templates: [],
  },
  views: { ...VIEW_DEFAULTS },
});
const status = (s: SessionStatus, step = 0): WorkerMessage => ({
  type: 'status',
  status: s,
  step,
  steps: TINY.steps,
  active: [true, true],
  stepsPerSecond: 0,
  ...(s === 'done' ? { reason: 'Reached the planned 200 steps.' } : {}),
  memory: { numTensors: 1, numBytes: 4, jsHeapBytes: null },
});
const progress = (step: number): WorkerMessage => ({
  type: 'progress',
  step,
  stepsPerSecond: 5,
  runs: [0, 1].map((run) => ({
    run,
    points: [progressPoint(step)],
  })),
});

/** A controller over scripted workers (one per start), with hand-cranked frames and a log of its states. */
function scripted(opts: { noWorker?: boolean; memory?: BackendMemory } = {}) {
  const workers: ScriptedWorker[] = [];
  const inlineWorkers: ScriptedWorker[] = [];
  const frames = handFrames();
  const controller = new PlaygroundController({
    createWorker: () => {
      if (opts.noWorker) throw new Error('no Worker here');
      const w = new ScriptedWorker();
      workers.push(w);
      return w;
    },
    createInlineWorker: async () => {
      const w = new ScriptedWorker();
      inlineWorkers.push(w);
      return w;
    },
    schedule: frames.schedule,
    memory: opts.memory ?? storageBackendMemory(new MapStorage()),
  });
  controller.configure({ config: TINY, backend: 'auto' });
  const states: ControllerState[] = [controller.getSnapshot().state];
  let publishes = 0;
  controller.subscribe(() => {
    publishes++;
    const s = controller.getSnapshot().state;
    if (states[states.length - 1] !== s) states.push(s);
  });
  const snap = () => controller.getSnapshot();
  return { controller, workers, inlineWorkers, frames, states, snap, publishes: () => publishes };
}

describe('PlaygroundController and the measured backend', () => {
  it("remembers what 'auto' measured, starts with it next time, and forgets it on Re-measure", () => {
    const storage = new MapStorage();
    const memory = storageBackendMemory(storage);
    const first = scripted({ memory });
    first.controller.actions.play();
    expect(first.workers[0].sent[0]).toMatchObject({ type: 'init', backend: 'auto', remembered: null });
    first.workers[0].post({
      type: 'ready',
      backend: 'wasm',
      reason: 'measured',
      attempts: [],
      measured: [
        { backend: 'wasm', msPerStep: 120 },
        { backend: 'webgl', msPerStep: 300 },
      ],
    });
    first.frames.run();
    expect(first.snap().model.backend?.measured).toEqual([
      { backend: 'wasm', msPerStep: 120 },
      { backend: 'webgl', msPerStep: 300 },
    ]);
    expect(memory.read()).toMatchObject({
      backend: 'wasm',
      measured: [{ backend: 'wasm', msPerStep: 120 }, {}],
    });

    // A later visit: the remembered choice goes with init.
    const later = scripted({ memory });
    later.controller.actions.play();
    expect(later.workers[0].sent[0]).toMatchObject({ type: 'init', remembered: 'wasm' });

    // Re-measure: forgotten, and a fresh trainer that measures again.
    later.controller.actions.remeasure();
    expect(memory.read()).toBeNull();
    expect(later.workers[0].terminated).toBe(true);
    expect(later.workers[1].sent[0]).toMatchObject({ type: 'init', remembered: null });
  });

  it('passes nothing remembered when the URL pins a backend, and ignores damaged storage', () => {
    const storage = new MapStorage();
    storage.setItem('focal-lab:backend', JSON.stringify({ backend: 'webgl', measured: [], at: 'x' }));
    const pinned = scripted({ memory: storageBackendMemory(storage) });
    pinned.controller.configure({ config: TINY, backend: 'wasm' });
    pinned.controller.actions.play();
    expect(pinned.workers[0].sent[0]).toMatchObject({ backend: 'wasm', remembered: null });
    storage.setItem('focal-lab:backend', '{"backend":"<script>","measured":7}');
    const damaged = scripted({ memory: storageBackendMemory(storage) });
    damaged.controller.actions.play();
    expect(damaged.workers[0].sent[0]).toMatchObject({ remembered: null });
  });
});

describe('PlaygroundController states', () => {
  it('stays idle until Play, starts the trainer, and sends Play once the session is set up', () => {
    const { controller, workers, frames, states, snap } = scripted();
    expect(snap().model.phase).toBe('idle');
    expect(workers).toHaveLength(0);
    controller.actions.play();
    expect(snap().state).toBe('starting');
    expect(snap().model.phase).toBe('loading');
    expect(snap().appliedConfig).toBe(TINY);
    const w = workers[0];
    expect(w.types()).toEqual(['init']);
    w.post(ready());
    frames.run();
    expect(snap().model.phase).toBe('ready');
    expect(snap().model.backend).toMatchObject({ backend: 'cpu', inline: false });
    w.post(setup());
    expect(w.types()).toEqual(['init', 'play']);
    // State changes are published with the frame that folds their message, so state and model agree.
    expect(snap().state).toBe('starting');
    frames.run();
    expect(snap().state).toBe('paused');
    w.post(status('playing'));
    frames.run();
    w.post(status('done', 200));
    frames.run();
    expect(states).toEqual(['idle', 'starting', 'paused', 'training', 'finished']);
    expect(snap().model).toMatchObject({
      status: 'done',
      step: 200,
      doneReason: 'Reached the planned 200 steps.',
    });
    expect(snap().model.runs.map((r) => r.gamma)).toEqual([2, 0]);
  });

  it('folds messages into the model once per frame, not once per message', () => {
    const { controller, workers, frames, snap, publishes } = scripted();
    controller.actions.step(1);
    workers[0].post(setup());
    frames.run();
    const before = publishes();
    const model = snap().model;
    for (let s = 1; s <= 20; s++) workers[0].post(progress(s));
    expect(frames.pending()).toBe(1);
    expect(publishes()).toBe(before);
    expect(snap().model).toBe(model);
    frames.run();
    expect(publishes()).toBe(before + 1);
    expect(snap().model.losses[1].step).toHaveLength(20);
    expect(snap().model.step).toBe(20);
    // Parts no message touched keep their identity, so memoised views skip.
    expect(snap().model.images).toBe(model.images);
  });

  it('falls back to the page’s own thread when the worker fails before it is ready, and says so', async () => {
    const { controller, workers, inlineWorkers, frames, snap } = scripted();
    controller.actions.play();
    workers[0].crash('worker exploded at start');
    expect(workers[0].terminated).toBe(true);
    expect(snap().state).toBe('starting');
    await new Promise((r) => setTimeout(r, 0));
    const w = inlineWorkers[0];
    expect(w.sent).toEqual([
      expect.objectContaining({ type: 'init' }),
      { type: 'setSpeed', stepsPerSecond: INLINE_SPEED_CAP },
    ]);
    w.post(ready());
    w.post(setup());
    frames.run();
    expect(w.types()).toContain('play');
    expect(snap().model.backend?.inline).toBe(true);
    expect(snap().model.errors).toEqual([
      "The training worker failed (worker exploded at start); training on the page's own thread instead.",
    ]);
  });

  it('trains on the page’s own thread where no Worker can be created', async () => {
    const { controller, inlineWorkers, snap } = scripted({ noWorker: true });
    controller.actions.step(2);
    expect(snap().state).toBe('starting');
    await new Promise((r) => setTimeout(r, 0));
    inlineWorkers[0].post(setup());
    expect(inlineWorkers[0].types()).toEqual(['init', 'setSpeed', 'step']);
  });

  it('fails on a fatal error after the worker is ready; Restart starts a fresh one; Reset goes back to idle', () => {
    const { controller, workers, frames, states, snap } = scripted();
    controller.actions.play();
    workers[0].post(ready());
    workers[0].crash('worker exploded mid-run');
    workers[0].post(status('playing'));
    frames.run();
    expect(snap().state).toBe('failed');
    expect(snap().model.phase).toBe('failed');
    expect(snap().model.errors).toEqual(['worker exploded mid-run']);
    controller.actions.restart();
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(snap().model).toMatchObject({ phase: 'loading', errors: [], runs: [] });
    workers[1].crash('again');
    // Not ready yet, so this one falls back (its fatal error is replaced by the fallback's note).
    expect(snap().state).toBe('starting');
    controller.actions.reset(TINY);
    expect(snap().state).toBe('starting');
    expect(states).toEqual(['idle', 'starting', 'failed', 'starting']);
  });

  it('resets a failed session to idle without starting a trainer', () => {
    const { controller, workers, frames, snap } = scripted();
    controller.actions.play();
    workers[0].post(ready());
    workers[0].crash('boom');
    frames.run();
    controller.actions.reset(TINY);
    expect(snap().state).toBe('idle');
    expect(snap().model.phase).toBe('idle');
    expect(workers).toHaveLength(1);
  });

  it('holds training while hidden or out of view and resumes the reader’s Play when both clear', () => {
    const { controller, workers, snap } = scripted();
    controller.setHold('hidden', true);
    controller.actions.play();
    expect(snap().autoPaused).toBe(true);
    expect(snap().state).toBe('starting');
    workers[0].post(setup());
    expect(workers[0].types()).toEqual(['init']);
    controller.setHold('offscreen', true);
    controller.setHold('hidden', false);
    expect(workers[0].types()).toEqual(['init']);
    controller.setHold('offscreen', false);
    expect(snap().autoPaused).toBe(false);
    expect(workers[0].types()).toEqual(['init', 'play']);
    controller.setHold('hidden', true);
    expect(workers[0].types()).toEqual(['init', 'play', 'pause']);
  });

  it('forgets the wish to play when the reader pauses or the session finishes', () => {
    const { controller, workers, snap } = scripted();
    controller.actions.play();
    controller.actions.pause();
    workers[0].post(setup());
    expect(workers[0].types()).toEqual(['init', 'pause']);
    controller.actions.play();
    workers[0].post(status('done', 200));
    controller.setHold('hidden', true);
    controller.setHold('hidden', false);
    expect(workers[0].types()).toEqual(['init', 'pause', 'play', 'pause']);
    expect(snap().state).toBe('finished');
  });

  it('stops the trainer and any pending frame on dispose, and starts afresh on the next command', () => {
    const { controller, workers, frames } = scripted();
    controller.actions.play();
    workers[0].post(ready());
    controller.dispose();
    expect(workers[0].terminated).toBe(true);
    expect(frames.pending()).toBe(0);
    controller.actions.step(1);
    expect(workers).toHaveLength(2);
  });
});

describe('PlaygroundController with the in-process worker', () => {
  beforeAll(async () => {
    await ensureBackend('wasm'); // with the gradient kernels WASM lacks
  });

  it('steps a real session, and shows the selected anchor from the answer to its request', async () => {
    const controller = new PlaygroundController({
      createWorker: () =>
        createInlineWorker({
          backendDeps: {
            env: WASM_ONLY_ENV,
          },
        }),
      schedule: (cb) => {
        const t = setTimeout(cb, 0);
        return () => clearTimeout(t);
      },
    });
    controller.configure({ config: TINY, backend: 'auto' });
    const until = async (pred: () => boolean) => {
      for (let i = 0; i < 4000 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
      expect(pred()).toBe(true);
    };
    const snap = () => controller.getSnapshot();
    try {
      controller.actions.step(2);
      await until(() => snap().state === 'paused' && snap().model.step === 2);
      expect(snap().model.backend?.backend).toBe('wasm');
      expect(snap().model.losses.map((h) => h.step)).toEqual([
        [1, 2],
        [1, 2],
      ]);
      expect(snap().model.errors).toEqual([]);
      controller.actions.selectAnchor({ run: 1, image: 0, anchor: 3 });
      expect(snap().model.anchor).toBeNull();
      await until(() => snap().model.anchor !== null);
      expect(snap().model.anchor).toMatchObject({ run: 1, image: 0, anchor: 3, step: 2 });
      expect(snap().model.anchor!.requestId).toBeGreaterThanOrEqual(0);
      // A watched anchor is updated at every view update (every 5 steps here).
      controller.actions.step(5);
      await until(() => snap().model.anchor?.step === 7);
      expect(snap().model.anchor!.requestId).toBe(-1);
      expect(snap().selection).toEqual({ run: 1, image: 0, anchor: 3 });
    } finally {
      controller.dispose();
    }
  });
});
