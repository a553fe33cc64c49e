/**
 * Reliability tables (calibration): how often a score s actually comes true. Scores s ∈ [0, 1] are put in B
 * equal-width bins, bin b = [b/B, (b + 1)/B) (the last bin also holds s = 1); per bin we keep the count n_b, the
 * positives k_b and the mean score s̄_b. A perfectly calibrated score has precision k_b / n_b = s̄_b in every bin
 * (the diagonal of a reliability diagram; Guo et al. 2017, Mukhoti et al. 2020).
 *
 * Summaries, over the N = Σ n_b samples:
 * - expected calibration error ECE = Σ_b (n_b / N) · |s̄_b − k_b / n_b|, in [0, 1];
 * - signed gap = Σ_b (n_b / N) · (s̄_b − k_b / n_b) = mean score − positive rate: > 0 over-confident (scores
 *   above what comes true, points below the diagonal), < 0 under-confident.
 *
 * Over seeds (one table per training seed): per bin, the mean over seeds of s̄_b and of the precision, using only
 * the seeds with at least `MIN_BIN_COUNT` samples in the bin (a precision from a handful of samples is mostly
 * noise); ECE and the signed gap as mean ± sample std over seeds.
 *
 * Written by scripts/reliability.ts into content/data/reliability.json; drawn by
 * components/figures/ReliabilityFigure.tsx.
 */
import { summarise, type Summary } from './stats';

/** Bins of the site's reliability tables (the usual 10 equal-width bins over [0, 1]). */
export const RELIABILITY_BINS = 10;

/** One bin of a reliability table. */
export interface ReliabilityBin {
  /** Samples whose score fell in the bin. */
  count: number;
  /** Of those, how many were positive (the event the score predicts happened). */
  positives: number;
  /** Mean score of the bin's samples; null for an empty bin. */
  meanScore: number | null;
}

/** Running sums of a reliability table: Float64Array [B] each. */
export interface ReliabilityCounts {
  count: Float64Array;
  positives: Float64Array;
  scoreSum: Float64Array;
}

/** Empty running sums for `bins` bins. */
export function createReliabilityCounts(bins = RELIABILITY_BINS): ReliabilityCounts {
  if (!(Number.isInteger(bins) && bins >= 1))
    throw new RangeError(`reliability: bins must be ≥ 1, got ${bins}`);
  return {
    count: new Float64Array(bins),
    positives: new Float64Array(bins),
    scoreSum: new Float64Array(bins),
  };
}

/** Bin of score s among B equal-width bins over [0, 1]: ⌊s·B⌋ clamped to [0, B − 1]; throws on NaN. */
export function binOf(score: number, bins: number): number {
  if (Number.isNaN(score)) throw new RangeError('reliability: score is NaN');
  return Math.min(bins - 1, Math.max(0, Math.floor(score * bins)));
}

/** Adds one sample (score s, positive or not) to the running sums. */
export function addSample(acc: ReliabilityCounts, score: number, positive: boolean): void {
  const b = binOf(score, acc.count.length);
  acc.count[b] += 1;
  acc.scoreSum[b] += score;
  if (positive) acc.positives[b] += 1;
}

/** The table of the running sums: per bin n_b, k_b and s̄_b (null when n_b = 0). */
export function reliabilityTable(acc: ReliabilityCounts): ReliabilityBin[] {
  return Array.from(acc.count, (n, b) => ({
    count: n,
    positives: acc.positives[b],
    meanScore: n > 0 ? acc.scoreSum[b] / n : null,
  }));
}

/** Precision k_b / n_b of a bin; null for an empty bin. */
export function binPrecision(bin: ReliabilityBin): number | null {
  return bin.count > 0 ? bin.positives / bin.count : null;
}

function weighted(
  bins: readonly ReliabilityBin[],
  gap: (score: number, precision: number) => number,
): number {
  let n = 0;
  let sum = 0;
  for (const b of bins) {
    if (b.count <= 0 || b.meanScore === null) continue;
    n += b.count;
    sum += b.count * gap(b.meanScore, b.positives / b.count);
  }
  return n > 0 ? sum / n : NaN;
}

/** ECE = Σ_b (n_b / N) |s̄_b − k_b / n_b| (see the module comment); NaN for an empty table. */
export function expectedCalibrationError(bins: readonly ReliabilityBin[]): number {
  return weighted(bins, (s, p) => Math.abs(s - p));
}

/** Signed gap Σ_b (n_b / N)(s̄_b − k_b / n_b): > 0 over-confident, < 0 under-confident; NaN when empty. */
export function signedCalibrationGap(bins: readonly ReliabilityBin[]): number {
  return weighted(bins, (s, p) => s - p);
}

/** Samples a bin needs before its precision is drawn as a reliable point (fewer: hollow, left out of the mean). */
export const MIN_BIN_COUNT = 20;

/** One training seed's reliability table. */
export interface SeedTable {
  seed: number;
  bins: readonly ReliabilityBin[];
}

