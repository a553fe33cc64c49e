/**
 * The ablation study as data: the required configurations exist with enough seeds, the plan and its time
 * estimate, and the pure summaries (mean ± sample std, rows per configuration, best γ per imbalance level).
 */
import { describe, expect, it } from 'vitest';
import {
  ABLATION_BUDGET,
  ABLATION_SEEDS,
  allConfigs,
  GRID_ALPHAS,
  GRID_GAMMAS,
  gridConfig,
  gridConfigs,
  pairedBaselines,
  planConfigs,
  planProtocol,
  FIG4_CONFIGS,
  IMBALANCE_LEVELS,
  planRuns,
  runKey,
  selectConfigs,
  studyConfigs,
  SWEEP_GAMMAS,
  sweepConfig,
  type AblationConfig,
} from '../../../lib/detector/ablation';
import { estimatePlanSeconds, estimateRunSeconds } from '../../../lib/detector/ablationCost';
import {
  heldOutRange,
  MAX_EVAL_IMAGES,
  MAX_STUDY_SEED,
  pretextRange,
  rangeImageSeeds,
  rangesOverlap,
  trainRange,
} from '../../../lib/detector/splits';
import {
  aggregateResults,
  formatMeanStd,
  markdownSweepTable,
  markdownTable,
  summarise,
  summariseGrid,
  summariseSplit,
  summariseSweep,
  withPairedDifferences,
  type RunResult,
} from '../../../lib/detector/ablationResults';
import { DEFAULT_ASPECT_RATIOS, DEFAULT_SCALES } from '../../../lib/detector/anchors';
import { expectClose } from '../../helpers/close';

const configs = studyConfigs();
const budget = { ...ABLATION_BUDGET };

function find(p: Partial<AblationConfig>): AblationConfig[] {
  return configs.filter((c) =>
    Object.entries(p).every(([k, v]) => (c as unknown as Record<string, unknown>)[k] === v),
  );
}

function fakeRun(name: string, seed: number, ap: number, extra: Partial<RunResult> = {}): RunResult {
  const c = configs.find((x) => x.name === name)!;
  return {
    key: runKey({ config: c, seed, budget }),
    name,
    seed,
    ap,
    ap50: Math.min(1, ap + 0.2),
    ap75: ap / 2,
    ar100: ap + 0.1,
    ms_per_step: 150 + seed,
    data_ms_per_step: 10,
    fg_per_image: 8,
    bg_per_image: 3000,
    final_loss: 0.3,
    steps_done: budget.steps,
    diverged: false,
    train_seconds: 100,
    eval_seconds: 3,
    backend: 'wasm',
    ...extra,
  };
}

describe('the study definition', () => {
  it('trains every configuration with at least three seeds', () => {
    expect(ABLATION_SEEDS.length).toBeGreaterThanOrEqual(3);
    expect(ABLATION_SEEDS).toEqual([0, 1, 2, 3, 4]);
  });

  it('has CE with α none, 0.25 and 0.75 (Table 1a)', () => {
    for (const alpha of [null, 0.25, 0.75])
      expect(find({ loss: 'ce', alpha, prior: 0.01, imbalance: 'default' })).toHaveLength(1);
  });

  it('has FL with γ 0.5, 1, 2 and 5 at α 0.25 (Table 1b)', () => {
    for (const gamma of [0.5, 1, 2, 5])
      expect(find({ loss: 'focal', gamma, alpha: 0.25, prior: 0.01, imbalance: 'default' })).toHaveLength(1);
  });

  it('has FL* with γ 2 and β 1 (Table 3), 1:3 sampling and OHEM', () => {
    expect(find({ loss: 'focal_star', gamma: 2, beta: 1, imbalance: 'default' })).toHaveLength(1);
    expect(find({ loss: 'ce_sampled', imbalance: 'default' })).toHaveLength(1);
    expect(find({ loss: 'ce_ohem', imbalance: 'default' })).toHaveLength(1);
  });

  it('has CE and FL γ=2 without the prior init', () => {
    expect(find({ loss: 'ce', alpha: null, prior: null })).toHaveLength(1);
    expect(find({ loss: 'focal', gamma: 2, prior: null })).toHaveLength(1);
  });

  it('sweeps γ 0, 0.5, 1, 2 at three or more imbalance levels, including the default', () => {
    expect(IMBALANCE_LEVELS.length).toBeGreaterThanOrEqual(3);
    expect(IMBALANCE_LEVELS.map((l) => l.id)).toContain('default');
    expect(SWEEP_GAMMAS).toEqual([0, 0.5, 1, 2]);
    const names = new Set(configs.map((c) => c.name));
    for (const level of IMBALANCE_LEVELS)
      for (const g of SWEEP_GAMMAS) expect(names.has(sweepConfig(level.id, g).name)).toBe(true);
  });

  it('uses α-balanced CE with α 0.25 as the γ = 0 point of the sweep', () => {
    const c = sweepConfig('objects3', 0);
    expect(c.loss).toBe('ce');
    expect(c.alpha).toBe(0.25);
    expect(sweepConfig('default', 0).name).toBe('ce-a0.25');
  });

  it('gives each level as many anchors per location as its anchor templates', () => {
    for (const l of IMBALANCE_LEVELS) {
      const s = (l.anchors.scales ?? DEFAULT_SCALES).length;
      const r = (l.anchors.aspectRatios ?? DEFAULT_ASPECT_RATIOS).length;
      expect(l.anchorsPerLocation).toBe(s * r);
      expect(l.imageSize % 16).toBe(0);
    }
  });

  it('names configurations uniquely, without commas, spaces or slashes', () => {
    const names = configs.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z0-9.-]+$/);
  });

  it('has 12 main configurations plus 4 γ per non-default level', () => {
    expect(configs.filter((c) => c.imbalance === 'default')).toHaveLength(12);
    expect(configs).toHaveLength(12 + 4 * (IMBALANCE_LEVELS.length - 1));
  });
});

