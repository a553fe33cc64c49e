/**
 * The results chapter (content/results.mdx) prints every number of the toy study from content/data/ablation.json,
 * but its sentences also make qualitative claims ("at γ = 2 focal loss beats cross-entropy on every seed"). These
 * tests hold those claims against the JSON, so re-running `npm run ablate` cannot silently make the prose wrong: if
 * a claim stops holding, this fails and the chapter must be rewritten. The first block checks the published file's
 * protocol and issue 11's target directly; the last block reads the chapters about the toy (results, training) and
 * the playground presets sentence by sentence: every sentence that states an order between the toy's
 * configurations must be one of the claims registered there, and its check must hold. Sentences about the design
 * candidates (content/data/design.json) are held by ./design-claims.test.ts.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ABLATION_SEEDS } from '../../../lib/detector/ablation';
import { PRESETS } from '../../../lib/playground/presets';
import { sentences } from '../../helpers/sentences';
import {
  ABLATION,
  ablationFact,
  ablationRow,
  formatMetric,
  pairedRows,
} from '../../../components/mdx/ablationData';
import { designPaired } from '../../../components/mdx/designData';
import presetsRaw from '../../../content/data/presets.json';
import { presetVerdict, type PresetsFile } from '../../../lib/playground/presetResults';

const PRESETS_FILE = presetsRaw as unknown as PresetsFile;

/** run − baseline, seed by seed: above on every seed / below on every seed. */
const aboveEverySeed = (run: string, base: string) => pairedRows(run, base).diffs.every((d) => d > 0);
/** Above on every seed, and the mean paired difference more than twice its standard error (issue 11's bar). */
const clearlyAbove = (run: string, base: string) =>
  aboveEverySeed(run, base) && pairedRows(run, base).separated;

/** The configurations the chapters name (the rows of the default plan). */
/** Cross-entropy at every α the study ran: none, 0.25, 0.5 (a grid cell) and 0.75. */
const CE_ROWS = ['ce', 'ce-a0.25', 'ce-a0.5', 'ce-a0.75'];

const NAMED = [
  'ce',
  'ce-a0.25',
  'ce-a0.75',
  'fl-g0.5',
  'fl-g1',
  'fl-g2',
  'fl-g5',
  'fl-star-g2-b1',
  'ce-sampled',
  'ce-ohem',
];

