/**
 * The playground's URL state: one typed, validated schema (lib/params specs) for every control, race mode
 * included. Pure and tfjs-free, so the page can parse its URL before the training stack loads.
 *
 * URL layout (prefix `pg`, URL-safe keys, defaults omitted):
 *
 *   run 1 (and every run unless overridden)   pg.loss  pg.gamma  pg.alpha  pg.beta  pg.prior  pg.pi  pg.lr
 *   shared by all runs                         pg.runs  pg.batch  pg.steps  pg.seed  pg.objects  pg.clutter  pg.anchors
 *                                              pg.pretrained
 *   run k = 2…4, only what differs from run 1  pg.r2.loss=ce  pg.r3.gamma=0.5  …
 *
 * e.g. `?pg.runs=2&pg.r2.loss=ce&pg.r2.alpha=none` races FL (γ = 2, α = 0.25) against plain CE, same seed, data
 * and initial weights. `pg.alpha=none` switches α-balancing off (α_t = 1). Without `pg.runs`, the number of runs is
 * the highest k that has a `pg.rk.*` key (so a hand-written `?pg.r2.gamma=0` just works).
 *
 * Why per-run keys and not a compact list (`pg.runs=focal:g2,ce`): every value goes through the same per-field
 * validation as a single run (clamped, snapped, one notice each), a run inherits everything it does not mention,
 * and a URL reads as "run 2 differs in its loss".
 *
 * `parsePlayground` never throws; every returned number is finite and inside its spec's [min, max]; every
 * correction produces a plain-text notice (never HTML).
 */
import { LOSS_MODE_KEYS, LOSS_MODES, shortLabel, type LossMode } from '../detector/lossModes';
import type { BackendPreference } from './protocol';
import {
  coerceValue,
  MAX_ENTRIES,
  MAX_NOTICES,
  paramKey,
  parseState,
  quote,
  type ParamSpec,
  type Schema,
} from '../params/schema';

/** URL prefix of the playground. */
export const PLAYGROUND_PREFIX = 'pg';
/** Race mode: at most this many runs side by side. */
export const MAX_RUNS = 4;

/** Clutter levels: hard-negative distractor shapes and thin clutter lines per image (see `clutterData`). */
export const CLUTTER_LEVELS = ['none', 'light', 'default', 'heavy'] as const;
export type ClutterLevel = (typeof CLUTTER_LEVELS)[number];

/** Anchors per location A (see `anchorOptionsFor` in ./config). */
export const ANCHOR_CHOICES = ['1', '3', '9', '21'] as const;
export type AnchorChoice = (typeof ANCHOR_CHOICES)[number];

/**
 * tfjs backend of the training worker ('auto': WebGL → WASM → CPU). It changes speed, not results beyond float
 * rounding, so it is shared by every run; in the URL so a classroom link can pin the backend that works there.
 */
export const BACKEND_CHOICES = [
  'auto',
  'webgpu',
  'webgl',
  'wasm',
  'cpu',
] as const satisfies readonly BackendPreference[];

/** Settings a run of a race may change. */
export const RUN_SCHEMA = [
  {
    name: 'loss',
    type: 'enum',
    label: 'Classification loss',
    default: 'focal',
    // Menu order and labels from lib/detector/lossModes (tfjs-free).
    options: LOSS_MODE_KEYS,
    optionLabels: LOSS_MODE_KEYS.map((k) => LOSS_MODES[k].label),
  },
  { name: 'gamma', type: 'number', label: 'Focusing parameter γ', default: 2, min: 0, max: 5, step: 0.1 },
  // α also accepts `none` in the URL (α_t = 1, no class weighting); see `parsePlayground`.
  {
    name: 'alpha',
    type: 'number',
    label: 'Class weight α',
    default: 0.25,
    min: 0.01,
    max: 0.99,
    step: 0.01,
  },
  { name: 'beta', type: 'number', label: 'FL* shift β', default: 1, min: -5, max: 5, step: 0.1 },
  { name: 'prior', type: 'bool', label: 'Prior-probability init of the class bias', default: true },
  // Linear specs with a fine step keep URLs exact (`0.002`, not 10^−2.7); their sliders move in decades
  // (lib/params/schema `toSliderPosition` with `log`, set by components/playground/PlaygroundControls.tsx).
  {
    name: 'pi',
    type: 'number',
    label: 'Prior probability π',
    default: 0.01,
    min: 0.0001,
    max: 0.5,
    step: 0.0001,
  },
  {
    name: 'lr',
    type: 'number',
    label: 'Learning rate (Adam)',
    default: 0.002,
    min: 0.00001,
    max: 0.1,
    step: 0.00001,
  },
] as const satisfies Schema;