/** One seed's point in one bin: its mean score and precision, and whether it has fewer than the minimum count. */
export interface SeedPoint {
  seed: number;
  count: number;
  meanScore: number;
  precision: number;
  /** count < minCount: drawn hollow and left out of the seed mean. */
  sparse: boolean;
}

/** One bin over seeds. */
export interface SeedMeanBin {
  /** Bin index b; the bin is [lo, hi) = [b/B, (b + 1)/B). */
  bin: number;
  lo: number;
  hi: number;
  /** Samples in the bin, summed over seeds. */
  count: number;
  /** Seeds with at least minCount samples in the bin: the ones averaged below. */
  seedsUsed: number;
  /** Mean over those seeds of s̄_b and of k_b / n_b; null when no seed has enough samples. */
  meanScore: number | null;
  precision: number | null;
  /** Every seed with at least one sample in the bin, in the order of `tables`. */
  seeds: SeedPoint[];
}

/**
 * The bins over seeds (see the module comment): `tables` all have B bins. Per bin b, with S_b the seeds whose
 * n_b ≥ minCount: meanScore = mean_{s∈S_b} s̄_b(s), precision = mean_{s∈S_b} k_b(s) / n_b(s) (null if S_b = ∅).
 */
export function seedMeanTable(tables: readonly SeedTable[], minCount = MIN_BIN_COUNT): SeedMeanBin[] {
  const B = tables[0]?.bins.length ?? 0;
  if (tables.some((t) => t.bins.length !== B)) throw new RangeError('reliability: tables differ in bins');
  return Array.from({ length: B }, (_, b) => {
    const seeds: SeedPoint[] = tables
      .filter((t) => t.bins[b].count > 0 && t.bins[b].meanScore !== null)
      .map((t) => {
        const x = t.bins[b];
        return {
          seed: t.seed,
          count: x.count,
          meanScore: x.meanScore!,
          precision: x.positives / x.count,
          sparse: x.count < minCount,
        };
      });
    const used = seeds.filter((p) => !p.sparse);
    const mean = (f: (p: SeedPoint) => number) =>
      used.length ? used.reduce((a, p) => a + f(p), 0) / used.length : null;
    return {
      bin: b,
      lo: b / B,
      hi: (b + 1) / B,
      count: seeds.reduce((a, p) => a + p.count, 0),
      seedsUsed: used.length,
      meanScore: mean((p) => p.meanScore),
      precision: mean((p) => p.precision),
      seeds,
    };
  });
}

/** ECE and signed gap of each seed's table, and their mean ± sample std over seeds (./stats `summarise`). */
export interface CalibrationSummary {
  ece: number[];
  gap: number[];
  eceSummary: Summary;
  gapSummary: Summary;
}

/** Per-seed ECE and signed gap (`expectedCalibrationError`, `signedCalibrationGap`) and their summaries. */
export function calibrationSummary(tables: readonly SeedTable[]): CalibrationSummary {
  const ece = tables.map((t) => expectedCalibrationError(t.bins));
  const gap = tables.map((t) => signedCalibrationGap(t.bins));
  return { ece, gap, eceSummary: summarise(ece), gapSummary: summarise(gap) };
}

/** Which scores a stored table bins (content/data/reliability.json's `about`). */
export type ReliabilityKind = 'anchors' | 'detections';
export const RELIABILITY_KINDS: readonly ReliabilityKind[] = ['detections', 'anchors'];

/** One (loss, seed) run of content/data/reliability.json. */
export interface ReliabilityRunRecord {
  /** Ablation config name: 'ce' or 'fl-g2' (lib/detector/ablation.ts). */
  loss: string;
  seed: number;
  steps: number;
  /** Test images scored. */
  images: number;
  /** COCO AP@[.5:.95] and AP50 on those images, in [0, 1]. */
  ap: number;
  ap50: number;
  trainSeconds: number;
  evalSeconds: number;
  anchors: { bins: ReliabilityBin[]; ece: number | null };
  detections: { bins: ReliabilityBin[]; ece: number | null };
}

/** content/data/reliability.json, written by scripts/reliability.ts. */
export interface ReliabilityFile {
  about: string;
  command: string;
  model: string;
  split: { name: string; dataset: number; split: string; start: number; count: number };
  date: string;
  bins: number;
  seeds: number[];
  losses: { id: string; label: string }[];
  runs: ReliabilityRunRecord[];
}

/** One table per seed of `loss` and `kind`, in the file's seed order. @throws on an unknown loss, kind or run. */
export function seedTablesOf(file: ReliabilityFile, loss: string, kind: ReliabilityKind): SeedTable[] {
  if (!file.losses.some((l) => l.id === loss)) throw new Error(`reliability: unknown loss '${loss}'`);
  if (!RELIABILITY_KINDS.includes(kind)) throw new Error(`reliability: unknown table '${kind}'`);
  return file.seeds.map((seed) => {
    const r = file.runs.find((x) => x.loss === loss && x.seed === seed);
    if (!r) throw new Error(`reliability: no run ${loss}#${seed}`);
    return { seed, bins: r[kind].bins };
  });
}
