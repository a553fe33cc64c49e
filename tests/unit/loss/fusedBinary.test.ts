/**
 * The fused kernel of the hard-target losses (lib/loss/fusedBinary.ts) against the composite path of tfjs ops
 * (the same functions with the kernel switched off), on the CPU and WASM backends: values and gradients over
 * logits from −10⁴ to 10⁴, every loss mode, with and without α and per-element weights, weights that only
 * broadcast, bool and int targets, and a flat tensor count. The golden test (tests/golden/focal.test.ts) holds
 * both paths to exact values; this one covers the many settings between its cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ensureBackend } from '../../../lib/tf/backend';
import { sigmoidFocalLossBinary, sigmoidFocalLossStarBinary } from '../../../lib/loss';
import {
  FUSED_BINARY_LOSS,
  FUSED_BINARY_LOSS_SUM,
  FUSED_LOSS_FLAG,
  FUSED_LOSS_SIMD_FLAG,
  binaryLossElements,
  fusedBinaryLossAvailable,
  fusedLossSimdReady,
  instantiateSimdLoop,
} from '../../../lib/loss/fusedBinary';
import { BINARY_LOSS_WASM } from '../../../lib/loss/wasm/binaryLossWasm';
import { expectClose, FOCAL_GOLDEN_TOLERANCE } from '../../helpers/close';
import { createRng } from '../../../lib/data/rng';
import { valueAndGrad as valueAndGradAt } from '../../helpers/valueAndGrad';
import { spawnNodeHelper } from '../../helpers/nodeKernelHelper';
import { startKernelHelper } from '../../../lib/tf/wasm-helper';
import { moduleBytes } from '../../../lib/tf/wasm-module';

/** Logits: a seeded spread over [−30, 30] plus the extremes the lib's contract names. */
function logits(): number[] {
  const rng = createRng('fused-loss');
  const xs = Array.from({ length: 200 }, () => rng.uniform(-30, 30));
  return [...xs, -1e4, -100, -87.5, -20, -1e-3, 0, 1e-3, 20, 87.5, 100, 1e4]; // 211: a tail of 3 for SIMD
}
const X = logits();
const Y = X.map((_, i) => ((i * 7919) % 3 === 0 ? 1 : 0));
const W = X.map((_, i) => ((i * 104729) % 5) / 4);

type Loss = (x: tf.Tensor) => tf.Tensor;

/** Value and d(sum)/dx of f at X, with the fused kernel on or off. */
function valueAndGrad(f: Loss, fused: boolean): { value: number[]; grad: number[] } {
  tf.env().set(FUSED_LOSS_FLAG, fused);
  try {
    expect(fusedBinaryLossAvailable()).toBe(fused);
    return valueAndGradAt(f, X);
  } finally {
    tf.env().set(FUSED_LOSS_FLAG, true);
  }
}

function expectPathsAgree(f: Loss, label: string) {
  const fused = valueAndGrad(f, true);
  const ops = valueAndGrad(f, false);
  for (const v of [...fused.value, ...fused.grad]) expect(Number.isFinite(v), label).toBe(true);
  expectClose(fused.value, ops.value, FOCAL_GOLDEN_TOLERANCE, `${label} value`);
  expectClose(fused.grad, ops.grad, FOCAL_GOLDEN_TOLERANCE, `${label} grad`);
}

