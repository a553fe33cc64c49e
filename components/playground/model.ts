/**
 * What the playground page keeps of the worker's messages, in the shape the views draw. Built and updated by
 * `usePlaygroundSession` (./usePlaygroundSession), read by the view components (./views/*). tfjs-free.
 *
 * Every number here came from a worker message, and the worker checks each message for non-finite numbers
 * before posting (lib/playground/protocol `findNonFinite`), so views may plot without NaN guards; they still
 * format through lib/params/format so a missing value shows as '—', never 'NaN'.
 */
import type {
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
} from '@/lib/playground/protocol';

/** One run of the race as the views see it. */
export interface RunMeta {
  /** Index 0…3 (also the colour index). */
  run: number;
  label: string;
  /** CSS colour, the same in every view (./colors `runColor`). */
  color: string;
  /** Dash pattern for the run's line, so runs differ by more than colour. */
  dash: string;
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
}

/** Everything the views draw. */
export interface PlaygroundModel {
  /** 'idle' before Play was ever pressed (nothing loaded), 'loading' while the worker starts. */
  phase: 'idle' | 'loading' | 'ready' | 'failed';
  backend: BackendInfo | null;
  status: SessionStatus;
  step: number;
  steps: number;
  stepsPerSecond: number;
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
