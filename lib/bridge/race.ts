/**
 * Three logistic-regression classifiers trained side by side on the same 2-D toy (./data.ts) with plain CE,
 * α-balanced CE and the α-balanced focal loss, the bridge from a textbook classifier to a dense detector
 * (chapter 2, components/figures/BridgeFigure.tsx).
 *
 * Model: logit x_i = w₁·u_i + w₂·v_i + b for point i; p_i = σ(x_i); the decision boundary is the line x = 0.
 * Loss: the loss core's hard-target {@link sigmoidFocalLossBinary} per point (CE: γ = 0, no α; α-CE: γ = 0 with α;
 * FL: γ and α), summed over all points and divided by the number of positives, as RetinaNet normalises (§4.1).
 * Start: w = 0 and b = −log((1 − π)/π) with π = 0.01, the paper's prior initialisation (§3.3, §4.1), so every
 * point starts at p = 0.01 and every negative starts easy. Optimiser: full-batch gradient descent with momentum
 * 0.9 (the paper's momentum, §4.1), learning rate {@link RACE_LEARNING_RATE}; full batch, so a run is a
 * deterministic function of the data and the settings.
 *
 * Every step reports, per model, how the summed loss and the summed gradient magnitude Σ|dL/dx| split between
 * easy negatives, hard negatives and positives, where a negative is easy when its p_t = 1 − p exceeds
 * {@link EASY_PT} (the paper's "p_t = 0.9" example of a well-classified point, §3.2) — the same three groups as
 * the imbalance calculator (lib/loss/imbalance.ts), here measured on a model as it trains.
 *
 * The long-lived state is this plain class (paused, running, done), read by the figure through
 * `subscribe`/`getSnapshot` (React's useSyncExternalStore); the figure's animation loop calls {@link advance}.
 * Tensors: only {@link lossTable} uses the loss core, inside one tf.tidy per (loss, γ, α); the race keeps plain
 * arrays, so tf.memory() stays flat however long it trains.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tf/gradients';
import { sigmoidFocalLossBinary } from '../loss/binary';
import type { ImbalanceGroup, ImbalanceLossKind } from '../loss/imbalance';
import type { BridgeData } from './data';
import { tidyValuesAll } from '../tf/tidyValues';

/** A negative with p_t above this is "easy" (p < 0.1); at or below it, "hard". Positives are one group. */
export const EASY_PT = 0.9;
/** The prior probability π of the initial bias (paper §3.3: π = 0.01). */
export const RACE_PRIOR = 0.01;
/** Gradient-descent step size (on the loss normalised by the number of positives) and momentum (§4.1: 0.9). */
export const RACE_LEARNING_RATE = 0.05;
export const RACE_MOMENTUM = 0.9;
/** A run stops by itself after this many steps (all three models have settled by then on the defaults). */
export const RACE_MAX_STEPS = 500;

export const RACE_KINDS: readonly ImbalanceLossKind[] = ['ce', 'alpha_ce', 'focal'];
export const RACE_GROUPS: readonly ImbalanceGroup[] = ['easyNeg', 'hardNeg', 'pos'];

export interface RaceSettings {
  /** γ of the focal-loss model, in [0, 5]. */
  gamma: number;
  /** α of the α-CE and focal-loss models (positives α, negatives 1 − α), in [0, 1]. */
  alpha: number;
}

/** Per group: how many points, their summed loss (normalised, nats) and summed |dL/dx| (normalised). */
export type GroupStats = Record<ImbalanceGroup, { count: number; loss: number; grad: number }>;

/** One model after the latest step. */
export interface RaceModel {
  kind: ImbalanceLossKind;
  /** Weights and bias of x = w1·u + w2·v + b. */
  w1: number;
  w2: number;
  b: number;
  /** The model's own training loss (its loss kind), Σ loss / numPositives. */
  loss: number;
  /** Σ|dL/dx| / numPositives. */
  grad: number;
  groups: GroupStats;
  /** Shares of the loss and of the gradient magnitude per group; each sums to 1 (0s when the total is 0). */
  lossShare: Record<ImbalanceGroup, number>;
  gradShare: Record<ImbalanceGroup, number>;
  /** Positives with p > 0.5 and negatives with p > 0.5 (counts): what the boundary gets right and wrong. */
  truePositives: number;
  falsePositives: number;
}

export type RaceStatus = 'paused' | 'running' | 'done';

/** What the figure reads: replaced (never mutated) on every change. */
export interface RaceSnapshot {
  status: RaceStatus;
  /** Gradient steps taken since the last reset. */
  step: number;
  models: readonly RaceModel[];
  settings: RaceSettings;
}

