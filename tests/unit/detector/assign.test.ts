import { describe, expect, it } from 'vitest';
import { generateAnchors } from '../../../lib/detector/anchors';
import {
  BELOW_LOW_THRESHOLD,
  BETWEEN_THRESHOLDS,
  assignAnchors,
  buildTargets,
  createAssignWorkspace,
} from '../../../lib/detector/assign';
import { encodeBoxes } from '../../../lib/detector/boxes';

const FG0 = 0;
const BG = BELOW_LOW_THRESHOLD;
const IGN = BETWEEN_THRESHOLDS;

describe('assignAnchors on a hand-drawn case (gt = the 10×10 square at the origin)', () => {
  const gt = [[0, 0, 10, 10]];
  // IoU with the gt of each anchor is its height / 10 (same width, top-aligned).
  const anchors = [
    [0, 0, 10, 10], // IoU 1
    [0, 0, 10, 5], // IoU 0.5 exactly: foreground (≥ fgIou)
    [0, 0, 10, 4.5], // IoU 0.45: ignored
    [0, 0, 10, 4], // IoU 0.4 exactly: ignored (not < bgIou)
    [0, 0, 10, 2], // IoU 0.2: background
    [30, 30, 40, 40], // IoU 0: background
  ];

  it('marks IoU ≥ 0.5 foreground, [0.4, 0.5) ignored and < 0.4 background (paper §4)', () => {
    expect(Array.from(assignAnchors(anchors, gt))).toEqual([FG0, FG0, IGN, IGN, BG, BG]);
  });

  it('follows custom thresholds', () => {
    expect(Array.from(assignAnchors(anchors, gt, { fgIou: 0.3, bgIou: 0.3 }))).toEqual([0, 0, 0, 0, BG, BG]);
  });

  it('makes every anchor background when the image has no objects', () => {
    expect(Array.from(assignAnchors(anchors, []))).toEqual([BG, BG, BG, BG, BG, BG]);
  });

  it('refuses a background threshold above the foreground one', () => {
    expect(() => assignAnchors(anchors, gt, { fgIou: 0.4, bgIou: 0.5 })).toThrow(/bgIou/);
  });
});

describe('assignAnchors with several objects', () => {
  it('gives an anchor to the gt it overlaps most', () => {
    const gts = [
      [0, 0, 10, 10],
      [0, 0, 10, 8],
    ];
    // IoU with gt0: 0.9; with gt1: 0.8/0.9 ≈ 0.889.
    expect(Array.from(assignAnchors([[0, 0, 10, 9]], gts))).toEqual([0]);
    expect(Array.from(assignAnchors([[0, 0, 10, 7.9]], gts))).toEqual([1]);
  });

  it('breaks exact IoU ties towards the lower gt index, like torch.max', () => {
    const gts = [
      [0, 0, 10, 10],
      [0, 0, 10, 10],
    ];
    expect(Array.from(assignAnchors([[0, 0, 10, 10]], gts))).toEqual([0]);
  });
});

describe('assignAnchors with low-quality matches (torchvision set_low_quality_matches_)', () => {
  // gt0 is matched well by anchor Y; gt1's best anchor is X, but X overlaps gt0 more than gt1.
  const X = [0, 0, 10, 10];
  const Y = [0, 0, 10, 3.5];
  const Z = [50, 50, 60, 60];
  const gts = [
    [0, 0, 10, 3.5], // gt0: IoU(X) = 0.35, IoU(Y) = 1
    [0, 0, 3, 10], // gt1: IoU(X) = 0.3, IoU(Y) ≈ 0.19
  ];

  it('leaves a gt without any anchor ≥ 0.5 unmatched when they are off', () => {
    expect(Array.from(assignAnchors([X, Y, Z], gts))).toEqual([BG, 0, BG]);
  });

  it('restores the original argmax (gt0, not gt1) of the anchor that is gt1’s best', () => {
    expect(Array.from(assignAnchors([X, Y, Z], gts, { allowLowQualityMatches: true }))).toEqual([0, 0, BG]);
  });

  it('gives every anchor tied at a gt’s best IoU back its match', () => {
    const twins = [
      [0, 0, 10, 3],
      [0, 7, 10, 10],
    ];
    // Both anchors have IoU 0.3 with the one gt.
    const low = assignAnchors(twins, [[0, 0, 10, 10]], { allowLowQualityMatches: true });
    expect(Array.from(low)).toEqual([0, 0]);
  });

  it('reproduces torchvision’s quirk for a gt that overlaps no anchor, unless asked to skip it', () => {
    const anchors = [
      [0, 0, 10, 10],
      [20, 0, 30, 10],
    ];
    const gtsFar = [
      [0, 0, 10, 10],
      [100, 100, 110, 110], // IoU 0 with every anchor: its "best" IoU is 0
    ];
    // Every anchor with IoU 0 to gt1 is restored to its argmax, which is gt0 (index 0 on a 0–0 tie).
    expect(Array.from(assignAnchors(anchors, gtsFar, { allowLowQualityMatches: true }))).toEqual([0, 0]);
    const skipped = assignAnchors(anchors, gtsFar, {
      allowLowQualityMatches: true,
      lowQualitySkipZeroIou: true,
    });
    expect(Array.from(skipped)).toEqual([0, BG]);
  });
});

