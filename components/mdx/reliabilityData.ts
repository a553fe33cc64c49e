/**
 * Typed access to content/data/reliability.json (written by `npm run reliability`, scripts/reliability.ts) for the
 * calibration figure (components/figures/ReliabilityFigure.tsx) and the sentences of the beyond-the-paper chapter
 * that quote it. Every ECE and gap is recomputed here from the stored bins by lib/metrics/reliability.ts, so the
 * figure and the prose read the same numbers; unknown losses, tables or facts throw, so a typo fails the build.
 */
import raw from '@/content/data/reliability.json';
import {
  calibrationSummary,
  MIN_BIN_COUNT,
  seedMeanTable,
  seedTablesOf,
  type CalibrationSummary,
  type ReliabilityFile,
  type ReliabilityKind,
  type SeedMeanBin,
  type SeedTable,
} from '@/lib/metrics/reliability';

export type { ReliabilityFile, ReliabilityKind };

export const RELIABILITY = raw as ReliabilityFile;

/** Loss ids in the file's order ('ce', 'fl-g2'). */
export const RELIABILITY_LOSSES = RELIABILITY.losses;

function lossEntry(loss: string): { id: string; label: string } {
  const l = RELIABILITY.losses.find((x) => x.id === loss);
  if (!l) throw new Error(`reliability: unknown loss '${loss}'`);
  return l;
}

/** One table per seed for a loss, in the file's seed order. */
export function seedTables(loss: string, kind: ReliabilityKind): SeedTable[] {
  return seedTablesOf(RELIABILITY, loss, kind);
}

/** The bins over seeds (lib/metrics/reliability `seedMeanTable`). */
export function lossBins(loss: string, kind: ReliabilityKind): SeedMeanBin[] {
  return seedMeanTable(seedTables(loss, kind));
}

/** ECE and signed gap per seed and over seeds (lib/metrics/reliability `calibrationSummary`). */
export function lossCalibration(loss: string, kind: ReliabilityKind): CalibrationSummary {
  return calibrationSummary(seedTables(loss, kind));
}

/** AP50 of each seed of a loss on the test images (COCO AP at IoU 0.5, 0…1). */
export function lossAp50(loss: string): number[] {
  return RELIABILITY.seeds.map((s) => RELIABILITY.runs.find((r) => r.loss === loss && r.seed === s)!.ap50);
}

/** Short label of a loss ('CE', 'FL γ=2, α=0.25'). */
export function lossLabel(loss: string): string {
  return lossEntry(loss).label;
}

/**
 * "0.034 ± 0.006": mean ± sample std over seeds, with 3 decimals or as many as the std needs to show its first two
 * significant digits (at most 6: "0.000061 ± 0.000012"); a leading "+" for a positive signed value when asked.
 */
export function formatSpread(mean: number, std: number, signed = false): string {
  const scale = Math.max(Math.abs(std), Math.abs(mean) / 10);
  const d = scale > 0 ? Math.min(6, Math.max(3, 1 - Math.floor(Math.log10(scale)))) : 3;
  const m = mean.toFixed(d).replace('-', '−');
  return `${signed && mean > 0 ? '+' : ''}${m} ± ${std.toFixed(d)}`;
}

/**
 * A fact about the calibration runs, inline in prose: `ece:<loss>:<table>` and `gap:<loss>:<table>` (mean ± sample
 * std over seeds), `seeds` ('0, 1, 2, 3, 4'), `seed-count`, `steps`, `images` (test images), `min-bin-count` (samples a
 * bin needs to count, lib/metrics/reliability `MIN_BIN_COUNT`).
 */
export function reliabilityFact(name: string): string {
  const [kind, loss, table] = name.split(':');
  if ((kind === 'ece' || kind === 'gap') && loss && table) {
    const c = lossCalibration(loss, table as ReliabilityKind);
    const s = kind === 'ece' ? c.eceSummary : c.gapSummary;
    return formatSpread(s.mean, s.std, kind === 'gap');
  }
  const first = RELIABILITY.runs[0];
  switch (name) {
    case 'seeds':
      return RELIABILITY.seeds.join(', ');
    case 'seed-count':
      return String(RELIABILITY.seeds.length);
    case 'min-bin-count':
      return String(MIN_BIN_COUNT);
    case 'steps':
      return first.steps.toLocaleString('en-US');
    case 'images':
      return first.images.toLocaleString('en-US');
  }
  throw new Error(`reliability: unknown fact '${name}'`);
}
