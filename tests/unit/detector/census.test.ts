/**
 * The anchor census: counts of foreground / ignored / background anchors agree with the matcher and with the
 * trainer's targets, per level and per image.
 */
import { describe, expect, it } from 'vitest';
import { anchorsOfLevel, generateAnchors } from '../../../lib/detector/anchors';
import { boxIou } from '../../../lib/detector/boxes';
import { assignAnchors, buildTargets } from '../../../lib/detector/assign';
import {
  anchorCensus,
  bestAnchor,
  bestIouPerAnchor,
  countAssignments,
  imageCensus,
  objectCoverage,
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

describe('one image, as the anchor explorer shows it', () => {
  const sample = makeImage(3, 1, { objectsPerImage: [3, 3] });
  const set = generateAnchors({ imageSize: sample.width });
  const G = sample.labels.length;
  const N = set.numAnchors;
  const iou = boxIou(sample.boxes, set.boxes);

  it('imageCensus counts exactly what assignAnchors returns, per level and per object', () => {
    const c = imageCensus(set, sample.boxes, iou, PAPER_ASSIGN);
    const matched = assignAnchors(set.boxes, sample.boxes, PAPER_ASSIGN);
    expect(Array.from(c.matched)).toEqual(Array.from(matched));
    expect(c.counts).toEqual(countAssignments(matched, set.perLevel));
    expect(c.perObject.map((o) => o.foreground)).toEqual(
      Array.from({ length: G }, (_, g) => matched.filter((m) => m === g).length),
    );
    expect(c.perObject.reduce((t, o) => t + o.foreground, 0)).toBe(c.counts.all.foreground);
  });

  it('gives each object its best IoU with any anchor, and each anchor its best IoU with any object', () => {
    const best = bestIouPerAnchor(iou, G, N);
    const cover = objectCoverage(assignAnchors(set.boxes, sample.boxes), iou, G);
    for (let g = 0; g < G; g++) expect(cover[g].bestIou).toBe(Math.max(...iou.subarray(g * N, (g + 1) * N)));
    for (const n of [0, 100, 2000, N - 1])
      expect(best[n]).toBe(Math.max(...Array.from({ length: G }, (_, g) => iou[g * N + n])));
    expect(Math.max(...best)).toBe(Math.max(...cover.map((o) => o.bestIou)));
    expect(Array.from(bestIouPerAnchor(new Float64Array(0), 0, 5))).toEqual([0, 0, 0, 0, 0]);
  });

  it('bestAnchor picks the highest best IoU, the first of a tie, and −1 from nothing', () => {
    expect(bestAnchor([0.1, 0.7, 0.7, 0.2], [0, 1, 2, 3])).toBe(1);
    expect(bestAnchor([0.1, 0.7, 0.7, 0.2], [2, 1])).toBe(2);
    expect(bestAnchor([0.1, 0.7], [])).toBe(-1);
    const best = bestIouPerAnchor(iou, G, N);
    const lv = set.perLevel[1];
    const n = bestAnchor(best, anchorsOfLevel(lv, set.anchorsPerLocation));
    expect(n).toBeGreaterThanOrEqual(lv.offset);
    expect(n).toBeLessThan(lv.offset + lv.count);
    for (let k = lv.offset; k < lv.offset + lv.count; k++) expect(best[k]).toBeLessThanOrEqual(best[n]);
  });

  it('anchorsOfLevel keeps the templates asked for, in index order', () => {
    const lv = set.perLevel[2];
    const A = set.anchorsPerLocation;
    expect(anchorsOfLevel(lv, A)).toHaveLength(lv.count);
    const only4 = anchorsOfLevel(lv, A, (a) => a === 4);
    expect(only4).toHaveLength(lv.count / A);
    expect(only4.every((k, i) => k === lv.offset + i * A + 4)).toBe(true);
  });
});
