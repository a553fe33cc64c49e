/**
 * The playground engine: N trainers (race mode, 1…4 runs) stepped in lockstep, and every live view. The worker
 * runs it (./worker), tests run it directly in Node; it only talks through `emit(WorkerMessage)`.
 *
 * Fairness of a race: all runs start from the same weights but for their prior bias (./race), and each step draws
 * ONE batch (`trainingBatch(seed, step, B)`) and feeds it to every run, so the runs see identical data.
 *
 * Scheduling: `play` starts an async loop that takes one lockstep step, reports, and yields to the event loop
 * (./pacing: a MessageChannel round trip, not a 4-ms-clamped timer) so pause/step/reset messages are handled
 * between steps. A generation counter cancels a loop: every command that changes what runs bumps it, and an old
 * loop stops at its next check. Every read of a tensor is asynchronous (`stepAsync`, `evaluateAsync`,
 * `runProbeAsync`: a GPU backend cannot, or should not, read synchronously), so everything that touches the
 * trainers — a step and its reports, a view update, an anchor request, a reset, disposal — runs as one task of a
 * serial queue (`exclusive`): no command ever interleaves with a half-done step, and `idle()` waits for the queue.
 *
 * Reporting (./reports builds the messages): `progress` at most every `progressIntervalMs` (points are batched),
 * `eval` every `evalEvery` steps, `samples` + `lossShare` (+ watched anchors, ./watches) every `viewsEvery` steps,
 * `fig4` every `fig4Every` steps, and all of them at step 0, on pause, after a single-step command and at the end.
 * Every outgoing message is checked for non-finite numbers.
 *
 * Divergence: a run stops (others continue) when a step's loss or gradient norm is not finite, or its loss exceeds
 * `explodeFactor` × its step-1 loss (./divergence), or its probe outputs become non-finite; `diverged` explains
 * why.
 *
 * Memory: every tensor lives in a tidy inside lib/detector or ./views; the tensor count is flat (tested).
 */
import { NUM_CLASSES, type DataOptions } from '../data/synthetic';
import { makeEvalSet, type EvalSet } from '../detector/infer';
import { trainingBatch, type Trainer } from '../detector/train';
import type { StepStats } from '../detector/trainConfig';
import { errorText } from './backend-plan';
import { resolveViewOptions, validateSessionConfig } from './config';
import { checkDivergence } from './divergence';
import {
  MAX_STEP_COMMAND,
  type MainMessage,
  type ProgressPoint,
  type SessionConfig,
  type SessionStatus,
  type ViewOptions,
  type WorkerMessage,
} from './protocol';
import { Pacer, type PacingDeps } from './pacing';
import { createRace, type RunState } from './race';
import { evalMessage, fig4Message, liveViewMessages, setupMessage, workerMemory } from './reports';
import { makeProbeSet, runProbeAsync, type ProbeOutputs, type ProbeSet } from './views';
import { AnchorWatches } from './watches';
import type { WarmStart } from '../detector/warmStart';
import { findNonFinite } from './wire';

/** Receives every message the session produces (the worker posts it, tests collect it). */
export type Emit = (msg: WorkerMessage) => void;

/** Replaceable clocks and yields (tests). */
export interface SessionDeps extends PacingDeps {
  /**
   * The warm start a `pretrained` config trains from (the worker loads it before building; Node callers read
   * public/models/warm-start.bin). Absent or null with `pretrained` → the build fails with a clear message.
   */
  warmStart?: () => WarmStart | null;
}

type Resolved = SessionConfig & { views: ViewOptions };

export class PlaygroundSession {
  private cfg!: Resolved;
  private views!: ViewOptions;
  private data!: Partial<DataOptions>;
  /** The next lockstep step's batch, made during the step before (see `trainStep`). */
  private upcoming: {
    step: number;
    batch: ReturnType<typeof trainingBatch>;
    data: Partial<DataOptions>;
    cfg: SessionConfig;
  } | null = null;
  private runs: RunState[] = [];
  private probe!: ProbeSet;
  private evalSet!: EvalSet;
  private step = 0;
  private status: SessionStatus = 'paused';
  private doneReason: string | undefined;
  private gen = 0;
  private lastFlush = 0;
  private lastEvalStep = -1;
  private lastViewsStep = -1;
  private lastFig4Step = -1;
  private rate = { t: 0, step: 0, value: 0 };
  private readonly watches = new AnchorWatches();
  private loop: Promise<void> = Promise.resolve();
  /** The serial queue of work on the trainers (see the module comment); never rejects. */
  private work: Promise<void> = Promise.resolve();
  private disposed = false;
  private readonly pacer: Pacer;
  private readonly now: () => number;
  private readonly warmStart: () => WarmStart | null;