interface Params {
  w1: number;
  w2: number;
  b: number;
  /** Momentum buffers. */
  m1: number;
  m2: number;
  mb: number;
  /** Normalised gradient of the loss with respect to (w1, w2, b) at the current parameters. */
  g1: number;
  g2: number;
  gb: number;
}

const initialBias = () => -Math.log((1 - RACE_PRIOR) / RACE_PRIOR);
const freshParams = (): Params => ({
  w1: 0,
  w2: 0,
  b: initialBias(),
  m1: 0,
  m2: 0,
  mb: 0,
  g1: 0,
  g2: 0,
  gb: 0,
});

function lossOptions(kind: ImbalanceLossKind, s: RaceSettings): { alpha: number | null; gamma: number } {
  if (kind === 'ce') return { alpha: null, gamma: 0 };
  if (kind === 'alpha_ce') return { alpha: s.alpha, gamma: 0 };
  return { alpha: s.alpha, gamma: s.gamma };
}

function checkSettings(s: RaceSettings): void {
  if (!(s.gamma >= 0 && s.gamma <= 5))
    throw new RangeError(`LogisticRace: gamma must be in [0, 5]; got ${s.gamma}`);
  if (!(s.alpha >= 0 && s.alpha <= 1))
    throw new RangeError(`LogisticRace: alpha must be in [0, 1]; got ${s.alpha}`);
}

/** The loss tables span logits in [−TABLE_LIMIT, TABLE_LIMIT] in steps of TABLE_STEP. */
export const TABLE_LIMIT = 16;
export const TABLE_STEP = 0.04;
const TABLE_SIZE = Math.round((2 * TABLE_LIMIT) / TABLE_STEP) + 1;

/**
 * One loss's per-example loss and dL/dx on a logit grid, for a negative (y = 0) and a positive (y = 1), computed
 * by the loss core: `loss[y][k]` and `grad[y][k]` at x = −TABLE_LIMIT + k·TABLE_STEP (Float64Array of TABLE_SIZE).
 */
export interface LossTable {
  loss: [Float64Array, Float64Array];
  grad: [Float64Array, Float64Array];
}

/**
 * Tabulates {@link sigmoidFocalLossBinary} (with the loss kind's γ and α) and its derivative dL/dx on the logit
 * grid, in one tf.tidy (no tensor outlives the call).
 *
 * Why a table and not the tensors every step: a step needs the loss and dL/dx of thousands of points for three
 * models, and the per-point value depends on the point only through its logit and label. Tabulating the core once
 * per (γ, α) and interpolating linearly costs a few array reads per point, so many steps fit in one animation
 * frame on the main thread; the interpolation error is below 1e-5 nats (tests/unit/bridge/race.test.ts compares
 * it with the core on every point).
 */
export function lossTable(kind: ImbalanceLossKind, settings: RaceSettings): LossTable {
  const o = lossOptions(kind, settings);
  // The backend is part of the key: cpu and wasm round differently in the last float bits.
  const key = `${tf.getBackend()}|${o.alpha}|${o.gamma}`;
  const hit = tableCache.get(key);
  if (hit) return hit;
  const table = computeTable(o);
  tableCache.set(key, table);
  // Map iterates in insertion order: the first key is the oldest.
  if (tableCache.size > TABLE_CACHE_SIZE) tableCache.delete(tableCache.keys().next().value as string);
  return table;
}

/** Recent tables by (backend, α, γ): a slider dragged back and forth reuses them. Plain arrays, ~50 kB each. */
const tableCache = new Map<string, LossTable>();
const TABLE_CACHE_SIZE = 32;

function computeTable(o: { alpha: number | null; gamma: number }): LossTable {
  const opts = { ...o, reduction: 'none' as const };
  const [l32, g32] = tidyValuesAll(() => {
    const grid = tf.linspace(-TABLE_LIMIT, TABLE_LIMIT, TABLE_SIZE);
    const x = tf.concat([grid, grid]); // [2·TABLE_SIZE]: negatives, then positives
    const y = tf.concat([tf.zeros([TABLE_SIZE]), tf.ones([TABLE_SIZE])]);
    const f = (z: tf.Tensor) => sigmoidFocalLossBinary(z, y, opts);
    const dx = tf.grad((z: tf.Tensor) => tf.sum(f(z)))(x);
    return [f(x), dx];
  });
  const loss = Float64Array.from(l32);
  const grad = Float64Array.from(g32);
  return {
    loss: [loss.subarray(0, TABLE_SIZE), loss.subarray(TABLE_SIZE)],
    grad: [grad.subarray(0, TABLE_SIZE), grad.subarray(TABLE_SIZE)],
  };
}

