/**
 * Golden test of the focal-loss core against exact reference values (50-digit arithmetic, cross-checked with
 * torchvision.ops.sigmoid_focal_loss). Reads every *.json in $FOCAL_GOLDEN_DIR (default tests/golden/data/focal:
 * public.json, a copy of the project reference set, and extremes.json, hard-target cases at |x| up to 1e4 written
 * by extremes.py beside it). Tolerance, from the files' `about`: float32, |got − want| <= 1e-6 + 1e-4·|want| — hard-coded
 * as FOCAL_GOLDEN_TOLERANCE; the test also checks that `about` still states it, so a changed tolerance is noticed.
 * Each case runs on the CPU and the WASM backend. grad = d(reduced loss)/d(logits); for reduction 'none', of the sum.
 * Every sigmoid case whose targets are all 0 or 1 is checked a second time through the hard-target core
 * (sigmoidFocalLossBinary / sigmoidFocalLossStarBinary), with the same tolerance, once through its fused kernel
 * (lib/loss/fusedBinary.ts) and once through tfjs ops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import {
  sigmoidFocalLoss,
  sigmoidFocalLossBinary,
  sigmoidFocalLossStar,
  sigmoidFocalLossStarBinary,
  softmaxFocalLoss,
  type Reduction,
} from '../../lib/loss';
import { FUSED_LOSS_FLAG, fusedBinaryLossAvailable } from '../../lib/loss/fusedBinary';
import { expectClose, FOCAL_GOLDEN_TOLERANCE } from '../helpers/close';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const goldenDir = process.env.FOCAL_GOLDEN_DIR ?? path.resolve(repoRoot, 'tests/golden/data/focal');

interface GoldenCase {
  name: string;
  fn: string;
  alpha: number | number[] | null;
  gamma: number;
  beta?: number;
  reduction: Reduction;
  logits: number[] | number[][];
  targets?: number[];
  labels?: number[];
  loss: number | number[];
  grad: number[] | number[][];
}

interface GoldenFile {
  file: string;
  about: string;
  cases: GoldenCase[];
}

function loadGolden(): GoldenFile[] {
  const files = fs.existsSync(goldenDir)
    ? fs
        .readdirSync(goldenDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  return files.map((file) => {
    const parsed = JSON.parse(fs.readFileSync(path.join(goldenDir, file), 'utf8')) as Omit<
      GoldenFile,
      'file'
    >;
    return { file, ...parsed };
  });
}

/** The loss as a function of the logits for one case, ready for tf.grad. */
function lossFn(c: GoldenCase): (x: tf.Tensor) => tf.Tensor {
  switch (c.fn) {
    case 'sigmoid_focal_loss': {
      const t = tf.tensor(c.targets!);
      return (x) =>
        sigmoidFocalLoss(x, t, { alpha: c.alpha as number | null, gamma: c.gamma, reduction: c.reduction });
    }
    case 'sigmoid_focal_loss_star': {
      const t = tf.tensor(c.targets!);
      return (x) =>
        sigmoidFocalLossStar(x, t, {
          alpha: c.alpha as number | null,
          gamma: c.gamma,
          beta: c.beta,
          reduction: c.reduction,
        });
    }
    case 'softmax_focal_loss': {
      const labels = tf.tensor1d(c.labels!, 'int32');
      return (x) =>
        softmaxFocalLoss(x, labels, {
          alpha: c.alpha as number[] | null,
          gamma: c.gamma,
          reduction: c.reduction,
        });
    }
    default:
      throw new Error(
        `unknown golden fn '${c.fn}' in case '${c.name}': add it to tests/golden/focal.test.ts`,
      );
  }
}

const golden = loadGolden();

/** A sigmoid case (plain or FL*) whose targets are all exactly 0 or 1: it also runs through the hard-target core. */
function isHardSigmoidCase(c: GoldenCase): boolean {
  const sigmoid = c.fn === 'sigmoid_focal_loss' || c.fn === 'sigmoid_focal_loss_star';
  return sigmoid && !!c.targets && c.targets.every((v) => v === 0 || v === 1);
}