describe('buildTargets', () => {
  const anchors = [
    [0, 0, 10, 10],
    [0, 0, 10, 4.5],
    [0, 0, 10, 2],
    [20, 20, 30, 30],
    [21, 20, 31, 30],
  ];
  const gts = [
    [0, 0, 10, 10],
    [20, 20, 30, 30],
  ];
  const t = buildTargets(anchors, gts, [2, 0], 3);

  it('one-hot encodes the matched gt’s class for foreground anchors only', () => {
    expect(Array.from(t.clsTargets)).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0]);
    expect(Array.from(t.fgMask)).toEqual([1, 0, 0, 1, 1]);
    expect(t.numFg).toBe(3);
  });

  it('marks ignored anchors invalid and keeps background anchors valid', () => {
    expect(Array.from(t.matched)).toEqual([0, IGN, BG, 1, 1]);
    expect(Array.from(t.valid)).toEqual([1, 0, 1, 1, 1]);
  });

  it('regresses foreground anchors to their gt and leaves the rest at zero', () => {
    const want = encodeBoxes([gts[0], gts[1], gts[1]], [anchors[0], anchors[3], anchors[4]]);
    const got = [0, 3, 4].flatMap((n) => Array.from(t.boxTargets.subarray(4 * n, 4 * n + 4)));
    expect(got).toEqual(Array.from(want));
    expect(got[8]).toBeCloseTo(-0.1, 6);
    expect(Array.from(t.boxTargets.subarray(4, 12))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('gives an empty image all-valid, all-zero background targets', () => {
    const empty = buildTargets(anchors, [], [], 3);
    expect(empty.numFg).toBe(0);
    expect(Array.from(empty.valid)).toEqual([1, 1, 1, 1, 1]);
    expect(empty.clsTargets.every((v) => v === 0)).toBe(true);
  });

  it('rejects labels outside [0, K) and label/box count mismatches', () => {
    expect(() => buildTargets(anchors, gts, [0, 3], 3)).toThrow(/label 3/);
    expect(() => buildTargets(anchors, gts, [0], 3)).toThrow(/labels/);
  });

  it('finds the exact anchor for a 16-px object centred on a stride-8 cell of the default 64×64 set', () => {
    const set = generateAnchors({ imageSize: 64 });
    const targets = buildTargets(set.boxes, [[4, 4, 20, 20]], [0], 1);
    // Level 1 offset 2304, cell (y=1, x=1) of the 8×8 map, anchor a = 3 (ratio 1, scale 1).
    const exact = 2304 + (1 * 8 + 1) * 9 + 3;
    expect(targets.fgMask[exact]).toBe(1);
    expect(Array.from(targets.boxTargets.subarray(4 * exact, 4 * exact + 4))).toEqual([0, 0, 0, 0]);
  });
});

describe('a matching workspace (createAssignWorkspace)', () => {
  const set = generateAnchors({ imageSize: 64 });
  const K = 3;
  const images: { boxes: number[][]; labels: number[] }[] = [
    { boxes: [[4, 4, 20, 20]], labels: [0] },
    { boxes: [], labels: [] },
    {
      boxes: [
        [10, 12, 40, 30],
        [30, 2, 62, 50],
        [0, 40, 24, 63],
        [33, 33, 40, 40],
      ],
      labels: [2, 1, 0, 1],
    },
    { boxes: [[1, 1, 63, 63]], labels: [1] },
  ];

  it('gives exactly the targets made without one, image after image, also with low-quality matches', () => {
    for (const opts of [{}, { allowLowQualityMatches: true }]) {
      const work = createAssignWorkspace(set.boxes, K);
      for (const img of images) {
        const fresh = buildTargets(set.boxes, img.boxes, img.labels, K, opts);
        const reused = buildTargets(set.boxes, img.boxes, img.labels, K, opts, work);
        for (const key of ['clsTargets', 'valid', 'fgMask', 'boxTargets', 'matched'] as const)
          expect(Array.from(reused[key]), key).toEqual(Array.from(fresh[key]));
        expect(reused.numFg).toBe(fresh.numFg);
        expect(Array.from(assignAnchors(set.boxes, img.boxes, opts, work))).toEqual(
          Array.from(assignAnchors(set.boxes, img.boxes, opts)),
        );
      }
    }
  });

  it('refuses another anchor set or class count', () => {
    const work = createAssignWorkspace(set.boxes, K);
    const other = generateAnchors({ imageSize: 32 });
    expect(() => assignAnchors(other.boxes, [[0, 0, 8, 8]], {}, work)).toThrow(/another anchor set/);
    expect(() => buildTargets(set.boxes, [[0, 0, 8, 8]], [0], 2, {}, work)).toThrow(/another anchor set/);
  });
});