describe('the published study (content/data/ablation.json)', () => {
  it('follows the protocol: test split, at least five seeds, disjoint image sets, the warm-started design', () => {
    expect(ABLATION.split?.results_on).toBe('test');
    expect(ABLATION.split?.disjoint).toBe(true);
    expect(ABLATION.design.seeds.length).toBeGreaterThanOrEqual(ABLATION_SEEDS.length);
    expect(ABLATION.design.anchors.anchors_per_location).toBe(21);
    expect((ABLATION.design as unknown as { warm_start: string | null }).warm_start).toBe(
      'public/models/warm-start.bin',
    );
  });

  it('has every run the chapters name, each with all seeds and none diverged or failed', () => {
    for (const name of NAMED) {
      const r = ablationRow(name);
      expect(r.seeds, name).toEqual(ABLATION.design.seeds);
      expect(r.diverged_seeds, name).toEqual([]);
      expect(r.failed_seeds, name).toEqual([]);
    }
  });

  it('has every cell of the γ × α grid with all seeds, none diverged or failed', () => {
    const grid = ABLATION.grid!;
    expect(grid.cells).toHaveLength(grid.gammas.length * grid.alphas.length);
    for (const c of grid.cells) {
      const r = ablationRow(c.name);
      expect(r.seeds, c.name).toEqual(ABLATION.design.seeds);
      expect(r.diverged_seeds, c.name).toEqual([]);
      expect(r.failed_seeds, c.name).toEqual([]);
    }
  });

  it('issue 11’s target: FL γ = 2, α = 0.25 above plain and every α-balanced CE, OHEM 1:3 and 1:3 sampling by more than 2 SE, paired', () => {
    for (const base of [...CE_ROWS, 'ce-ohem', 'ce-sampled']) {
      expect(clearlyAbove('fl-g2', base), base).toBe(true);
    }
  });

  it('the grid’s verdicts chapter 8 states in words hold', () => {
    const grid = ABLATION.grid!;
    const best = (g: number) => grid.best_alpha.find((b) => b.gamma === g)!.alpha!;
    // "The best α falls as γ grows": never rises along γ; "then at α = … for γ = 1, 2 and 5, the paper's choice
    // from γ = 1 on" (Table 1b: 0.25).
    const bests = grid.gammas.map(best);
    for (let i = 1; i < bests.length; i++) expect(bests[i]).toBeLessThanOrEqual(bests[i - 1]);
    expect(bests[0]).toBeGreaterThan(bests[bests.length - 1]);
    for (const g of [1, 2, 5]) expect(best(g), `γ = ${g}`).toBe(0.25);
    expect(ablationFact('grid-best-alpha:2')).toBe('0.25');
    // "at γ = 0.5, α = 0.5 minus α = 0.25 is …" (within the spread); "At the paper's γ = 2 the step is clear".
    expect(pairedRows('fl-g0.5-a0.5', 'fl-g0.5').separated).toBe(false);
    const g2 = pairedRows('fl-g2', 'fl-g2-a0.5');
    expect(g2.separated && g2.mean > 0).toBe(true);
    // "α = 0.75 has the lowest mean of every row from γ = 0.5 on, and the gap to the row's best widens with γ".
    const gaps = grid.gammas
      .filter((g) => g >= 0.5)
      .map((g) => {
        const cells = grid.cells.filter((c) => c.gamma === g);
        const a75 = cells.find((c) => c.alpha === 0.75)!;
        expect(Math.min(...cells.map((c) => c.ap_mean)), `γ = ${g}`).toBe(a75.ap_mean);
        return Math.max(...cells.map((c) => c.ap_mean)) - a75.ap_mean;
      });
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1]);
    expect(aboveEverySeed('fl-g2', 'fl-g2-a0.75')).toBe(true);
  });

  it('the verdicts chapter 8 states in words hold, seed by seed', () => {
    const mean = (run: string, base: string) => pairedRows(run, base).mean;
    // "Focal loss is ahead [of OHEM] on every seed, by less than against cross-entropy."
    expect(aboveEverySeed('fl-g2', 'ce-ohem')).toBe(true);
    expect(mean('fl-g2', 'ce-ohem')).toBeLessThan(mean('fl-g2', 'ce'));
    // "OHEM, though, has the higher AP50 and AP75."
    for (const m of ['ap50_mean', 'ap75_mean'] as const) {
      expect(ablationRow('ce-ohem')[m], m).toBeGreaterThan(ablationRow('fl-g2')[m]);
    }
    // "The four cross-entropy rows … within a point of each other"; α = 0.75 − none "a mean just over twice its
    // standard error, with one seed of the other sign"; α = 0.25 − none "level" (not twice its SE); "α = 0.5 is
    // level with α = 0.75".
    const means = CE_ROWS.map((n) => ablationRow(n).ap_mean);
    expect(pairedRows('ce-a0.5', 'ce-a0.75').separated).toBe(false);
    expect(Math.max(...means) - Math.min(...means)).toBeLessThan(0.01);
    const a75 = pairedRows('ce-a0.75', 'ce');
    expect(a75.separated).toBe(true);
    expect(Math.abs(a75.mean)).toBeLessThan(3 * a75.se);
    expect(a75.diffs.filter((d) => d < 0)).toHaveLength(1);
    expect(pairedRows('ce-a0.25', 'ce').separated).toBe(false);
    // "γ = 2 is ahead [of γ = 0.5] on every seed, by less than a point."
    expect(aboveEverySeed('fl-g2', 'fl-g0.5')).toBe(true);
    expect(mean('fl-g2', 'fl-g0.5')).toBeLessThan(0.01);
    // "γ = 1 … the highest mean of the study; … ahead [of γ = 2] on four of five seeds, by less than twice the
    // standard error, so the toy does not separate the two."
    const best = ABLATION.results.reduce((x, y) => (y.ap_mean > x.ap_mean ? y : x));
    expect(best.name).toBe('fl-g1');
    const g1 = pairedRows('fl-g1', 'fl-g2');
    expect([g1.n, g1.diffs.filter((d) => d > 0).length, g1.separated]).toEqual([5, 4, false]);
    // "With γ = 5 focal loss reaches …, far lower."
    expect(pairedRows('fl-g5', 'fl-g2').diffs.every((d) => d < -0.05)).toBe(true);
    // FL* − FL "of both signs"; "the toy does not tell them apart".
    expect(pairedRows('fl-star-g2-b1', 'fl-g2').sameSign).toBe(false);
    expect(pairedRows('fl-star-g2-b1', 'fl-g2').separated).toBe(false);
    // "In the toy's first design, from scratch, … γ = 0.5 was far ahead."
    expect(designPaired('scratch-a9', 'fl-g2', 'fl-g0.5').diffs.every((d) => d < -0.05)).toBe(true);
  });

  it('Figure 4: γ concentrates the negatives’ loss on the hardest 1 %, and γ = 2 puts most of it there', () => {
    const curves = ABLATION.fig4.focal.curves;
    for (let i = 1; i < curves.length; i++) {
      expect(curves[i].negHardest1).toBeGreaterThan(curves[i - 1].negHardest1);
    }
    const g2 = curves.find((c) => c.gamma === 2)!;
    expect(g2.negHardest1).toBeGreaterThan(0.5);
    // Positives: "close to the paper's roughly half" at γ = 0 (paper: ~20 % of positives → ~half of the loss),
    // and γ moves that share less than the negatives'.
    const g0 = curves.find((c) => c.gamma === 0)!;
    expect(g0.posHardest20).toBeGreaterThan(0.35);
    expect(g0.posHardest20).toBeLessThan(0.65);
    expect(g2.negHardest1 - g0.negHardest1).toBeGreaterThan(g2.posHardest20 - g0.posHardest20);
    // The CE-trained model's negatives are already concentrated at γ = 0.
    expect(ABLATION.fig4.ce.curves[0].negHardest1).toBeGreaterThan(g0.negHardest1);
  });

  it('formats mean ± sample std in percent with one decimal', () => {
    const r = ablationRow('fl-g2');
    expect(formatMetric(r, 'ap')).toBe(`${(100 * r.ap_mean).toFixed(1)} ± ${(100 * r.ap_std).toFixed(1)}`);
  });

  it('throws on unknown runs and facts, so a typo fails the build', () => {
    expect(() => ablationRow('fl-g3')).toThrow();
    expect(() => ablationFact('nope')).toThrow();
    expect(() => ablationFact('fig4:focal:negHardest1:3')).toThrow();
    expect(ablationFact('steps')).toBe(ABLATION.design.steps.toLocaleString('en-US'));
    expect(ablationFact('anchors-per-location')).toBe('21');
  });
});

