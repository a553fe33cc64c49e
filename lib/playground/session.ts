/**
 * The playground engine: N trainers (race mode, 1…4 runs) stepped in lockstep, and every live view. The worker
 * runs it (./worker), tests run it directly in Node; it only talks through `emit(WorkerMessage)`.
 *
 * Fairness of a race: all runs are built with the same seed and then given run 1's exact weights (`getWeights` /
 * `setWeights`), except the classification bias, which is each run's own prior init b = −log((1 − π)/π) (0 without
 * prior) — the only place the initial weights may differ, and only when the runs differ in π. Each step draws ONE
 * batch (`trainingBatch(seed, step, B)`) and feeds it to every run, so the runs see identical data.
 *
 * Scheduling: `play` starts an async loop that takes one lockstep step, reports, and yields to the event loop
 * (a MessageChannel round trip, not a 4-ms-clamped timer) so pause/step/reset messages are handled between steps.
 * A generation counter cancels a loop: every command that changes what runs bumps it, and an old loop stops at
 * its next check. Training code is synchronous, so no command ever interleaves with a half-done step.
 *
 * Reporting: `progress` at most every `progressIntervalMs` (points are batched), `eval` every `evalEvery` steps,
 * `samples` + `lossShare` (+ watched anchors) every `viewsEvery` steps, `fig4` every `fig4Every` steps, and all of
 * them at step 0, on pause, after a single-step command and at the end. Every outgoing message is checked for
 * non-finite numbers.
 *
 * Divergence: a run stops (others continue) when a step's loss or gradient norm is not finite, or its loss exceeds
 * `explodeFactor` × its step-1 loss, or its probe outputs become non-finite; `diverged` explains why.
 *
 * Memory: every tensor lives in a tidy inside lib/detector or ./views; the tensor count is flat (tested).
 */
import * as tf from '@tensorflow/tfjs-core';
import { CLASS_NAMES, NUM_CLASSES, type DataOptions } from '../data/synthetic';
import { evaluate, makeEvalSet, type EvalSet } from '../detector/infer';
import { countParams, getWeights, priorBias, setWeights } from '../detector/model';
import { isLossMode } from '../detector/lossModes';
import { createTrainer, trainingBatch, type Trainer } from '../detector/train';
import type { StepStats } from '../detector/trainConfig';
import { errorText } from './backend-plan';
import { resolveViewOptions, trainConfigOfRun, validateSessionConfig } from './config';
import {
  findNonFinite,
  MAX_STEP_COMMAND,
  type AnchorDetailMessage,
  type EvalPoint,
  type MainMessage,
  type ProgressPoint,
  type RunConfig,
  type SessionConfig,
  type SessionStatus,
  type StatusMessage,
  type ViewOptions,
  type WorkerMessage,
} from './protocol';
import {
  anchorDetailView,
  fig4View,
  followedClass,
  histogramEdges,
  lossShareView,
  makeProbeSet,
  runProbe,
  sampleImageOf,
  samplesView,
  type ProbeOutputs,
  type ProbeSet,
} from './views';

/** Receives every message the session produces (the worker posts it, tests collect it). */
export type Emit = (msg: WorkerMessage) => void;

