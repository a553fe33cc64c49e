/**
 * What the ablation study's runs report and how it is summarised for content/data/ablation.json and the Markdown
 * tables: one result per run, mean ± sample std over seeds per configuration, the imbalance sweep's best γ per
 * level. The shapes here are the file's schema: the site reads them (components/mdx/ablationData.ts). Pure.
 */
import {
  fmtAlpha,
  GRID_ALPHAS,
  GRID_GAMMAS,
  gridConfig,
  IMBALANCE_LEVELS,
  pairedBaselines,
  sweepConfig,
  SWEEP_ALPHA,
  SWEEP_GAMMAS,
  type AblationConfig,
} from './ablation';
import { heldOutRange, pretextRange, rangesOverlap, trainRange, type EvalSplit } from './splits';
import { LOSS_MODES } from './lossModes';
import { median, summarise, type Summary } from '../metrics/stats';

export { summarise, type Summary } from '../metrics/stats';

/** Per-seed values of one configuration: `values[i]` was measured with `seeds[i]`. */
export interface SeedSample {
  seeds: readonly number[];
  values: readonly number[];
}

/** A paired comparison of a run with a baseline over the seeds both finished (same seed = same data, init). */
export interface PairedDifference extends Summary {
  /** The seeds present in both samples, ascending. */
  seeds: number[];
  /** d_s = run_s − baseline_s for each seed s in `seeds`. */
  diffs: number[];
  /** Standard error of the mean difference: std / √n (NaN for n < 2). */
  se: number;
  /**
   * |mean| > 2·se with n ≥ 2: the criterion of issue 11 for calling a difference real. With n = 3 seeds it
   * is weak (a t-test at 95 % would need |mean| > 4.3·se), so prose treats it as necessary, not sufficient.
   */
  separated: boolean;
  /** Every d_s has the same strict sign (false for n = 0 or any d_s = 0). */
  sameSign: boolean;
}

/**
 * Paired difference of two per-seed samples: d_s = run_s − base_s over the seeds in both, summarised as
 * mean ± sample std (n − 1), with se = std/√n. Pairing removes what a seed shares between the two runs (the
 * initial weights and training images), so it is the comparison the study's design supports; comparing the
 * two means with their own spreads ignores that and is more pessimistic.
 */
export function pairedDifference(run: SeedSample, base: SeedSample): PairedDifference {
  const at = new Map(base.seeds.map((s, i) => [s, base.values[i]] as const));
  const seeds: number[] = [];
  const diffs: number[] = [];
  run.seeds.forEach((s, i) => {
    const b = at.get(s);
    if (b !== undefined && Number.isFinite(b) && Number.isFinite(run.values[i])) {
      seeds.push(s);
      diffs.push(run.values[i] - b);
    }
  });
  const order = seeds.map((_, i) => i).sort((a, b) => seeds[a] - seeds[b]);
  const sortedSeeds = order.map((i) => seeds[i]);
  const sortedDiffs = order.map((i) => diffs[i]);
  const sum = summarise(sortedDiffs);
  const se = sum.n > 1 ? sum.std / Math.sqrt(sum.n) : NaN;
  return {
    ...sum,
    seeds: sortedSeeds,
    diffs: sortedDiffs,
    se,
    separated: sum.n > 1 && Math.abs(sum.mean) > 2 * se,
    sameSign: sum.n > 0 && (sortedDiffs.every((d) => d > 0) || sortedDiffs.every((d) => d < 0)),
  };
}

/** Whether two mean ± std intervals overlap: |mean_a − mean_b| ≤ std_a + std_b (NaN-safe: false). */
export function spreadsOverlap(a: Pick<Summary, 'mean' | 'std'>, b: Pick<Summary, 'mean' | 'std'>): boolean {
  return Math.abs(a.mean - b.mean) <= a.std + b.std;
}

/**
 * The index of the entry with the highest mean when its mean ± std interval overlaps no other entry's, else
 * null: a table bolds a single winner only when the spreads say there is one.
 */
export function clearBest(xs: readonly Pick<Summary, 'mean' | 'std'>[]): number | null {
  let best = -1;
  xs.forEach((x, i) => {
    if (Number.isFinite(x.mean) && (best < 0 || x.mean > xs[best].mean)) best = i;
  });
  if (best < 0) return null;
  return xs.every((x, i) => i === best || !Number.isFinite(x.mean) || !spreadsOverlap(xs[best], x))
    ? best
    : null;
}