/**
 * Order claims about the toy that the prose may make, each with the check that must hold for it. A sentence that
 * states an order (see ORDER) must match one of these patterns, or be about the paper (it cites it).
 */
const CLAIMS: { pattern: RegExp; holds: () => boolean }[] = [
  {
    // Chapter 8's heading, chapter 7's note and both recaps.
    pattern:
      /(?:focal loss|that setting|γ = 2)[^.]*beats? (?:plain )?cross-entropy(?: in the toy| on every seed)/i,
    holds: () => clearlyAbove('fl-g2', 'ce'),
  },
  {
    pattern:
      /beats plain and α-balanced cross-entropy on every seed, by more than twice the standard error|focal loss beats every α-balanced cross-entropy in the toy, seed by seed|the toy reproduces the paper's headline result, that focal loss beats the best α-balanced cross-entropy/,
    holds: () => CE_ROWS.every((b) => clearlyAbove('fl-g2', b)),
  },
  {
    // Chapter 7's OHEM reveal: the study (FL above OHEM on every seed) against the preset's shorter budget,
    // where OHEM leads on average but not on every seed (content/data/presets.json).
    pattern:
      /At this preset's shorter budget it goes the other way on average: OHEM finishes ahead of focal loss/,
    holds: () => {
      const v = presetVerdict(PRESETS_FILE, 'ohem-vs-focal');
      const ohem = v.final.findIndex((f) => f.label.includes('OHEM'));
      const gap = v.gaps.find((g) => g.run !== ohem);
      return aboveEverySeed('fl-g2', 'ce-ohem') && v.leader === ohem && !!gap && !gap.paired.sameSign;
    },
  },
  {
    // About the first design (from scratch), held against design.json.
    pattern: /In the toy's first design[^.]*did not beat cross-entropy/,
    holds: () => designPaired('scratch-a9', 'fl-g2', 'ce').mean < 0,
  },
];