/** Replaceable clocks and yields (tests). */
export interface SessionDeps {
  now?: () => number;
  /** Resolves after the event loop had a chance to run other tasks. */
  yieldNow?: () => Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

/** Most anchors watched at once (their history is reported at every view update). */
export const MAX_WATCHED_ANCHORS = 8;
/** History points kept per watched anchor. */
const MAX_HISTORY = 2000;

/**
 * Why a step means the run diverged, or null. Checks, in order: a non-finite loss part, a non-finite gradient
 * norm, a loss above `factor` × `reference` (the run's step-1 loss). Pure; exported for tests.
 */
export function checkDivergence(
  stats: Pick<StepStats, 'total' | 'cls' | 'box' | 'gradNorm' | 'step'>,
  reference: number | null,
  factor: number,
  run: Pick<RunConfig, 'prior' | 'lr'>,
): string | null {
  const hint = [
    run.lr >= 0.01 ? 'a smaller learning rate' : '',
    run.prior === null ? 'the prior-probability init (π)' : '',
  ].filter(Boolean);
  const tip = hint.length > 0 ? ` Try ${hint.join(' or ')}.` : '';
  if (![stats.total, stats.cls, stats.box].every(Number.isFinite)) {
    // Worded without the literal "NaN": the page promises never to show NaN, even in an explanation.
    return `The loss stopped being a finite number at step ${stats.step} (${Number.isNaN(stats.total) ? 'not a number' : 'infinite'}): the weights took a non-finite update and training cannot continue.${tip}`;
  }
  if (!Number.isFinite(stats.gradNorm)) {
    return `The gradient became non-finite at step ${stats.step}, so the next update would destroy the weights.${tip}`;
  }
  if (reference !== null && reference > 0 && stats.total > factor * reference) {
    return `The loss exploded at step ${stats.step}: ${fmt(stats.total)} is more than ${factor}× its value at step 1 (${fmt(reference)}).${tip}`;
  }
  return null;
}

function fmt(x: number): string {
  return Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toPrecision(3);
}

/**
 * A yield to the event loop: usually a MessageChannel round trip (no 4-ms timer clamping), but at least every
 * `timerEveryMs` a setTimeout(0), because a stream of channel messages can starve timers (Node does; browsers
 * may deprioritise them), and timers are how the page and tests schedule work.
 */
export function createYield(timerEveryMs = 50): { yieldNow: () => Promise<void>; close: () => void } {
  const timer = () => new Promise<void>((r) => setTimeout(r, 0));
  if (typeof MessageChannel === 'undefined') return { yieldNow: timer, close: () => undefined };
  const ch = new MessageChannel();
  const queue: (() => void)[] = [];
  let closed = false;
  let lastTimer = performance.now();
  ch.port1.onmessage = () => queue.shift()?.();
  return {
    yieldNow: () => {
      if (closed) return Promise.resolve();
      const now = performance.now();
      if (now - lastTimer >= timerEveryMs) {
        lastTimer = now;
        return timer();
      }
      return new Promise<void>((r) => {
        queue.push(r);
        ch.port2.postMessage(null);
      });
    },
    close: () => {
      closed = true;
      for (const r of queue.splice(0)) r();
      ch.port1.close();
      ch.port2.close();
    },
  };
}

interface RunState {
  index: number;
  config: RunConfig;
  trainer: Trainer;
  active: boolean;
  /** Loss at step 1 (the explosion reference). */
  reference: number | null;
  pending: ProgressPoint[];
  probe: ProbeOutputs | null;
}

interface Watch {
  run: number;
  image: number;
  anchor: number;
  classIndex: number;
  steps: number[];
  pt: number[];
  loss: number[];
}

type Resolved = SessionConfig & { views: ViewOptions };

export class PlaygroundSession {
  private cfg!: Resolved;
  private views!: ViewOptions;
  private data!: Partial<DataOptions>;
  private runs: RunState[] = [];
  private probe!: ProbeSet;
  private evalSet!: EvalSet;
  private step = 0;
  private status: SessionStatus = 'paused';
  private doneReason: string | undefined;
  private gen = 0;
  private speed: number | null = null;
  private lastFlush = 0;
  private lastEvalStep = -1;
  private lastViewsStep = -1;
  private lastFig4Step = -1;
  private rate = { t: 0, step: 0, value: 0 };
  private watches: Watch[] = [];
  private loop: Promise<void> = Promise.resolve();
  private disposed = false;
  private readonly now: () => number;
  private readonly yielder: { yieldNow: () => Promise<void>; close: () => void };
  private readonly sleep: (ms: number) => Promise<void>;

  /**
   * Builds the runs (throws RangeError on an invalid config). Call `start()` to emit the initial messages.
   * The active tfjs backend must be ready (the worker's `startBackend`; tests: `ensureBackend`).
   */
  constructor(
    config: SessionConfig,
    private readonly emit: Emit,
    deps: SessionDeps = {},
  ) {
    this.now = deps.now ?? (() => performance.now());
    this.yielder = deps.yieldNow ? { yieldNow: deps.yieldNow, close: () => undefined } : createYield();
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
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

  /** Resolves when the current play/step loop has stopped. */
  idle(): Promise<void> {
    return this.loop;
  }

  /** Emits setup, status and every view at step 0. */
  start(): void {
    this.emitSetup();
    this.updateViews(true);
    this.emitStatus();
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
        return this.setSpeed(msg.stepsPerSecond);
      case 'setViews':
        this.views = resolveViewOptions(msg.views, this.views);
        return;
      case 'refresh':
        return this.updateViews(true);
      case 'anchor':
        return this.requestAnchor(msg.requestId, msg.run, msg.image, msg.anchor);
      case 'unwatch':
        this.watches = this.watches.filter(
          (w) =>
            !(
              (msg.run === undefined || w.run === msg.run) &&
              (msg.image === undefined || w.image === msg.image) &&
              (msg.anchor === undefined || w.anchor === msg.anchor)
            ),
        );
        return;
      case 'dispose':
        return this.dispose();
    }
  }

