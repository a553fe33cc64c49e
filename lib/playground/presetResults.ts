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
  eval: { split: 'val' | 'test'; images: number };
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

/** First step from which the mean ± sd bands of AP(step) of `a` (above) and `b` stay apart (see PresetGap). */
function separatedFrom(a: PresetRunResult[], b: PresetRunResult[]): number | null {
  const steps = a[0]?.steps ?? [];
  let from: number | null = null;
  steps.forEach((step, i) => {
    const at = (rs: PresetRunResult[]) =>
      summarise(rs.filter((r) => r.steps[i] === step).map((r) => r.ap[i]));
    const sa = at(a);
    const sb = at(b);
    const apart = sa.n > 0 && sb.n > 0 && sa.mean - sb.mean > sa.std + sb.std;
    if (!apart) from = null;
    else if (from === null) from = step;
  });
  return from;
}

/** "4 of 5": on how many of the paired seeds the difference is positive. */
function aheadCount(d: PairedDifference): string {
  return `${d.diffs.filter((x) => x > 0).length} of ${d.n}`;
}

/**
 * What a preset did in the study, as plain sentences for the reader (the playground's preset explanation and the
 * chapter-7 reveals render these): the setting it was measured at, every run's final AP, and each other run
 * against the leader — the paired gap, on how many seeds, whether it exceeds twice its standard error, and from
 * which step the seed bands part. A difference within twice the standard error is said to be unresolved, never
 * an order. Throws on an unknown id (see presetVerdict).
 */
export function presetOutcomeSentences(file: PresetsFile, id: string): string[] {
  const p = file.presets.find((x) => x.id === id);
  const v = presetVerdict(file, id);
  const seeds = new Set(p?.results.map((r) => r.seed) ?? []).size;
  const out = [
    `Measured in this site's study of the presets (${seeds} seeds, ${p?.steps ?? '?'} steps of ${p?.batch ?? '?'} ` +
      `images, AP on ${file.eval.images} ${file.eval.split} images): ` +
      v.final
        .map((f) => `${f.label} ${formatMeanStd(f.mean, f.std, f.n)} AP`)
        .join(v.final.length === 2 ? ' and ' : '; ') +
      ' after the last step (mean ± sd over seeds).',
  ];
  if (v.leader === null) return out;
  const lead = v.final[v.leader].label;
  for (const g of v.gaps) {
    const d = g.paired;
    const gap = `${formatPaired(d)} points seed by seed, ahead on ${aheadCount(d)} seeds`;
    if (d.separated) {
      out.push(
        `${lead} finishes ahead of ${g.label}: ${gap}, more than twice the standard error` +
          (g.separated_from_step === null
            ? '; their seed bands still overlap at some later evaluation.'
            : `; their seed bands part from step ${g.separated_from_step} on.`),
      );
    } else {
      out.push(
        `${lead} and ${g.label} are not separated: ${lead} minus ${g.label} is ${gap}, within twice the ` +
          'standard error.',
      );
    }
  }
  return out;
}