/** What one finished run reports (one line of the partial-results file). Metrics in [0, 1]. */
export interface RunResult {
  key: string;
  name: string;
  seed: number;
  ap: number;
  ap50: number;
  ap75: number;
  ar100: number;
  /** Median ms per training step after a 10-step warm-up (under the study's parallel load). */
  ms_per_step: number;
  data_ms_per_step: number;
  /** Mean foreground anchors per training image (StepStats.numFg / batch, averaged over steps). */
  fg_per_image: number;
  /** Mean background anchors entering the loss per training image (StepStats.numNeg / batch). */
  bg_per_image: number;
  /** Total loss of the last step (cls + box, normalised by the foreground count). */
  final_loss: number;
  /** Steps actually trained (fewer than budgeted if the loss became non-finite). */
  steps_done: number;
  /** Set when the loss became NaN/∞ and training stopped early; the run still counts, with its AP. */
  diverged: boolean;
  train_seconds: number;
  eval_seconds: number;
  backend: string;
  /** Figure 4 of this run's model on the held-out set, when the spec asked for it. */
  fig4?: unknown;
}

/** A failed run (process crash or exception), reported in the output instead of hidden. */
export interface RunFailure {
  name: string;
  seed: number;
  error: string;
}

/** One row of ablation.json's `results`: the configuration, then what its runs measured. */
export interface AblationRow extends AblationConfig {
  /** Seeds with a finished run, ascending; ap/ap50/ap75/ar100 are aligned with it. */
  seeds: number[];
  ap: number[];
  ap50: number[];
  ap75: number[];
  ar100: number[];
  ap_mean: number;
  ap_std: number;
  ap50_mean: number;
  ap50_std: number;
  ap75_mean: number;
  ap75_std: number;
  ar100_mean: number;
  ar100_std: number;
  /** Median over seeds of each run's median ms/step. */
  ms_per_step: number;
  fg_per_image: number;
  bg_per_image: number;
  /** Seeds whose run diverged (still included above). */
  diverged_seeds: number[];
  /** Seeds whose run failed (not included above). */
  failed_seeds: number[];
  /**
   * AP of this row minus each named baseline's (`pairedBaselines`), paired by seed: same seed = same training
   * images and initial weights. Absent in files written before issue 11's protocol; no entry for the row itself.
   */
  paired?: Record<string, PairedDifference>;
}

/** The paired AP differences of every row against its baselines (`pairedBaselines`) present in `rows`. */
export function withPairedDifferences(rows: AblationRow[]): AblationRow[] {
  const byName = new Map(rows.map((r) => [r.name, r] as const));
  return rows.map((r) => {
    const paired: Record<string, PairedDifference> = {};
    for (const b of pairedBaselines(r)) {
      const base = byName.get(b);
      if (!base || b === r.name || base.seeds.length === 0 || r.seeds.length === 0) continue;
      paired[b] = pairedDifference({ seeds: r.seeds, values: r.ap }, { seeds: base.seeds, values: base.ap });
    }
    return { ...r, paired };
  });
}

/** One cell of the γ × α grid in ablation.json. */
export interface GridCell {
  gamma: number;
  alpha: number;
  /** The configuration name behind the cell (`gridConfig`). */
  name: string;
  ap_mean: number;
  ap_std: number;
  n: number;
}

/** The γ × α grid (Table 1b analogue) in ablation.json. */
export interface GridSummary {
  gammas: number[];
  alphas: number[];
  /** γ-major, one cell per (γ, α). */
  cells: GridCell[];
  /** Per γ, the α with the highest mean AP (null when no cell of that γ has a run). */
  best_alpha: { gamma: number; alpha: number | null }[];
}

/** The γ × α grid of a set of rows (cells without runs have n = 0 and NaN statistics). */
export function summariseGrid(rows: AblationRow[]): GridSummary {
  const cells = GRID_GAMMAS.flatMap((gamma) =>
    GRID_ALPHAS.map((alpha) => {
      const name = gridConfig(gamma, alpha).name;
      const row = rows.find((r) => r.name === name);
      return {
        gamma,
        alpha,
        name,
        ap_mean: row?.ap_mean ?? NaN,
        ap_std: row?.ap_std ?? NaN,
        n: row?.seeds.length ?? 0,
      };
    }),
  );
  const best_alpha = GRID_GAMMAS.map((gamma) => {
    let alpha: number | null = null;
    let bestAp = -Infinity;
    for (const c of cells) {
      if (c.gamma === gamma && c.n > 0 && c.ap_mean > bestAp) {
        bestAp = c.ap_mean;
        alpha = c.alpha;
      }
    }
    return { gamma, alpha };
  });
  return { gammas: [...GRID_GAMMAS], alphas: [...GRID_ALPHAS], cells, best_alpha };
}

