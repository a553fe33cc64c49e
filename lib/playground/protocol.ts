/**
 * Messages between the page (main thread) and the training worker. Only plain numbers, strings, booleans, plain
 * objects/arrays and typed arrays cross the boundary (structured clone); large typed arrays are transferred
 * (./wire `transferablesOf`, which also validates what arrives). tfjs-free, so the page can import it without
 * loading the training stack.
 *
 * Flow: main → `init` → worker → `ready` (backend and why) → `setup` (runs, sample images, anchor layout) →
 * `status`, then while training `progress` (≤ every ~100 ms), `eval` (every `evalEvery` steps), `samples`,
 * `lossShare` (every `viewsEvery` steps), `fig4` (every `fig4Every` steps), `anchorDetail` (on request and for
 * watched anchors at every view update), `diverged` (once per run), `error`.
 * Every number in a worker message is finite (the session checks before posting, ./wire `findNonFinite`).
 */
import type { LossMode } from '../detector/lossModes';
import type { StepStats } from '../detector/trainConfig';

export type BackendName = 'cpu' | 'wasm' | 'webgl' | 'webgpu';
/**
 * 'auto': of WebGPU, WebGL (hardware, OffscreenCanvas) and WASM, the one measured fastest on this device (or
 * remembered from an earlier measurement), else CPU; see `startBackend` in ./backend-plan.
 */
export type BackendPreference = 'auto' | BackendName;

/** Every backend name, for validation. */
export const BACKEND_NAMES: readonly BackendName[] = ['cpu', 'wasm', 'webgl', 'webgpu'];

/** One backend's measured training speed on this device (the current design, a few steps). */
export interface BackendTiming {
  backend: BackendName;
  msPerStep: number;
}

/** One run of a session: the trainer settings that may differ between racing runs. */
export interface RunConfig {
  /** Legend label, e.g. 'FL γ=2, α=0.25'. */
  label: string;
  loss: LossMode;
  gamma: number;
  /** null: no α-balancing. */
  alpha: number | null;
  beta: number;
  /** π of the prior init of the classification bias; null: bias 0 (no prior). */
  prior: number | null;
  /** Peak learning rate (Adam). */
  lr: number;
}

/** What a session trains and how often it reports; built from the URL state by `sessionConfigFromState`. */
export interface SessionConfig {
  /** 1…4 runs, stepped in lockstep on the same batches from the same initial weights. */
  runs: RunConfig[];
  /** Seed of the data stream, of the initial weights and of the 1:3 sampler (same for every run). */
  seed: number;
  /** Images per step. */
  batchSize: number;
  /** Planned steps; training stops there (status 'done'). Also sets the lr milestones (2/3, 8/9). */
  steps: number;
  /** Linear lr warm-up length in steps. */
  warmupSteps: number;
  /** Square image side in px, a multiple of 16. */
  imageSize: number;
  /** Synthetic data options (lib/data/synthetic DataOptions, partial; imageSize comes from `imageSize`). */
  data: {
    objectsPerImage?: [number, number];
    distractors?: [number, number];
    clutterLines?: [number, number];
    noise?: number;
    sizeRange?: [number, number];
  };
  /** Anchor generator options other than image size and strides (A = |scales|·|aspectRatios|). */
  anchors: { scales?: number[]; aspectRatios?: number[]; baseSizes?: number[] };
  /** Network size (defaults: lib/detector MODEL_DEFAULTS). Smaller values are for tests. */
  model?: { width?: number; stemWidth?: number; headDepth?: number; groups?: number };
  /**
   * Backbone + FPN from the warm start (lib/detector/warmStart; the worker fetches it from `warmStartUrl` of
   * `init`), heads fresh. Default false: every weight from `seed`.
   */
  pretrained?: boolean;
  /** Reporting cadence and view sizes. */
  views?: Partial<ViewOptions>;
}

