/**
 * Typed access to content/data/ablation.json (written by `npm run ablate`) for the MDX components that show this
 * site's own ablation study. Every number a chapter prints about the study comes through here, from the JSON,
 * so re-running the study updates the prose; nothing is retyped. Unknown run names or facts throw, so a typo
 * fails the build instead of printing a wrong number.
 */
import raw from '@/content/data/ablation.json';
import {
  formatMeanStd,
  formatPaired,
  listText,
  pct,
  signedPoints,
  pairedDifference,
  type AblationRow,
  type GridSummary,
  type PairedDifference,
  type SplitSummary,
  type SweepLevelSummary,
} from '@/lib/detector/ablationResults';

// The formatters live with the study's schema (lib/detector/ablationResults.ts); the components import them here.
export { formatPaired, listText, pct, signedPoints };

/** Per-γ Figure-4 statistics of one model (see the JSON's fig4.about). */
export interface Fig4Curve {
  gamma: number;
  /** Share of the negatives' loss carried by the hardest 1 % / 10 % of negatives. */
  negHardest1: number;
  negHardest10: number;
  /** Share of the positives' loss carried by the hardest 20 % of positives. */
  posHardest20: number;
}

export interface Fig4Model {
  /** The run name of the model analysed (e.g. 'fl-g2'). */
  config: string;
  seed: number;
  numPositive: number;
  numNegative: number;
  curves: Fig4Curve[];
}

/** The parts of ablation.json the site reads. */
export interface AblationFile {
  command: string;
  date: string;
  design: {
    summary: string;
    batch: number;
    lr: number;
    optimizer: string;
    steps: number;
    training_images: number;
    eval_images: number;
    eval_set: string;
    metrics: string;
    seeds: number[];
    image_size: number;
    anchors: { anchors_per_image: number; anchors_per_location: number };
    model: { parameters: number; description: string };
    data: { classes: number };
  };
  results: AblationRow[];
  imbalance_sweep: SweepLevelSummary[];
  fig4: { about: string; focal: Fig4Model; ce: Fig4Model };
  /** Issue 11's protocol (train / val / test sizes, disjointness); absent in files written before it. */
  split?: SplitSummary;
  /** The γ × α grid (Table 1b analogue); absent in files written before it. */
  grid?: GridSummary;
}

export const ABLATION = raw as unknown as AblationFile;

/** AP-type metrics stored per run (fractions in [0, 1]; shown in percent). */
export type AblationMetric = 'ap' | 'ap50' | 'ap75' | 'ar100';

/** The result row of a run name; throws on an unknown name. */
export function ablationRow(name: string): AblationRow {
  const row = ABLATION.results.find((r) => r.name === name);
  if (!row) {
    throw new Error(
      `ablation.json has no run "${name}"; known: ${ABLATION.results.map((r) => r.name).join(', ')}`,
    );
  }
  return row;
}

/** The sweep level with this id; throws on an unknown id. */
export function sweepLevel(id: string): SweepLevelSummary {
  const level = ABLATION.imbalance_sweep.find((l) => l.id === id);
  if (!level) throw new Error(`ablation.json has no imbalance level "${id}"`);
  return level;
}

export function metricMean(row: AblationRow, metric: AblationMetric): number {
  return row[`${metric}_mean`];
}

export function metricStd(row: AblationRow, metric: AblationMetric): number {
  return row[`${metric}_std`];
}

/** "61.2 ± 1.4" (percent; sample std over the row's seeds), "61.2" for one seed, "—" for none. */
export function formatMetric(row: AblationRow, metric: AblationMetric): string {
  return formatMeanStd(metricMean(row, metric), metricStd(row, metric), row.seeds.length);
}

/**
 * The paired difference of a run's metric against a baseline run, seed by seed (same seed = same initial
 * weights and training images): d_s = run_s − baseline_s, in [0, 1] units (see lib/detector/ablation.ts).
 */
export function pairedRows(run: string, baseline: string, metric: AblationMetric = 'ap'): PairedDifference {
  const a = ablationRow(run);
  const b = ablationRow(baseline);
  return pairedDifference({ seeds: a.seeds, values: a[metric] }, { seeds: b.seeds, values: b[metric] });
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Named facts about the study, from the JSON's metadata and summaries, for <AblationFact name="…" />.
 * `ratio:<level>` is the measured background:foreground anchor ratio, `best-gamma:<level>` the γ with the
 * highest mean AP, `grid-best-alpha:<γ>` the α with the highest mean AP at that γ in the γ × α grid,
 * `fig4:<model>:<stat>:<γ>` a Figure-4 share in percent.
 */
export function ablationFact(name: string): string {
  const d = ABLATION.design;
  switch (name) {
    case 'steps':
      return count(d.steps);
    case 'batch':
      return count(d.batch);
    case 'training-images':
      return count(d.training_images);
    case 'eval-images':
      return count(d.eval_images);
    case 'seeds':
      return listText(d.seeds);
    case 'seed-count':
      return count(d.seeds.length);
    case 'parameters':
      return count(d.model.parameters);
    case 'anchors-per-image':
      return count(d.anchors.anchors_per_image);
    case 'anchors-per-location':
      return count(d.anchors.anchors_per_location);
    case 'image-size':
      return `${d.image_size}×${d.image_size}`;
    case 'classes':
      return count(d.data.classes);
    case 'optimizer':
      return `${d.optimizer === 'adam' ? 'Adam' : d.optimizer}, learning rate ${d.lr}`;
    case 'date':
      return ABLATION.date.slice(0, 10);
    case 'fig4-negatives':
      return count(ABLATION.fig4.focal.numNegative);
    case 'fig4-positives':
      return count(ABLATION.fig4.focal.numPositive);
  }
  const [kind, a, b, c] = name.split(':');
  if (kind === 'ratio' && a) return `1 : ${Math.round(sweepLevel(a).bg_per_fg).toLocaleString('en-US')}`;
  if (kind === 'best-gamma' && a) return String(sweepLevel(a).best_gamma ?? '—');
  if (kind === 'grid-best-alpha' && a) {
    // The α with the highest mean AP at γ = a in the γ × α grid (Table 1b's analogue).
    const best = ABLATION.grid?.best_alpha.find((b) => String(b.gamma) === a);
    if (best && best.alpha !== null) return String(best.alpha);
  }
  if (kind === 'ahead' && a && b) {
    // "four of five": on how many of the paired seeds run a is above run b
    const d = pairedRows(a, b);
    return `${count(d.diffs.filter((x) => x > 0).length)} of ${count(d.diffs.length)}`;
  }
  if (kind === 'fg-per-image' && a) return sweepLevel(a).fg_per_image.toFixed(1);
  if (kind === 'bg-per-image' && a) return count(Math.round(sweepLevel(a).bg_per_image));
  if (kind === 'fig4' && (a === 'focal' || a === 'ce') && b && c) {
    const curve = ABLATION.fig4[a].curves.find((k) => String(k.gamma) === c);
    const stat = b as keyof Omit<Fig4Curve, 'gamma'>;
    if (curve && (stat === 'negHardest1' || stat === 'negHardest10' || stat === 'posHardest20')) {
      return `${pct(curve[stat], 0)}%`;
    }
  }
  throw new Error(`<AblationFact name="${name}">: unknown fact`);
}