  /**
   * Builds the runs (throws RangeError on an invalid config). Call `start()` to emit the initial messages.
   * The active tfjs backend must be ready (the worker's `startBackend`; tests: `ensureBackend`).
   */
  constructor(
    config: SessionConfig,
    private readonly emit: Emit,
    deps: SessionDeps = {},
  ) {
    this.pacer = new Pacer(deps);
    this.warmStart = deps.warmStart ?? (() => null);
    this.now = this.pacer.now;
    this.build(config);
  }

  /** Lockstep steps taken so far. */
  get stepCount(): number {
    return this.step;
  }

  get currentStatus(): SessionStatus {
    return this.status;
  }

  /** The runs' trainers (read-only use: tests compare weights). */
  get trainers(): readonly Trainer[] {
    return this.runs.map((r) => r.trainer);
  }

  /** Resolves when the current play/step loop has stopped and the queued work is done. */
  async idle(): Promise<void> {
    for (;;) {
      const [loop, work] = [this.loop, this.work];
      await loop;
      await work;
      if (loop === this.loop && work === this.work) return;
    }
  }

  /** Emits setup and status, then every view at step 0. */
  start(): void {
    this.emitSetup();
    this.emitStatus();
    this.queue(() => this.updateViews(true));
  }

  /**
   * Runs `task` after every task queued before it (the one door to the trainers); resolves or rejects with it. A
   * task must not call `exclusive` itself.
   */
  private exclusive<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.work.then(task);
    this.work = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** `exclusive` for a command's work: a failure is reported as an error message, not thrown. */
  private queue(task: () => void | Promise<void>): void {
    this.exclusive(task).catch((e: unknown) => {
      this.emit({ type: 'error', message: `The playground could not update: ${errorText(e)}`, fatal: false });
    });
  }

  /** Dispatches a command from the page. `init` is the worker's business and ignored here. */
  handle(msg: MainMessage): void {
    switch (msg.type) {
      case 'play':
        return this.play();
      case 'pause':
        return this.pause();
      case 'step':
        return this.stepBy(msg.n);
      case 'reset':
        return this.reset(msg.config);
      case 'setSpeed':
        return this.pacer.setSpeed(msg.stepsPerSecond);
      case 'setViews':
        this.views = resolveViewOptions(msg.views, this.views);
        return;
      case 'refresh':
        return this.queue(() => this.updateViews(true));
      case 'anchor':
        return this.queue(() => this.requestAnchor(msg.requestId, msg.run, msg.image, msg.anchor));
      case 'unwatch':
        return this.watches.unwatch(msg);
      case 'dispose':
        return this.dispose();
    }
  }

  /** Trains until `steps`, all runs diverged, or a pause/step/reset. Idempotent while playing. */
  play(): void {
    if (this.disposed || this.status === 'playing') return;
    if (this.isDone()) return this.queue(() => this.finish());
    this.startLoop('playing', null);
  }

  /** Stops after the current step; reports everything up to it. */
  pause(): void {
    if (this.disposed) return;
    this.gen++;
    if (this.status === 'done') return;
    // Paused at once (a play right after this must start again); reported once the current step is done, unless a
    // later command (play, step, reset) has taken over by the time the queue gets here.
    this.status = 'paused';
    const gen = this.gen;
    this.queue(() => (gen === this.gen ? this.settle() : undefined));
  }

  /** Takes `n` steps (1…MAX_STEP_COMMAND), then pauses. When playing, pauses first. */
  stepBy(n: number): void {
    if (this.disposed) return;
    const count = Math.min(MAX_STEP_COMMAND, Math.max(1, Math.floor(Number.isFinite(n) ? n : 1)));
    if (this.isDone()) return this.queue(() => this.finish());
    this.startLoop('stepping', count);
  }

  /** Back to step 0 with fresh (identical) weights; with a config, new settings. Pauses. */
  reset(config?: SessionConfig): void {
    if (this.disposed) return;
    this.gen++;
    this.queue(async () => {
      if (this.disposed) return;
      const next = config ?? this.cfg;
      const old = this.runs;
      this.runs = [];
      for (const r of old) r.trainer.dispose();
      try {
        this.build(next);
      } catch (e) {
        // Keep a usable session: fall back to the previous settings, then report.
        if (config) this.build(this.cfg);
        this.emit({ type: 'error', message: `Reset failed: ${errorText(e)}`, fatal: false });
      }
      this.emitSetup();
      this.emitStatus();
      await this.updateViews(true);
    });
  }