/** How often and how much the session reports. */
export interface ViewOptions {
  /** Minimum milliseconds between two `progress` messages while playing. */
  progressIntervalMs: number;
  /** Evaluate AP every this many steps (and at step 0 and at the end). */
  evalEvery: number;
  /** Held-out images in the AP evaluation (the first n of the fixed 'eval' split). */
  evalImages: number;
  /** Recompute `samples` and `lossShare` (and watched anchors) every this many steps. */
  viewsEvery: number;
  /** Recompute `fig4` every this many steps. */
  fig4Every: number;
  /** Probe images (first n of the eval split) behind lossShare, fig4 and anchor details. */
  probeImages: number;
  /** Sample images shown with detections (the first n probe images). */
  sampleImages: number;
  /** Bins of the p_t histogram (uniform on [0, 1]). */
  histogramBins: number;
  /** Points per Figure-4 curve. */
  fig4Points: number;
  /** Per-anchor scores in `samples`: none, max over anchors and classes per location, or all. */
  anchorScores: 'none' | 'max' | 'full';
  /** A run is stopped as diverged when its loss exceeds this factor times its loss at step 1. */
  explodeFactor: number;
  /** Candidates per pyramid level before NMS in evaluation and samples (paper: 1000). */
  topK: number;
  /** Detections per image. */
  maxDetections: number;
}

// ───────────────────────────── main → worker ─────────────────────────────

/** Most steps one `step` command may take (longer requests are cut to this many). */
export const MAX_STEP_COMMAND = 1000;

export type MainMessage =
  | {
      type: 'init';
      backend: BackendPreference;
      wasmPath?: string;
      /** Where to fetch the warm start when a config asks for `pretrained` (./config `warmStartUrlFor`). */
      warmStartUrl?: string;
      config: SessionConfig;
      /**
       * With backend 'auto': the backend an earlier measurement on this device chose (./backendMemory), started
       * without measuring again when it can start; null or absent: measure where more than one can start.
       */
      remembered?: BackendName | null;
    }
  | { type: 'play' }
  | { type: 'pause' }
  /** Runs n steps (1…MAX_STEP_COMMAND) then pauses; pauses first when playing. */
  | { type: 'step'; n: number }
  /** Back to step 0 with fresh weights; with `config`, the new settings. */
  | { type: 'reset'; config?: SessionConfig }
  /** Limit the training rate; null = as fast as possible. */
  | { type: 'setSpeed'; stepsPerSecond: number | null }
  /** Change the reporting cadence (not what is trained). */
  | { type: 'setViews'; views: Partial<ViewOptions> }
  /** Send every view now (e.g. after the page re-mounts). */
  | { type: 'refresh' }
  /** Details of anchor `anchor` of probe image `image` in run `run`; watched from now on (history). */
  | { type: 'anchor'; requestId: number; run: number; image: number; anchor: number }
  /** Stop watching one anchor, or all when `anchor` is omitted. */
  | { type: 'unwatch'; run?: number; image?: number; anchor?: number }
  | { type: 'dispose' };

// ───────────────────────────── worker → main ─────────────────────────────

export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  /** Why it was tried or skipped, or the error it failed with. */
  reason: string;
}

export interface ReadyMessage {
  type: 'ready';
  backend: BackendName;
  /** One sentence: why this backend (and why not the ones before it). */
  reason: string;
  attempts: BackendAttempt[];
  /** Threads it computes with (WASM threaded build); absent means 1. */
  threads?: number;
  /** The worker is cross-origin isolated (what WASM threads need); absent means no. */
  isolated?: boolean;
  /** With 'auto' and more than one fast backend: each one's measured speed, fastest first; absent: not measured. */
  measured?: BackendTiming[];
  /** The backend was the remembered choice of an earlier measurement (init's `remembered`). */
  remembered?: boolean;
}

/** Sent while 'auto' times the backends that can start, before `ready`. */
export interface MeasuringMessage {
  type: 'measuring';
  backend: BackendName;
  /** 1-based position of `backend` among the `of` backends measured. */
  index: number;
  of: number;
}

