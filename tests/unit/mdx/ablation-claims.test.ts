/**
 * The results chapter (content/results.mdx) prints every number of the toy study from content/data/ablation.json,
 * but its sentences also make qualitative claims ("a small γ beats the best CE on every seed", "at γ = 2 focal
 * loss does not beat cross-entropy"). These tests hold those claims against the JSON, so re-running
 * `npm run ablate` cannot silently make the prose wrong: if a claim stops holding, this fails and the chapter must
 * be rewritten. The last block reads the chapters about the toy (results, training) and the playground presets
 * sentence by sentence: every sentence that states an order between the toy's configurations must be one of the
 * claims registered there, and its check must hold.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spreadsOverlap } from '../../../lib/detector/ablationResults';
import { PRESETS } from '../../../lib/playground/presets';
import { sentences } from '../../helpers/sentences';
import {
  ABLATION,
  ablationFact,
  ablationRow,
  formatMetric,
  pairedRows,
  sweepLevel,
} from '../../../components/mdx/ablationData';

const ap = (name: string) => ablationRow(name).ap_mean;
const std = (name: string) => ablationRow(name).ap_std;
const best = (names: string[]) => names.reduce((a, b) => (ap(b) > ap(a) ? b : a));
const CE = ['ce', 'ce-a0.25', 'ce-a0.75'];
const FL = ['fl-g0.5', 'fl-g1', 'fl-g2', 'fl-g5'];
/** run − baseline, seed by seed: above on every seed / below on every seed / of both signs. */
const aboveEverySeed = (run: string, base: string) => pairedRows(run, base).diffs.every((d) => d > 0);
const belowEverySeed = (run: string, base: string) => pairedRows(run, base).diffs.every((d) => d < 0);
const bestOfLevel = (id: string) => {
  const l = sweepLevel(id);
  return l.points.find((p) => p.gamma === l.best_gamma)!;
};

describe('the toy study backs the results chapter', () => {
  it('has every run the chapter names, each with all seeds and none diverged or failed', () => {
    for (const name of [
      ...CE,
      ...FL,
      'fl-star-g2-b1',
      'ce-sampled',
      'ce-ohem',
      'ce-no-prior',
      'fl-g2-no-prior',
    ]) {
      const r = ablationRow(name);
      expect(r.seeds, name).toEqual(ABLATION.design.seeds);
      expect(r.diverged_seeds, name).toEqual([]);
      expect(r.failed_seeds, name).toEqual([]);
    }
  });

  it('at the paper’s setting (γ = 2, α = 0.25) focal loss does not beat plain CE nor the best α-CE', () => {
    expect(aboveEverySeed('fl-g2', 'ce')).toBe(false);
    expect(aboveEverySeed('fl-g2', 'ce-a0.75')).toBe(false);
    expect(ap('fl-g2')).toBeLessThan(ap('ce'));
  });

  it('α = 0.75 has the highest CE mean, as in Table 1a, within the spread of no weighting; α = 0.25 the lowest', () => {
    expect(best(CE)).toBe('ce-a0.75');
    expect(ap('ce-a0.25')).toBeLessThan(ap('ce'));
    expect(
      spreadsOverlap({ mean: ap('ce-a0.75'), std: std('ce-a0.75') }, { mean: ap('ce'), std: std('ce') }),
    ).toBe(true);
    expect(aboveEverySeed('ce-a0.75', 'ce')).toBe(true);
  });

  it('a small γ (0.5 or 1) beats the best cross-entropy on every seed, and γ = 0.5 has the highest FL mean', () => {
    expect(best(FL)).toBe('fl-g0.5');
    expect(aboveEverySeed('fl-g0.5', 'ce-a0.75')).toBe(true);
    expect(aboveEverySeed('fl-g1', 'ce-a0.75')).toBe(true);
    expect(aboveEverySeed('fl-g0.5', 'ce')).toBe(true);
  });

  it('1:3 sampling is below plain CE on every seed; FL γ = 2 and OHEM differ in both directions', () => {
    expect(belowEverySeed('ce-sampled', 'ce')).toBe(true);
    const d = pairedRows('fl-g2', 'ce-ohem');
    expect(d.sameSign).toBe(false);
  });

  it('γ too high hurts: γ = 5 is below γ = 2 on every seed, which is below γ = 0.5 and 1 on every seed', () => {
    expect(belowEverySeed('fl-g5', 'fl-g2')).toBe(true);
    expect(belowEverySeed('fl-g2', 'fl-g1')).toBe(true);
    expect(belowEverySeed('fl-g2', 'fl-g0.5')).toBe(true);
  });

  it('without the prior init both CE and FL end far lower on every seed, and no run diverged', () => {
    expect(belowEverySeed('ce-no-prior', 'ce')).toBe(true);
    expect(belowEverySeed('fl-g2-no-prior', 'fl-g2')).toBe(true);
    expect(ap('ce-no-prior')).toBeLessThan(ap('ce') / 2);
    expect(ap('fl-g2-no-prior')).toBeLessThan(ap('fl-g2') / 2);
    for (const r of ABLATION.results) expect(r.diverged_seeds, r.name).toEqual([]);
  });

  it('at every imbalance level γ = 2 stays below the level’s highest mean on every seed, never the best', () => {
    const levels = ABLATION.imbalance_sweep;
    const byImbalance = [...levels].sort((a, b) => a.bg_per_fg - b.bg_per_fg);
    expect(byImbalance.map((l) => l.id)).toEqual(['objects3', 'default', 'ratios7']);
    for (const l of levels) {
      expect([0.5, 1]).toContain(l.best_gamma);
      const g2 = l.points.find((p) => p.gamma === 2)!;
      expect(belowEverySeed(g2.name, bestOfLevel(l.id).name), l.id).toBe(true);
    }
    // The chapter names the highest-mean γ of each level in its sentence about the gaps.
    expect(bestOfLevel('objects3').name).toBe('objects3-fl-g0.5');
    expect(bestOfLevel('default').name).toBe('fl-g0.5');
    expect(bestOfLevel('ratios7').name).toBe('ratios7-fl-g1');
    expect(ablationFact('ratio:default')).toMatch(/^1 : \d/);
    expect(sweepLevel('ratios7').bg_per_fg).toBeGreaterThan(2 * sweepLevel('default').bg_per_fg);
  });

  it('Figure 4: γ concentrates the negatives’ loss on the hardest 1 %, and γ = 2 puts most of it there', () => {
    const curves = ABLATION.fig4.focal.curves;
    for (let i = 1; i < curves.length; i++) {
      expect(curves[i].negHardest1).toBeGreaterThan(curves[i - 1].negHardest1);
    }
    const g2 = curves.find((c) => c.gamma === 2)!;
    expect(g2.negHardest1).toBeGreaterThan(0.5);
    // Positives change less: "about half" of the loss from the hardest 20 % at γ = 2 (paper: ~20 % → ~half).
    expect(g2.posHardest20).toBeGreaterThan(0.35);
    expect(g2.posHardest20).toBeLessThan(0.65);
    const g0 = curves.find((c) => c.gamma === 0)!;
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
  });
});

