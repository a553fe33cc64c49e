/**
 * Where a step's classification loss went, for its statistics (./trainConfig.ts `StepStats`: clsPos, clsHardNeg;
 * the rest is easy negatives): over the elements of ℓ [B, N, K] with targets y and logits x,
 *
 *   positives Σ ℓ·y,   hard negatives Σ ℓ·(1 − y)·[x > 0]   (p_t < 0.5, the boundary lib/playground/views.ts uses).
 *
 * On the CPU and WASM backends one kernel reads the three tensors once and sums in float64; elsewhere (the GPU
 * backends) the same sums are tfjs ops. Why a kernel: as ops (Sub, Greater, Cast, two Multiply, two Sum over
 * 338k elements for the default design's batch of 16) they took 3.5 ms of a 133 ms WASM step, all of it on one
 * thread. Statistics only: no gradient flows through it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TfjsWasmBackend } from '../tf/wasm-module';

/** The kernel's name in tfjs's registry (CPU and WASM). */
export const LOSS_SPLIT = 'FocalLabLossSplit';

/** [Σ ℓ·y, Σ ℓ·(1 − y)·[x > 0]] of equal-length arrays, summed in float64. */
function splitSums(loss: ArrayLike<number>, y: ArrayLike<number>, x: ArrayLike<number>): Float32Array {
  let pos = 0;
  let hard = 0;
  for (let i = 0; i < loss.length; i++) {
    pos += loss[i] * y[i];
    if (x[i] > 0) hard += loss[i] * (1 - y[i]);
  }
  return Float32Array.of(pos, hard);
}

interface CpuBackend {
  data: { get(id: tf.DataId): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

const cpuKernel: tf.KernelFunc = ({ inputs, backend }) => {
  const { loss, y, x } = inputs as { loss: tf.TensorInfo; y: tf.TensorInfo; x: tf.TensorInfo };
  const b = backend as unknown as CpuBackend;
  const read = (t: tf.TensorInfo) => b.data.get(t.dataId).values;
  return b.makeTensorInfo([2], 'float32', splitSums(read(loss), read(y), read(x)));
};

const wasmKernel: tf.KernelFunc = ({ inputs, backend }) => {
  const { loss, y, x } = inputs as { loss: tf.TensorInfo; y: tf.TensorInfo; x: tf.TensorInfo };
  const b = backend as unknown as Pick<TfjsWasmBackend, 'makeOutput' | 'typedArrayFromHeap'>;
  // The output first: allocating may grow, and so detach, the memory the views look at.
  const out = b.makeOutput([2], 'float32');
  const sums = splitSums(b.typedArrayFromHeap(loss), b.typedArrayFromHeap(y), b.typedArrayFromHeap(x));
  b.typedArrayFromHeap(out).set(sums);
  return out;
};

// Registered on import for both backends, loaded or not (tfjs looks kernels up by backend name at run time).
for (const [backendName, kernelFunc] of [
  ['cpu', cpuKernel],
  ['wasm', wasmKernel],
] as const) {
  if (!tf.getKernel(LOSS_SPLIT, backendName))
    tf.registerKernel({ kernelName: LOSS_SPLIT, backendName, kernelFunc });
}

/**
 * [positives, hard negatives] [2] of the per-element loss `loss` with targets `y` (∈ {0, 1} in a step) and logits
 * `x`, all of one shape (see the module comment).
 */
export function lossSplit(loss: tf.Tensor, y: tf.Tensor, x: tf.Tensor): tf.Tensor1D {
  if (!tf.util.arraysEqual(loss.shape, y.shape) || !tf.util.arraysEqual(loss.shape, x.shape))
    throw new RangeError(`lossSplit: shapes ${loss.shape}, ${y.shape} and ${x.shape} differ`);
  if (tf.getKernel(LOSS_SPLIT, tf.getBackend()) && [loss, y, x].every((t) => t.dtype === 'float32')) {
    return tf.engine().runKernel(LOSS_SPLIT, { loss, y, x }) as tf.Tensor1D;
  }
  return tf.tidy(() => {
    const hardNeg = tf.mul(tf.sub(1, y), tf.cast(tf.greater(x, 0), 'float32'));
    return tf.stack([tf.sum(tf.mul(loss, y)), tf.sum(tf.mul(loss, hardNeg))]) as tf.Tensor1D;
  });
}