/** A sample image for a canvas: RGBA bytes, ground truth. */
export interface SampleImage {
  width: number;
  height: number;
  /** Uint8ClampedArray [height·width·4], ready for `new ImageData(rgba, width, height)`. */
  rgba: Uint8ClampedArray;
  /** Float32Array [n·4] ground-truth boxes [x1, y1, x2, y2] px. */
  boxes: Float32Array;
  /** Int32Array [n] class indices. */
  labels: Int32Array;
}

/** Anchor layout shared by every run (same image size and anchor options). */
export interface AnchorLayout {
  numAnchors: number;
  anchorsPerLocation: number;
  numClasses: number;
  /** Float32Array [N·4] anchor boxes px, order level, y, x, a. */
  boxes: Float32Array;
  levels: { stride: number; height: number; width: number; offset: number; count: number }[];
  /** Anchor a within a location: scale and aspect ratio h/w. */
  templates: { scale: number; aspectRatio: number }[];
}

export interface SetupMessage {
  type: 'setup';
  runs: { run: number; label: string; config: RunConfig }[];
  steps: number;
  batchSize: number;
  numParams: number;
  classNames: string[];
  /** The sample images (the first `sampleImages` probe images). */
  images: SampleImage[];
  /** Number of probe images an `anchor` request may address. */
  probeImages: number;
  anchors: AnchorLayout;
  views: ViewOptions;
}

export type SessionStatus = 'paused' | 'playing' | 'stepping' | 'done';

export interface StatusMessage {
  type: 'status';
  status: SessionStatus;
  /** Lockstep steps taken (all runs, diverged ones stop earlier). */
  step: number;
  steps: number;
  /** Per run: still training (false once diverged). */
  active: boolean[];
  /** Measured training rate over the last second of playing; 0 when paused. */
  stepsPerSecond: number;
  /** Why the session is done, when it is. */
  reason?: string;
  /** The worker's memory when the status was sent (soak tests watch these stay flat). */
  memory: { numTensors: number; numBytes: number; jsHeapBytes: number | null };
}

/** One training step of one run: the trainer's StepStats (lib/detector/trainConfig), losses ÷ max(1, numFg). */
export type ProgressPoint = StepStats;

export interface ProgressMessage {
  type: 'progress';
  step: number;
  /** Measured training rate (lockstep steps per second) over the last ≥ 250 ms. */
  stepsPerSecond: number;
  /** Steps taken since the previous progress message, per run (diverged runs: empty). */
  runs: { run: number; points: ProgressPoint[] }[];
}

export interface EvalPoint {
  run: number;
  /** COCO AP@[.5:.95], AP50, AP75, AR@100 on the held-out set, in [0, 1]. */
  ap: number;
  ap50: number;
  ap75: number;
  ar100: number;
  numDetections: number;
}

export interface EvalMessage {
  type: 'eval';
  step: number;
  numImages: number;
  runs: EvalPoint[];
}

export interface SampleDetections {
  /** Float32Array [m·4] px, Float32Array [m] scores σ(x) ∈ (0, 1), Int32Array [m] labels; sorted by score. */
  boxes: Float32Array;
  scores: Float32Array;
  labels: Int32Array;
  /**
   * Per pyramid level: 'max' → Float32Array [H_l·W_l], the highest score over the A anchors and K classes at
   * each location; 'full' → Float32Array [H_l·W_l·A·K] every score (order y, x, a, k); absent for 'none'.
   */
  levelScores?: Float32Array[];
}

export interface SamplesMessage {
  type: 'samples';
  step: number;
  scoreMode: ViewOptions['anchorScores'];
  runs: { run: number; images: SampleDetections[] }[];
}

