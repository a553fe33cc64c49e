/**
 * The page's side of a training session as a plain store: starts the trainer on first use, sends the reader's
 * commands, and folds the worker's messages into a `PlaygroundModel` (./model) at most once per frame. React reads
 * it through `useSyncExternalStore` (components/playground/usePlaygroundSession); Node tests drive it with
 * `createInlineWorker` (./inline-worker) and a hand-cranked `FrameScheduler`. tfjs-free: the training stack loads
 * only in the worker (or, as a fallback, through a dynamic import of ./inline-worker).
 *
 * States (`ControllerState`) and what moves between them:
 *
 *     idle     → starting  Play or Step: a Worker, or the page's own thread where no Worker can be created
 *     starting → starting  the Worker fails before it posts `ready`: training moves to the page's thread, once
 *     starting → paused    `setup`: the commands given while starting are sent now
 *     paused ⇄ training → finished    the worker's `status` (paused; playing or stepping; done)
 *     any      → failed    a fatal error from a trainer that has started
 *     any      → starting  Restart, or Play or Step when failed: a fresh trainer
 *     failed   → idle      Reset; any → idle: `dispose` (the component unmounted)
 *
 * `paused`, `training` and `finished` follow the worker's `status` messages. Commands given while `starting` wait
 * for `setup` (Play pressed before the worker was ready). Training is held (not the reader's choice) while the tab
 * is hidden or the playground is out of view (`setHold`); the reader's wish to play is kept and resumes it.
 *
 * Why batch to frames: the worker posts `progress` about every 100 ms and views every few steps; publishing each
 * message as it arrives would re-render the views several times per frame on a slow laptop. Messages queue as
 * they arrive (cheap), and one scheduled frame folds them into a new model object whose unchanged parts keep their
 * identity, so memoised views skip.
 */
import { TrainerClient, createTrainerWorker, type WorkerLike } from './client';
import { warmStartUrlFor, wasmPathFor } from './config';
import { applyMessage, initialModel, type AnchorSelection, type PlaygroundModel } from './model';
import type { BackendPreference, SessionConfig, WorkerMessage } from './protocol';
import { storageBackendMemory, type BackendMemory } from './backendMemory';

/** Where the controller is in a session's life (see the diagram above). */
export type ControllerState = 'idle' | 'starting' | 'paused' | 'training' | 'finished' | 'failed';

/** Runs `callback` once, soon (the next frame); returns a function that cancels it. */
export type FrameScheduler = (callback: () => void) => () => void;

/**
 * The browser's scheduler: the next animation frame, or a 250 ms timeout while the tab is hidden (rAF does not
 * fire in hidden tabs; the timeout keeps the model current there, cheaply, since nothing is painted).
 */
export const browserFrameScheduler: FrameScheduler = (callback) => {
  if ((typeof document !== 'undefined' && document.hidden) || typeof requestAnimationFrame === 'undefined') {
    const timeout = setTimeout(callback, 250);
    return () => clearTimeout(timeout);
  }
  const frame = requestAnimationFrame(callback);
  return () => cancelAnimationFrame(frame);
};

/** Steps per second the in-page fallback trainer is capped at, so the UI keeps some of the thread. */
export const INLINE_SPEED_CAP = 4;

/** Why training is held without the reader asking. */
export type HoldReason = 'hidden' | 'offscreen';

/** What the next trainer is started with (from the URL state; the latest wins). */
export interface ControllerOptions {
  /** The settings to train. */
  config: SessionConfig;
  backend: BackendPreference;
  /** Site base path, for the worker's and the wasm binaries' URLs. */
  basePath?: string;
}

/** How the controller gets its trainer and its frames (tests replace them). */
export interface ControllerDeps {
  /** A Worker running the trainer; throws where none can start (default: ./client `createTrainerWorker`). */
  createWorker?: (basePath: string) => WorkerLike;
  /** The trainer on the page's own thread, for when no Worker starts (default: a dynamic ./inline-worker). */
  createInlineWorker?: () => Promise<WorkerLike>;
  schedule?: FrameScheduler;
  /** Where 'auto' remembers its measured choice (default: localStorage, ./backendMemory). */
  memory?: BackendMemory;
}