  /** Trains until `steps`, all runs diverged, or a pause/step/reset. Idempotent while playing. */
  play(): void {
    if (this.disposed || this.status === 'playing') return;
    if (this.isDone()) return this.finish();
    this.startLoop('playing', null);
  }

  /** Stops after the current step; reports everything up to it. */
  pause(): void {
    if (this.disposed) return;
    this.gen++;
    if (this.status === 'done') return;
    this.settle();
  }

  /** Takes `n` steps (1…MAX_STEP_COMMAND), then pauses. When playing, pauses first. */
  stepBy(n: number): void {
    if (this.disposed) return;
    const count = Math.min(MAX_STEP_COMMAND, Math.max(1, Math.floor(Number.isFinite(n) ? n : 1)));
    if (this.isDone()) return this.finish();
    this.startLoop('stepping', count);
  }

  /** Back to step 0 with fresh (identical) weights; with a config, new settings. Pauses. */
  reset(config?: SessionConfig): void {
    if (this.disposed) return;
    this.gen++;
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
    this.start();
  }

  /** Caps the training rate (steps per second); null = as fast as possible. */
  setSpeed(stepsPerSecond: number | null): void {
    this.speed =
      stepsPerSecond !== null && stepsPerSecond > 0 && Number.isFinite(stepsPerSecond)
        ? stepsPerSecond
        : null;
  }