describe('planRuns', () => {
  const plan = planRuns(configs, ABLATION_SEEDS, budget);

  it('plans every configuration once per seed, seed-major', () => {
    expect(plan).toHaveLength(configs.length * ABLATION_SEEDS.length);
    expect(plan.slice(0, configs.length).every((s) => s.seed === 0)).toBe(true);
    for (const c of configs)
      expect(plan.filter((s) => s.config === c).map((s) => s.seed)).toEqual(ABLATION_SEEDS);
  });

  it('asks for Figure 4 from the seed-0 FL γ=2 and CE runs only', () => {
    const f = plan.filter((s) => s.fig4).map((s) => `${s.config.name}#${s.seed}`);
    expect(f.sort()).toEqual([`${FIG4_CONFIGS.ce}#0`, `${FIG4_CONFIGS.focal}#0`].sort());
  });

  it('keys runs by everything that changes their result', () => {
    const a = plan[0];
    expect(runKey(a)).toBe(runKey({ ...a }));
    expect(runKey(a)).not.toBe(runKey({ ...a, seed: 7 }));
    expect(runKey(a)).not.toBe(runKey({ ...a, budget: { ...budget, steps: budget.steps + 1 } }));
    expect(runKey(a)).not.toBe(runKey({ ...a, budget: { ...budget, evalImages: 5 } }));
    expect(runKey(a)).not.toBe(runKey({ ...a, budget: { ...budget, evalSplit: 'val' } }));
    expect(runKey(a)).not.toBe(runKey({ ...a, budget: { ...budget, warmStart: 'w.bin' } }));
  });

  it('fits each plan of the published study within 90 minutes with 2 jobs, with at least 5 seeds', () => {
    for (const id of ['default', 'prior', 'grid', 'sweep'] as const) {
      const { seeds, evalSplit } = planProtocol(id);
      expect(seeds.length, id).toBeGreaterThanOrEqual(5);
      expect(evalSplit, id).toBe('test');
      const seconds = estimatePlanSeconds(planRuns(planConfigs(id), seeds, budget), 2);
      expect(seconds, id).toBeLessThanOrEqual(90 * 60);
    }
    expect(planProtocol('quick').evalSplit).toBe('val');
  });

  it('halves the estimate of equal runs with two jobs', () => {
    const same = planRuns([configs[1]], [0, 1, 2, 3], budget);
    const one = estimateRunSeconds(same[0]);
    expectClose(estimatePlanSeconds(same, 1), 4 * one);
    expectClose(estimatePlanSeconds(same, 2), 2 * one);
  });
});

describe('summarise', () => {
  it('computes the mean and the sample standard deviation (n − 1)', () => {
    const s = summarise([1, 2, 3, 4]);
    expectClose(s.mean, 2.5);
    expectClose(s.std, Math.sqrt(5 / 3));
    expect([s.min, s.max, s.n]).toEqual([1, 4, 4]);
  });

  it('gives std 0 for one value and NaN for none', () => {
    expect(summarise([0.6])).toEqual({ mean: 0.6, std: 0, min: 0.6, max: 0.6, n: 1 });
    expect(Number.isNaN(summarise([]).mean)).toBe(true);
    expect(summarise([]).n).toBe(0);
  });

  it('formats mean ± std in percent', () => {
    expect(formatMeanStd(0.606, 0.014, 3)).toBe('60.6 ± 1.4');
    expect(formatMeanStd(0.5, 0, 1)).toBe('50.0');
    expect(formatMeanStd(NaN, NaN, 0)).toBe('—');
  });
});