/** What the page renders; a new object whenever something in it changed. */
export interface PlaygroundSnapshot {
  state: ControllerState;
  model: PlaygroundModel;
  selection: AnchorSelection | null;
  /** True while training is held because the tab is hidden or the playground is out of view. */
  autoPaused: boolean;
  /** The config the running session was built with (to tell the reader when the controls differ). */
  appliedConfig: SessionConfig | null;
  /** The backend preference the running trainer was started with. */
  appliedBackend: BackendPreference | null;
}

/** The reader's commands (bound: safe to pass as event handlers). */
export interface PlaygroundActions {
  /** Starts (loading the trainer on first use) or resumes training. */
  play(): void;
  pause(): void;
  /** Takes n steps then pauses (loads the trainer on first use). */
  step(n?: number): void;
  /** Back to step 0 with `config` (fresh identical weights). */
  reset(config: SessionConfig): void;
  /** Selects an anchor to inspect (null clears). */
  selectAnchor(sel: AnchorSelection | null): void;
  /** Tears the trainer down and starts a fresh one (after a fatal error). */
  restart(): void;
  /** Forgets the backend measured on this device and starts a fresh trainer, which measures again. */
  remeasure(): void;
  dismissErrors(): void;
}

type Command = (client: TrainerClient) => void;

const sameAnchor = (a: AnchorSelection | null, b: AnchorSelection | null) =>
  a !== null && b !== null && a.run === b.run && a.image === b.image && a.anchor === b.anchor;

export class PlaygroundController {
  private state: ControllerState = 'idle';
  private model: PlaygroundModel = initialModel();
  private selection: AnchorSelection | null = null;
  private appliedConfig: SessionConfig | null = null;
  private appliedBackend: BackendPreference | null = null;
  private snapshot: PlaygroundSnapshot;
  private readonly listeners = new Set<() => void>();

  private client: TrainerClient | null = null;
  /** Bumped per trainer started, so a late inline import or a stale client's message is ignored. */
  private generation = 0;
  /** Training runs on the page's thread (./inline-worker): no Worker could start. */
  private inline = false;
  /** The trainer has posted `ready` (its backend started): a fatal error now fails instead of falling back. */
  private backendReady = false;
  /** Commands given while `starting`, sent on `setup`. */
  private pending: Command[] = [];
  /** The reader wants training to run (Play pressed, not paused since, not finished). */
  private wantPlay = false;
  private readonly holds = new Set<HoldReason>();

  /** Messages not yet folded into the model, and the cancel function of the frame that will fold them. */
  private queue: WorkerMessage[] = [];
  private cancelFrame: (() => void) | null = null;

  private options: ControllerOptions | null = null;
  private readonly createWorker: (basePath: string) => WorkerLike;
  private readonly createInline: () => Promise<WorkerLike>;
  private readonly schedule: FrameScheduler;
  private readonly memory: BackendMemory;

  /** The reader's commands, bound to this controller. */
  readonly actions: PlaygroundActions = {
    play: () => this.play(),
    pause: () => this.pause(),
    step: (n = 1) => this.step(n),
    reset: (config) => this.reset(config),
    selectAnchor: (sel) => this.selectAnchor(sel),
    restart: () => this.restart(),
    remeasure: () => this.remeasure(),
    dismissErrors: () => this.dismissErrors(),
  };

  constructor(deps: ControllerDeps = {}) {
    this.createWorker = deps.createWorker ?? createTrainerWorker;
    this.createInline =
      deps.createInlineWorker ?? (() => import('./inline-worker').then((m) => m.createInlineWorker()));
    this.schedule = deps.schedule ?? browserFrameScheduler;
    this.memory = deps.memory ?? storageBackendMemory();
    this.snapshot = this.makeSnapshot();
  }

  // ───────────────────────────── the store ─────────────────────────────

  /** For `useSyncExternalStore`: calls `listener` after every change; returns the unsubscribe function. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** For `useSyncExternalStore`: the current snapshot (the same object until something changes). */
  readonly getSnapshot = (): PlaygroundSnapshot => this.snapshot;