  /** Frees every tensor (once the queued work is done); the session ignores commands afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.gen++;
    this.disposed = true;
    this.pacer.close();
    this.queue(() => {
      for (const r of this.runs) r.trainer.dispose();
      this.runs = [];
    });
  }

  // ───────────────────────────── building ─────────────────────────────

  private build(config: SessionConfig): void {
    const cfg = validateSessionConfig(config);
    const runs = createRace(cfg, cfg.pretrained ? this.warmStart() : null);
    this.cfg = cfg;
    this.views = cfg.views;
    this.data = { ...cfg.data, imageSize: cfg.imageSize };
    this.runs = runs;
    const t0 = runs[0].trainer;
    this.probe = makeProbeSet(this.views.probeImages, this.data, t0.anchors, NUM_CLASSES, t0.config.assign);
    this.evalSet = makeEvalSet(this.views.evalImages, this.data);
    this.step = 0;
    this.status = 'paused';
    this.doneReason = undefined;
    this.lastEvalStep = this.lastViewsStep = this.lastFig4Step = -1;
    this.watches.clear();
    this.rate = { t: this.now(), step: 0, value: 0 };
  }

  // ───────────────────────────── the loop ─────────────────────────────

  private isDone(): boolean {
    return this.step >= this.cfg.steps || this.runs.every((r) => !r.active);
  }

  private startLoop(status: SessionStatus, limit: number | null): void {
    const gen = ++this.gen;
    this.status = status;
    this.rate = { t: this.now(), step: this.step, value: this.rate.value };
    this.emitStatus();
    const previous = this.loop;
    this.loop = previous.then(() => this.run(gen, limit));
  }

  private async run(gen: number, limit: number | null): Promise<void> {
    let taken = 0;
    this.pacer.start();
    try {
      while (gen === this.gen) {
        const more = await this.exclusive(async () => {
          if (gen !== this.gen) return false;
          if (this.isDone()) {
            await this.finish();
            return false;
          }
          if (limit !== null && taken >= limit) {
            await this.settle();
            return false;
          }
          await this.trainStep();
          taken++;
          await this.afterStep();
          return true;
        });
        if (!more) return;
        // Pace, then let pending messages (pause, reset, …) run.
        await this.pacer.next();
      }
    } catch (e) {
      if (gen !== this.gen) return;
      this.gen++;
      this.emit({ type: 'error', message: `Training stopped: ${errorText(e)}`, fatal: false });
      await this.exclusive(() => this.settle());
    }
  }

  /** One lockstep step: one batch, every active run. */
  private async trainStep(): Promise<void> {
    const u = this.upcoming;
    const batch =
      u?.step === this.step && u.data === this.data && u.cfg === this.cfg
        ? u.batch
        : trainingBatch(this.cfg.seed, this.step, this.cfg.batchSize, this.data);
    // The next step's batch now, so each trainer builds its targets while this step's convs run on helper threads
    // (lib/detector/train.ts `prefetch`); the same batch either way, made one step earlier.
    const next = trainingBatch(this.cfg.seed, this.step + 1, this.cfg.batchSize, this.data);
    this.upcoming = { step: this.step + 1, batch: next, data: this.data, cfg: this.cfg };
    for (const r of this.runs) if (r.active) r.trainer.prefetch(next);
    for (const r of this.runs) {
      if (!r.active) continue;
      let stats: StepStats;
      try {
        stats = await r.trainer.stepAsync(batch);
      } catch (e) {
        this.diverge(r, this.step + 1, `The training step failed: ${errorText(e)}`);
        continue;
      }
      const reason = checkDivergence(stats, r.reference, this.views.explodeFactor, r.config);
      if (r.reference === null && Number.isFinite(stats.total)) r.reference = stats.total;
      const point: ProgressPoint = { ...stats };
      if (Object.values(point).every(Number.isFinite)) r.pending.push(point);
      if (reason) this.diverge(r, stats.step, reason);
    }
    this.step++;
  }

  private async afterStep(): Promise<void> {
    const v = this.views;
    if (this.step % v.evalEvery === 0) await this.runEval();
    if (this.step - this.lastViewsStep >= v.viewsEvery) await this.updateViews(false, false);
    if (this.step - this.lastFig4Step >= v.fig4Every) await this.emitFig4();
    if (this.now() - this.lastFlush >= v.progressIntervalMs) this.flushProgress();
  }

  /** After a pause or a finished step command: report everything up to the current step. */
  private async settle(): Promise<void> {
    this.status = 'paused';
    this.flushProgress();
    await this.updateViews(false);
    this.emitStatus();
  }

  private async finish(): Promise<void> {
    this.gen++;
    this.status = 'done';
    this.doneReason =
      this.step >= this.cfg.steps
        ? `Reached the planned ${this.cfg.steps} steps.`
        : 'Every run diverged; change the settings and reset.';
    this.flushProgress();
    if (this.lastEvalStep !== this.step) await this.runEval();
    await this.updateViews(false);
    this.emitStatus();
  }

  private diverge(r: RunState, step: number, reason: string): void {
    if (!r.active) return;
    r.active = false;
    this.send({ type: 'diverged', run: r.index, step, reason });
  }