/** ablation.json's `split`: how many images each set has, where they come from, and that they are disjoint. */
export interface SplitSummary {
  /** Training images per run (steps × batch), each run from its own seed's stream; `streams` seeds in all. */
  train: { images_per_run: number; streams: number[]; source: string };
  val: { images: number; source: string };
  test: { images: number; source: string };
  /** Which held-out set the `results` were scored on. */
  results_on: EvalSplit;
  /** Warm-start pretext images (disjoint from all the above), when the runs were warm-started. */
  pretext?: { images: number; source: string };
  /** True when no two of the sets share an (dataset, split, index) image (`rangesOverlap`). */
  disjoint: boolean;
}

/** The split summary of a study: its seeds, budget and held-out size (`pretextImages` when warm-started). */
export function summariseSplit(opts: {
  seeds: number[];
  steps: number;
  batch: number;
  evalImages: number;
  resultsOn: EvalSplit;
  pretextImages?: number;
}): SplitSummary {
  const val = heldOutRange('val', opts.evalImages);
  const test = heldOutRange('test', opts.evalImages);
  const trains = opts.seeds.map((s) => trainRange(s, opts.steps, opts.batch));
  const pretext = opts.pretextImages ? pretextRange(opts.pretextImages) : null;
  const sets = [val, test, ...trains, ...(pretext ? [pretext] : [])];
  const disjoint = sets.every((a, i) => sets.every((b, j) => j <= i || !rangesOverlap(a, b)));
  const src = (r: typeof val) =>
    `images ${r.start}…${r.start + r.count - 1} of the '${r.split}' split of dataset ${r.dataset} (lib/data/synthetic)`;
  return {
    train: {
      images_per_run: opts.steps * opts.batch,
      streams: [...opts.seeds],
      source: `images 0…${opts.steps * opts.batch - 1} of the 'train' split of dataset <seed>`,
    },
    val: { images: val.count, source: src(val) },
    test: { images: test.count, source: src(test) },
    results_on: opts.resultsOn,
    ...(pretext ? { pretext: { images: pretext.count, source: src(pretext) } } : {}),
    disjoint,
  };
}

/** Groups finished runs into result rows, one per configuration, in `configs` order (every config appears). */
export function aggregateResults(
  configs: AblationConfig[],
  runs: RunResult[],
  failures: RunFailure[] = [],
): AblationRow[] {
  return configs.map((c) => {
    const rs = runs.filter((r) => r.name === c.name).sort((a, b) => a.seed - b.seed);
    const pick = (f: (r: RunResult) => number) => rs.map(f);
    const ap = pick((r) => r.ap);
    const ap50 = pick((r) => r.ap50);
    const ap75 = pick((r) => r.ap75);
    const ar100 = pick((r) => r.ar100);
    const s = { ap: summarise(ap), ap50: summarise(ap50), ap75: summarise(ap75), ar100: summarise(ar100) };
    return {
      ...c,
      seeds: rs.map((r) => r.seed),
      ap,
      ap50,
      ap75,
      ar100,
      ap_mean: s.ap.mean,
      ap_std: s.ap.std,
      ap50_mean: s.ap50.mean,
      ap50_std: s.ap50.std,
      ap75_mean: s.ap75.mean,
      ap75_std: s.ap75.std,
      ar100_mean: s.ar100.mean,
      ar100_std: s.ar100.std,
      ms_per_step: median(pick((r) => r.ms_per_step)),
      fg_per_image: summarise(pick((r) => r.fg_per_image)).mean,
      bg_per_image: summarise(pick((r) => r.bg_per_image)).mean,
      diverged_seeds: rs.filter((r) => r.diverged).map((r) => r.seed),
      failed_seeds: failures
        .filter((f) => f.name === c.name)
        .map((f) => f.seed)
        .sort((a, b) => a - b),
    };
  });
}

/** One level of the sweep in ablation.json: measured imbalance and AP by γ. */
export interface SweepLevelSummary {
  id: string;
  label: string;
  description: string;
  image_size: number;
  anchors_per_location: number;
  /** Mean foreground / background anchors per training image, over the level's runs (all anchors enter). */
  fg_per_image: number;
  bg_per_image: number;
  /** bg_per_image / fg_per_image: background anchors per foreground anchor. */
  bg_per_fg: number;
  /** Per γ: the config name, AP mean ± std over seeds. */
  points: { gamma: number; alpha: number; name: string; ap_mean: number; ap_std: number; n: number }[];
  /** γ with the highest mean AP (null when no point has a finished run). */
  best_gamma: number | null;
}