describe('aggregateResults', () => {
  const runs = [fakeRun('fl-g2', 1, 0.5), fakeRun('fl-g2', 0, 0.6), fakeRun('ce', 0, 0.4)];
  const rows = aggregateResults(configs, runs, [{ name: 'ce', seed: 1, error: 'boom' }]);

  it('returns one row per configuration, in study order, runs or not', () => {
    expect(rows.map((r) => r.name)).toEqual(configs.map((c) => c.name));
  });

  it('lists per-seed metrics in seed order with their mean and std', () => {
    const fl = rows.find((r) => r.name === 'fl-g2')!;
    expect(fl.seeds).toEqual([0, 1]);
    expect(fl.ap).toEqual([0.6, 0.5]);
    expectClose(fl.ap_mean, 0.55);
    expectClose(fl.ap_std, Math.sqrt(0.005));
    expectClose(fl.ap75_mean, 0.275);
    expectClose(fl.ms_per_step, 150.5);
  });

  it('reports failed seeds instead of hiding them', () => {
    const ce = rows.find((r) => r.name === 'ce')!;
    expect(ce.seeds).toEqual([0]);
    expect(ce.failed_seeds).toEqual([1]);
    expect(markdownTable(rows)).toContain('CE (failed: 1)');
  });

  it('puts every configuration in the Markdown table', () => {
    expect(markdownTable(rows).split('\n')).toHaveLength(configs.length + 2);
  });
});

describe('summariseSweep', () => {
  it('picks the γ with the highest mean AP per level and reports its fg:bg ratio', () => {
    const runs = [
      fakeRun('objects3-ce-a0.25', 0, 0.5, { fg_per_image: 22, bg_per_image: 2960 }),
      fakeRun('objects3-fl-g0.5', 0, 0.58, { fg_per_image: 22, bg_per_image: 2960 }),
      fakeRun('objects3-fl-g1', 0, 0.55, { fg_per_image: 22, bg_per_image: 2960 }),
      fakeRun('objects3-fl-g2', 0, 0.4, { fg_per_image: 22, bg_per_image: 2960 }),
      fakeRun('fl-g1', 0, 0.6),
    ];
    const levels = summariseSweep(aggregateResults(configs, runs));
    const o3 = levels.find((l) => l.id === 'objects3')!;
    expect(o3.best_gamma).toBe(0.5);
    expectClose(o3.bg_per_fg, 2960 / 22);
    expect(o3.points.map((p) => p.gamma)).toEqual(SWEEP_GAMMAS);
    expect(levels.find((l) => l.id === 'default')!.best_gamma).toBe(1);
    expect(levels.find((l) => l.id === 'ratios3')!.best_gamma).toBeNull();
    expect(markdownSweepTable(levels).split('\n')).toHaveLength(IMBALANCE_LEVELS.length + 2);
  });
});

describe('selectConfigs', () => {
  it('selects by exact name or prefix and reports unknown patterns', () => {
    const r = selectConfigs(configs, ['fl-g2', 'objects3-*', 'nope']);
    expect(r.selected.map((c) => c.name)).toEqual([
      'fl-g2',
      'objects3-ce-a0.25',
      'objects3-fl-g0.5',
      'objects3-fl-g1',
      'objects3-fl-g2',
    ]);
    expect(r.unknown).toEqual(['nope']);
    expect(selectConfigs(configs, null).selected).toHaveLength(configs.length);
  });
});