/** Settings every run of a race shares (the race compares runs on the same data and budget). */
export const SHARED_SCHEMA = [
  { name: 'runs', type: 'int', label: 'Runs side by side', default: 1, min: 1, max: MAX_RUNS, step: 1 },
  { name: 'batch', type: 'int', label: 'Batch size (images per step)', default: 8, min: 1, max: 16, step: 1 },
  { name: 'steps', type: 'int', label: 'Training steps', default: 500, min: 10, max: 5000, step: 10 },
  { name: 'seed', type: 'int', label: 'Seed', default: 0, min: 0, max: 99999, step: 1 },
  { name: 'objects', type: 'int', label: 'Objects per image', default: 1, min: 1, max: 4, step: 1 },
  {
    name: 'clutter',
    type: 'enum',
    label: 'Clutter and hard distractors',
    default: 'default',
    options: CLUTTER_LEVELS,
    optionLabels: [
      'none (plain background)',
      'light (0–1 distractors, 0–1 lines)',
      'default (1–3 distractors, 0–2 lines)',
      'heavy (3–5 distractors, 2–4 lines)',
    ],
  },
  {
    name: 'anchors',
    type: 'enum',
    label: 'Anchors per location A',
    // The toy's default design (issue 11, lib/detector/ablation IMBALANCE_LEVELS 'default'): 21, not the paper's 9.
    default: '21',
    options: ANCHOR_CHOICES,
    optionLabels: [
      '1 (one square anchor)',
      '3 (3 scales, square)',
      '9 (3 scales × 3 ratios, paper)',
      "21 (3 scales × 7 ratios, this toy's default)",
    ],
  },
  {
    name: 'pretrained',
    type: 'bool',
    label: 'Start the backbone from pretrained weights (warm start)',
    default: true,
  },
  {
    name: 'backend',
    type: 'enum',
    label: 'Compute backend',
    default: 'auto',
    options: BACKEND_CHOICES,
    optionLabels: [
      'automatic (the fastest measured here)',
      'WebGPU (GPU)',
      'WebGL (GPU)',
      'WebAssembly (CPU, fast)',
      'plain JavaScript (CPU, slow)',
    ],
  },
] as const satisfies Schema;

/** Names of the per-run settings, in schema order. */
export type RunKey = (typeof RUN_SCHEMA)[number]['name'];
export const RUN_KEYS = RUN_SCHEMA.map((s) => s.name) as RunKey[];

/** One run's settings. */
export interface RunSettings {
  loss: LossMode;
  /** γ ∈ [0, 5] (> 0 for FL*); unused by the CE modes. */
  gamma: number;
  /** α ∈ [0.01, 0.99], or null: no α-balancing (α_t = 1). */
  alpha: number | null;
  /** β of FL* ∈ [−5, 5]. */
  beta: number;
  /** Prior init of the classification bias on (b = −log((1 − π)/π)) or off (b = 0). */
  prior: boolean;
  /** π ∈ [1e-4, 0.5], used when `prior` is on. */
  pi: number;
  /** Peak learning rate ∈ [1e-5, 0.1]. */
  lr: number;
}

/** Settings shared by all runs. */
export interface SharedSettings {
  /** Images per training step, 1…16. */
  batch: number;
  /** Planned training steps, 10…5,000 (sets the lr warm-up and decay milestones). */
  steps: number;
  /** Seed of the data stream, the initial weights and the 1:3 sampler, 0…99,999. */
  seed: number;
  /** Objects per image, 1…4. */
  objects: number;
  clutter: ClutterLevel;
  anchors: AnchorChoice;
  /**
   * Backbone + FPN from the warm-start file (public/models/warm-start.bin, written by `npm run pretext`), heads
   * fresh; off = every weight from the seed.
   */
  pretrained: boolean;
  /** tfjs backend preference of the worker. */
  backend: BackendPreference;
}