/** The imbalance sweep of a set of rows: per level, its measured fg:bg and AP by γ, and the best γ. */
export function summariseSweep(rows: AblationRow[]): SweepLevelSummary[] {
  return IMBALANCE_LEVELS.map((level) => {
    const points = SWEEP_GAMMAS.map((gamma) => {
      const name = sweepConfig(level.id, gamma).name;
      const row = rows.find((r) => r.name === name);
      return {
        gamma,
        alpha: SWEEP_ALPHA,
        name,
        ap_mean: row?.ap_mean ?? NaN,
        ap_std: row?.ap_std ?? NaN,
        n: row?.seeds.length ?? 0,
      };
    });
    const levelRows = rows.filter((r) => points.some((p) => p.name === r.name) && r.seeds.length > 0);
    const fg = summarise(levelRows.map((r) => r.fg_per_image)).mean;
    const bg = summarise(levelRows.map((r) => r.bg_per_image)).mean;
    let best: number | null = null;
    let bestAp = -Infinity;
    for (const p of points) {
      if (p.n > 0 && p.ap_mean > bestAp) {
        bestAp = p.ap_mean;
        best = p.gamma;
      }
    }
    return {
      id: level.id,
      label: level.label,
      description: level.description,
      image_size: level.imageSize,
      anchors_per_location: level.anchorsPerLocation,
      fg_per_image: fg,
      bg_per_image: bg,
      bg_per_fg: bg / fg,
      points,
      best_gamma: best,
    };
  });
}

/** "61.2 ± 1.4" (percent, sample std); "—" without runs; no "±" for a single seed. */
export function formatMeanStd(mean: number, std: number, n: number): string {
  if (!(n > 0) || !Number.isFinite(mean)) return '—';
  return n > 1 ? `${(100 * mean).toFixed(1)} ± ${(100 * std).toFixed(1)}` : (100 * mean).toFixed(1);
}

/** "+3.4 ± 2.6" in points: the mean paired difference ± the sample std of the per-seed differences. */
export function formatPaired(d: PairedDifference): string {
  if (d.n === 0) return '—';
  return d.n > 1 ? `${signedPoints(d.mean)} ± ${pct(d.std)}` : signedPoints(d.mean);
}

/** Percent with one decimal ("41.7"); "—" when not finite. */
export function pct(x: number, digits = 1): string {
  return Number.isFinite(x) ? (100 * x).toFixed(digits) : '—';
}

/** A signed difference in percentage points, with a real minus sign ("+15.3", "−2.1"). */
export function signedPoints(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const s = (100 * x).toFixed(1);
  return x >= 0 ? `+${s}` : `−${s.slice(1)}`;
}

/** A list as English: "0, 1 and 2". */
export function listText(xs: readonly (string | number)[]): string {
  const s = xs.map(String);
  return s.length <= 1 ? (s[0] ?? '') : `${s.slice(0, -1).join(', ')} and ${s[s.length - 1]}`;
}

/** The results as a GitHub Markdown table (AP in percent, mean ± sample std over seeds). */
export function markdownTable(rows: AblationRow[]): string {
  const head =
    '| configuration | loss | γ | α | prior | imbalance | seeds | AP | AP50 | AP75 | ms/step |\n' +
    '|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|';
  const lines = rows.map((r) => {
    const n = r.seeds.length;
    const notes = [
      r.diverged_seeds.length ? `diverged: ${r.diverged_seeds.join(',')}` : '',
      r.failed_seeds.length ? `failed: ${r.failed_seeds.join(',')}` : '',
    ].filter(Boolean);
    return (
      `| ${r.label}${notes.length ? ` (${notes.join('; ')})` : ''} | ${r.loss} | ${LOSS_MODES[r.loss].uses.gamma ? r.gamma : '—'} | ${fmtAlpha(r.alpha)} | ${r.prior ?? 'none'} | ${r.imbalance} | ${n} | ` +
      `${formatMeanStd(r.ap_mean, r.ap_std, n)} | ${formatMeanStd(r.ap50_mean, r.ap50_std, n)} | ` +
      `${formatMeanStd(r.ap75_mean, r.ap75_std, n)} | ${Number.isFinite(r.ms_per_step) ? r.ms_per_step.toFixed(0) : '—'} |`
    );
  });
  return [head, ...lines].join('\n');
}

/** The imbalance sweep as a Markdown table: one row per level, AP per γ, measured fg:bg and the best γ. */
export function markdownSweepTable(levels: SweepLevelSummary[]): string {
  const head =
    `| level | fg : bg anchors / image | ${SWEEP_GAMMAS.map((g) => `γ=${g}`).join(' | ')} | best γ |\n` +
    `|---|---:|${SWEEP_GAMMAS.map(() => '---:').join('|')}|---:|`;
  const lines = levels.map((l) => {
    const ratio = Number.isFinite(l.bg_per_fg)
      ? `${l.fg_per_image.toFixed(1)} : ${l.bg_per_image.toFixed(0)} (1 : ${l.bg_per_fg.toFixed(0)})`
      : '—';
    return `| ${l.label} | ${ratio} | ${l.points.map((p) => formatMeanStd(p.ap_mean, p.ap_std, p.n)).join(' | ')} | ${l.best_gamma ?? '—'} |`;
  });
  return [head, ...lines].join('\n');
}