  /** What the next trainer starts with; call whenever the settings change (no effect on a running trainer). */
  configure(options: ControllerOptions): void {
    this.options = options;
  }

  /** Holds or releases training for a reason other than the reader's (hidden tab, scrolled out of view). */
  setHold(reason: HoldReason, on: boolean): void {
    const had = this.holds.size > 0;
    if (on) this.holds.add(reason);
    else this.holds.delete(reason);
    const has = this.holds.size > 0;
    this.publish();
    if (!this.client || had === has) return;
    if (has) this.client.send({ type: 'pause' });
    else this.sendPlayIfWanted();
  }

  /** Stops the trainer and any pending frame (the component unmounted). The next command starts afresh. */
  dispose(): void {
    this.stopClient();
    this.cancelFrame?.();
    this.cancelFrame = null;
    this.queue = [];
    this.pending = [];
    this.state = 'idle';
  }

  // ───────────────────────────── commands ─────────────────────────────

  private play(): void {
    this.wantPlay = true;
    this.publish();
    // While held, only make sure the trainer is loading, so the run starts the moment the playground is visible.
    if (this.holds.size > 0) this.withSession(() => undefined);
    else this.sendPlayIfWanted();
  }

  private pause(): void {
    this.wantPlay = false;
    this.publish();
    this.client?.send({ type: 'pause' });
  }

  private step(n: number): void {
    this.wantPlay = false;
    this.publish();
    this.withSession((c) => c.send({ type: 'step', n }));
  }

  private reset(config: SessionConfig): void {
    this.wantPlay = false;
    this.selection = null;
    this.appliedConfig = config;
    if (this.state === 'failed') {
      this.stopClient();
      this.state = 'idle';
      this.model = initialModel();
    }
    this.publish();
    if (this.state !== 'idle') this.withSession((c) => c.send({ type: 'reset', config }));
  }

  private selectAnchor(sel: AnchorSelection | null): void {
    const client = this.client;
    const prev = this.selection;
    if (prev && client)
      client.send({ type: 'unwatch', run: prev.run, image: prev.image, anchor: prev.anchor });
    this.selection = sel;
    this.model = { ...this.model, anchor: null };
    this.publish();
    if (!sel || !client) return;
    void client.requestAnchor(sel.run, sel.image, sel.anchor).then((reply) => {
      // The answer to this request; later updates of the watched anchor arrive as messages (requestId −1).
      if (client === this.client && sameAnchor(this.selection, sel)) this.enqueue(reply);
    });
  }

  private restart(): void {
    this.wantPlay = false;
    this.stopClient();
    this.model = initialModel();
    this.start();
  }

  private remeasure(): void {
    this.memory.forget();
    this.restart();
  }

  private dismissErrors(): void {
    this.model = { ...this.model, errors: [] };
    this.publish();
  }

  private sendPlayIfWanted(): void {
    if (!this.wantPlay || this.holds.size > 0) return;
    // Checked again when sent: the reader may pause while the trainer is still starting.
    this.withSession((c) => {
      if (this.wantPlay && this.holds.size === 0) c.send({ type: 'play' });
    });
  }

  /** Runs `command` once a session exists, starting a trainer when there is none (or it failed). */
  private withSession(command: Command): void {
    if (this.state === 'idle' || this.state === 'failed') {
      this.pending.push(command);
      this.start();
    } else if (this.state === 'starting' || !this.client) {
      this.pending.push(command);
    } else {
      command(this.client);
    }
  }

  // ───────────────────────────── the trainer ─────────────────────────────

  /** idle/failed → starting: a Worker, or the page's own thread where no Worker can be created. */
  private start(forceInline = false): void {
    const options = this.options;
    if (!options) throw new Error('PlaygroundController: configure() before the first command');
    this.stopClient();
    const generation = ++this.generation;
    this.state = 'starting';
    this.backendReady = false;
    this.model = { ...this.model, errors: [], backend: null };
    this.appliedConfig = options.config;
    this.appliedBackend = options.backend;
    let worker: WorkerLike | null = null;
    if (!forceInline) {
      try {
        worker = this.createWorker(options.basePath ?? '');
      } catch {
        worker = null;
      }
    }
    this.inline = worker === null;
    this.publish();
    if (worker) {
      this.attach(new TrainerClient(worker), options);
      return;
    }
    void this.createInline().then((inlineWorker) => {
      if (generation === this.generation) this.attach(new TrainerClient(inlineWorker), options);
    });
  }