  /** Frees every tensor; the session ignores commands afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.gen++;
    this.disposed = true;
    for (const r of this.runs) r.trainer.dispose();
    this.runs = [];
    this.yielder.close();
  }

  // ───────────────────────────── building ─────────────────────────────

  private build(config: SessionConfig): void {
    const cfg = validateSessionConfig(config);
    for (const r of cfg.runs) {
      if (!isLossMode(r.loss)) throw new RangeError(`session config: unknown loss '${r.loss}'`);
    }
    const trainers: Trainer[] = [];
    try {
      for (const r of cfg.runs) trainers.push(createTrainer(trainConfigOfRun(cfg, r)));
    } catch (e) {
      for (const t of trainers) t.dispose();
      throw e;
    }
    // Identical initial weights: run 1's θ everywhere, with each run's own prior bias.
    const theta = getWeights(trainers[0].model);
    const bias = trainers[0].model.specs.find((s) => s.name === 'cls_out/b')!;
    cfg.runs.forEach((r, i) => {
      if (i === 0) return;
      const w = theta.slice();
      w.fill(priorBias(r.prior), bias.offset, bias.offset + bias.size);
      setWeights(trainers[i].model, w);
    });
    this.cfg = cfg;
    this.views = cfg.views;
    this.data = { ...cfg.data, imageSize: cfg.imageSize };
    this.runs = cfg.runs.map((r, i) => ({
      index: i,
      config: r,
      trainer: trainers[i],
      active: true,
      reference: null,
      pending: [],
      probe: null,
    }));
    const t0 = trainers[0];
    this.probe = makeProbeSet(this.views.probeImages, this.data, t0.anchors, NUM_CLASSES, t0.config.assign);
    this.evalSet = makeEvalSet(this.views.evalImages, this.data);
    this.step = 0;
    this.status = 'paused';
    this.doneReason = undefined;
    this.lastEvalStep = this.lastViewsStep = this.lastFig4Step = -1;
    this.watches = [];
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
    let nextAt = this.now();
    try {
      while (gen === this.gen) {
        if (this.isDone()) return this.finish();
        if (limit !== null && taken >= limit) return this.settle();
        this.trainStep();
        taken++;
        this.afterStep();
        // Pace, then let pending messages (pause, reset, …) run.
        if (this.speed !== null) {
          // No catch-up bursts: a late step moves the schedule instead of shortening later waits.
          nextAt = Math.max(nextAt + 1000 / this.speed, this.now());
          const wait = nextAt - this.now();
          if (wait > 0) await this.sleep(wait);
          else await this.yielder.yieldNow();
        } else {
          await this.yielder.yieldNow();
        }
      }
    } catch (e) {
      if (gen !== this.gen) return;
      this.gen++;
      this.emit({ type: 'error', message: `Training stopped: ${errorText(e)}`, fatal: false });
      this.settle();
    }
  }

  /** One lockstep step: one batch, every active run. */
  private trainStep(): void {
    const batch = trainingBatch(this.cfg.seed, this.step, this.cfg.batchSize, this.data);
    for (const r of this.runs) {
      if (!r.active) continue;
      let stats: StepStats;
      try {
        stats = r.trainer.step(batch);
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

  private afterStep(): void {
    const v = this.views;
    if (this.step % v.evalEvery === 0) this.runEval();
    if (this.step - this.lastViewsStep >= v.viewsEvery) this.updateViews(false, false);
    if (this.step - this.lastFig4Step >= v.fig4Every) this.emitFig4();
    if (this.now() - this.lastFlush >= v.progressIntervalMs) this.flushProgress();
  }

  /** After a pause or a finished step command: report everything up to the current step. */
  private settle(): void {
    this.status = 'paused';
    this.flushProgress();
    this.updateViews(false);
    this.emitStatus();
  }

  private finish(): void {
    this.gen++;
    this.status = 'done';
    this.doneReason =
      this.step >= this.cfg.steps
        ? `Reached the planned ${this.cfg.steps} steps.`
        : 'Every run diverged; change the settings and reset.';
    this.flushProgress();
    if (this.lastEvalStep !== this.step) this.runEval();
    this.updateViews(false);
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
    const a = this.probe.anchors;
    this.send({
      type: 'setup',
      runs: this.runs.map((r) => ({ run: r.index, label: r.config.label, config: { ...r.config } })),
      steps: this.cfg.steps,
      batchSize: this.cfg.batchSize,
      numParams: countParams(this.runs[0].trainer.model),
      classNames: [...CLASS_NAMES],
      images: Array.from({ length: Math.min(this.views.sampleImages, this.views.probeImages) }, (_, i) =>
        sampleImageOf(this.probe.batch, i),
      ),
      probeImages: this.views.probeImages,
      anchors: {
        numAnchors: a.numAnchors,
        anchorsPerLocation: a.anchorsPerLocation,
        numClasses: NUM_CLASSES,
        boxes: a.boxes.slice(),
        levels: a.perLevel.map((l) => ({
          stride: l.stride,
          height: l.size[0],
          width: l.size[1],
          offset: l.offset,
          count: l.count,
        })),
        templates: a.templates.map((t) => ({ ...t })),
      },
      views: { ...this.views },
    });
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

  private runEval(): void {
    this.lastEvalStep = this.step;
    const points: EvalPoint[] = [];
    for (const r of this.runs) {
      if (!r.active) continue;
      const e = evaluate(r.trainer.model, this.evalSet, {
        anchors: r.trainer.anchors,
        topK: this.views.topK,
        maxDetections: this.views.maxDetections,
      });
      const p = {
        run: r.index,
        ap: e.ap,
        ap50: e.ap50,
        ap75: e.ap75,
        ar100: e.ar100,
        numDetections: e.numDetections,
      };
      // pycocotools reports −1 for "no ground truth"; the eval set always has objects, but be safe.
      if (Object.values(p).every((x) => Number.isFinite(x) && x >= 0)) points.push(p);
    }
    if (points.length > 0)
      this.send({ type: 'eval', step: this.step, numImages: this.evalSet.boxes.length, runs: points });
  }

  /** Probe outputs of an active run at the current step (cached per step); null when they are not finite. */
  private probeOf(r: RunState): ProbeOutputs | null {
    if (r.probe && r.probe.step === this.step) return r.probe;
    if (!r.active) return r.probe;
    const out = runProbe(r.trainer, this.probe, r.config, this.views.sampleImages, this.step);
    if (!out.finite) {
      this.diverge(r, this.step, `The model's outputs became non-finite at step ${this.step}.`);
      return null;
    }
    r.probe = out;
    return out;
  }

  /** samples + lossShare + watched anchors, and fig4 unless `withFig4` is false; skips what is up to date. */
  private updateViews(force: boolean, withFig4 = true): void {
    if (this.lastEvalStep < 0) this.runEval();
    if (force || this.lastViewsStep !== this.step) {
      this.lastViewsStep = this.step;
      const outs = this.runs.map((r) => (r.active ? this.probeOf(r) : null));
      const live = this.runs.filter((r, i) => r.active && outs[i]);
      if (live.length > 0) {
        this.send({
          type: 'samples',
          step: this.step,
          scoreMode: this.views.anchorScores,
          runs: live.map((r) => ({
            run: r.index,
            images: samplesView(this.probe, outs[r.index]!, this.views),
          })),
        });
        this.send({
          type: 'lossShare',
          step: this.step,
          edges: histogramEdges(this.views.histogramBins),
          runs: live.map((r) =>
            lossShareView(this.probe, outs[r.index]!, r.config, r.index, this.views.histogramBins),
          ),
        });
      }
      for (const w of this.watches) {
        const r = this.runs[w.run];
        const out = outs[w.run];
        if (!r?.active || !out) continue;
        this.recordWatch(w, out);
        this.sendAnchor(-1, r, out, w);
      }
    }
    if (withFig4 && (force || this.lastFig4Step !== this.step)) this.emitFig4();
  }

  private emitFig4(): void {
    this.lastFig4Step = this.step;
    let fractions: Float32Array | null = null;
    const runs = [];
    for (const r of this.runs) {
      if (!r.active) continue;
      const out = this.probeOf(r);
      if (!out) continue;
      const v = fig4View(this.probe, out, r.index, this.views.fig4Points);
      fractions = v.fractions;
      runs.push(v.run);
    }
    if (fractions) this.send({ type: 'fig4', step: this.step, fractions, runs });
  }

  // ───────────────────────────── anchors ─────────────────────────────

  private requestAnchor(requestId: number, run: number, image: number, anchor: number): void {
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
    const out = this.probeOf(r);
    if (!out) {
      this.emit({ type: 'error', message: `Run ${run + 1} has no valid outputs to inspect.`, fatal: false });
      return;
    }
    let w = this.watches.find((x) => x.run === run && x.image === image && x.anchor === anchor);
    if (!w) {
      w = {
        run,
        image,
        anchor,
        classIndex: followedClass(this.probe, out, image, anchor),
        steps: [],
        pt: [],
        loss: [],
      };
      this.watches.push(w);
      if (this.watches.length > MAX_WATCHED_ANCHORS) this.watches.shift();
      this.recordWatch(w, out);
    }
    this.sendAnchor(requestId, r, out, w);
  }

  private recordWatch(w: Watch, out: ProbeOutputs): void {
    if (w.steps[w.steps.length - 1] === out.step) return;
    const K = this.probe.numClasses;
    const e = (w.image * this.probe.anchors.numAnchors + w.anchor) * K + w.classIndex;
    const y = this.probe.targets[e];
    w.steps.push(out.step);
    w.pt.push(y === 1 ? out.scores[e] : 1 - out.scores[e]);
    w.loss.push(out.loss[e]);
    if (w.steps.length > MAX_HISTORY) {
      w.steps.shift();
      w.pt.shift();
      w.loss.shift();
    }
  }

  private sendAnchor(requestId: number, r: RunState, out: ProbeOutputs, w: Watch): void {
    const detail = anchorDetailView(this.probe, out, r.config, r.index, w.image, w.anchor);
    const msg: AnchorDetailMessage = {
      ...detail,
      requestId,
      history: {
        classIndex: w.classIndex,
        steps: Int32Array.from(w.steps),
        pt: Float32Array.from(w.pt),
        loss: Float32Array.from(w.loss),
      },
    };
    this.send(msg);
  }
}

/** tfjs's live tensors and their bytes, and the JS heap where the browser reports it (Chromium). */
function workerMemory(): StatusMessage['memory'] {
  const m = tf.memory();
  const perf = (globalThis as { performance?: { memory?: { usedJSHeapSize?: number } } }).performance;
  const heap = perf?.memory?.usedJSHeapSize;
  return {
    numTensors: m.numTensors,
    numBytes: m.numBytes,
    jsHeapBytes: typeof heap === 'number' && Number.isFinite(heap) ? heap : null,
  };
}
