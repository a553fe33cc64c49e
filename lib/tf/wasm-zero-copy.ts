/**
 * Zero-copy `Slice`, `SplitV` and `Identity` kernels, and a row-copy `GatherV2`, for the WASM backend
 * (tfjs-backend-wasm 4.22), installed by ./backend.ts when the WASM backend is initialised ({@link wasmZeroCopy}).
 *
 * Why: the stock wasm `Slice` reads its input with `backend.readSync`, which *copies the whole input buffer*
 * (`HEAPU8.slice`) on every call, and `SplitV` calls it once per piece. Splitting θ (≈130k floats) into ~50
 * parameter tensors therefore copied ~25 MB per forward pass (≈10 ms), and the backward pass of the head's
 * level concat another ~5 ms. These kernels read through a view of the wasm heap instead, copying only the
 * slice. Same semantics as the stock kernels (contiguous or strided slices of any rank, any dtype but string).
 * The stock `Identity` copies too, and the gradient tape calls it to save every activation a backward pass needs
 * (~200 copies, ~3 ms per training step); the CPU and WebGL backends share the buffer instead, and so does ours.
 * `GatherV2` copies each gathered row through heap views instead of element by element ({@link gatherV2Kernel}).
 */
import * as tf from '@tensorflow/tfjs-core';
// Imported for its side effect: it registers the stock wasm kernels, which the patch must replace, not precede.
import '@tensorflow/tfjs-backend-wasm';
import { KernelPatch } from './kernel-patch';
import type { TfjsWasmBackend } from './wasm-module';

/** The wasm backend's members these kernels use (./wasm-module.ts). */
type WasmHeapBackend = Pick<TfjsWasmBackend, 'makeOutput' | 'typedArrayFromHeap'>;

/** Copies x[begin : begin + size] (any rank) into a new wasm tensor through heap views. */
function sliceInto(
  backend: WasmHeapBackend,
  x: tf.TensorInfo,
  begin: number[],
  size: number[],
): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const n = size.reduce((a, b) => a * b, 1);
  if (n === 0) return out;
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  if (rank === 0) {
    dst[0] = src[0];
    return out;
  }
  const strides = [...tf.util.computeStrides(x.shape), 1];
  // Axes after `last` are taken whole, so each run [begin[last], begin[last] + size[last]) × (their extent) is one
  // contiguous block; iterate over the axes before `last` with an odometer.
  let last = rank - 1;
  while (last > 0 && begin[last] === 0 && size[last] === x.shape[last]) last--;
  const run = size[last] * strides[last];
  const idx = new Array(last).fill(0);
  let o = 0;
  for (;;) {
    let off = begin[last] * strides[last];
    for (let d = 0; d < last; d++) off += (begin[d] + idx[d]) * strides[d];
    dst.set(src.subarray(off, off + run), o);
    o += run;
    let d = last - 1;
    while (d >= 0) {
      idx[d]++;
      if (idx[d] < size[d]) break;
      idx[d] = 0;
      d--;
    }
    if (d < 0) break;
  }
  return out;
}

/** Slice through a heap view: copies only the slice. */
const slice: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const x = inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') throw new Error('fast wasm Slice: string tensors are not supported');
  const { begin, size } = attrs as unknown as tf.SliceAttrs;
  const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
  return sliceInto(backend as unknown as WasmHeapBackend, x, b, s);
};

/** SplitV as one heap-view slice per piece. */
const splitV: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const x = inputs.x as tf.TensorInfo;
  const { numOrSizeSplits, axis } = attrs as unknown as tf.SplitVAttrs;
  const ax = tf.util.parseAxisParam(axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, ax);
  const begin = new Array(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[ax] = s;
    const out = sliceInto(backend as unknown as WasmHeapBackend, x, [...begin], size);
    begin[ax] += s;
    return out;
  });
};

/**
 * Identity without a copy: the output shares the input's buffer (the backend's refCount keeps it alive until both
 * are disposed), as the CPU and WebGL backends do and as the stock wasm `Reshape` does. Safe because tfjs tensors
 * are immutable: no wasm kernel writes into an input, and `Variable.assign` rebinds the variable to new data.
 */
function identityKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  (args.backend as { incRef(dataId: object): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/**
 * GatherV2 (batchDims 0) as one heap-view copy per gathered row: out[o, k, :] = x[o, indices[k], :] over the axes
 * before and after `axis`. The stock kernel walks every element through strided index arithmetic in C++: 2.2 ms a
 * training step for the box subnet's windows (≈ 2,500 rows of 32 floats, lib/detector/model.ts `forwardTrain`),
 * where these copies take a tenth of that. Other cases (batchDims > 0, strings) go to `stock`.
 */
function gatherV2Kernel(stock: tf.KernelConfig | undefined): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const indices = args.inputs.indices as tf.TensorInfo;
    const { axis, batchDims } = args.attrs as unknown as tf.GatherV2Attrs;
    if ((batchDims ?? 0) !== 0 || x.dtype === 'string' || indices.dtype !== 'int32') {
      if (!stock) throw new Error('fast wasm GatherV2: this case needs the stock kernel, which is missing');
      return stock.kernelFunc(args);
    }
    const backend = args.backend as unknown as WasmHeapBackend;
    const ax = tf.util.parseAxisParam(axis, x.shape)[0];
    const outer = tf.util.sizeFromShape(x.shape.slice(0, ax));
    const n = x.shape[ax];
    const inner = tf.util.sizeFromShape(x.shape.slice(ax + 1));
    const m = tf.util.sizeFromShape(indices.shape);
    // Checked before the output exists, so a bad index leaks nothing.
    const given = backend.typedArrayFromHeap(indices);
    for (let k = 0; k < m; k++) {
      const i = given[k];
      if (!(i >= 0 && i < n)) throw new Error(`GatherV2: the index value ${i} is not in [0, ${n - 1}]`);
    }
    const out = backend.makeOutput(
      [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)],
      x.dtype,
    );
    if (outer * m * inner === 0) return out;
    // Views after the allocation, which may grow (and so detach) the memory.
    const idx = backend.typedArrayFromHeap(indices);
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    let d = 0;
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < m; k++) {
        const from = (o * n + idx[k]) * inner;
        // A loop: for rows this short, `dst.set(src.subarray(…))` costs more in creating the view than in copying.
        if (inner >= 1024) dst.set(src.subarray(from, from + inner), d);
        else for (let j = 0; j < inner; j++) dst[d + j] = src[from + j];
        d += inner;
      }
    }
    return out;
  };
}

/** The zero-copy Slice, SplitV and Identity kernels, and the row-copy GatherV2 (see the module comment). */
export const wasmZeroCopy = new KernelPatch('wasm', () => {
  // Built while the stock kernels are registered (see KernelPatch): the stock GatherV2 serves batchDims > 0, and
  // needs its setup (a cwrap binding), which the backend runs at initialisation for registered kernels only.
  const stockGather = tf.getKernel('GatherV2', 'wasm');
  return [
    { kernelName: 'Slice', kernelFunc: slice },
    { kernelName: 'SplitV', kernelFunc: splitV },
    { kernelName: 'Identity', kernelFunc: identityKernel as unknown as tf.KernelFunc },
    {
      kernelName: 'GatherV2',
      kernelFunc: gatherV2Kernel(stockGather),
      ...(stockGather?.setupFunc ? { setupFunc: stockGather.setupFunc } : {}),
    },
  ];
});