/**
 * Loss and dL/dx of one point from a table, by linear interpolation. Beyond the grid: on the well-classified side
 * (x_t > 16) the loss and gradient fall off exponentially, so both continue as L·e^{s·Δ} with the log-slope
 * s = (dL/dx)/L at the grid's end (exact for CE's e^{−x_t} tail and FL's e^{−(1+γ)x_t}); on the misclassified side
 * (x_t < −16) the loss grows like α_t·|x| and the gradient is constant, so the loss continues along its end slope.
 */
function lookup(t: LossTable, y: 0 | 1, x: number, out: { loss: number; grad: number }): void {
  const L = t.loss[y];
  const G = t.grad[y];
  const pos = (x + TABLE_LIMIT) / TABLE_STEP;
  const last = TABLE_SIZE - 1;
  if (pos <= 0 || pos >= last) {
    const k = pos <= 0 ? 0 : last;
    const dx = pos <= 0 ? x + TABLE_LIMIT : x - TABLE_LIMIT;
    // Well-classified side: a negative far left, a positive far right.
    const easy = (y === 0) === pos <= 0;
    if (!easy) {
      out.loss = L[k] + G[k] * dx;
      out.grad = G[k];
    } else {
      const decay = L[k] > 0 ? Math.exp((G[k] / L[k]) * dx) : 0;
      out.loss = L[k] * decay;
      out.grad = G[k] * decay;
    }
    return;
  }
  const k = Math.floor(pos);
  const f = pos - k;
  out.loss = L[k] + f * (L[k + 1] - L[k]);
  out.grad = G[k] + f * (G[k + 1] - G[k]);
}

/**
 * Evaluates one model on the data (float64): per-point loss and dL/dx from the loss table, the group sums, the
 * parameter gradient Σ dL/dx·(u, v, 1) / numPositives (stored in `p`) and the counts.
 */
function evaluate(data: BridgeData, table: LossTable, kind: ImbalanceLossKind, p: Params): RaceModel {
  const groups: GroupStats = {
    easyNeg: { count: 0, loss: 0, grad: 0 },
    hardNeg: { count: 0, loss: 0, grad: 0 },
    pos: { count: 0, loss: 0, grad: 0 },
  };
  const norm = 1 / data.numPositives;
  let g1 = 0;
  let g2 = 0;
  let gb = 0;
  let tp = 0;
  let fp = 0;
  const easyLogit = -Math.log(EASY_PT / (1 - EASY_PT)); // p_t = 1 − σ(x) > EASY_PT ⇔ x < this
  const { u, v, y } = data;
  const at = { loss: 0, grad: 0 };
  for (let i = 0; i < u.length; i++) {
    const x = p.w1 * u[i] + p.w2 * v[i] + p.b;
    const positive = y[i] === 1;
    lookup(table, positive ? 1 : 0, x, at);
    const { loss, grad } = at;
    const g = positive ? groups.pos : x < easyLogit ? groups.easyNeg : groups.hardNeg;
    g.count++;
    g.loss += loss * norm;
    g.grad += Math.abs(grad) * norm;
    g1 += grad * u[i];
    g2 += grad * v[i];
    gb += grad;
    if (x > 0) {
      if (positive) tp++;
      else fp++;
    }
  }
  p.g1 = g1 * norm;
  p.g2 = g2 * norm;
  p.gb = gb * norm;
  const total = (m: 'loss' | 'grad') => groups.easyNeg[m] + groups.hardNeg[m] + groups.pos[m];
  const share = (m: 'loss' | 'grad') => {
    const t = total(m);
    return {
      easyNeg: t > 0 ? groups.easyNeg[m] / t : 0,
      hardNeg: t > 0 ? groups.hardNeg[m] / t : 0,
      pos: t > 0 ? groups.pos[m] / t : 0,
    };
  };
  return {
    kind,
    w1: p.w1,
    w2: p.w2,
    b: p.b,
    loss: total('loss'),
    grad: total('grad'),
    groups,
    lossShare: share('loss'),
    gradShare: share('grad'),
    truePositives: tp,
    falsePositives: fp,
  };
}

/**
 * The three classifiers and their run state, for one data set and one (γ, α): other settings make a new race.
 * Usage: `new LogisticRace(data, settings)`, then `play()` and call `advance(n)` from an animation frame while
 * `getSnapshot().status === 'running'`; `step(n)` advances a paused race; `reset()` starts over; `dispose()`
 * drops the listeners.
 */