  // ───────────────────────────── reporting ─────────────────────────────

  /** Posts a message unless it carries a non-finite number (then an error says which). */
  private send(msg: WorkerMessage): void {
    const bad = findNonFinite(msg);
    if (bad !== null) {
      this.emit({
        type: 'error',
        message: `internal: non-finite value at ${bad} in a '${msg.type}' message; not sent`,
        fatal: false,
      });
      return;
    }
    this.emit(msg);
  }

  private emitSetup(): void {
    this.send(setupMessage(this.runs, this.cfg, this.views, this.probe));
  }

  private emitStatus(): void {
    this.send({
      type: 'status',
      status: this.status,
      step: this.step,
      steps: this.cfg.steps,
      active: this.runs.map((r) => r.active),
      stepsPerSecond: this.status === 'playing' || this.status === 'stepping' ? this.rate.value : 0,
      memory: workerMemory(),
      ...(this.status === 'done' && this.doneReason ? { reason: this.doneReason } : {}),
    });
  }

  private flushProgress(): void {
    const now = this.now();
    const dt = now - this.rate.t;
    if (dt >= 250) {
      this.rate = { t: now, step: this.step, value: ((this.step - this.rate.step) * 1000) / dt };
    }
    this.lastFlush = now;
    if (this.runs.every((r) => r.pending.length === 0)) return;
    this.send({
      type: 'progress',
      step: this.step,
      stepsPerSecond: this.rate.value,
      runs: this.runs.map((r) => ({ run: r.index, points: r.pending.splice(0) })),
    });
  }

  private async runEval(): Promise<void> {
    this.lastEvalStep = this.step;
    const msg = await evalMessage(this.runs, this.evalSet, this.views, this.step);
    if (msg) this.send(msg);
  }

  /** Probe outputs of an active run at the current step (cached per step); null when they are not finite. */
  private async probeOf(r: RunState): Promise<ProbeOutputs | null> {
    if (r.probe && r.probe.step === this.step) return r.probe;
    if (!r.active) return r.probe;
    const out = await runProbeAsync(r.trainer, this.probe, r.config, this.views.sampleImages, this.step);
    if (!out.finite) {
      this.diverge(r, this.step, `The model's outputs became non-finite at step ${this.step}.`);
      return null;
    }
    r.probe = out;
    return out;
  }

  /** The active runs whose probe outputs at the current step are finite, with those outputs. */
  private async liveOutputs(): Promise<{ run: RunState; out: ProbeOutputs }[]> {
    const live: { run: RunState; out: ProbeOutputs }[] = [];
    for (const run of this.runs) {
      const out = run.active ? await this.probeOf(run) : null;
      if (out) live.push({ run, out });
    }
    return live;
  }

  /** samples + lossShare + watched anchors, and fig4 unless `withFig4` is false; skips what is up to date. */
  private async updateViews(force: boolean, withFig4 = true): Promise<void> {
    if (this.lastEvalStep < 0) await this.runEval();
    if (force || this.lastViewsStep !== this.step) {
      this.lastViewsStep = this.step;
      const live = await this.liveOutputs();
      if (live.length > 0) {
        for (const msg of liveViewMessages(this.probe, live, this.views, this.step)) this.send(msg);
      }
      for (const w of this.watches.all) {
        const l = live.find((x) => x.run.index === w.run);
        if (!l) continue;
        this.watches.record(w, this.probe, l.out);
        this.send(this.watches.message(-1, this.probe, l.out, l.run.config, w.run, w));
      }
    }
    if (withFig4 && (force || this.lastFig4Step !== this.step)) await this.emitFig4();
  }

  private async emitFig4(): Promise<void> {
    this.lastFig4Step = this.step;
    const msg = fig4Message(this.probe, await this.liveOutputs(), this.views, this.step);
    if (msg) this.send(msg);
  }

  // ───────────────────────────── anchors ─────────────────────────────

  private async requestAnchor(requestId: number, run: number, image: number, anchor: number): Promise<void> {
    const r = this.runs[run];
    const N = this.probe.anchors.numAnchors;
    if (!r || !(image >= 0 && image < this.views.probeImages) || !(anchor >= 0 && anchor < N)) {
      this.emit({
        type: 'error',
        message: `Anchor request out of range (run ${run}, image ${image}, anchor ${anchor}; ${this.runs.length} runs, ${this.views.probeImages} images, ${N} anchors).`,
        fatal: false,
      });
      return;
    }
    const out = await this.probeOf(r);
    if (!out) {
      this.emit({ type: 'error', message: `Run ${run + 1} has no valid outputs to inspect.`, fatal: false });
      return;
    }
    const w = this.watches.watch(this.probe, out, run, image, anchor);
    this.send(this.watches.message(requestId, this.probe, out, r.config, run, w));
  }
}
