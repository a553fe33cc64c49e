/**
 * The verdict of a preset from content/data/presets.json's shape (lib/playground/presetResults.ts): who finishes
 * ahead, by how much paired by seed, and from which step the seed-spread bands part for good. Synthetic data.
 */
import { describe, expect, it } from 'vitest';
import {
  presetOutcome,
  presetVerdict,
  type PresetRunResult,
  type PresetsFile,
} from '../../../lib/playground/presetResults';
import { expectClose } from '../../helpers/close';

const STEPS = [50, 100, 150, 200];

function run(r: number, seed: number, ap: number[]): PresetRunResult {
  return { run: r, seed, steps: STEPS, ap, final_ap: ap[ap.length - 1], diverged: false };
}

function file(results: PresetRunResult[], runs = 2): PresetsFile {
  const rc = (label: string) => ({
    label,
    loss: 'ce' as const,
    gamma: 0,
    alpha: null,
    beta: 1,
    prior: 0.01,
    lr: 2e-3,
  });
  return {
    command: 'test',
    date: '',
    seeds: [0, 1, 2],
    held_out: { split: 'test', images: 10 },
    presets: [
      {
        id: 'race',
        label: 'Race',
        batch: 4,
        steps: 200,
        eval_every: 50,
        runs: ['CE', 'FL', 'OHEM'].slice(0, runs).map(rc),
        results,
      },
    ],
  };
}

/** Run 0 ahead of run 1 by 0.10–0.12 on each of three seeds, the bands apart from step 100 on. */
const CLEAR_LEAD = [
  run(0, 0, [0.1, 0.2, 0.3, 0.4]),
  run(0, 1, [0.1, 0.2, 0.3, 0.42]),
  run(0, 2, [0.1, 0.2, 0.3, 0.44]),
  run(1, 0, [0.1, 0.1, 0.1, 0.3]),
  run(1, 1, [0.1, 0.1, 0.1, 0.31]),
  run(1, 2, [0.1, 0.1, 0.1, 0.32]),
];

describe('presetVerdict', () => {
  it('names the run with the higher mean final AP and the paired gap to the other, seed by seed', () => {
    const f = file(CLEAR_LEAD);
    const v = presetVerdict(f, 'race');
    expect(v.leader).toBe(0);
    expect(v.final.map((x) => x.n)).toEqual([3, 3]);
    expect(v.gaps).toHaveLength(1);
    expect(v.gaps[0].label).toBe('FL');
    expectClose(v.gaps[0].paired.diffs, [0.1, 0.11, 0.12]);
    expect(v.gaps[0].paired.separated).toBe(true);
  });

  it('gives the first step from which the mean ± sd bands stay apart', () => {
    const f = file([
      run(0, 0, [0.1, 0.3, 0.1, 0.5]),
      run(0, 1, [0.1, 0.31, 0.11, 0.51]),
      run(1, 0, [0.1, 0.1, 0.1, 0.1]),
      run(1, 1, [0.1, 0.11, 0.1, 0.11]),
    ]);
    // Apart at 100, together again at 150, apart from 200 on.
    expect(presetVerdict(f, 'race').gaps[0].separated_from_step).toBe(200);
  });

  it('gives no separation step when the seed spread swallows the gap', () => {
    const f = file([
      run(0, 0, [0.1, 0.2, 0.3, 0.5]),
      run(0, 1, [0.1, 0.2, 0.3, 0.2]),
      run(1, 0, [0.1, 0.2, 0.3, 0.3]),
      run(1, 1, [0.1, 0.2, 0.3, 0.3]),
    ]);
    const v = presetVerdict(f, 'race');
    expect(v.gaps[0].separated_from_step).toBeNull();
    expect(v.gaps[0].paired.separated).toBe(false);
  });

  it('compares every other run with the leader, skips runs without results, and throws on an unknown id', () => {
    const f = file([run(0, 0, [0, 0, 0, 0.2]), run(1, 0, [0, 0, 0, 0.3])], 3);
    const v = presetVerdict(f, 'race');
    expect(v.leader).toBe(1);
    expect(v.gaps.map((g) => g.run)).toEqual([0]);
    expect(v.final[2].n).toBe(0);
    expect(() => presetVerdict(f, 'nope')).toThrow(/no preset "nope"/);
  });
});

describe('presetOutcome', () => {
  it('states the setting, every final AP, and an order only where the paired gap exceeds twice its SE', () => {
    const { setting, runs } = presetOutcome(file(CLEAR_LEAD), 'race');
    expect(setting).toMatch(/3 seeds, 200 steps of 4 images, AP on 10 test images/);
    expect(runs).toEqual([
      'CE: 42.0 ± 2.0 AP, the highest mean.',
      'FL: 31.0 ± 1.0 AP, below “CE” by 11.0 ± 1.0 points seed by seed, on 3 of 3 seeds, more than twice the ' +
        'standard error; the seed bands part from step 100 on.',
    ]);
  });

  it('calls a gap within twice its SE not separated, not an order', () => {
    const f = file([
      run(0, 0, [0.1, 0.2, 0.3, 0.5]),
      run(0, 1, [0.1, 0.2, 0.3, 0.2]),
      run(1, 0, [0.1, 0.2, 0.3, 0.3]),
      run(1, 1, [0.1, 0.2, 0.3, 0.3]),
    ]);
    const { runs } = presetOutcome(f, 'race');
    expect(runs[1]).toMatch(
      /^FL: 30\.0 ± 0\.0 AP, not separated from “CE”: .* lower on 1 of 2 seeds, within twice the standard error\.$/,
    );
    expect(runs.join(' ')).not.toMatch(/below/);
  });

  it('gives one line for a preset with a single run', () => {
    const f = file([run(0, 0, [0, 0, 0, 0.3]), run(0, 1, [0, 0, 0, 0.32])], 1);
    expect(presetOutcome(f, 'race').runs).toEqual(['CE: 31.0 ± 1.4 AP.']);
  });
});
