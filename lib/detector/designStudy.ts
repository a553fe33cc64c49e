/**
 * How the toy was designed (issue 11, item 1): the candidate designs tried on the validation split, each read
 * from the outputs of `npm run ablate` that trained it (content/data/design/*.json), summarised per loss and as
 * paired per-seed differences. `npm run design` (scripts/design.ts) writes content/data/design.json from them;
 * content/training.mdx renders its table. Pure and tfjs-free.
 */
import { pairedDifference, summarise, type PairedDifference, type Summary } from './ablationResults';

/** A run as `npm run ablate` writes it in its `runs` list (the fields used here). */
export interface DesignRunRecord {
  name: string;
  seed: number;
  ap: number;
  diverged?: boolean;
}

/** One ablate output read as (part of) a candidate: its file, and the name prefix its level put on every run. */
export interface DesignSource {
  file: string;
  /** 'ratios7-' etc.: stripped so every candidate names its runs 'ce', 'fl-g2', … */
  prefix: string;
  /** Held-out images per evaluation in that study (its validation set: images 0 … n − 1). */
  evalImages: number;
  /** Anything a reader of the source file needs to know (failures, renamed levels). */
  note?: string;
}

/** A candidate design. */
export interface DesignCandidate {
  id: string;
  label: string;
  /** What differs from the other candidates, and why it was tried. */
  description: string;
  warmStart: boolean;
  anchorsPerLocation: number;
  objectsPerImage: number;
  sources: DesignSource[];
}

/** The configurations the table compares, in column order (names of lib/detector/ablation). */
export const DESIGN_COLUMNS = ['ce', 'ce-a0.25', 'ce-a0.75', 'fl-g0.5', 'fl-g2'] as const;
/**
 * Configurations kept in the cells but not shown as columns: FL γ = 1 (only the first design's runs have it), and
 * the runs without the prior init, which only the first design's study trained (the prose cites them; the current
 * study has its own `--prior` plan).
 */
export const DESIGN_EXTRA = ['fl-g1', 'ce-no-prior', 'fl-g2-no-prior'] as const;
export type DesignColumn = (typeof DESIGN_COLUMNS)[number] | (typeof DESIGN_EXTRA)[number];
const KEPT: readonly string[] = [...DESIGN_COLUMNS, ...DESIGN_EXTRA];

/** The paired differences each candidate reports: FL γ = 2 against CE, against α-CE .75 and against FL γ = 0.5. */
export const DESIGN_PAIRS = [
  { run: 'fl-g2', baseline: 'ce' },
  { run: 'fl-g2', baseline: 'ce-a0.25' },
  { run: 'fl-g2', baseline: 'ce-a0.75' },
  { run: 'fl-g2', baseline: 'fl-g0.5' },
  { run: 'ce-no-prior', baseline: 'ce' },
  { run: 'fl-g2-no-prior', baseline: 'fl-g2' },
] as const;

/** One cell: a configuration's AP per seed and its summary. */
export interface DesignCell extends Summary {
  seeds: number[];
  ap: number[];
}

/** One candidate as design.json stores it. */
export interface DesignCandidateResult {
  id: string;
  label: string;
  description: string;
  warm_start: boolean;
  anchors_per_location: number;
  objects_per_image: number;
  sources: string[];
  eval_images: number[];
  cells: Partial<Record<DesignColumn, DesignCell>>;
  paired: (PairedDifference & { run: string; baseline: string })[];
}

/** The runs of a candidate's sources, by configuration (prefix stripped), failed or missing runs left out. */
export function candidateCells(
  runsOf: (file: string) => DesignRunRecord[],
  c: DesignCandidate,
): Partial<Record<DesignColumn, DesignCell>> {
  const bySeed = new Map<string, Map<number, number>>();
  for (const src of c.sources) {
    for (const r of runsOf(src.file)) {
      if (!r.name.startsWith(src.prefix)) continue;
      const name = r.name.slice(src.prefix.length);
      if (!KEPT.includes(name)) continue;
      if (!Number.isFinite(r.ap)) continue;
      if (!bySeed.has(name)) bySeed.set(name, new Map());
      bySeed.get(name)!.set(r.seed, r.ap);
    }
  }
  const cells: Partial<Record<DesignColumn, DesignCell>> = {};
  for (const col of KEPT as DesignColumn[]) {
    const m = bySeed.get(col);
    if (!m || m.size === 0) continue;
    const seeds = [...m.keys()].sort((a, b) => a - b);
    const ap = seeds.map((s) => m.get(s)!);
    cells[col] = { seeds, ap, ...summarise(ap) };
  }
  return cells;
}

/** A candidate summarised: its cells and the paired differences of {@link DESIGN_PAIRS} it has both sides of. */
export function summariseCandidate(
  runsOf: (file: string) => DesignRunRecord[],
  c: DesignCandidate,
): DesignCandidateResult {
  const cells = candidateCells(runsOf, c);
  const paired = DESIGN_PAIRS.flatMap(({ run, baseline }) => {
    const a = cells[run];
    const b = cells[baseline];
    if (!a || !b) return [];
    const d = pairedDifference({ seeds: a.seeds, values: a.ap }, { seeds: b.seeds, values: b.ap });
    return d.n > 0 ? [{ run, baseline, ...d }] : [];
  });
  return {
    id: c.id,
    label: c.label,
    description: c.description,
    warm_start: c.warmStart,
    anchors_per_location: c.anchorsPerLocation,
    objects_per_image: c.objectsPerImage,
    sources: c.sources.map((s) => s.file),
    eval_images: [...new Set(c.sources.map((s) => s.evalImages))],
    cells,
    paired,
  };
}
