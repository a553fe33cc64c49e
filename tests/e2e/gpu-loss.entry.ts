/**
 * Browser side of tests/e2e/gpu-loss.test.ts, bundled by that test with esbuild (never part of the site): runs
 * golden hard-target cases through lib/loss's hard-target core on a GPU backend and returns loss and gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { sigmoidFocalLossBinary, sigmoidFocalLossStarBinary, type Reduction } from '../../lib/loss';
import { fusedBinaryLossAvailable } from '../../lib/loss/fusedBinary';

export interface HardCase {
  fn: 'sigmoid_focal_loss' | 'sigmoid_focal_loss_star';
  alpha: number | null;
  gamma: number;
  beta?: number;
  reduction: Reduction;
  logits: number[];
  targets: number[];
}

export interface GpuResult {
  backend: string;
  fused: boolean;
  results: { loss: number[]; grad: number[] }[];
  error?: string;
}

async function run(backend: 'webgl' | 'webgpu', cases: HardCase[]): Promise<GpuResult> {
  try {
    if (!(await tf.setBackend(backend))) return { backend: 'none', fused: false, results: [] };
    await tf.ready();
    const results = [];
    for (const c of cases) {
      const [loss, grad] = tf.tidy(() => {
        const t = tf.tensor1d(c.targets);
        const f = (x: tf.Tensor) =>
          c.fn === 'sigmoid_focal_loss_star'
            ? sigmoidFocalLossStarBinary(x, t, {
                alpha: c.alpha,
                gamma: c.gamma,
                beta: c.beta,
                reduction: c.reduction,
              })
            : sigmoidFocalLossBinary(x, t, { alpha: c.alpha, gamma: c.gamma, reduction: c.reduction });
        const x = tf.tensor1d(c.logits);
        // As the golden test: the gradient of the reduced loss; for 'none', of its sum.
        return [f(x), tf.grad((xi: tf.Tensor) => tf.sum(f(xi)))(x)];
      });
      results.push({ loss: Array.from(await loss.data()), grad: Array.from(await grad.data()) });
      tf.dispose([loss, grad]);
    }
    return { backend: tf.getBackend(), fused: fusedBinaryLossAvailable(), results };
  } catch (e) {
    return { backend, fused: false, results: [], error: String(e) };
  }
}

(globalThis as { focalLabGpuLoss?: typeof run }).focalLabGpuLoss = run;