describe.each(['cpu', 'wasm'] as const)('the fused kernel on %s', (backend) => {
  beforeAll(async () => {
    await ensureBackend(backend);
  });
  afterAll(() => tf.env().set(FUSED_LOSS_FLAG, true));

  it('is registered for the backend, with its summing twin', () => {
    expect(tf.getKernel(FUSED_BINARY_LOSS, backend)).toBeDefined();
    expect(tf.getKernel(FUSED_BINARY_LOSS_SUM, backend)).toBeDefined();
  });

  it("sums ('sum', 'mean') in one kernel: same value and gradient as tfjs ops, every mode, with weights", () => {
    const t = tf.tensor1d(Y);
    const w = tf.tensor1d(W);
    for (const reduction of ['sum', 'mean'] as const) {
      expectPathsAgree((x) => sigmoidFocalLossBinary(x, t, { gamma: 2, reduction }), `FL ${reduction}`);
      expectPathsAgree(
        (x) => sigmoidFocalLossBinary(x, t, { alpha: null, gamma: 0, weights: w, reduction }),
        `CE weighted ${reduction}`,
      );
      expectPathsAgree(
        (x) => sigmoidFocalLossBinary(x, t, { alpha: 0.99, gamma: 0.5, weights: w, reduction }),
        `FL γ=0.5 weighted ${reduction}`,
      );
      expectPathsAgree(
        (x) => sigmoidFocalLossStarBinary(x, t, { gamma: 2, beta: 1, weights: w, reduction }),
        `FL* ${reduction}`,
      );
    }
    tf.dispose([t, w]);
  });

  for (const gamma of [0, 0.5, 1, 2, 5])
    for (const alpha of [null, 0.25, 0.99])
      it(`focal γ = ${gamma}, α = ${alpha}: same loss and gradient as tfjs ops, with and without weights`, () => {
        const t = tf.tensor1d(Y);
        const w = tf.tensor1d(W);
        expectPathsAgree((x) => sigmoidFocalLossBinary(x, t, { alpha, gamma }), 'plain');
        expectPathsAgree((x) => sigmoidFocalLossBinary(x, t, { alpha, gamma, weights: w }), 'weighted');
        t.dispose();
        w.dispose();
      });

  for (const [gamma, beta] of [
    [2, 1],
    [4, 0],
    [0.5, -3],
  ])
    for (const alpha of [null, 0.25])
      it(`FL* γ = ${gamma}, β = ${beta}, α = ${alpha}: same loss and gradient as tfjs ops`, () => {
        const t = tf.tensor1d(Y);
        const w = tf.tensor1d(W);
        expectPathsAgree((x) => sigmoidFocalLossStarBinary(x, t, { alpha, gamma, beta, weights: w }), 'FL*');
        t.dispose();
        w.dispose();
      });

  it('reads bool and int targets, multiplies broadcast weights after the kernel, and reduces as before', () => {
    const tb = tf.tensor1d(Y, 'bool');
    const ti = tf.tensor1d(Y, 'int32');
    const scale = tf.scalar(0.5);
    expectPathsAgree((x) => sigmoidFocalLossBinary(x, tb, { gamma: 2 }), 'bool targets');
    expectPathsAgree((x) => sigmoidFocalLossBinary(x, ti, { gamma: 2, reduction: 'mean' }), 'int, mean');
    expectPathsAgree((x) => sigmoidFocalLossBinary(x, ti, { gamma: 2, weights: scale }), 'scalar weights');
    tf.dispose([tb, ti, scale]);
  });

  it('keeps the tensor count flat over repeated steps', () => {
    const t = tf.tensor1d(Y);
    const x = tf.tensor1d(X);
    const step = () =>
      tf.tidy(() =>
        tf
          .grad((xi: tf.Tensor) => sigmoidFocalLossBinary(xi, t, { reduction: 'sum' }))(x)
          .dataSync(),
      );
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([t, x]);
  });
});

describe('binaryLossElements (the kernel body)', () => {
  it('gives the closed forms at |x_t| = 10⁴: loss w·α_t·|x_t| and slope −s·w·α_t for a wrong sign, 0 for a right one', () => {
    const loss = new Float32Array(4);
    const grad = new Float32Array(4);
    binaryLossElements(
      [-1e4, 1e4, 1e4, -1e4],
      [1, 0, 1, 0],
      [1, 1, 1, 1],
      { mode: 'focal', alpha: 0.99, gamma: 2, beta: 0 },
      loss,
      grad,
    );
    expectClose(Array.from(loss), [0.99 * 1e4, 0.01 * 1e4, 0, 0], FOCAL_GOLDEN_TOLERANCE, 'loss');
    expectClose(Array.from(grad), [-0.99, 0.01, 0, 0], FOCAL_GOLDEN_TOLERANCE, 'grad');
  });
});

describe('the SIMD loop of the WASM kernel (lib/loss/wasm/binaryLoss.wat)', () => {
  beforeAll(async () => {
    await ensureBackend('wasm');
  });
  afterAll(() => tf.env().set(FUSED_LOSS_SIMD_FLAG, true));

  it('is what lib/loss/wasm/binaryLossWasm.ts holds: the .wat compiled by scripts/build-wasm.mjs', async () => {
    // @ts-expect-error -- plain ESM script without type declarations
    const { compile } = await import('../../../scripts/build-wasm.mjs');
    expect(await compile('binaryLoss')).toEqual(BINARY_LOSS_WASM);
  });

  it('runs, and agrees with the JavaScript loop for every mode, with an odd length (a tail of three)', () => {
    const t = tf.tensor1d(Y);
    const w = tf.tensor1d(W);
    const run = (simd: boolean, f: Loss) => {
      tf.env().set(FUSED_LOSS_SIMD_FLAG, simd);
      try {
        return valueAndGrad(f, true);
      } finally {
        tf.env().set(FUSED_LOSS_SIMD_FLAG, true);
      }
    };
    const losses: [string, Loss][] = [
      ['CE', (x) => sigmoidFocalLossBinary(x, t, { alpha: null, gamma: 0 })],
      ['FL γ=1', (x) => sigmoidFocalLossBinary(x, t, { gamma: 1, weights: w })],
      ['FL γ=2', (x) => sigmoidFocalLossBinary(x, t, { gamma: 2, alpha: 0.99, weights: w })],
      ['FL γ=0.5', (x) => sigmoidFocalLossBinary(x, t, { gamma: 0.5 })],
      ['FL*', (x) => sigmoidFocalLossStarBinary(x, t, { gamma: 2, beta: 1, weights: w })],
      ['FL γ=2, sum', (x) => sigmoidFocalLossBinary(x, t, { gamma: 2, weights: w, reduction: 'sum' })],
      ['FL*, mean', (x) => sigmoidFocalLossStarBinary(x, t, { gamma: 2, beta: 1, reduction: 'mean' })],
    ];
    expect(X.length % 4).toBe(3);
    for (const [label, f] of losses) {
      const fast = run(true, f);
      expect(fusedLossSimdReady(), label).toBe(true);
      const js = run(false, f);
      expectClose(fast.value, js.value, FOCAL_GOLDEN_TOLERANCE, `${label} value`);
      expectClose(fast.grad, js.grad, FOCAL_GOLDEN_TOLERANCE, `${label} grad`);
    }
    tf.dispose([t, w]);
  });
});

