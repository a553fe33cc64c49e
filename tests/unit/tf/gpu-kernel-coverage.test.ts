/**
 * The GPU backends can train the toy: every kernel a training step of the playground's default design launches
 * (forward, backward through tfjs-core's registered gradients, the Adam update) is registered for WebGPU and for
 * WebGL. WASM lacked some (Conv2DBackpropFilter, …; lib/tf/wasm-conv-gradients.ts provides them); a kernel missing
 * on a GPU backend would throw on the reader's machine only, where no test here can run, so the check is made on
 * the registries, which importing the backend packages fills without a GPU. The step runs on the CPU backend twice,
 * with the fused loss kernel (the path on every backend now: lib/loss/fusedBinaryGpu.ts registers FusedBinaryLoss
 * for WebGL and WebGPU) and without it (the composite path, `FOCAL_LAB_FUSED_LOSS` off); both must be covered.
 * Whether the shaders compute the right numbers is tests/e2e/gpu-loss.test.ts's. GroupNorm is recorded through tfjs
 * ops (`FOCAL_LAB_FUSED_GROUP_NORM` off): its fused kernels (lib/detector/groupNorm.ts) exist for the CPU and WASM
 * backends only, so the GPU backends take that path; so is the step's loss split (lib/detector/lossSplit.ts), its
 * CPU kernel unregistered while the steps run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { ensureBackend } from '../../../lib/tf/backend';
import { FUSED_LOSS_FLAG } from '../../../lib/loss/fusedBinary';
import { FUSED_GROUP_NORM_FLAG } from '../../../lib/detector/groupNorm';
import { LOSS_SPLIT } from '../../../lib/detector/lossSplit';
import { trainingBatch } from '../../../lib/detector/train';
import { createTrainer } from '../../../lib/detector/train';
import { parseWarmStart } from '../../../lib/detector/warmStart';
import { sessionConfigFromState, trainConfigOfRun } from '../../../lib/playground/config';
import { defaultPlaygroundState } from '../../../lib/playground/schema';
import { profileSteps } from '../../../scripts/bench-profile';
import fs from 'node:fs';

let launched: string[] = [];

beforeAll(async () => {
  await ensureBackend('cpu');
  const cfg = sessionConfigFromState(defaultPlaygroundState());
  const warm = cfg.pretrained ? parseWarmStart(fs.readFileSync('public/models/warm-start.bin')) : null;
  // The default design at batch 1: the same kernels as at any batch, in a fraction of the time.
  const trainer = createTrainer(trainConfigOfRun(cfg, cfg.runs[0], warm));
  const data = { ...cfg.data, imageSize: cfg.imageSize };
  tf.env().set(FUSED_GROUP_NORM_FLAG, false);
  // The loss split's kernel exists for CPU and WASM only; without it the step takes the GPU backends' ops path.
  const split = tf.getKernel(LOSS_SPLIT, 'cpu');
  if (split) tf.unregisterKernel(LOSS_SPLIT, 'cpu');
  try {
    for (const fused of [true, false]) {
      tf.env().set(FUSED_LOSS_FLAG, fused);
      const p = profileSteps((i) => void trainer.step(trainingBatch(cfg.seed, i, 1, data)), 1);
      launched.push(...p.kernels.filter((k) => k.topLevel > 0).map((k) => k.kernel));
    }
    launched = [...new Set(launched)];
  } finally {
    tf.env().set(FUSED_LOSS_FLAG, true);
    tf.env().set(FUSED_GROUP_NORM_FLAG, true);
    if (split) tf.registerKernel(split);
    trainer.dispose();
  }
}, 120_000);

afterAll(() => {
  tf.env().set(FUSED_LOSS_FLAG, true);
});

describe('kernels of a training step', () => {
  it('are found (convolutions, their gradients, the loss and the optimiser)', () => {
    for (const k of [
      'Conv2D',
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'FusedBinaryLoss',
      'Sigmoid',
      'Sqrt',
    ]) {
      expect(launched, k).toContain(k);
    }
  });

  for (const backend of ['webgpu', 'webgl']) {
    it(`are all registered for ${backend}`, () => {
      const have = new Set(tf.getKernelsForBackend(backend).map((k) => k.kernelName));
      expect(launched.filter((k) => !have.has(k))).toEqual([]);
    });
  }
});
