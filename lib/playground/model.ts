/**
 * What the playground page keeps of the worker's messages, in the shape the views draw, and how one message folds
 * into it (`applyMessage`). Kept by `PlaygroundController` (./controller), read by the view components
 * (components/playground/views/*). tfjs-free.
 *
 * Every number here came from a worker message, and the worker checks each message for non-finite numbers
 * before posting (./wire `findNonFinite`), so views may plot without NaN guards; they still
 * format through lib/params/format so a missing value shows as '—', never 'NaN'.
 */
import { effectiveGamma } from '../detector/lossModes';
import { median } from '../metrics/stats';
import type {
  BackendTiming,
  AnchorDetailMessage,
  AnchorLayout,
  BackendAttempt,
  BackendName,
  EvalPoint,
  Fig4Message,
  LossShareMessage,
  SampleImage,
  SamplesMessage,
  SessionStatus,
  StatusMessage,
  ViewOptions,
  WorkerMessage,
} from './protocol';

/** One run of the race as the views see it (its colour and dash: components/playground/colors `runStyle(run)`). */
export interface RunMeta {
  /** Index 0…3 (also the colour index). */
  run: number;
  label: string;
  /** False once diverged. */
  active: boolean;
  /** Plain-text reason when the run diverged and stopped. */
  diverged: string | null;
  /** The run's γ actually used by the loss (0 for the CE modes), for curves and readouts. */
  gamma: number;
  loss: string;
}

/** The training losses of one run, one entry per step taken (columns, same length). */
export interface LossHistory {
  step: number[];
  total: number[];
  cls: number[];
  clsPos: number[];
  clsHardNeg: number[];
  clsEasyNeg: number[];
  box: number[];
}

/** AP evaluations on the held-out set: `runs[e][i]` is evaluation e of run i (null: that run was not evaluated). */
export interface EvalHistory {
  step: number[];
  numImages: number;
  runs: (EvalPoint | null)[][];
}

export interface BackendInfo {
  backend: BackendName;
  reason: string;
  attempts: BackendAttempt[];
  /** True when training runs on the page's own thread (no Worker could start). */
  inline: boolean;
  /** Threads the backend computes with (WASM's threaded build on a cross-origin-isolated page; else 1). */
  threads: number;
  /** Whether the trainer's scope is cross-origin isolated (what WASM threads need). */
  isolated: boolean;
  /** Each fast backend's measured ms per step, fastest first, when 'auto' measured them at this start. */
  measured: BackendTiming[] | null;
  /** Started as the remembered choice of an earlier measurement on this device. */
  remembered: boolean;
}

/** Everything the views draw. */
export interface PlaygroundModel {
  /** 'idle' before Play was ever pressed (nothing loaded), 'loading' while the worker starts. */
  phase: 'idle' | 'loading' | 'ready' | 'failed';
  backend: BackendInfo | null;
  /** While 'auto' times the backends before `ready`: which one, as "k of n"; null otherwise. */
  measuring: { backend: BackendName; index: number; of: number } | null;
  status: SessionStatus;
  step: number;
  steps: number;
  stepsPerSecond: number;
  /**
   * Compute time of the most recent lockstep steps (ms, oldest first, at most RECENT_STEPS): every run's
   * StepStats.ms of a step added up — training only, without evaluations, views or pacing. Their median is what
   * the page reports as ms per step (`data-ms-per-step`, read by `npm run bench:browser`).
   */
  recentStepMs: number[];
  /** Why the session is done (all runs finished or diverged). */
  doneReason: string | null;
  runs: RunMeta[];
  numParams: number;
  classNames: string[];
  views: ViewOptions | null;
  anchors: AnchorLayout | null;
  images: SampleImage[];
  losses: LossHistory[];
  evals: EvalHistory;
  samples: SamplesMessage | null;
  lossShare: LossShareMessage | null;
  fig4: Fig4Message | null;
  /** The selected anchor's latest details (per run shown: the selected run). */
  anchor: AnchorDetailMessage | null;
  /** The worker's tensors and heap at its last status message (null before the first). */
  memory: StatusMessage['memory'] | null;
  /** Non-fatal and fatal errors, newest last (at most a few). */
  errors: string[];
}

/** The selection of one anchor in one probe image, chosen by click or keyboard in the sample view. */
export interface AnchorSelection {
  run: number;
  image: number;
  anchor: number;
}

/** Steps kept for the ms-per-step median. */
export const RECENT_STEPS = 32;

/** Median compute ms of the recent lockstep steps, or null before any step. */
export function medianStepMs(model: Pick<PlaygroundModel, 'recentStepMs'>): number | null {
  return model.recentStepMs.length === 0 ? null : median(model.recentStepMs);
}

/** Errors kept for display. */
const MAX_ERRORS = 4;

const emptyLosses = (): LossHistory => ({
  step: [],
  total: [],
  cls: [],
  clsPos: [],
  clsHardNeg: [],
  clsEasyNeg: [],
  box: [],
});

/** The model before anything was loaded. */
export function initialModel(): PlaygroundModel {
  return {
    phase: 'idle',
    backend: null,
    measuring: null,
    status: 'paused',
    step: 0,
    steps: 0,
    stepsPerSecond: 0,
    recentStepMs: [],
    doneReason: null,
    runs: [],
    numParams: 0,
    classNames: [],
    views: null,
    anchors: null,
    images: [],
    losses: [],
    evals: { step: [], numImages: 0, runs: [] },
    samples: null,
    lossShare: null,
    fig4: null,
    anchor: null,
    memory: null,
    errors: [],
  };
}

