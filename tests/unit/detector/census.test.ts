/**
 * The anchor census: counts of foreground / ignored / background anchors agree with the matcher and with the
 * trainer's targets, per level and per image.
 */
import { describe, expect, it } from 'vitest';
import { generateAnchors } from '../../../lib/detector/anchors';
import { assignAnchors, buildTargets } from '../../../lib/detector/assign';
import {
  anchorCensus,
  countAssignments,
  PAPER_ASSIGN,
  TOY_TRAINER_ASSIGN,
} from '../../../lib/detector/census';
import { resolveTrainConfig } from '../../../lib/detector/trainConfig';
import { makeImage, NUM_CLASSES } from '../../../lib/data/synthetic';

describe('countAssignments', () => {
  it('counts gt indices as foreground, −2 as ignored and −1 as background', () => {
    const c = countAssignments([0, 1, -1, -2, -1, -2, 3]);
    expect(c.all).toEqual({ anchors: 7, foreground: 3, ignored: 2, background: 2 });
    expect(c.perLevel).toEqual([]);
  });

  it('splits the counts by pyramid level, and the levels add up to the total', () => {
    const set = generateAnchors({ imageSize: 64 });
    const s = makeImage(0, 3, { objectsPerImage: [2, 2] });
    const matched = assignAnchors(set.boxes, s.boxes);
    const { all, perLevel } = countAssignments(matched, set.perLevel);
    expect(perLevel).toHaveLength(3);
    for (const key of ['anchors', 'foreground', 'ignored', 'background'] as const) {
      expect(perLevel.reduce((a, c) => a + c[key], 0)).toBe(all[key]);
    }
    perLevel.forEach((c, l) => expect(c.anchors).toBe(set.perLevel[l].count));
    expect(all.foreground).toBeGreaterThan(0);
  });

  it('refuses a level layout that does not tile the anchors', () => {
    expect(() => countAssignments([0, -1, -1], [{ offset: 0, count: 2 }])).toThrow(RangeError);
    expect(() => countAssignments([0, -1], [{ offset: 1, count: 1 }])).toThrow(RangeError);
  });
});

describe('the matcher presets', () => {
  it("TOY_TRAINER_ASSIGN is the toy trainer's default matcher", () => {
    expect(resolveTrainConfig({}).assign).toEqual(TOY_TRAINER_ASSIGN);
  });

  it("PAPER_ASSIGN is the paper's rule: 0.5 / 0.4 without low-quality matches", () => {
    expect(PAPER_ASSIGN).toMatchObject({ fgIou: 0.5, bgIou: 0.4, allowLowQualityMatches: false });
  });
});

describe('anchorCensus', () => {
  it("reports N = 3,024 anchors, A = 9 and K = 3 for the toy detector's defaults", () => {
    const c = anchorCensus({ images: 4 });
    expect(c.numAnchors).toBe(3024);
    expect(c.anchorsPerLocation).toBe(9);
    expect(c.numClasses).toBe(NUM_CLASSES);
    expect(c.perImage).toHaveLength(4);
  });

  it('counts per image exactly what buildTargets gives the trainer (numFg, valid)', () => {
    const images = 8;
    const c = anchorCensus({ images, seed: 5, data: { objectsPerImage: [2, 2] } });
    const set = generateAnchors({ imageSize: 64 });
    for (let i = 0; i < images; i++) {
      const s = makeImage(5, i, { objectsPerImage: [2, 2] });
      const t = buildTargets(set.boxes, s.boxes, s.labels, NUM_CLASSES, TOY_TRAINER_ASSIGN);
      const valid = t.valid.reduce((a, v) => a + v, 0);
      expect(c.perImage[i].foreground).toBe(t.numFg);
      expect(c.perImage[i].foreground + c.perImage[i].background).toBe(valid);
      expect(c.perImage[i].anchors).toBe(3024);
    }
    const meanFg = c.perImage.reduce((a, p) => a + p.foreground, 0) / images;
    expect(c.mean.foreground).toBeCloseTo(meanFg, 12);
    expect(c.minForeground).toBeLessThanOrEqual(c.mean.foreground);
    expect(c.maxForeground).toBeGreaterThanOrEqual(c.mean.foreground);
  });

  it('finds far more background than foreground anchors (the imbalance of §1)', () => {
    const c = anchorCensus({ images: 16 });
    expect(c.mean.background / c.mean.foreground).toBeGreaterThan(100);
  });

  it('never has fewer foreground anchors with low-quality matches than without', () => {
    const a = anchorCensus({ images: 16, assign: PAPER_ASSIGN });
    const b = anchorCensus({ images: 16, assign: TOY_TRAINER_ASSIGN });
    a.perImage.forEach((c, i) => expect(b.perImage[i].foreground).toBeGreaterThanOrEqual(c.foreground));
  });

  it('rejects a non-integer or non-positive number of images', () => {
    expect(() => anchorCensus({ images: 0 })).toThrow(RangeError);
    expect(() => anchorCensus({ images: 1.5 })).toThrow(RangeError);
  });
});