/** "Where the loss goes" of one run on the probe images: every non-ignored (anchor, class) element. */
export interface LossShareRun {
  run: number;
  /** Shares of the classification loss Σℓ; sum to 1. Hard negatives: p_t < 0.5. */
  shares: { pos: number; hardNeg: number; easyNeg: number };
  /** The same sums in nats, divided by max(1, #foreground anchors) like the training loss. */
  totals: { pos: number; hardNeg: number; easyNeg: number };
  numPos: number;
  numHardNeg: number;
  numEasyNeg: number;
  /** Int32Array [bins] element counts per p_t bin, positives and negatives. */
  countPos: Int32Array;
  countNeg: Int32Array;
  /** Float32Array [bins] share of the total classification loss in each bin (all bins of both sum to 1). */
  lossPos: Float32Array;
  lossNeg: Float32Array;
  /** Float32Array [bins] this run's loss ℓ(p_t) at the bin centres, for a positive / a negative (lib/loss). */
  curvePos: Float32Array;
  curveNeg: Float32Array;
}

export interface LossShareMessage {
  type: 'lossShare';
  step: number;
  /** Float32Array [bins + 1] bin edges in p_t. */
  edges: Float32Array;
  runs: LossShareRun[];
}

export interface Fig4RunCurves {
  run: number;
  numPositive: number;
  numNegative: number;
  curves: {
    gamma: number;
    /** Float32Array [points] cumulative normalised loss at `fractions`. */
    positive: Float32Array;
    negative: Float32Array;
    /** Share of the negative loss in the hardest 1 % / 10 % of negatives; of the positive in the hardest 20 %. */
    negHardest1: number;
    negHardest10: number;
    posHardest20: number;
  }[];
}

export interface Fig4Message {
  type: 'fig4';
  step: number;
  /** Float32Array [points] fractions of examples, 0…1. */
  fractions: Float32Array;
  runs: Fig4RunCurves[];
}

/** One (anchor, class) element of an anchor. */
export interface AnchorElement {
  classIndex: number;
  /** Target y ∈ {0, 1}. */
  target: number;
  /** σ(x), the predicted probability of class k. */
  score: number;
  /** p_t = p for y = 1, 1 − p for y = 0. */
  pt: number;
  /** (1 − p_t)^γ with the run's γ (1 for the CE modes). */
  modulating: number;
  /** α_t = α (y = 1), 1 − α (y = 0), 1 without α. */
  alphaT: number;
  /** The run's loss ℓ of this element, nats. */
  loss: number;
  /** loss / (classification loss of the whole image). */
  share: number;
}

export interface AnchorDetailMessage {
  type: 'anchorDetail';
  /** The request's id; −1 for the periodic update of a watched anchor. */
  requestId: number;
  run: number;
  step: number;
  image: number;
  anchor: number;
  level: number;
  y: number;
  x: number;
  a: number;
  /** [x1, y1, x2, y2] px. */
  box: number[];
  /** 'fg' matched to an object, 'bg' background, 'ignored' (IoU between the thresholds: not in the loss). */
  kind: 'fg' | 'bg' | 'ignored';
  elements: AnchorElement[];
  /** Σ over classes of loss / loss of the image (0 when ignored). */
  share: number;
  /** History of the element to follow (the true class of a fg anchor, else the highest-scoring class). */
  history: { classIndex: number; steps: Int32Array; pt: Float32Array; loss: Float32Array };
}

export interface DivergedMessage {
  type: 'diverged';
  run: number;
  step: number;
  /** Plain-text explanation for the reader. */
  reason: string;
}

export interface ErrorMessage {
  type: 'error';
  message: string;
  /** True when the worker cannot continue (the page should fall back / offer a reload). */
  fatal: boolean;
}

export type WorkerMessage =
  | ReadyMessage
  | MeasuringMessage
  | SetupMessage
  | StatusMessage
  | ProgressMessage
  | EvalMessage
  | SamplesMessage
  | LossShareMessage
  | Fig4Message
  | AnchorDetailMessage
  | DivergedMessage
  | ErrorMessage;

export type WorkerMessageType = WorkerMessage['type'];
export const WORKER_MESSAGE_TYPES: readonly WorkerMessageType[] = [
  'ready',
  'measuring',
  'setup',
  'status',
  'progress',
  'eval',
  'samples',
  'lossShare',
  'fig4',
  'anchorDetail',
  'diverged',
  'error',
];
