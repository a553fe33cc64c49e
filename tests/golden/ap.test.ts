/**
 * Golden tests for lib/metrics/coco.ts against the reference COCOeval (pycocotools) bbox metrics.
 * Reads every *.json in AP_GOLDEN_DIR (default tests/golden/data/ap, copied from the project's reference set); each case has images, categories,
 * ground_truth, detections and the expected ap, ap50, ap75, ar100 (no `fn`). Tolerance (from `about`):
 * |got − want| ≤ 1e-6.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cocoEvaluate, type CocoDetection, type CocoGroundTruth } from '../../lib/metrics/coco';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const dir = process.env.AP_GOLDEN_DIR ?? path.resolve(repoRoot, 'tests/golden/data/ap');
const TOL = 1e-6;
const METRICS = ['ap', 'ap50', 'ap75', 'ar100'] as const;

interface ApCase {
  name: string;
  fn?: string;
  images: number[];
  categories: number[];
  ground_truth: CocoGroundTruth[];
  detections: CocoDetection[];
  ap: number;
  ap50: number;
  ap75: number;
  ar100: number;
}

const files = fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];

describe(`AP golden data in ${dir}`, () => {
  it('has at least one *.json file', () => {
    expect(files, `no *.json golden files in ${dir}`).not.toEqual([]);
  });

  for (const file of files) {
    const data = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
      about?: string;
      cases?: ApCase[];
    };
    describe(file, () => {
      it('has a non-empty list of cases', () => {
        expect(Array.isArray(data.cases) && data.cases.length > 0, `${file} has no cases`).toBe(true);
      });
      for (const c of data.cases ?? []) {
        it(`${c.name}: AP, AP50, AP75 and AR@100 match COCOeval within ${TOL}`, () => {
          if (c.fn !== undefined)
            expect.fail(`${file} case ${c.name}: unexpected fn ${JSON.stringify(c.fn)} in AP data`);
          const got = cocoEvaluate({
            images: c.images,
            categories: c.categories,
            groundTruth: c.ground_truth,
            detections: c.detections,
          });
          for (const m of METRICS) {
            expect(typeof c[m], `${c.name} lacks ${m}`).toBe('number');
            expect(
              Math.abs(got[m] - c[m]),
              `${c.name} ${m}: got ${got[m]}, want ${c[m]}`,
            ).toBeLessThanOrEqual(TOL);
          }
        });
      }
    });
  }
});