export class LogisticRace {
  private data: BridgeData;
  private tables: LossTable[] = [];
  private settings: RaceSettings;
  private params: Params[] = [];
  private snapshot: RaceSnapshot;
  private listeners = new Set<() => void>();

  constructor(data: BridgeData, settings: RaceSettings, status: 'paused' | 'running' = 'paused') {
    checkSettings(settings);
    this.data = data;
    this.settings = { ...settings };
    this.tables = RACE_KINDS.map((kind) => lossTable(kind, this.settings));
    this.snapshot = { status, step: 0, models: [], settings: this.settings };
    this.restart(status);
  }

  /** Subscribe to snapshot changes; returns the unsubscribe function. */
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): RaceSnapshot => this.snapshot;

  /** Start (or continue) running; a finished race stays done until reset. */
  play(): void {
    if (this.snapshot.status === 'paused') this.publish({ ...this.snapshot, status: 'running' });
  }

  pause(): void {
    if (this.snapshot.status === 'running') this.publish({ ...this.snapshot, status: 'paused' });
  }

  /**
   * Takes up to `n` gradient steps on all three models (fewer when {@link RACE_MAX_STEPS} is reached, which sets
   * the status to 'done'), whatever the status; the animation loop and the Step button both come here.
   */
  step(n = 1): void {
    const todo = Math.max(0, Math.min(Math.floor(n), RACE_MAX_STEPS - this.snapshot.step));
    if (todo === 0) return;
    let models: RaceModel[] = [];
    for (let k = 0; k < todo; k++) {
      models = RACE_KINDS.map((kind, j) => {
        const p = this.params[j];
        p.m1 = RACE_MOMENTUM * p.m1 - RACE_LEARNING_RATE * p.g1;
        p.m2 = RACE_MOMENTUM * p.m2 - RACE_LEARNING_RATE * p.g2;
        p.mb = RACE_MOMENTUM * p.mb - RACE_LEARNING_RATE * p.gb;
        p.w1 += p.m1;
        p.w2 += p.m2;
        p.b += p.mb;
        return evaluate(this.data, this.tables[j], kind, p);
      });
    }
    const step = this.snapshot.step + todo;
    const status = step >= RACE_MAX_STEPS ? 'done' : this.snapshot.status;
    this.publish({ ...this.snapshot, step, models, status });
  }

  /** The animation loop's entry: steps only while running. */
  advance(n: number): void {
    if (this.snapshot.status === 'running') this.step(n);
  }

  /** Back to step 0 (the prior initialisation) with the current data and settings, in `status`. */
  reset(status: 'paused' | 'running' = 'paused'): void {
    this.restart(status);
  }

  /** Drops the listeners (the race holds no tensors: its loss tables are plain arrays). */
  dispose(): void {
    this.listeners.clear();
  }

  private restart(status: 'paused' | 'running'): void {
    this.params = RACE_KINDS.map(freshParams);
    const models = RACE_KINDS.map((kind, j) => evaluate(this.data, this.tables[j], kind, this.params[j]));
    this.publish({ status, step: 0, models, settings: this.settings });
  }

  private publish(next: RaceSnapshot): void {
    this.snapshot = next;
    for (const fn of this.listeners) fn();
  }
}

/**
 * The part of a model's decision boundary w1·u + w2·v + b = 0 (where p = 0.5) inside the square
 * [−extent, extent]², as its two end points [[u, v], [u, v]], or null when the line misses the square (or w = 0:
 * then every point has the same score, as at the prior initialisation).
 */
export function decisionBoundary(
  m: Pick<RaceModel, 'w1' | 'w2' | 'b'>,
  extent: number,
): [[number, number], [number, number]] | null {
  const { w1, w2, b } = m;
  const pts: [number, number][] = [];
  const inside = (z: number) => z >= -extent - 1e-9 && z <= extent + 1e-9;
  if (w2 !== 0) {
    for (const u of [-extent, extent]) {
      const v = -(b + w1 * u) / w2;
      if (inside(v)) pts.push([u, v]);
    }
  }
  if (w1 !== 0) {
    for (const v of [-extent, extent]) {
      const u = -(b + w2 * v) / w1;
      if (inside(u)) pts.push([u, v]);
    }
  }
  // A line through a corner is found twice; keep the two points farthest apart.
  let best: [[number, number], [number, number]] | null = null;
  let far = 0;
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length; j++) {
      const d = (pts[i][0] - pts[j][0]) ** 2 + (pts[i][1] - pts[j][1]) ** 2;
      if (d > far) {
        far = d;
        best = [pts[i], pts[j]];
      }
    }
  }
  return best;
}