/** The loss of a hard-target sigmoid case through sigmoidFocalLossBinary / sigmoidFocalLossStarBinary. */
function binaryLossFn(c: GoldenCase): (x: tf.Tensor) => tf.Tensor {
  const t = tf.tensor(c.targets!);
  const alpha = c.alpha as number | null;
  if (c.fn === 'sigmoid_focal_loss_star')
    return (x) =>
      sigmoidFocalLossStarBinary(x, t, { alpha, gamma: c.gamma, beta: c.beta, reduction: c.reduction });
  return (x) => sigmoidFocalLossBinary(x, t, { alpha, gamma: c.gamma, reduction: c.reduction });
}

/** Loss value and d(sum of loss)/dx at the case's logits, as plain arrays; `make` builds the loss function. */
function evaluateCase(
  c: GoldenCase,
  make: (c: GoldenCase) => (x: tf.Tensor) => tf.Tensor,
): { loss: number | number[]; grad: number[] } {
  return tf.tidy(() => {
    const f = make(c);
    const x = tf.tensor(c.logits as number[]);
    // grad of the reduced loss; for 'none', of its sum.
    const g = tf.grad((xi: tf.Tensor) => tf.sum(f(xi)))(x);
    return { loss: f(x).arraySync() as number | number[], grad: g.arraySync() as number[] };
  });
}

describe(`focal golden data in ${goldenDir}`, () => {
  it('has at least one json file with cases', () => {
    expect(golden.length, `no *.json files in ${goldenDir}`).toBeGreaterThan(0);
    for (const g of golden) expect(g.cases.length, `${g.file} has no cases`).toBeGreaterThan(0);
  });

  it.each(golden.map((g) => [g.file, g.about] as const))(
    '%s states the tolerance this test uses',
    (_file, about) => {
      expect(about).toContain('|got-want| <= 1e-6 + 1e-4*|want|');
    },
  );
});

describe.each(['cpu', 'wasm'])('on the %s backend', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
    await tf.ready();
  });

  const cases = golden.flatMap((g) => g.cases.map((c) => ({ ...c, label: `${g.file} ${c.name} (${c.fn})` })));
  it.each(cases.map((c) => [c.label, c] as const))('%s matches loss and gradient', (label, c) => {
    expect(tf.getBackend()).toBe(backend);
    const { loss, grad } = evaluateCase(c, lossFn);
    expectClose(loss, c.loss, FOCAL_GOLDEN_TOLERANCE, `${label} loss`);
    expectClose(grad, c.grad, FOCAL_GOLDEN_TOLERANCE, `${label} grad`);
  });

  const hardCases = cases.filter(isHardSigmoidCase);
  it('has sigmoid cases with 0/1 targets for the hard-target core', () => {
    expect(hardCases.length).toBeGreaterThan(0);
  });

  // The hard-target core has two paths on these backends: the fused kernel (lib/loss/fusedBinary.ts, the default)
  // and the composite one of tfjs ops (what WebGL takes); both must match.
  describe.each([
    ['the fused kernel', true],
    ['tfjs ops', false],
  ])('through the hard-target core, %s', (_path, fused) => {
    beforeAll(() => tf.env().set(FUSED_LOSS_FLAG, fused));
    afterAll(() => tf.env().set(FUSED_LOSS_FLAG, true));

    it.each(hardCases.map((c) => [c.label, c] as const))('%s matches loss and gradient', (label, c) => {
      expect(tf.getBackend()).toBe(backend);
      expect(fusedBinaryLossAvailable()).toBe(fused);
      const { loss, grad } = evaluateCase(c, binaryLossFn);
      expectClose(loss, c.loss, FOCAL_GOLDEN_TOLERANCE, `${label} binary loss`);
      expectClose(grad, c.grad, FOCAL_GOLDEN_TOLERANCE, `${label} binary grad`);
    });
  });
});
