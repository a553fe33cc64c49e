/**
 * Gradient kernels for the tfjs WASM backend (tfjs 4.22), installed by ./backend.ts when the WASM backend is
 * initialised ({@link wasmConvGradients}).
 *
 * Why this file exists: `@tensorflow/tfjs-backend-wasm` runs forward convolutions fast (XNNPACK) but
 *  - has no `Conv2DBackpropFilter` kernel at all, so `tf.grads` through any conv throws
 *    "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'";
 *  - ships a naive scalar `Conv2DBackpropInput` that is ~5-10x slower than a forward conv of the same size;
 *  - has no `UnsortedSegmentSum`, which the gradient of `tf.gather` needs;
 *  - ignores `halfPixelCenters` in `ResizeNearestNeighborGrad` (the forward honours it), giving wrong gradients.
 * (The CPU backend's ResizeNearestNeighborGrad is wrong for batch > 1 instead; see ./cpu-fixes.ts.)
 *
 * The input gradient is rewritten here as a *forward* convolution (plus cheap slices and a depth-to-space shuffle),
 * so it runs on the same fast XNNPACK path as the forward pass. The filter gradient runs on this project's own SIMD
 * kernel (./conv-filter-grad.ts), and where WebAssembly SIMD is missing, as one forward convolution too.
 *
 * Notation (NHWC, dilation 1 in the forward conv):
 *   x  : [B, H, W, Cin]          input of the forward conv
 *   w  : [Kh, Kw, Cin, Cout]     filter
 *   dy : [B, Ho, Wo, Cout]       gradient w.r.t. the conv output
 *   forward: y[b,o,p,co] = Σ_{kh,kw,ci} x[b, o·s_h + kh − pt, p·s_w + kw − pl, ci] · w[kh,kw,ci,co]
 *   (pt, pl = top/left padding from TF's padding rule; out-of-range x reads are 0).
 *
 * Filter gradient (derivation in {@link conv2dBackpropFilterWasm}):
 *   dw[kh,kw,ci,co] = Σ_{b,o,p} x[b, o·s_h + kh − pt, p·s_w + kw − pl, ci] · dy[b,o,p,co]
 *   = ./conv-filter-grad.ts's kernel, or without SIMD: a stride-1, dilation-s convolution of xᵀ = [Cin, H, W, B] (a batch of Cin images with B channels)
 *     with the "filter" dyᵀ = [Ho, Wo, B, Cout]; the result [Cin, Kh, Kw, Cout] is transposed to w's layout.
 *
 * Input gradient (derivation in {@link conv2dBackpropInputWasm}): a polyphase decomposition. For stride s the
 * input rows split into s phases r = i mod s; each phase is a stride-1 correlation of dy with a sub-filter of
 * the 180°-rotated kernel (taps kh ≡ r + pt mod s). All s_h·s_w phases share one window, so they are computed by
 * ONE forward conv whose output channels are (phase_h, phase_w, ci), followed by a depth-to-space shuffle. This does
 * ≈ the same multiply-adds as the forward conv instead of the s² times more of the zero-insertion method.
 *
 * Memory: each kernel runs inside tf.tidy and returns only its output tensor; intermediates are freed.
 * Kernels called from inside a kernelFunc are not recorded on the gradient tape (engine kernelDepth > 0).
 */
import * as tf from '@tensorflow/tfjs-core';
// Imported for its side effect: it registers the stock wasm kernels, which must happen before our overrides (its
// module body would overwrite them); ES module evaluation order (dependencies first) guarantees that.
import '@tensorflow/tfjs-backend-wasm';
import { filterGradSimd } from './conv-filter-grad';
import { resizeNearestNeighborGradScatter } from './cpu-fixes';
import { asTensor, KernelPatch } from './kernel-patch';
import type { TfjsWasmBackend } from './wasm-module';

/** The names of the kernels {@link wasmConvGradients} registers (for reporting and tests). */
export const WASM_GRADIENT_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'UnsortedSegmentSum',
  'ResizeNearestNeighborGrad',
] as const;
export type WasmGradientKernel = (typeof WASM_GRADIENT_KERNELS)[number];

