/**
 * The study's image sets (issue 11, item 2): the training streams, a validation set for every design and
 * hyper-parameter choice, a test set only for the numbers the site reports, and the warm-start pretext's images,
 * as ranges of the synthetic generator that provably share no image (tests/unit/detector/ablation.test.ts).
 */
import { imageSeed, makeBatch, type Batch, type DataOptions, type Split } from '../data/synthetic';

/**
 * A contiguous range of images of the synthetic generator: images start … start + count − 1 of `split` of
 * dataset `dataset` (lib/data/synthetic `makeImage`). An image is identified by (dataset, split, index), so two
 * ranges overlap only if they share the dataset and split and their index intervals intersect.
 */
export interface ImageRange {
  dataset: number;
  split: Split;
  start: number;
  count: number;
}

/** The held-out sets of the study: validation (every design and hyper-parameter choice) and test (reported). */
export type EvalSplit = 'val' | 'test';

/** Dataset seed of the held-out sets (the 'eval' split of dataset 0, as lib/detector/infer `makeEvalSet`). */
export const HELD_OUT_DATASET = 0;
/**
 * Dataset seed of the warm-start pretext (scripts/pretext.ts): far above any run seed the CLIs accept
 * (`MAX_STUDY_SEED`), so its 'train' stream is no run's training stream.
 */
export const PRETEXT_DATASET = 1_000_003;
/** Largest seed a study run may use: keeps every training stream below `PRETEXT_DATASET`. */
export const MAX_STUDY_SEED = 999_999;
/** First index of the test range inside the 'eval' split: past any validation set the CLIs can ask for. */
export const TEST_START = 100_000;
/** Largest held-out set the CLIs accept, so validation [0, n) never reaches `TEST_START`. */
export const MAX_EVAL_IMAGES = 50_000;

/**
 * The held-out range of a split with `count` images. Validation is indices [0, count) of the 'eval' split of
 * dataset 0 — the images the site's earlier studies reported on, so every choice already made on them counts as
 * a validation choice — and test is [TEST_START, TEST_START + count), images no earlier study looked at.
 */
export function heldOutRange(split: EvalSplit, count: number): ImageRange {
  if (!(Number.isInteger(count) && count >= 1 && count <= MAX_EVAL_IMAGES)) {
    throw new RangeError(
      `ablation: held-out size must be an integer in [1, ${MAX_EVAL_IMAGES}], got ${count}`,
    );
  }
  return { dataset: HELD_OUT_DATASET, split: 'eval', start: split === 'val' ? 0 : TEST_START, count };
}

/** The training stream of a run: images [0, steps·batch) of the 'train' split of dataset `seed`. */
export function trainRange(seed: number, steps: number, batch: number): ImageRange {
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= MAX_STUDY_SEED)) {
    throw new RangeError(`ablation: run seed must be an integer in [0, ${MAX_STUDY_SEED}], got ${seed}`);
  }
  return { dataset: seed, split: 'train', start: 0, count: steps * batch };
}

/** The pretext's images: [0, count) of the 'train' split of dataset `PRETEXT_DATASET`. */
export function pretextRange(count: number): ImageRange {
  return { dataset: PRETEXT_DATASET, split: 'train', start: 0, count };
}

/** Whether two image ranges share an image (same dataset and split, intersecting index intervals). */
export function rangesOverlap(a: ImageRange, b: ImageRange): boolean {
  return (
    a.dataset === b.dataset &&
    a.split === b.split &&
    a.start < b.start + b.count &&
    b.start < a.start + a.count
  );
}

/**
 * The 32-bit generator seeds of a range's images (lib/data/synthetic `imageSeed`): what actually decides the
 * pixels, so a test can check that distinct (dataset, split, index) triples never hash to the same image.
 */
export function rangeImageSeeds(r: ImageRange): Uint32Array {
  const out = new Uint32Array(r.count);
  for (let i = 0; i < r.count; i++) out[i] = imageSeed(r.dataset, r.start + i, r.split);
  return out;
}

/** The images of a range as one batch ([count, H, W, 3]; lib/data/synthetic `makeBatch`). */
export function makeRangeSet(r: ImageRange, data: Partial<DataOptions> = {}): Batch {
  return makeBatch(r.dataset, r.count, data, { split: r.split, startIndex: r.start });
}
