/**
 * content/data/reliability.json (written by `npm run reliability`, scripts/reliability.ts) has the shape the
 * calibration figure and the beyond-the-paper chapter read, follows the study's protocol (seeds, budget, test
 * split), and its stored ECEs are what lib/metrics/reliability.ts computes from its own bins.
 */
import { describe, expect, it } from 'vitest';
import raw from '../../../content/data/reliability.json';
import { ABLATION_BUDGET, ABLATION_SEEDS } from '../../../lib/detector/ablation';
import { heldOutRange } from '../../../lib/detector/splits';
import { expectedCalibrationError, RELIABILITY_BINS } from '../../../lib/metrics/reliability';
import type { ReliabilityFile } from '../../../lib/metrics/reliability';

const data = raw as ReliabilityFile;

describe('content/data/reliability.json', () => {
  it('says what it holds and how it was made, like the other data files', () => {
    for (const k of ['about', 'command', 'model'] as const) expect(data[k].length).toBeGreaterThan(20);
    expect(data.command).toMatch(/^npm run reliability/);
    expect(data.about).toMatch(/ignored/);
  });

  it('is scored on the study’s test split, with the study’s seeds and budget', () => {
    const { name, ...range } = data.split;
    expect(name).toBe('test');
    expect(range).toEqual(heldOutRange('test', range.count));
    expect(data.seeds).toEqual(ABLATION_SEEDS);
    expect(data.bins).toBe(RELIABILITY_BINS);
    expect(data.losses.map((l) => l.id)).toEqual(['ce', 'fl-g2']);
    for (const r of data.runs) {
      expect(r.steps).toBe(ABLATION_BUDGET.steps);
      expect(r.images).toBe(range.count);
    }
  });

  it('has one run per loss and seed, each with two well-formed tables', () => {
    expect(data.runs).toHaveLength(data.losses.length * data.seeds.length);
    for (const l of data.losses)
      for (const s of data.seeds)
        expect(data.runs.filter((r) => r.loss === l.id && r.seed === s)).toHaveLength(1);
    for (const r of data.runs) {
      expect(r.ap50).toBeGreaterThanOrEqual(0);
      expect(r.ap50).toBeLessThanOrEqual(1);
      for (const kind of ['anchors', 'detections'] as const) {
        const t = r[kind];
        expect(t.bins).toHaveLength(data.bins);
        t.bins.forEach((b, i) => {
          expect(Number.isInteger(b.count) && Number.isInteger(b.positives)).toBe(true);
          expect(b.positives).toBeLessThanOrEqual(b.count);
          if (b.count === 0) expect(b.meanScore).toBeNull();
          else {
            expect(b.meanScore!).toBeGreaterThanOrEqual(i / data.bins - 1e-6);
            expect(b.meanScore!).toBeLessThanOrEqual((i + 1) / data.bins + 1e-6);
          }
        });
        expect(t.ece, `${r.loss}#${r.seed} ${kind}`).toBeCloseTo(expectedCalibrationError(t.bins), 5);
      }
      // At most 100 detections per image (the paper's inference).
      expect(r.detections.bins.reduce((a, b) => a + b.count, 0)).toBeGreaterThan(0);
      expect(r.detections.bins.reduce((a, b) => a + b.count, 0)).toBeLessThanOrEqual(100 * r.images);
    }
  });
});