  private attach(client: TrainerClient, options: ControllerOptions): void {
    this.client = client;
    client.subscribe((msg) => this.receive(client, msg));
    client.send({
      type: 'init',
      backend: options.backend,
      wasmPath: wasmPathFor(options.basePath ?? ''),
      warmStartUrl: warmStartUrlFor(options.basePath ?? ''),
      config: options.config,
      remembered: options.backend === 'auto' ? (this.memory.read()?.backend ?? null) : null,
    });
    if (this.inline) client.send({ type: 'setSpeed', stepsPerSecond: INLINE_SPEED_CAP });
  }

  private stopClient(): void {
    this.client?.terminate();
    this.client = null;
    this.generation++;
  }

  /** A message from the current trainer: state transitions now, the model at the next frame. */
  private receive(client: TrainerClient, msg: WorkerMessage): void {
    if (client !== this.client) return;
    switch (msg.type) {
      case 'ready':
        this.backendReady = true;
        if (msg.measured && msg.measured.length > 0) {
          this.memory.write({ backend: msg.backend, measured: msg.measured, at: new Date().toISOString() });
        }
        break;
      case 'setup': {
        if (this.state === 'starting') this.state = 'paused';
        const pending = this.pending;
        this.pending = [];
        for (const command of pending) command(client);
        break;
      }
      case 'status':
        if (this.state === 'failed') break;
        this.state = msg.status === 'done' ? 'finished' : msg.status === 'paused' ? 'paused' : 'training';
        // When the session finishes (or every run stopped), the reader's wish to play ends with it.
        if (msg.status === 'done') this.wantPlay = false;
        break;
      case 'anchorDetail':
        // An answer to a request reaches its requester (`selectAnchor`); only watched updates fold here.
        if (msg.requestId >= 0) return;
        break;
      case 'error':
        if (!msg.fatal) break;
        if (!this.inline && !this.backendReady) {
          // A Worker that cannot start at all (blocked, module error) falls back to the page's thread, once.
          this.start(true);
          this.enqueue({
            type: 'error',
            message: `The training worker failed (${msg.message}); training on the page's own thread instead.`,
            fatal: false,
          });
          return;
        }
        this.state = 'failed';
        break;
    }
    this.enqueue(msg);
  }

  // ───────────────────────────── frames ─────────────────────────────

  private enqueue(msg: WorkerMessage): void {
    this.queue.push(msg);
    this.cancelFrame ??= this.schedule(() => this.flush());
  }

  /** Folds the queued messages into a new model and publishes it. */
  private flush(): void {
    this.cancelFrame = null;
    const messages = this.queue;
    if (messages.length === 0) return;
    this.queue = [];
    const draft = { ...this.model };
    for (const m of messages) applyMessage(draft, m, this.selection);
    if (draft.backend && draft.backend.inline !== this.inline) {
      draft.backend = { ...draft.backend, inline: this.inline };
    }
    this.model = draft;
    this.publish();
  }

  /** Replaces the snapshot and tells the listeners, unless nothing in it changed. */
  private publish(): void {
    const next = this.makeSnapshot();
    const prev = this.snapshot;
    if ((Object.keys(next) as (keyof PlaygroundSnapshot)[]).every((k) => next[k] === prev[k])) return;
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }

  private makeSnapshot(): PlaygroundSnapshot {
    const phase: PlaygroundModel['phase'] =
      this.state === 'idle'
        ? 'idle'
        : this.state === 'failed'
          ? 'failed'
          : this.state === 'starting' && !this.model.backend
            ? 'loading'
            : 'ready';
    return {
      state: this.state,
      model: this.model.phase === phase ? this.model : (this.model = { ...this.model, phase }),
      selection: this.selection,
      autoPaused: this.wantPlay && this.holds.size > 0,
      appliedConfig: this.appliedConfig,
      appliedBackend: this.appliedBackend,
    };
  }
}