/** The whole playground: shared settings and 1…4 runs (run 0 is the base the others override). */
export interface PlaygroundState {
  shared: SharedSettings;
  runs: RunSettings[];
}

/** Result of parsing a URL. */
export interface PlaygroundParse {
  state: PlaygroundState;
  /** Plain-text explanations of every correction (at most MAX_NOTICES + 1 summary line). */
  notices: string[];
}

/** Defaults of a run: the paper's FL, γ = 2, α = 0.25, π = 0.01, lr 2e-3. */
export const RUN_DEFAULTS: Readonly<RunSettings> = Object.freeze({
  loss: 'focal',
  gamma: 2,
  alpha: 0.25,
  beta: 1,
  prior: true,
  pi: 0.01,
  lr: 0.002,
});

/** Defaults of the shared settings. */
export const SHARED_DEFAULTS: Readonly<SharedSettings> = Object.freeze({
  batch: 8,
  steps: 500,
  seed: 0,
  objects: 1,
  clutter: 'default',
  anchors: '21',
  pretrained: true,
  backend: 'auto',
});

/** The default playground: one run with the paper's settings. */
export function defaultPlaygroundState(): PlaygroundState {
  return { shared: { ...SHARED_DEFAULTS }, runs: [{ ...RUN_DEFAULTS }] };
}

/** γ of a mode that needs γ > 0 (FL* divides by γ) when the URL asks for less: the smallest γ on the grid. */
export const MIN_POSITIVE_GAMMA = 0.1;

const ALPHA_NONE = new Set(['none', 'null', 'off']);

/** Collects notices with the same cap as lib/params. */
class Notes {
  readonly list: string[] = [];
  private dropped = 0;
  add(msg: string): void {
    if (this.list.length < MAX_NOTICES) this.list.push(msg);
    else this.dropped++;
  }
  addAll(msgs: string[]): void {
    for (const m of msgs) {
      // lib/params appends its own "…and N more" line; recount it here instead.
      const more = /^…and (\d+) more adjustments?\.$/.exec(m);
      if (more) this.dropped += Number(more[1]);
      else this.add(m);
    }
  }
  done(): string[] {
    return this.dropped > 0
      ? [...this.list, `…and ${this.dropped} more adjustment${this.dropped === 1 ? '' : 's'}.`]
      : this.list;
  }
}

/** Which run a key addresses: 0 for `pg.<name>`, k − 1 for `pg.rk.<name>`, null for foreign keys. */
const RUN_KEY_RE = /^pg\.r(\d+)\.(.*)$/;

/**
 * Reads the playground from a query string (`?pg.loss=ce&…` or URLSearchParams). Never throws.
 * Malformed values fall back to the default (run 1) or to run 1's value (runs 2…4), out-of-range values are
 * clamped, `pg.alpha=none` means no α-balancing, FL* with γ = 0 is raised to γ = 0.1; each correction adds a
 * notice. Keys of other figures are ignored silently.
 */
