import { describe, expect, it } from 'vitest';
import {
  addSample,
  binOf,
  calibrationSummary,
  createReliabilityCounts,
  expectedCalibrationError,
  reliabilityTable,
  seedMeanTable,
  signedCalibrationGap,
  type ReliabilityBin,
} from '../../../lib/metrics/reliability';

/** Seven samples worked by hand: (score, positive). */
const SAMPLES: [number, boolean][] = [
  [0.05, false],
  [0.15, true],
  [0.12, false],
  [0.85, true],
  [0.95, true],
  [0.9, false],
  [1, true],
];

function table(samples: [number, boolean][], bins = 10): ReliabilityBin[] {
  const acc = createReliabilityCounts(bins);
  for (const [s, p] of samples) addSample(acc, s, p);
  return reliabilityTable(acc);
}

describe('reliability tables', () => {
  it('put score s in bin ⌊10 s⌋, with s = 1 in the last bin and 0.9 in bin 9', () => {
    expect(binOf(0, 10)).toBe(0);
    expect(binOf(0.0999, 10)).toBe(0);
    expect(binOf(0.1, 10)).toBe(1);
    expect(binOf(0.9, 10)).toBe(9);
    expect(binOf(1, 10)).toBe(9);
    expect(() => binOf(NaN, 10)).toThrow(RangeError);
  });

  it('count, positives and mean score per bin match the hand-worked example', () => {
    const t = table(SAMPLES);
    expect(t.map((b) => b.count)).toEqual([1, 2, 0, 0, 0, 0, 0, 0, 1, 3]);
    expect(t.map((b) => b.positives)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 1, 2]);
    expect(t[0].meanScore).toBeCloseTo(0.05, 12);
    expect(t[1].meanScore).toBeCloseTo(0.135, 12);
    expect(t[2].meanScore).toBeNull();
    expect(t[8].meanScore).toBeCloseTo(0.85, 12);
    expect(t[9].meanScore).toBeCloseTo(0.95, 12);
  });

  it('ECE is the count-weighted mean |mean score − precision|: (0.05 + 0.73 + 0.15 + 0.85) / 7', () => {
    expect(expectedCalibrationError(table(SAMPLES))).toBeCloseTo(1.78 / 7, 12);
  });

  it('the signed gap is the mean score minus the positive rate: (4.02 − 4) / 7, slightly over-confident', () => {
    expect(signedCalibrationGap(table(SAMPLES))).toBeCloseTo(0.02 / 7, 12);
  });

  it('a calibrated table has ECE 0, and an empty one NaN rather than a made-up number', () => {
    const t = table([
      [0.25, true],
      [0.25, false],
      [0.25, false],
      [0.25, false],
    ]);
    expect(expectedCalibrationError(t)).toBe(0);
    expect(Number.isNaN(expectedCalibrationError(table([])))).toBe(true);
  });

  it('averages seeds per bin only over seeds with enough samples, and keeps the sparse ones apart', () => {
    const a = { seed: 0, bins: table(SAMPLES) };
    const b = {
      seed: 1,
      bins: table([
        [0.11, true],
        [0.13, true],
        [0.99, false],
      ]),
    };
    const m = seedMeanTable([a, b], 2);
    // Bin 1: both seeds have 2 samples → mean of 0.5 and 1 precision, of 0.135 and 0.12 mean score.
    expect(m[1].seedsUsed).toBe(2);
    expect(m[1].precision).toBeCloseTo(0.75, 12);
    expect(m[1].meanScore).toBeCloseTo(0.1275, 12);
    expect(m[1].count).toBe(4);
    // Bin 9: seed 0 has 3 samples, seed 1 one (sparse): only seed 0 enters the mean.
    expect(m[9].seedsUsed).toBe(1);
    expect(m[9].precision).toBeCloseTo(2 / 3, 12);
    expect(m[9].seeds.map((p) => [p.seed, p.sparse])).toEqual([
      [0, false],
      [1, true],
    ]);
    // Bin 0: seed 0 has one sample → no mean point at all.
    expect(m[0].precision).toBeNull();
    expect(m[0].seeds).toHaveLength(1);
    expect(m[4]).toMatchObject({ count: 0, seedsUsed: 0, lo: 0.4, hi: 0.5 });
  });

  it('summarises ECE over seeds as mean ± sample std', () => {
    const s = calibrationSummary([
      { seed: 0, bins: table(SAMPLES) },
      { seed: 1, bins: table(SAMPLES) },
    ]);
    expect(s.ece).toHaveLength(2);
    expect(s.eceSummary.mean).toBeCloseTo(1.78 / 7, 12);
    expect(s.eceSummary.std).toBe(0);
    expect(s.gapSummary.mean).toBeCloseTo(0.02 / 7, 12);
  });
});
