/**
 * content/data/presets.json (written by `npm run ablate -- --presets`, scripts/ablate-presets.ts): every
 * playground preset trained at its own batch size and step budget over several seeds, with the AP curve of each
 * run, and the verdict the preset explanations and chapter-7 reveals render from — who finishes ahead, by how
 * much (paired by seed), and from which step the gap exceeds the seed spread. Pure and tfjs-free.
 */
import {
  formatMeanStd,
  formatPaired,
  pairedDifference,
  summarise,
  type PairedDifference,
  type Summary,
} from '../detector/ablationResults';
import type { RunConfig } from './protocol';

/** One (run, seed) of a preset: AP on the held-out set at each evaluated step, and at the end. */
export interface PresetRunResult {
  /** Index of the run in the preset (0 = run 1). */
  run: number;
  seed: number;
  /** Steps at which AP was measured, ascending; the last is the preset's step budget. */
  steps: number[];
  /** AP@[.5:.95] in [0, 1] at each of `steps`. */
  ap: number[];
  /** AP after the last step (= ap[ap.length − 1]). */
  final_ap: number;
  /** Whether the loss became non-finite (training stopped; the run still counts with its AP). */
  diverged: boolean;
}

/** One preset in presets.json. */
export interface PresetStudy {
  id: string;
  label: string;
  batch: number;
  steps: number;
  eval_every: number;
  /** The trainer settings of each run, as the playground builds them (lib/playground/config `runConfigOf`). */
  runs: RunConfig[];
  results: PresetRunResult[];
}

/** The whole file. */
export interface PresetsFile {
  command: string;
  date: string;
  seeds: number[];
  /** Held-out set of every AP: split and size (lib/detector/ablation `heldOutRange`). */
  held_out: { split: 'val' | 'test'; images: number };
  presets: PresetStudy[];
}

/** How one other run compares with the leader of a preset. */
export interface PresetGap {
  run: number;
  label: string;
  /** Final AP of the leader minus this run's, paired by seed (mean ± sd, per-seed values). */
  paired: PairedDifference;
  /**
   * First evaluated step from which on, at every later evaluation too, the leader's mean AP exceeds this run's
   * by more than the two runs' seed spreads added (|Δmean| > sd_leader + sd_run): their mean ± sd bands part for
   * good. null when they never part (or part only to meet again).
   */
  separated_from_step: number | null;
}

/** The verdict of a preset, from its data. */
export interface PresetVerdict {
  id: string;
  /** Final AP per run over seeds, run order. */
  final: (Summary & { run: number; label: string })[];
  /** The run with the highest mean final AP (null without results). */
  leader: number | null;
  /** Every other run against the leader. */
  gaps: PresetGap[];
}

/** The verdict of preset `id` in `file` (throws on an unknown id, so a typo fails the build). */
export function presetVerdict(file: PresetsFile, id: string): PresetVerdict {
  const p = file.presets.find((x) => x.id === id);
  if (!p)
    throw new Error(`presets.json has no preset "${id}"; known: ${file.presets.map((x) => x.id).join(', ')}`);
  const of = (run: number) => p.results.filter((r) => r.run === run).sort((a, b) => a.seed - b.seed);
  const final = p.runs.map((r, run) => ({
    run,
    label: r.label,
    ...summarise(of(run).map((x) => x.final_ap)),
  }));
  let leader: number | null = null;
  for (const f of final) if (f.n > 0 && (leader === null || f.mean > final[leader].mean)) leader = f.run;
  if (leader === null) return { id, final, leader, gaps: [] };
  const lead = of(leader);
  const sample = (rs: PresetRunResult[]) => ({
    seeds: rs.map((r) => r.seed),
    values: rs.map((r) => r.final_ap),
  });
  const gaps = final
    .filter((f) => f.run !== leader && f.n > 0)
    .map((f) => {
      const other = of(f.run);
      return {
        run: f.run,
        label: f.label,
        paired: pairedDifference(sample(lead), sample(other)),
        separated_from_step: separatedFrom(lead, other),
      };
    });
  return { id, final, leader, gaps };
}

