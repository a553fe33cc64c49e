/**
 * The results chapter (content/results.mdx) prints every number of the toy study from content/data/ablation.json,
 * but its sentences also make qualitative claims ("FL beats the best CE", "γ = 5 collapses", "the best γ is 0.5–1").
 * These tests hold those claims against the JSON, so re-running `npm run ablate` cannot silently make the prose
 * wrong: if a claim stops holding, this fails and the chapter must be rewritten.
 */
import { describe, expect, it } from 'vitest';
import {
  ABLATION,
  ablationFact,
  ablationRow,
  formatMetric,
  sweepLevel,
} from '../../../components/mdx/ablationData';

const ap = (name: string) => ablationRow(name).ap_mean;
const std = (name: string) => ablationRow(name).ap_std;
const best = (names: string[]) => names.reduce((a, b) => (ap(b) > ap(a) ? b : a));
const CE = ['ce', 'ce-a0.25', 'ce-a0.75'];
const FL = ['fl-g0.5', 'fl-g1', 'fl-g2', 'fl-g5'];

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

  it('α = 0.75 is the best cross-entropy weighting, as in Table 1a, and α = 0.25 the worst', () => {
    expect(best(CE)).toBe('ce-a0.75');
    expect(ap('ce-a0.25')).toBeLessThan(ap('ce'));
  });

  it('the best focal loss (γ = 0.5) beats the best cross-entropy by more than both spreads together', () => {
    expect(best(FL)).toBe('fl-g0.5');
    expect(ap('fl-g0.5') - ap('ce-a0.75')).toBeGreaterThan(std('fl-g0.5') + std('ce-a0.75'));
  });

  it('the best focal loss beats both sampling baselines; FL γ = 2 is within OHEM’s spread', () => {
    expect(ap('fl-g0.5')).toBeGreaterThan(ap('ce-ohem') + std('ce-ohem'));
    expect(ap('fl-g0.5')).toBeGreaterThan(ap('ce-sampled'));
    expect(Math.abs(ap('fl-g2') - ap('ce-ohem'))).toBeLessThan(std('ce-ohem'));
  });

  it('γ too high hurts: γ = 5 is far below γ = 2, which is below γ = 0.5 and 1', () => {
    expect(ap('fl-g5')).toBeLessThan(ap('fl-g2') / 2);
    expect(ap('fl-g2')).toBeLessThan(ap('fl-g1'));
    expect(ap('fl-g2')).toBeLessThan(ap('fl-g0.5'));
  });

  it('without the prior init both CE and FL end at less than half their AP with it', () => {
    expect(ap('ce-no-prior')).toBeLessThan(ap('ce') / 2);
    expect(ap('fl-g2-no-prior')).toBeLessThan(ap('fl-g2') / 2);
  });

  it('FL* (γ = 2, β = 1) lands within one standard deviation of FL γ = 2', () => {
    expect(Math.abs(ap('fl-star-g2-b1') - ap('fl-g2'))).toBeLessThan(
      Math.max(std('fl-star-g2-b1'), std('fl-g2')),
    );
  });

  it('the best γ is 0.5 or 1 at every imbalance level, never 2, and does not fall as imbalance grows', () => {
    const levels = ABLATION.imbalance_sweep;
    const byImbalance = [...levels].sort((a, b) => a.bg_per_fg - b.bg_per_fg);
    expect(byImbalance.map((l) => l.id)).toEqual(['objects3', 'default', 'ratios7']);
    for (const l of levels) expect([0.5, 1]).toContain(l.best_gamma);
    const bests = byImbalance.map((l) => l.best_gamma ?? NaN);
    for (let i = 1; i < bests.length; i++) expect(bests[i]).toBeGreaterThanOrEqual(bests[i - 1]);
    // The default level's ratio is what the chapter calls "1 : 383".
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