export function parsePlayground(search: string | URLSearchParams): PlaygroundParse {
  const notes = new Notes();
  let all: URLSearchParams;
  try {
    all = typeof search === 'string' ? new URLSearchParams(search.replace(/^\?/, '')) : search;
  } catch {
    all = new URLSearchParams();
  }
  // Split the entries once: base keys, and per-run keys by run number (bounded like lib/params).
  const base = new URLSearchParams();
  const perRun = new Map<number, URLSearchParams>();
  let inspected = 0;
  for (const [key, value] of all) {
    if (++inspected > MAX_ENTRIES) break;
    const m = RUN_KEY_RE.exec(key);
    if (!m) {
      base.append(key, value);
      continue;
    }
    const k = Number(m[1]);
    if (!(k >= 2 && k <= MAX_RUNS && String(k) === m[1])) {
      notes.add(
        k === 1
          ? `${quote(key)}: run 1 uses the plain keys (pg.${m[2]}); ignored.`
          : `${quote(key)}: runs are numbered 2 to ${MAX_RUNS}; ignored.`,
      );
      continue;
    }
    if (!perRun.has(k)) perRun.set(k, new URLSearchParams());
    perRun.get(k)!.append(key, value);
  }

  // Run 1 and the shared settings.
  const alpha0 = takeAlphaNone(base, paramKey(PLAYGROUND_PREFIX, 'alpha'), notes);
  const parsed = parseState([...SHARED_SCHEMA, ...RUN_SCHEMA] as const, base, PLAYGROUND_PREFIX);
  notes.addAll(parsed.notices);
  const s = parsed.state;
  const shared: SharedSettings = {
    batch: s.batch,
    steps: s.steps,
    seed: s.seed,
    objects: s.objects,
    clutter: s.clutter,
    anchors: s.anchors,
    pretrained: s.pretrained,
    backend: s.backend,
  };
  const run0: RunSettings = {
    loss: s.loss,
    gamma: s.gamma,
    alpha: alpha0 === 'none' ? null : s.alpha,
    beta: s.beta,
    prior: s.prior,
    pi: s.pi,
    lr: s.lr,
  };

  // Number of runs: explicit, else the highest run with keys.
  const explicitRuns = base.has(paramKey(PLAYGROUND_PREFIX, 'runs'));
  const count = explicitRuns ? s.runs : Math.max(1, ...perRun.keys());
  const runs: RunSettings[] = [fixRun(run0, 1, notes)];
  for (let k = 2; k <= count; k++) {
    const params = perRun.get(k) ?? new URLSearchParams();
    const prefix = `${PLAYGROUND_PREFIX}.r${k}`;
    const alpha = takeAlphaNone(params, paramKey(prefix, 'alpha'), notes);
    const p = parseState(RUN_SCHEMA, params, prefix);
    notes.addAll(p.notices);
    const run: RunSettings = { ...run0 };
    const st = p.state as unknown as Record<RunKey, never>;
    for (const name of RUN_KEYS) {
      if (params.has(paramKey(prefix, name))) (run as unknown as Record<string, unknown>)[name] = st[name];
    }
    if (alpha === 'none') run.alpha = null;
    runs.push(fixRun(run, k, notes));
  }
  const extra = [...perRun.keys()].filter((k) => k > count).sort();
  if (extra.length > 0) {
    notes.add(`Settings of run${extra.length > 1 ? 's' : ''} ${extra.join(', ')} ignored: pg.runs=${count}.`);
  }
  return { state: { shared, runs }, notices: notes.done() };
}

/**
 * Handles `alpha=none` before lib/params sees the key (its number spec would reject it): when the first value of
 * `key` means "none", removes every occurrence and returns 'none' (noting duplicates as lib/params would).
 */
function takeAlphaNone(params: URLSearchParams, key: string, notes: Notes): 'none' | null {
  const values = params.getAll(key);
  if (values.length === 0 || !ALPHA_NONE.has(values[0].trim().toLowerCase())) return null;
  params.delete(key);
  if (values.length > 1) notes.add(`${key} appears ${values.length} times; using the first.`);
  return 'none';
}

/** Cross-field rule: FL* divides by γ, so γ is at least MIN_POSITIVE_GAMMA for the modes that need γ > 0. */
function fixRun(run: RunSettings, k: number, notes: Notes | null): RunSettings {
  if (LOSS_MODES[run.loss].needsPositiveGamma && run.gamma < MIN_POSITIVE_GAMMA) {
    notes?.add(`Run ${k}: ${LOSS_MODES[run.loss].name} needs γ > 0; using γ = ${MIN_POSITIVE_GAMMA}.`);
    return { ...run, gamma: MIN_POSITIVE_GAMMA };
  }
  return run;
}

function coerceRun(run: Partial<RunSettings> | undefined, base: RunSettings): RunSettings {
  const r = (run ?? {}) as Record<string, unknown>;
  const out = { ...base } as Record<string, unknown>;
  for (const spec of RUN_SCHEMA) {
    if (!(spec.name in r)) continue;
    const v = r[spec.name];
    out[spec.name] = spec.name === 'alpha' && v === null ? null : coerceValue(spec as ParamSpec, v);
  }
  return fixRun(out as unknown as RunSettings, 0, null);
}

/**
 * A valid state from anything state-shaped (values set by code, e.g. sliders or presets): every field is
 * coerced to its nearest valid value, runs 2…4 inherit the fields they lack from run 1, at most MAX_RUNS runs.
 * Never throws.
 */