/**
 * The two runs' AP bands at each evaluated step: `lead` = mean_a − mean_b and `spread` = sd_a + sd_b over the seeds
 * (NaN where either run has no value). The bands are apart where lead > spread: the criterion of
 * `separated_from_step`, and the threshold `npm run bench:race` holds the live race to.
 */
export function seedBands(
  a: PresetRunResult[],
  b: PresetRunResult[],
): { step: number; lead: number; spread: number }[] {
  return (a[0]?.steps ?? []).map((step, i) => {
    const at = (rs: PresetRunResult[]) =>
      summarise(rs.filter((r) => r.steps[i] === step).map((r) => r.ap[i]));
    const sa = at(a);
    const sb = at(b);
    const ok = sa.n > 0 && sb.n > 0;
    return { step, lead: ok ? sa.mean - sb.mean : NaN, spread: ok ? sa.std + sb.std : NaN };
  });
}

/** First step from which the mean ± sd bands of AP(step) of `a` (above) and `b` stay apart (see PresetGap). */
function separatedFrom(a: PresetRunResult[], b: PresetRunResult[]): number | null {
  let from: number | null = null;
  for (const { step, lead, spread } of seedBands(a, b)) {
    if (!(lead > spread)) from = null;
    else if (from === null) from = step;
  }
  return from;
}

/** "4 of 5": on how many of the paired seeds the difference is positive. */
function aheadCount(d: PairedDifference): string {
  return `${d.diffs.filter((x) => x > 0).length} of ${d.n}`;
}

/** A paired difference in points without its sign ("5.6 ± 0.8"): the sentence says which way it goes. */
function gapPoints(d: PairedDifference): string {
  return formatPaired(d).replace(/^[+−]/, '');
}

/** What a preset did in the study, for the reader: the setting it was measured at, then one line per run. */
export interface PresetOutcome {
  setting: string;
  /** One sentence per run, in run order. */
  runs: string[];
}

/**
 * What a preset did in the study, as plain sentences (the playground's preset explanation and the chapter-7
 * reveals render these): the setting, and for each run its final AP and, against the leader (the highest mean),
 * the paired gap, on how many seeds, whether it exceeds twice its standard error, and from which step the seed
 * bands part. A gap within twice its standard error is called "not separated", never an order. Throws on an
 * unknown id (see presetVerdict).
 */
export function presetOutcome(file: PresetsFile, id: string): PresetOutcome {
  const p = file.presets.find((x) => x.id === id);
  const v = presetVerdict(file, id);
  const seeds = new Set(p?.results.map((r) => r.seed) ?? []).size;
  const setting =
    `Measured in this site's study of the presets: ${seeds} seed${seeds === 1 ? '' : 's'}, ${p?.steps ?? '?'} ` +
    `steps of ${p?.batch ?? '?'} images, AP on ${file.held_out.images} ${file.held_out.split} images after the last step ` +
    '(mean ± sd over seeds).';
  // Quoted where it is named inside a sentence: labels have commas of their own ("CE, OHEM 1:3").
  const lead = v.leader === null ? null : `“${v.final[v.leader].label}”`;
  const runs = v.final.map((f) => {
    const ap = `${f.label}: ${formatMeanStd(f.mean, f.std, f.n)} AP`;
    if (f.run === v.leader) return v.final.length > 1 ? `${ap}, the highest mean.` : `${ap}.`;
    const g = v.gaps.find((x) => x.run === f.run);
    if (!g || lead === null) return `${ap}.`;
    const d = g.paired;
    if (!d.separated) {
      return (
        `${ap}, not separated from ${lead}: ${gapPoints(d)} points lower seed by seed, lower on ` +
        `${aheadCount(d)} seeds, within twice the standard error.`
      );
    }
    return (
      `${ap}, below ${lead} by ${gapPoints(d)} points seed by seed, on ${aheadCount(d)} seeds, more than ` +
      'twice the standard error' +
      (g.separated_from_step === null
        ? '; the seed bands still overlap at the last evaluation.'
        : `; the seed bands part from step ${g.separated_from_step} on.`)
    );
  });
  return { setting, runs };
}