/**
 * Folds one worker message into the model draft. Pure apart from mutating `draft` (a shallow copy made per
 * frame); arrays that grow (loss and eval histories) are copied on write so views see new identities. The
 * `phase` is the controller's business (./controller), not a message's.
 */
export function applyMessage(draft: PlaygroundModel, msg: WorkerMessage, selection: AnchorSelection | null) {
  switch (msg.type) {
    case 'ready':
      draft.backend = {
        backend: msg.backend,
        reason: msg.reason,
        attempts: msg.attempts,
        inline: false,
        threads: msg.threads ?? 1,
        isolated: msg.isolated ?? false,
        measured: msg.measured ?? null,
        remembered: msg.remembered ?? false,
      };
      draft.measuring = null;
      return;
    case 'measuring':
      draft.measuring = { backend: msg.backend, index: msg.index, of: msg.of };
      return;
    case 'setup': {
      draft.runs = msg.runs.map((r): RunMeta => ({
        run: r.run,
        label: r.config.label,
        active: true,
        diverged: null,
        gamma: effectiveGamma(r.config.loss, r.config.gamma),
        loss: r.config.loss,
      }));
      draft.steps = msg.steps;
      draft.numParams = msg.numParams;
      draft.classNames = msg.classNames;
      draft.images = msg.images;
      draft.anchors = msg.anchors;
      draft.views = msg.views;
      draft.losses = msg.runs.map(emptyLosses);
      draft.evals = { step: [], numImages: 0, runs: [] };
      draft.samples = null;
      draft.lossShare = null;
      draft.fig4 = null;
      draft.anchor = null;
      draft.step = 0;
      draft.recentStepMs = [];
      draft.doneReason = null;
      return;
    }
    case 'status':
      draft.status = msg.status;
      draft.step = msg.step;
      draft.steps = msg.steps;
      draft.stepsPerSecond = msg.stepsPerSecond;
      draft.doneReason = msg.status === 'done' ? (msg.reason ?? null) : null;
      draft.memory = msg.memory ?? null;
      if (draft.runs.length === msg.active.length && draft.runs.some((r, i) => r.active !== msg.active[i])) {
        draft.runs = draft.runs.map((r, i) => ({ ...r, active: msg.active[i] }));
      }
      return;
    case 'progress': {
      draft.step = Math.max(draft.step, msg.step);
      draft.stepsPerSecond = msg.stepsPerSecond;
      const losses = draft.losses.slice();
      for (const { run, points } of msg.runs) {
        if (!losses[run] || points.length === 0) continue;
        const h = losses[run];
        const next: LossHistory = {
          step: h.step.concat(points.map((p) => p.step)),
          total: h.total.concat(points.map((p) => p.total)),
          cls: h.cls.concat(points.map((p) => p.cls)),
          clsPos: h.clsPos.concat(points.map((p) => p.clsPos)),
          clsHardNeg: h.clsHardNeg.concat(points.map((p) => p.clsHardNeg)),
          clsEasyNeg: h.clsEasyNeg.concat(points.map((p) => p.clsEasyNeg)),
          box: h.box.concat(points.map((p) => p.box)),
        };
        losses[run] = next;
      }
      draft.losses = losses;
      const perStep = new Map<number, number>();
      for (const { points } of msg.runs) {
        for (const p of points) perStep.set(p.step, (perStep.get(p.step) ?? 0) + p.ms);
      }
      if (perStep.size > 0) {
        const ordered = [...perStep.entries()].sort((a, b) => a[0] - b[0]).map(([, ms]) => ms);
        draft.recentStepMs = draft.recentStepMs.concat(ordered).slice(-RECENT_STEPS);
      }
      return;
    }
    case 'eval': {
      const runs: EvalHistory['runs'][number] = draft.runs.map(
        (_, i) => msg.runs.find((r) => r.run === i) ?? null,
      );
      const ev = draft.evals;
      // A repeated evaluation of the same step (e.g. after a pause) replaces the earlier one.
      const last = ev.step.length - 1;
      if (last >= 0 && ev.step[last] === msg.step) {
        draft.evals = {
          step: ev.step,
          numImages: msg.numImages,
          runs: [...ev.runs.slice(0, last), runs],
        };
      } else {
        draft.evals = { step: [...ev.step, msg.step], numImages: msg.numImages, runs: [...ev.runs, runs] };
      }
      return;
    }
    case 'samples':
      draft.samples = msg;
      return;
    case 'lossShare':
      draft.lossShare = msg;
      return;
    case 'fig4':
      draft.fig4 = msg;
      return;
    case 'anchorDetail':
      if (
        selection &&
        msg.run === selection.run &&
        msg.image === selection.image &&
        msg.anchor === selection.anchor
      ) {
        draft.anchor = msg;
      }
      return;
    case 'diverged':
      draft.runs = draft.runs.map((r) =>
        r.run === msg.run ? { ...r, active: false, diverged: msg.reason } : r,
      );
      return;
    case 'error':
      draft.errors = [...draft.errors, msg.message].slice(-MAX_ERRORS);
      return;
  }
}