export function coercePlaygroundState(state: {
  shared?: Partial<SharedSettings>;
  runs?: readonly Partial<RunSettings>[];
}): PlaygroundState {
  const sh = (state?.shared ?? {}) as Record<string, unknown>;
  const shared = { ...SHARED_DEFAULTS } as Record<string, unknown>;
  for (const spec of SHARED_SCHEMA) {
    if (spec.name !== 'runs' && spec.name in sh)
      shared[spec.name] = coerceValue(spec as ParamSpec, sh[spec.name]);
  }
  const given = Array.isArray(state?.runs) ? state.runs.slice(0, MAX_RUNS) : [];
  const run0 = coerceRun(given[0], { ...RUN_DEFAULTS });
  const runs = [run0, ...given.slice(1).map((r) => coerceRun(r, run0))];
  return { shared: shared as unknown as SharedSettings, runs };
}

/** Prints a value the way the URL stores it. */
function urlValue(spec: (typeof RUN_SCHEMA)[number] | (typeof SHARED_SCHEMA)[number], v: unknown): string {
  if (spec.type === 'bool') return v ? '1' : '0';
  return String(v);
}

/**
 * The state as `pg.*` query pairs (no `?`): run 1 and shared settings that differ from their defaults, `pg.runs`
 * when racing, and for runs 2…4 only the settings that differ from run 1. `parsePlayground` of the result gives
 * back the same (coerced) state without notices.
 */
export function serializePlayground(state: PlaygroundState): string {
  const s = coercePlaygroundState(state);
  const out = new URLSearchParams();
  const put = (prefix: string, spec: (typeof RUN_SCHEMA)[number], v: unknown) => {
    out.append(paramKey(prefix, spec.name), v === null ? 'none' : urlValue(spec, v));
  };
  if (s.runs.length > 1) out.append(paramKey(PLAYGROUND_PREFIX, 'runs'), String(s.runs.length));
  for (const spec of SHARED_SCHEMA) {
    if (spec.name === 'runs') continue;
    const v = s.shared[spec.name];
    if (v !== spec.default) out.append(paramKey(PLAYGROUND_PREFIX, spec.name), urlValue(spec, v));
  }
  const r0 = s.runs[0];
  for (const spec of RUN_SCHEMA) {
    const v = r0[spec.name];
    if (v !== spec.default) put(PLAYGROUND_PREFIX, spec, v);
  }
  s.runs.slice(1).forEach((run, i) => {
    for (const spec of RUN_SCHEMA) {
      if (run[spec.name] !== r0[spec.name]) put(`${PLAYGROUND_PREFIX}.r${i + 2}`, spec, run[spec.name]);
    }
  });
  return out.toString();
}

/**
 * Replaces the playground's keys (`pg.*`) in an existing query string by the serialized state, keeping every
 * other parameter in order. Returns the query without `?`.
 */
export function mergePlaygroundQuery(existing: string, state: PlaygroundState): string {
  const out = new URLSearchParams();
  for (const [k, v] of new URLSearchParams(existing.replace(/^\?/, ''))) {
    if (k === PLAYGROUND_PREFIX || k.startsWith(`${PLAYGROUND_PREFIX}.`)) continue;
    out.append(k, v);
  }
  for (const [k, v] of new URLSearchParams(serializePlayground(state))) out.append(k, v);
  return out.toString();
}

/** Sets the number of runs: new runs start as copies of run 1, extra runs are dropped. */
export function withRunCount(state: PlaygroundState, count: number): PlaygroundState {
  const n = Math.min(MAX_RUNS, Math.max(1, Math.round(Number.isFinite(count) ? count : 1)));
  const runs = state.runs.slice(0, n);
  while (runs.length < n) runs.push({ ...state.runs[0] });
  return { shared: { ...state.shared }, runs };
}

/** Short label of a run for legends: 'FL γ=2, α=0.25', 'CE', 'CE, OHEM 1:3', 'FL* γ=2, β=1', '…, no prior'. */
export function runLabel(run: RunSettings): string {
  let label = shortLabel(run.loss, run) + (run.alpha === null ? '' : `, α=${run.alpha}`);
  if (!run.prior) label += ', no prior';
  else if (run.pi !== RUN_DEFAULTS.pi) label += `, π=${run.pi}`;
  if (run.lr !== RUN_DEFAULTS.lr) label += `, lr=${run.lr}`;
  return label;
}
