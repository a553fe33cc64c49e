/**
 * Fixes for tfjs-backend-cpu 4.22 kernels that give wrong numbers, installed by ./backend.ts when the CPU backend
 * is initialised (and by tests that use the CPU backend as a gradient reference).
 *
 * - `ResizeNearestNeighborGrad` indexes dy with the *images'* batch stride, so for batch > 1 every image after the
 *   first gets the gradient of the wrong dy rows (wrong numbers, no error). Replaced by an exact scatter-add,
 *   {@link resizeNearestNeighborGradScatter}, which the WASM patch (./wasm-conv-gradients.ts) uses too.
 */
import * as tf from '@tensorflow/tfjs-core';
// Imported for its side effect: it registers the stock cpu kernels, which the patch must replace, not precede.
import '@tensorflow/tfjs-backend-cpu';
import { KernelPatch } from './kernel-patch';

/**
 * Source index of output pixel `i` in tfjs's nearest-neighbour resize (mirrors the CPU/WASM forward kernels):
 * ratio = (in − a)/(out − a) with a = 1 when alignCorners (and out > 1), else 0;
 * src = min(in − 1, round-or-floor(ratio·(i + ½·hpc))), clamped at 0 for half-pixel centres.
 */
function nearestSource(
  i: number,
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  hpc: boolean,
): number {
  const a = alignCorners && outSize > 1 ? 1 : 0;
  const ratio = (inSize - a) / (outSize - a);
  const frac = hpc ? ratio * (i + 0.5) : ratio * i;
  const src = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
  return hpc ? Math.max(0, src) : src;
}

/**
 * ResizeNearestNeighborGrad as an exact scatter-add over dy, O(|dy|), for any backend with readSync:
 *   dx[b, src(r), src(c), d] += dy[b, r, c, d]   (src = {@link nearestSource}, same as the forward kernels).
 *
 * Why: tfjs 4.22's CPU kernel indexes dy with the *images'* batch stride (`dyROffset = batchOffset + …`), so for
 * batch > 1 every image after the first gets the gradient of the wrong dy rows (wrong numbers, no error); the
 * WASM kernel is right for batch > 1 but ignores halfPixelCenters.
 */
export function resizeNearestNeighborGradScatter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as {
    readSync(dataId: object): tf.backend_util.BackendValues;
    makeTensorInfo?(shape: number[], dtype: tf.DataType, values: tf.TypedArray): tf.TensorInfo; // cpu
    makeOutput?(shape: number[], dtype: tf.DataType, offset?: number, values?: tf.TypedArray): tf.TensorInfo; // wasm
  };
  const images = args.inputs.images as tf.TensorInfo;
  const dy = args.inputs.dy as tf.TensorInfo;
  const { alignCorners, halfPixelCenters } = args.attrs as unknown as tf.ResizeNearestNeighborAttrs;
  const [batch, inH, inW, depth] = images.shape;
  const [, outH, outW] = dy.shape;
  const dyVals = backend.readSync(dy.dataId) as Float32Array;
  const dx = new Float32Array(batch * inH * inW * depth);
  const srcCol = Array.from({ length: outW }, (_, c) =>
    nearestSource(c, inW, outW, alignCorners, halfPixelCenters),
  );
  let k = 0;
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < outH; r++) {
      const rowBase = (b * inH + nearestSource(r, inH, outH, alignCorners, halfPixelCenters)) * inW;
      for (let c = 0; c < outW; c++) {
        const o = (rowBase + srcCol[c]) * depth;
        for (let d = 0; d < depth; d++) dx[o + d] += dyVals[k++];
      }
    }
  }
  if (backend.makeTensorInfo) return backend.makeTensorInfo(images.shape, 'float32', dx);
  return backend.makeOutput!(images.shape, 'float32', undefined, dx);
}

/** The CPU backend's fixed kernels (see the module comment). */
export const cpuKernelFixes = new KernelPatch('cpu', () => [
  {
    kernelName: 'ResizeNearestNeighborGrad',
    kernelFunc: resizeNearestNeighborGradScatter as unknown as tf.KernelFunc,
  },
]);
