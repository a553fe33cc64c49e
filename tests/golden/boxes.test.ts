/**
 * Golden tests for lib/detector/{boxes,assign}.ts against torchvision 0.14 (float64) values.
 * Reads every *.json in BOXES_GOLDEN_DIR (default tests/golden/data/boxes); each case's `fn` selects
 * the check: box_iou, nms, box_coder, matcher. Tolerance (from `about`): compared in float32,
 * |got − want| ≤ 1e-4 + 1e-4·|want|; indices (nms, matcher) must match exactly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assignAnchors } from '../../lib/detector/assign';
import { boxIou, decodeBoxes, encodeBoxes, nms, type BoxCoderWeights } from '../../lib/detector/boxes';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const dir = process.env.BOXES_GOLDEN_DIR ?? path.resolve(repoRoot, 'tests/golden/data/boxes');

/** Indices of the entries outside |got − want| ≤ 1e-4 + 1e-4·|want|, both rounded to float32. */
function mismatches(got: ArrayLike<number>, want: number[]): string[] {
  if (got.length !== want.length) return [`length ${got.length} ≠ ${want.length}`];
  const bad: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const g = Math.fround(got[i]);
    const w = Math.fround(want[i]);
    if (!(Math.abs(g - w) <= 1e-4 + 1e-4 * Math.abs(w))) bad.push(`[${i}] got ${got[i]}, want ${want[i]}`);
  }
  return bad;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Case = Record<string, any> & { name: string; fn?: string };

const checks: Record<string, (c: Case) => void> = {
  box_iou(c) {
    expect(mismatches(boxIou(c.a, c.b), c.iou.flat())).toEqual([]);
  },
  nms(c) {
    expect(Array.from(nms(c.boxes, c.scores, c.iou_threshold))).toEqual(c.keep);
  },
  box_coder(c) {
    const weights = c.weights as BoxCoderWeights;
    expect(mismatches(encodeBoxes(c.gt, c.anchors, weights), c.encoded.flat())).toEqual([]);
    expect(mismatches(decodeBoxes(c.deltas, c.anchors, weights), c.decoded.flat())).toEqual([]);
  },
  matcher(c) {
    const matched = assignAnchors(c.anchors, c.gt, {
      fgIou: c.fg_iou,
      bgIou: c.bg_iou,
      allowLowQualityMatches: c.allow_low_quality_matches,
    });
    expect(Array.from(matched)).toEqual(c.matched);
  },
};

const files = fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];

describe(`box golden data in ${dir}`, () => {
  it('has at least one *.json file', () => {
    expect(files, `no *.json golden files in ${dir}`).not.toEqual([]);
  });

  for (const file of files) {
    const data = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
      about?: string;
      cases?: Case[];
    };
    describe(file, () => {
      it('has a non-empty list of cases', () => {
        expect(Array.isArray(data.cases) && data.cases.length > 0, `${file} has no cases`).toBe(true);
      });
      for (const c of data.cases ?? []) {
        it(`${c.name} (${c.fn}) matches torchvision`, () => {
          const check = c.fn === undefined ? undefined : checks[c.fn];
          if (!check) {
            expect.fail(
              `${file} case ${c.name}: unknown fn ${JSON.stringify(c.fn)} (known: ${Object.keys(checks).join(', ')})`,
            );
          }
          check(c);
        });
      }
    });
  }
});