/** Words that state an order between configurations. */
const ORDER =
  /\b(?:beats?|beat|outperforms?|better than|worse than|wins?|lose|loses|finishes (?:below|above|ahead)|below (?:plain )?(?:cross-entropy|CE))\b/i;

/** Sentences that contain an order word without stating an order about the toy's results. */
const NOT_CLAIMS = [/^Before concluding that one loss beats another/];

/** About the paper, not the toy: it cites the paper. Sentences about the design candidates (`<DesignPaired>`,
 * `<DesignValue>`, content/data/design.json) are checked by ./design-claims.test.ts instead. */
const aboutThePaper = (s: string) =>
  /<Design(?:Paired|Value)\b/.test(s) ||
  (/<Cite\b/.test(s) && !/in the toy|in this design/i.test(s)) ||
  /\bIn the paper\b/i.test(s) ||
  /^Table \d/.test(s) ||
  /the paper['’]s discussion/.test(s);

describe('every order the toy chapters and presets state is one the data supports', () => {
  const texts: [string, string][] = [
    ...['results', 'training'].map(
      (slug) => [slug, fs.readFileSync(`content/${slug}.mdx`, 'utf8')] as [string, string],
    ),
    ...PRESETS.map((p) => [`preset ${p.id}`, p.explanation] as [string, string]),
  ];
  const orderSentences = texts.flatMap(([where, text]) =>
    sentences(text)
      .filter((s) => ORDER.test(s) && !aboutThePaper(s) && !NOT_CLAIMS.some((n) => n.test(s)))
      .map((s) => ({ where, s })),
  );

  it('finds the chapters’ order claims (the scanner is not blind)', () => {
    expect(orderSentences.length).toBeGreaterThanOrEqual(4);
  });

  it.each(orderSentences.map((o) => [o.where, o.s]))('%s: “%s”', (_where, s) => {
    const claims = CLAIMS.filter((c) => c.pattern.test(s));
    expect(claims, `an order claim no check covers; register it in CLAIMS: ${s}`).not.toHaveLength(0);
    for (const c of claims) expect(c.holds(), `the data contradicts: ${s}`).toBe(true);
  });

  it('the checks are not vacuous: the same claims with run and baseline swapped fail', () => {
    const claim = 'At the paper’s γ = 2, focal loss beats plain cross-entropy on every seed.';
    expect(ORDER.test(claim)).toBe(true);
    expect(CLAIMS.filter((c) => c.pattern.test(claim))).not.toHaveLength(0);
    for (const base of CE_ROWS) expect(clearlyAbove(base, 'fl-g2'), base).toBe(false);
  });
});