type Pad = tf.Conv2DBackpropFilterAttrs['pad'];
type Rounding = tf.Conv2DBackpropFilterAttrs['dimRoundingMode'];
type Shape4 = [number, number, number, number];

/** The wasm backend's members the JS-only UnsortedSegmentSum kernel uses (./wasm-module.ts). */
type WasmBackendLike = Pick<TfjsWasmBackend, 'makeOutput' | 'typedArrayFromHeap'>;

/** A named kernel input, or a clear error when the caller forgot it. */
function need(inputs: tf.NamedTensorInfoMap, name: string, kernel: string): tf.TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`${kernel} (wasm override): missing input '${name}'.`);
  return t;
}

function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

function checkCommon(kernel: string, dataFormat: string, strides: number | [number, number]): void {
  if (dataFormat !== 'NHWC') {
    throw new Error(`${kernel} (wasm override): only dataFormat 'NHWC' is supported, got '${dataFormat}'.`);
  }
  const [sh, sw] = pair(strides);
  if (!(sh >= 1 && sw >= 1 && Number.isInteger(sh) && Number.isInteger(sw))) {
    throw new Error(`${kernel} (wasm override): strides must be positive integers, got ${strides}.`);
  }
}

/**
 * Crop (negative amounts) or zero-pad (positive amounts) `t` along axes 1 and 2 so that a following conv
 * can use only non-negative explicit padding. Returns the cropped tensor and the remaining pads.
 */
function cropForPadding(
  t: tf.Tensor4D,
  before: [number, number],
  after: [number, number],
): { t: tf.Tensor4D; pad: [[number, number], [number, number], [number, number], [number, number]] } {
  const [, h, w] = t.shape;
  const top = Math.max(0, -before[0]);
  const left = Math.max(0, -before[1]);
  const bottom = Math.max(0, -after[0]);
  const right = Math.max(0, -after[1]);
  let out = t;
  if (top || left || bottom || right) {
    out = tf.slice(t, [0, top, left, 0], [-1, h - top - bottom, w - left - right, -1]);
  }
  return {
    t: out,
    pad: [
      [0, 0],
      [Math.max(0, before[0]), Math.max(0, after[0])],
      [Math.max(0, before[1]), Math.max(0, after[1])],
      [0, 0],
    ],
  };
}

/**
 * dL/dw of a 2-D convolution, computed as one forward convolution.
 *
 * dw[kh,kw,ci,co] = Σ_{b,o,p} x[b, o·s_h + kh − pt, p·s_w + kw − pl, ci] · dy[b,o,p,co]
 *
 * Read xᵀ[ci, r, c, b] = x[b, r, c, ci] as Cin images of B channels and dyᵀ[o, p, b, co] = dy[b, o, p, co] as a
 * filter of size Ho×Wo with B in- and Cout out-channels. A conv with stride 1, dilation (s_h, s_w), and explicit
 * padding (pt, pb′) rows / (pl, pr′) cols gives
 *   out[ci, kh, kw, co] = Σ_{o,p,b} xᵀpad[ci, kh + o·s_h, kw + p·s_w, b] · dyᵀ[o,p,b,co] = dw[kh,kw,ci,co]
 * with output height Kh iff pb′ = Kh + (Ho−1)·s_h − H − pt (negative ⇒ crop rows of x that no output reads).
 *
 * @param x  [B, H, W, Cin] float32
 * @param dy [B, Ho, Wo, Cout] float32
 * @returns  [Kh, Kw, Cin, Cout] float32
 */