describe('the protocol: train, validation, test and pretext images', () => {
  it('never share an image: their (dataset, split, index) ranges are disjoint by construction', () => {
    const sets = [
      heldOutRange('val', MAX_EVAL_IMAGES),
      heldOutRange('test', MAX_EVAL_IMAGES),
      pretextRange(10_000_000),
      ...[0, 1, 2, 3, 4, MAX_STUDY_SEED].map((s) => trainRange(s, 100_000, 64)),
    ];
    sets.forEach((a, i) =>
      sets.forEach((b, j) => i === j || expect(rangesOverlap(a, b), `${i} vs ${j}`).toBe(false)),
    );
    expect(rangesOverlap(heldOutRange('val', 10), { ...heldOutRange('val', 10), start: 9 })).toBe(true);
    expect(() => trainRange(MAX_STUDY_SEED + 1, 1, 1)).toThrow(RangeError);
    expect(() => heldOutRange('val', MAX_EVAL_IMAGES + 1)).toThrow(RangeError);
  });

  it('never hash two images of different sets to the same generator seed (the default study)', () => {
    const { steps, batch, evalImages } = ABLATION_BUDGET;
    const held = new Set<number>([
      ...rangeImageSeeds(heldOutRange('val', evalImages)),
      ...rangeImageSeeds(heldOutRange('test', evalImages)),
    ]);
    expect(held.size).toBe(2 * evalImages);
    const pretext = rangeImageSeeds(pretextRange(2000 * 16));
    for (const s of pretext) expect(held.has(s)).toBe(false);
    const pretextSet = new Set(pretext);
    for (const seed of ABLATION_SEEDS) {
      for (const s of rangeImageSeeds(trainRange(seed, steps, batch))) {
        if (held.has(s) || pretextSet.has(s)) throw new Error(`seed ${seed}: training image collides (${s})`);
      }
    }
  });

  it('summarises the split sizes and calls them disjoint', () => {
    const split = summariseSplit({
      seeds: ABLATION_SEEDS,
      steps: 700,
      batch: 16,
      evalImages: 500,
      resultsOn: 'test',
      pretextImages: 32_000,
    });
    expect(split.train.images_per_run).toBe(11_200);
    expect([split.val.images, split.test.images, split.pretext?.images]).toEqual([500, 500, 32_000]);
    expect(split.disjoint).toBe(true);
  });
});

describe('the γ × α grid (Table 1b analogue)', () => {
  it('has every γ in {0, 0.5, 1, 2, 5} with every α in {0.25, 0.5, 0.75}, reusing the main runs', () => {
    expect(GRID_GAMMAS).toEqual([0, 0.5, 1, 2, 5]);
    expect(GRID_ALPHAS).toEqual([0.25, 0.5, 0.75]);
    const cells = gridConfigs();
    expect(new Set(cells.map((c) => c.name)).size).toBe(15);
    expect(gridConfig(2, 0.25).name).toBe('fl-g2');
    expect(gridConfig(0, 0.75).name).toBe('ce-a0.75');
    expect(gridConfig(0, 0.5)).toMatchObject({ loss: 'ce', alpha: 0.5, group: 'grid' });
    expect(gridConfig(5, 0.5)).toMatchObject({ loss: 'focal', gamma: 5, alpha: 0.5, prior: 0.01 });
    expect(new Set(allConfigs().map((c) => c.name)).size).toBe(allConfigs().length);
  });

  it('summarises the grid and the best α per γ', () => {
    const all = allConfigs();
    const runs = gridConfigs().flatMap((c) =>
      [0, 1].map((seed) => ({
        ...fakeRun('ce', seed, 0.1 * c.gamma + (c.alpha === 0.5 ? 0.05 : 0)),
        name: c.name,
      })),
    );
    const grid = summariseGrid(aggregateResults(all, runs));
    expect(grid.cells).toHaveLength(15);
    expect(grid.cells.every((c) => c.n === 2)).toBe(true);
    expect(grid.best_alpha.map((b) => b.alpha)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
  });
});

describe('paired differences in the rows', () => {
  it('pairs every default-level row with plain CE, the α-balanced CEs, 1:3 sampling and OHEM, by seed', () => {
    expect(pairedBaselines({ imbalance: 'default' })).toEqual([
      'ce',
      'ce-a0.25',
      'ce-a0.75',
      'ce-sampled',
      'ce-ohem',
    ]);
    const runs = [
      ...[0, 1, 2].map((s) => fakeRun('ce', s, 0.4 + 0.01 * s)),
      ...[0, 1, 2].map((s) => fakeRun('fl-g2', s, 0.45 + 0.02 * s)),
    ];
    const rows = withPairedDifferences(aggregateResults(configs, runs));
    const fl = rows.find((r) => r.name === 'fl-g2')!;
    expect(Object.keys(fl.paired!)).toEqual(['ce']);
    expectClose(fl.paired!.ce.diffs, [0.05, 0.06, 0.07]);
    expectClose(fl.paired!.ce.mean, 0.06);
    expect(fl.paired!.ce.seeds).toEqual([0, 1, 2]);
    expect(rows.find((r) => r.name === 'ce')!.paired).toEqual({});
  });
});
