import { describe, expect, it } from 'vitest';
import {
  anchorIndexAt,
  cellMaxScores,
  cellOnLevel,
  centreCell,
  chooseAnchor,
  locationAt,
  moveCell,
  nearestBox,
  templateAt,
} from '@/components/playground/views/anchorGrid';
import { anchorLocation, generateAnchors } from '@/lib/detector/anchors';
import { iou } from '@/lib/detector/iou';
import { layout } from './fixtures';

// The fixture: a 64×64 image, level 0 stride 8 (8×8 cells), level 1 stride 16 (4×4 cells), A = 3 (ratios 0.5, 1, 2).
const lay = layout();

describe('anchorIndexAt', () => {
  it('counts level offset, then rows, columns and templates', () => {
    expect(anchorIndexAt(lay, 0, 0, 0, 0)).toBe(0);
    expect(anchorIndexAt(lay, 0, 0, 1, 0)).toBe(3);
    expect(anchorIndexAt(lay, 0, 1, 0, 2)).toBe(8 * 3 + 2);
    expect(anchorIndexAt(lay, 1, 2, 3, 1)).toBe(8 * 8 * 3 + (2 * 4 + 3) * 3 + 1);
  });

  it('is the inverse of lib/detector anchorLocation for every anchor', () => {
    const set = generateAnchors({ imageSize: 64, strides: [8, 16], baseSizes: [16, 32], scales: [1] });
    for (let i = 0; i < set.numAnchors; i++) {
      const { level, y, x, a } = anchorLocation(set, i);
      expect(anchorIndexAt(lay, level, y, x, a)).toBe(i);
    }
  });

  it('returns −1 off the grid', () => {
    expect(anchorIndexAt(lay, 0, 8, 0, 0)).toBe(-1);
    expect(anchorIndexAt(lay, 0, 0, -1, 0)).toBe(-1);
    expect(anchorIndexAt(lay, 0, 0, 0, 3)).toBe(-1);
    expect(anchorIndexAt(lay, 2, 0, 0, 0)).toBe(-1);
  });
});

describe('locationAt', () => {
  it('maps an image pixel to the cell that covers it', () => {
    expect(locationAt(lay, 0, 17.5, 63)).toEqual({ level: 0, y: 7, x: 2 });
    expect(locationAt(lay, 1, 17.5, 63)).toEqual({ level: 1, y: 3, x: 1 });
  });

  it('snaps points outside the image to the edge cells', () => {
    expect(locationAt(lay, 0, -4, 100)).toEqual({ level: 0, y: 7, x: 0 });
  });
});

describe('templateAt and chooseAnchor', () => {
  const gt = Float32Array.from([0, 0, 16, 32]); // a tall box (h/w = 2) centred at (8, 16)

  it('picks the template with the highest IoU to the nearest ground-truth box', () => {
    const cell = { level: 1, y: 0, x: 0 }; // stride 16, centre (8, 8); templates 32 px: ratios 0.5, 1, 2
    const a = templateAt(lay, cell, gt);
    const ious = [0, 1, 2].map((t) => {
      const k = anchorIndexAt(lay, 1, 0, 0, t);
      return iou(lay.boxes.subarray(4 * k, 4 * k + 4), gt);
    });
    expect(a).toBe(ious.indexOf(Math.max(...ious)));
    expect(lay.templates[a].aspectRatio).toBe(2);
    expect(chooseAnchor(lay, cell, gt)).toBe(anchorIndexAt(lay, 1, 0, 0, a));
  });

  it('falls back to the middle template without ground truth', () => {
    expect(templateAt(lay, { level: 0, y: 3, x: 3 }, new Float32Array(0))).toBe(1);
  });

  it('falls back to the middle template when no anchor of the cell overlaps the nearest box', () => {
    expect(templateAt(lay, { level: 0, y: 7, x: 7 }, gt)).toBe(1);
  });

  it('uses the nearest box by centre distance', () => {
    const two = Float32Array.from([0, 0, 10, 10, 50, 50, 60, 60]);
    expect(nearestBox(two, 52, 58)).toBe(1);
    expect(nearestBox(two, 1, 1)).toBe(0);
    expect(nearestBox(new Float32Array(0), 1, 1)).toBe(-1);
  });
});

describe('moveCell (the keyboard handler of the sample view)', () => {
  const c = { level: 0, y: 3, x: 3 };
  it('moves one cell per arrow key and clamps at the edges', () => {
    expect(moveCell(lay, c, 'ArrowRight')).toEqual({ level: 0, y: 3, x: 4 });
    expect(moveCell(lay, c, 'ArrowUp')).toEqual({ level: 0, y: 2, x: 3 });
    expect(moveCell(lay, { level: 0, y: 0, x: 0 }, 'ArrowLeft')).toEqual({ level: 0, y: 0, x: 0 });
    expect(moveCell(lay, { level: 1, y: 3, x: 3 }, 'ArrowDown')).toEqual({ level: 1, y: 3, x: 3 });
  });
  it('jumps with Home, End, PageUp and PageDown', () => {
    expect(moveCell(lay, c, 'End')).toEqual({ level: 0, y: 3, x: 7 });
    expect(moveCell(lay, c, 'PageDown')).toEqual({ level: 0, y: 7, x: 3 });
  });
  it('ignores other keys', () => {
    expect(moveCell(lay, c, 'a')).toBeNull();
  });
  it('gives the anchor index a keyboard walk ends on', () => {
    let cell = centreCell(lay, 0)!;
    for (const k of ['ArrowRight', 'ArrowRight', 'ArrowDown']) cell = moveCell(lay, cell, k)!;
    expect(cell).toEqual({ level: 0, y: 4, x: 5 });
    expect(chooseAnchor(lay, cell, new Float32Array(0))).toBe((4 * 8 + 5) * 3 + 1);
  });
  it('keeps the focus over the same pixels when the level changes', () => {
    expect(cellOnLevel(lay, { level: 0, y: 5, x: 2 }, 1)).toEqual({ level: 1, y: 2, x: 1 });
  });
});

describe('cellMaxScores', () => {
  it('passes max-mode arrays through and reduces full-mode arrays over A·K', () => {
    const max = new Float32Array(16).fill(0.2);
    expect(cellMaxScores(lay, 1, max)).toBe(max);
    const full = new Float32Array(16 * 3 * 3);
    full[5 * 9 + 7] = 0.8;
    const r = cellMaxScores(lay, 1, full)!;
    expect(r[5]).toBeCloseTo(0.8, 6);
    expect(r[4]).toBe(0);
    expect(cellMaxScores(lay, 1, new Float32Array(5))).toBeNull();
  });
});