describe('the SIMD loop on a shared memory (tfjs’s threaded build)', () => {
  it('instantiates against a shared memory and computes what the JavaScript loop does', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    const loop = instantiateSimdLoop(memory);
    const n = 16;
    const f32 = new Float32Array(memory.buffer);
    const [x, y, loss, grad] = [0, 1, 2, 3].map((k) => f32.subarray(k * n, (k + 1) * n));
    x.set(X.slice(0, n));
    y.set(Y.slice(0, n));
    const attrs = { mode: 'focal', alpha: 0.25, gamma: 2, beta: 0 } as const;
    loop(n / 4, 0, 4 * n, 0, 8 * n, 12 * n, 2, 0.25, 0.75, 2, 0, 1);
    const want = { loss: new Float32Array(n), grad: new Float32Array(n) };
    const wantSum = binaryLossElements(x, y, null, attrs, want.loss, want.grad);
    expectClose(Array.from(loss), Array.from(want.loss), FOCAL_GOLDEN_TOLERANCE, 'loss');
    expectClose(Array.from(grad), Array.from(want.grad), FOCAL_GOLDEN_TOLERANCE, 'grad');
    // Without a loss output (offset 0): the sum instead, and the derivatives times the scale.
    loss.fill(-1);
    const summed = loop(n / 4, 0, 4 * n, 0, 0, 12 * n, 2, 0.25, 0.75, 2, 0, 0.5);
    expect(Array.from(loss)).toEqual(Array(n).fill(-1));
    expectClose([summed], [wantSum], FOCAL_GOLDEN_TOLERANCE, 'sum without a loss output');
    expectClose(
      Array.from(grad),
      Array.from(want.grad, (g) => g / 2),
      FOCAL_GOLDEN_TOLERANCE,
      'scaled grad',
    );
  });

  it('shares its per-element loss with a helper thread by groups of four, bit for bit (binaryLossRows)', async () => {
    const memory = new WebAssembly.Memory({ initial: 4, maximum: 65536, shared: true });
    const n = 4 * 1000;
    const f32 = new Float32Array(memory.buffer);
    const at = (k: number) => 4 * k * n; // x, y, w, loss1, grad1, loss2, grad2
    const rng = createRng(11);
    for (let i = 0; i < n; i++) {
      f32[i] = 12 * (rng.float() - 0.5);
      f32[n + i] = rng.float() < 0.1 ? 1 : 0;
      f32[2 * n + i] = rng.float();
    }
    const bits = (v: number) => new Int32Array(Float32Array.of(v).buffer)[0];
    const loop = instantiateSimdLoop(memory);
    loop(n / 4, at(0), at(1), at(2), at(3), at(4), 3, 0.25, 0.75, 1.5, 0, 1);
    const helper = await startKernelHelper(spawnNodeHelper, memory, {
      binaryLoss: new WebAssembly.Module(moduleBytes(BINARY_LOSS_WASM, true)),
    });
    expect(helper).not.toBeNull();
    const rows = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(BINARY_LOSS_WASM, true)), {
      env: { memory },
    }).exports.binaryLossRows as (...args: number[]) => void;
    const args = [0, n / 4, at(0), at(1), at(2), at(5), at(6), 3, ...[0.25, 0.75, 1.5, 0, 1].map(bits)];
    // Chunks of 7 groups: uneven, so both threads take some and the last is short.
    helper!.shareRows('binaryLossRows', args, 0, n / 4, 7, (g0, g1) => rows(g0, g1, ...args.slice(2)));
    helper!.stop();
    expect(Array.from(f32.subarray(5 * n, 7 * n))).toEqual(Array.from(f32.subarray(3 * n, 5 * n)));
  });
});