export function conv2dBackpropFilterWasm(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: Shape4,
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: Rounding,
): tf.Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const [kh, kw] = filterShape;
  const { strideHeight: sh, strideWidth: sw, padInfo } = info;
  const [, h, w] = x.shape;
  const [, ho, wo] = dy.shape;
  if (ho !== info.outHeight || wo !== info.outWidth) {
    throw new Error(
      `Conv2DBackpropFilter (wasm override): dy spatial shape ${ho}x${wo} does not match the conv output ` +
        `${info.outHeight}x${info.outWidth} implied by x ${x.shape}, filter ${filterShape}, pad ${JSON.stringify(pad)}.`,
    );
  }
  return tf.tidy(() => {
    const simd = filterGradSimd(x, dy, filterShape, {
      kh,
      kw,
      sh,
      sw,
      top: padInfo.top,
      left: padInfo.left,
      ho,
      wo,
    });
    if (simd) return simd;
    // Without SIMD: 1×1 kernels with no leading padding as a plain GEMM over the strided input pixels.
    if (kh === 1 && kw === 1 && padInfo.top === 0 && padInfo.left === 0) {
      const xs =
        sh === 1 && sw === 1 && ho === h && wo === w
          ? x
          : tf.stridedSlice(
              x,
              [0, 0, 0, 0],
              [x.shape[0], (ho - 1) * sh + 1, (wo - 1) * sw + 1, x.shape[3]],
              [1, sh, sw, 1],
            );
      const n = x.shape[0] * ho * wo;
      // dw = xsᵀ·dy as [Cin, n]·[n, Cout]. Why the explicit transpose: wasm BatchMatMul with transposeA takes a
      // slow scalar path (2.5 ms for n = 4096, Cin = Cout = 32), and a 2-D Transpose [n, Cin] is slow too
      // (1.0 ms); the same permutation as a 4-D Transpose [B, Ho, Wo, Cin] → [Cin, B, Ho, Wo] is ~0.15 ms, and
      // the plain matMul (XNNPACK) ~0.2 ms.
      const xT = tf.reshape(tf.transpose(xs, [3, 0, 1, 2]), [x.shape[3], n]);
      const g = tf.matMul(xT, tf.reshape(dy, [n, dy.shape[3]]));
      return tf.reshape(g, filterShape) as tf.Tensor4D;
    }
    // Else the same sum as one forward conv.
    const xT = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D; // [Cin, H, W, B]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [Ho, Wo, B, Cout]
    const pb = kh + (ho - 1) * sh - h - padInfo.top;
    const pr = kw + (wo - 1) * sw - w - padInfo.left;
    const c = cropForPadding(xT, [padInfo.top, padInfo.left], [pb, pr]);
    const g = tf.conv2d(c.t, dyT, 1, c.pad, 'NHWC', [sh, sw]); // [Cin, Kh, Kw, Cout]
    return tf.transpose(g, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

/**
 * 1-D plan of the polyphase input gradient along one spatial axis.
 *
 * Input index i = s·j + r (phase r, coarse index j). From the forward relation i = o·s + k − pt, the taps that
 * reach phase r are k = q + s·m with q = (r + pt) mod s, m = 0..M_r−1, M_r = ⌈(K − q)/s⌉, and then
 * o = j + c_r − m with c_r = ⌊(r + pt)/s⌋. Hence dx_r[j] = Σ_m dy[j + c_r − m] · w[q + s·m], a correlation over
 * dy indices j + o_r … j + o_r + M_r − 1 (o_r = c_r − M_r + 1) with the flipped sub-filter.
 * All phases are put into one window [oMin, oMax] of length U; taps[r][u] is the kernel tap used by phase r
 * at window position u (−1 = zero weight).
 */
export interface PhasePlan1D {
  /** Window length of the shared sub-filter. */
  U: number;
  /** Zero padding (negative = crop) before / after dy along this axis for the stride-1 conv. */
  padBefore: number;
  padAfter: number;
  /** Number of coarse positions computed per phase: ⌈inSize / s⌉. */
  nCoarse: number;
  /** taps[r][u] ∈ {−1} ∪ [0, K). */
  taps: number[][];
}

/**
 * Plan the polyphase decomposition along one axis (see {@link PhasePlan1D}).
 * @param inSize forward input size (H or W), @param outSize forward output size (Ho or Wo),
 * @param k kernel size, @param s stride, @param padStart forward padding before (pt or pl).
 */
export function planPhases1D(
  inSize: number,
  outSize: number,
  k: number,
  s: number,
  padStart: number,
): PhasePlan1D {
  const phases: { q: number; m: number; o: number }[] = [];
  let oMin = Infinity;
  let oMax = -Infinity;
  for (let r = 0; r < s; r++) {
    const q = (((r + padStart) % s) + s) % s;
    const m = k > q ? Math.ceil((k - q) / s) : 0;
    const c = Math.floor((r + padStart) / s);
    const o = c - m + 1;
    phases.push({ q, m, o });
    if (m > 0) {
      oMin = Math.min(oMin, o);
      oMax = Math.max(oMax, o + m - 1);
    }
  }
  const U = oMax - oMin + 1;
  const taps = phases.map(({ q, m, o }) => {
    const row: number[] = [];
    for (let u = 0; u < U; u++) {
      const mp = u - (o - oMin); // position inside this phase's flipped sub-filter
      row.push(mp >= 0 && mp < m ? q + s * (m - 1 - mp) : -1);
    }
    return row;
  });
  const nCoarse = Math.ceil(inSize / s);
  return { U, padBefore: -oMin, padAfter: nCoarse + oMax - outSize, nCoarse, taps };
}

/**
 * The combined filter of {@link conv2dBackpropInputWasm},
 *   wc[u, v, co, (r_h·s_w + r_w)·Cin + ci] = w[P_h.taps[r_h][u], P_w.taps[r_w][v], ci, co]   (0 where a tap is −1),
 * shape [U_h, U_w, Cout, s_h·s_w·Cin], built in JS from the filter's values. For stride 1 it is the 180°-rotated,
 * channel-swapped kernel wc[u, v, co, ci] = w[Kh−1−u, Kw−1−v, ci, co].
 * Why JS: the filter is small (≤ 3·3·32·36 floats in the model), so the fixed cost of each backend op dominates;
 * the previous gather (plus a fresh int32 index upload, a concat with a zero row and a transpose) cost ~0.3 ms
 * per call, a reverse + transpose ~0.25 ms, this loop ~0.02 ms plus one upload.
 */
function combinedInputGradFilter(
  filter: tf.Tensor4D,
  ph: PhasePlan1D,
  pw: PhasePlan1D,
  sh: number,
  sw: number,
): tf.Tensor4D {
  const [, kw, cin, cout] = filter.shape;
  const w = filter.dataSync() as Float32Array;
  const depth = sh * sw * cin;
  const out = new Float32Array(ph.U * pw.U * cout * depth);
  for (let u = 0; u < ph.U; u++)
    for (let v = 0; v < pw.U; v++)
      for (let rh = 0; rh < sh; rh++)
        for (let rw = 0; rw < sw; rw++) {
          const th = ph.taps[rh][u];
          const tw = pw.taps[rw][v];
          if (th < 0 || tw < 0) continue; // zero weight: `out` is already 0
          const src = (th * kw + tw) * cin * cout;
          const dst = (u * pw.U + v) * cout * depth + (rh * sw + rw) * cin;
          for (let ci = 0; ci < cin; ci++)
            for (let co = 0; co < cout; co++) out[dst + co * depth + ci] = w[src + ci * cout + co];
        }
  return tf.tensor4d(out, [ph.U, pw.U, cout, depth]);
}

/**
 * dL/dx of a 2-D convolution, computed as ONE forward convolution plus depth-to-space.
 *
 * With the per-axis plans P_h, P_w of {@link planPhases1D}, build the combined filter
 *   wc[u, v, co, (r_h·s_w + r_w)·Cin + ci] = w[P_h.taps[r_h][u], P_w.taps[r_w][v], ci, co]   (0 where a tap is −1)
 * of shape [U_h, U_w, Cout, s_h·s_w·Cin]; then z = conv(dy padded by P.padBefore/padAfter, wc, stride 1) has shape
 * [B, ⌈H/s_h⌉, ⌈W/s_w⌉, s_h·s_w·Cin] and (depth-to-space) dx[b, j·s_h + r_h, l·s_w + r_w, ci] = z[b, j, l, (r_h·s_w + r_w)·Cin + ci],
 * cropped to H×W. For stride 1 this is the textbook "full conv with the 180°-rotated, channel-swapped kernel".
 *
 * @param inputShape [B, H, W, Cin]; @param dy [B, Ho, Wo, Cout]; @param filter [Kh, Kw, Cin, Cout]
 * @returns dx [B, H, W, Cin] float32
 */
export function conv2dBackpropInputWasm(
  inputShape: Shape4,
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: Rounding,
): tf.Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const [b, h, w, cin] = inputShape;
  const [kh, kw] = filter.shape;
  const { strideHeight: sh, strideWidth: sw, padInfo } = info;
  const [, ho, wo] = dy.shape;
  if (ho !== info.outHeight || wo !== info.outWidth) {
    throw new Error(
      `Conv2DBackpropInput (wasm override): dy spatial shape ${ho}x${wo} does not match the conv output ` +
        `${info.outHeight}x${info.outWidth} implied by input ${inputShape}, filter ${filter.shape}.`,
    );
  }
  const ph = planPhases1D(h, ho, kh, sh, padInfo.top);
  const pw = planPhases1D(w, wo, kw, sw, padInfo.left);
  return tf.tidy(() => {
    const wc = combinedInputGradFilter(filter, ph, pw, sh, sw);
    const c = cropForPadding(dy, [ph.padBefore, pw.padBefore], [ph.padAfter, pw.padAfter]);
    let z = tf.conv2d(c.t, wc, 1, c.pad); // [B, nCoarse_h, nCoarse_w, s_h·s_w·Cin]
    if (sh > 1 || sw > 1) {
      // Depth-to-space as reshape → transpose → reshape: the wasm DepthToSpace kernel is a scalar loop
      // (~30 ms for 1M floats) while Transpose is ~0.5 ms.
      const z6 = tf.reshape(z, [b, ph.nCoarse, pw.nCoarse, sh, sw, cin]);
      z = tf.reshape(tf.transpose(z6, [0, 1, 3, 2, 4, 5]), [b, ph.nCoarse * sh, pw.nCoarse * sw, cin]);
    }
    if (z.shape[1] !== h || z.shape[2] !== w) z = tf.slice(z, [0, 0, 0, 0], [b, h, w, cin]);
    return z;
  });
}

function conv2dBackpropFilterKernel(args: {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  checkCommon('Conv2DBackpropFilter', attrs.dataFormat, attrs.strides);
  return tf.tidy(() =>
    conv2dBackpropFilterWasm(
      asTensor(need(args.inputs, 'x', 'Conv2DBackpropFilter')) as tf.Tensor4D,
      asTensor(need(args.inputs, 'dy', 'Conv2DBackpropFilter')) as tf.Tensor4D,
      attrs.filterShape,
      attrs.strides,
      attrs.pad,
      attrs.dimRoundingMode,
    ),
  );
}

function conv2dBackpropInputKernel(args: {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  checkCommon('Conv2DBackpropInput', attrs.dataFormat, attrs.strides);
  return tf.tidy(() =>
    conv2dBackpropInputWasm(
      attrs.inputShape,
      asTensor(need(args.inputs, 'dy', 'Conv2DBackpropInput')) as tf.Tensor4D,
      asTensor(need(args.inputs, 'filter', 'Conv2DBackpropInput')) as tf.Tensor4D,
      attrs.strides,
      attrs.pad,
      attrs.dimRoundingMode,
    ),
  );
}

/**
 * ResizeNearestNeighborGrad of an upsampling by a power-of-two factor s (out = s·in on both axes, alignCorners
 * false): each output pixel's source is floor(i/s), with or without half-pixel centres (floor((i + ½)/s) is the
 * same, and 1/s is exact), so dx is the sum over s × s blocks of dy: s²·avgPool(dy), one XNNPACK pooling (exact:
 * ×1/s² and ×s² are powers of two). The FPN's ×2 upsampling (lib/detector/model.ts) took 1.4 ms a training step
 * through the stock kernel's scalar loop, 0.2 ms so. Null where the resize is not such an upsampling.
 */
function resizeGradAsBlockSum(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | null {
  const { alignCorners } = args.attrs as unknown as tf.ResizeNearestNeighborAttrs;
  const images = args.inputs.images as tf.TensorInfo | undefined;
  const dy = args.inputs.dy as tf.TensorInfo | undefined;
  if (alignCorners || !images || !dy || dy.dtype !== 'float32') return null;
  const sh = dy.shape[1] / images.shape[1];
  const sw = dy.shape[2] / images.shape[2];
  const powerOfTwo = (s: number) => Number.isInteger(s) && s >= 1 && (s & (s - 1)) === 0;
  if (!powerOfTwo(sh) || !powerOfTwo(sw)) return null;
  return tf.tidy(() => tf.mul(tf.avgPool(asTensor(dy) as tf.Tensor4D, [sh, sw], [sh, sw], 'valid'), sh * sw));
}

/**
 * UnsortedSegmentSum (needed by the gradient of tf.gather), in plain JS over the wasm heap:
 *   out[seg[i], j] += x[i, j] for i over the flattened segmentIds, j over the trailing dims of x;
 *   ids outside [0, numSegments) are dropped (TF semantics). Output shape [numSegments, ...x.shape[rank(ids):]].
 * Linear in x.size, no [numSegments × N] one-hot matrix.
 */
function unsortedSegmentSumKernel(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const x = need(args.inputs, 'x', 'UnsortedSegmentSum');
  const segmentIds = need(args.inputs, 'segmentIds', 'UnsortedSegmentSum');
  const { numSegments } = args.attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const n = tf.util.sizeFromShape(segmentIds.shape);
  const inner = n === 0 ? 0 : tf.util.sizeFromShape(x.shape) / n;
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  // Scatter straight into the output on the wasm heap, reading the inputs through views: the stock readSync copies
  // each input whole and a values array given to makeOutput is copied in again (for the box loss's gather, 2 MB a
  // step; 6–12 ms of a training step in Chromium's worker). The output first: allocating may grow, and so detach,
  // the memory the views look at.
  const info = backend.makeOutput(outShape, x.dtype === 'int32' ? 'int32' : 'float32');
  const ids = backend.typedArrayFromHeap(segmentIds);
  const vals = backend.typedArrayFromHeap(x);
  const out = backend.typedArrayFromHeap(info);
  out.fill(0); // the heap is not zeroed
  for (let i = 0; i < n; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) out[dst + j] += vals[src + j];
  }
  return info;
}

/**
 * The patch of the module comment's four kernels. Supported: NHWC, any integer strides, pad 'same' | 'valid' |
 * number | explicit, dimRoundingMode; the forward conv's dilation must be 1 (tfjs-core itself refuses conv
 * gradients with dilation > 1). NCHW throws.
 */
export const wasmConvGradients = new KernelPatch('wasm', () => {
  // Built while the stock kernels are registered (see KernelPatch), so this is the stock C++ kernel.
  const stockResizeGrad = tf.getKernel('ResizeNearestNeighborGrad', 'wasm');
  const impls: Record<WasmGradientKernel, tf.KernelFunc> = {
    Conv2DBackpropFilter: conv2dBackpropFilterKernel as unknown as tf.KernelFunc,
    Conv2DBackpropInput: conv2dBackpropInputKernel as unknown as tf.KernelFunc,
    UnsortedSegmentSum: unsortedSegmentSumKernel as unknown as tf.KernelFunc,
    // A power-of-two upsampling as a block sum; else the stock C++ kernel where it is right (halfPixelCenters
    // false), the JS scatter otherwise.
    ResizeNearestNeighborGrad: ((args: Parameters<tf.KernelFunc>[0]) =>
      resizeGradAsBlockSum(args) ??
      ((args.attrs as unknown as tf.ResizeNearestNeighborAttrs).halfPixelCenters || !stockResizeGrad
        ? resizeNearestNeighborGradScatter(args)
        : stockResizeGrad.kernelFunc(args))) as tf.KernelFunc,
  };
  return WASM_GRADIENT_KERNELS.map((name) => ({
    kernelName: name,
    kernelFunc: impls[name],
    // The delegating ResizeNearestNeighborGrad still needs the stock kernel's setup (its cwrap binding), which
    // the backend runs at initialisation for registered kernels only.
    ...(name === 'ResizeNearestNeighborGrad' && stockResizeGrad?.setupFunc
      ? { setupFunc: stockResizeGrad.setupFunc }
      : {}),
  }));
});
