/** Presets: each parses to a valid state, round-trips through the URL, and the required ones exist. */
import { describe, expect, it } from 'vitest';
import { applyPreset, findPreset, presetQuery, PRESETS } from '../../../lib/playground/presets';
import { parsePlayground } from '../../../lib/playground/schema';

describe('PRESETS', () => {
  it('include the four presets the issue asks for', () => {
    const labels = PRESETS.map((p) => p.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        'Paper default (FL γ=2, α=0.25)',
        'CE without prior init',
        'γ sweep 0→5',
        'OHEM vs focal loss',
      ]),
    );
  });

  it('have unique URL-safe ids and one-line explanations', () => {
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    for (const p of PRESETS) {
      expect(p.id).toMatch(/^[a-z0-9-]+$/);
      expect(p.explanation).not.toMatch(/\n/);
      expect(p.explanation.length).toBeGreaterThan(20);
    }
  });

  it.each(PRESETS.map((p) => [p.id, p] as const))('%s parses back from its URL without notices', (_, p) => {
    const state = applyPreset(p);
    expect(state.runs).toHaveLength(p.runs.length);
    expect(parsePlayground(presetQuery(p))).toEqual({ state, notices: [] });
  });

  it('γ sweep races γ 0, 0.5, 2, 5 on otherwise equal runs', () => {
    const s = applyPreset(findPreset('gamma-sweep')!);
    expect(s.runs.map((r) => r.gamma)).toEqual([0, 0.5, 2, 5]);
    expect(new Set(s.runs.map((r) => JSON.stringify({ ...r, gamma: 0 }))).size).toBe(1);
  });

  it('CE without prior init turns the prior off in run 1 only', () => {
    const s = applyPreset(findPreset('ce-no-prior')!);
    expect(s.runs.map((r) => [r.loss, r.alpha, r.prior])).toEqual([
      ['ce', null, false],
      ['ce', null, true],
    ]);
  });
});