/**
 * Order claims about the toy that the prose may make, each with the check that must hold for it. A sentence that
 * states an order (see ORDER) must match one of these patterns, or be about the paper (it cites it).
 */
const CLAIMS: { pattern: RegExp; holds: () => boolean }[] = [
  {
    // "… focal loss does not beat cross-entropy …", "does not beat plain cross-entropy", "does not beat CE"
    pattern:
      /(?:γ = 2|paper['’]s setting|that setting)[^.]*(?:does not|did not|not) beat (?:plain )?(?:cross-entropy|CE)/i,
    holds: () => !aboveEverySeed('fl-g2', 'ce') && !aboveEverySeed('fl-g2', 'ce-a0.75'),
  },
  {
    pattern: /(?:a )?small(?:er)? γ(?: \(0\.5 or 1\))? (?:beats|does)\b/i,
    holds: () =>
      aboveEverySeed('fl-g0.5', 'ce-a0.75') &&
      aboveEverySeed('fl-g1', 'ce-a0.75') &&
      aboveEverySeed('fl-g0.5', 'ce'),
  },
  {
    pattern: /finishes below plain CE on every measured seed/i,
    holds: () => belowEverySeed('fl-g2', 'ce'),
  },
  {
    pattern: /focal loss at γ = 2 loses a race/i,
    holds: () =>
      pairedRows('fl-g2', 'ce').diffs.filter((d) => d < 0).length * 2 > ABLATION.design.seeds.length,
  },
  {
    pattern: /\(γ = 2 below cross-entropy\)/i,
    holds: () => ap('fl-g2') < ap('ce'),
  },
  {
    pattern: /below plain cross-entropy on every seed/i,
    holds: () => belowEverySeed('ce-sampled', 'ce'),
  },
];

/** Words that state an order between configurations. */
const ORDER =
  /\b(?:beats?|beat|outperforms?|better than|worse than|wins?|lose|loses|finishes (?:below|above|ahead)|below (?:plain )?(?:cross-entropy|CE))\b/i;

/** Sentences that contain an order word without stating an order about the toy's results. */
const NOT_CLAIMS = [
  /in which the paper['’]s setting wins is open work/i,
  /^Before concluding that one loss beats another/,
];

/** About the paper, not the toy: it cites the paper. Sentences about the design candidates (`<DesignPaired>`,
 * `<DesignValue>`, content/data/design.json) are checked by ./design-claims.test.ts instead. */
const aboutThePaper = (s: string) =>
  /<Design(?:Paired|Value)\b/.test(s) ||
  /<Cite\b/.test(s) ||
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
    expect(orderSentences.length).toBeGreaterThanOrEqual(5);
  });

  it.each(orderSentences.map((o) => [o.where, o.s]))('%s: “%s”', (_where, s) => {
    const claims = CLAIMS.filter((c) => c.pattern.test(s));
    expect(claims, `an order claim no check covers; register it in CLAIMS: ${s}`).not.toHaveLength(0);
    for (const c of claims) expect(c.holds(), `the data contradicts: ${s}`).toBe(true);
  });

  it('a sentence stating an order the data contradicts is caught', () => {
    const wrong = 'At the paper’s γ = 2, focal loss beats plain cross-entropy on every seed.';
    const registered = CLAIMS.filter((c) => c.pattern.test(wrong));
    const caught = registered.length === 0 || registered.some((c) => !c.holds());
    expect(ORDER.test(wrong)).toBe(true);
    expect(caught).toBe(true);
  });
});
