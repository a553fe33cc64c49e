/**
 * Convolutions on tfjs's WASM backend as this project's own SIMD kernel (./wasm/conv.wat, compiled into
 * ./wasm/convWasm.ts), with the bias and ReLU of `tf.fused.conv2d` folded in: the {@link wasmConvForward} patch of
 * `Conv2D` and `FusedConv2D`. Every conv of a training step goes through it but the stem (see
 * {@link convKernelSimd}): the model's forward convs, and the input gradients, which ./wasm-conv-gradients.ts
 * computes as stride-1 convs of dy. With tfjs's threaded build, in
 * a worker, helper threads take pixel tiles from the same queue (./wasm-helper.ts). Anything else (dilations,
 * other activations, PReLU, NCHW) goes to the stock kernel.
 *
 * Why: XNNPACK is about as fast per multiply-add on one thread (2.3 against 2.1 ms for [16,16,16,32] 3×3 → 32 in
 * Chromium), but on every call it repacks the filter (a new tensor each step: the model slices its weights from one
 * parameter vector) and rebuilds an indirection buffer of Kh·Kw pointers per output pixel, serially, and its pool
 * threads spin for about a millisecond after each call, on the cores the helpers need. In Chromium (2 cores, batch
 * 16) the convs and input gradients took 26 of a step's 78 ms (measured by replacing them with zeros).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { CONV_WASM } from './wasm/convWasm';
import { asTensor, KernelPatch, oursOrStock } from './kernel-patch';
import { kernelHelperOn } from './wasm-helper';
import { moduleOnTfjsMemory } from './wasm-module';

/** ./wasm/conv.wat's export: byte offsets into tfjs's memory (bias 0: none), sizes in elements; h, w: x's. */
interface ConvSimd {
  conv(
    x: number,
    filter: number,
    bias: number,
    out: number,
    q0: number,
    q1: number,
    cin: number,
    cout: number,
    kh: number,
    kw: number,
    h: number,
    w: number,
    ho: number,
    wo: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
    zero: number,
    relu: number,
  ): void;
}

const simdFor = moduleOnTfjsMemory<ConvSimd>(CONV_WASM);

/** Output pixels a chunk of the two threads' shared queue: four tiles. */
const CHUNK = 16;

/** Zero padding of a conv's input: top, bottom, left, right. */
export interface ConvPadding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * act(conv(x, filter) + bias) for dilation 1, NHWC float32: x [B, H, W, Cin] zero-padded by `pad`, filter
 * [Kh, Kw, Cin, Cout], bias [Cout] or null, `strides` [s_h, s_w]; null where the module cannot run (not the WASM
 * backend, no WebAssembly SIMD) or a dimension is empty.
 */
export function convSimd(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor | null,
  relu: boolean,
  pad: ConvPadding,
  strides: [number, number] = [1, 1],
): tf.Tensor4D | null {
  const [nb, h, w, cin] = x.shape;
  const [kh, kw, fin, cout] = filter.shape;
  const [sh, sw] = strides;
  const hp = h + pad.top + pad.bottom;
  const wp = w + pad.left + pad.right;
  const ho = Math.floor((hp - kh) / sh) + 1;
  const wo = Math.floor((wp - kw) / sw) + 1;
  if (fin !== cin || nb * cin * cout * kh * kw === 0 || ho <= 0 || wo <= 0) return null;
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  if (bias && (bias.dtype !== 'float32' || bias.size !== cout)) return null;
  const wasm = simdFor.activeBackend();
  if (!wasm) return null;
  return tf.tidy(() => {
    // Tracked at once, so nothing leaks if a call below throws; every value of `out` is written. `zero` is what a
    // tap outside the image reads (the kernel pads without a padded copy of x).
    const out = tf
      .engine()
      .makeTensorFromTensorInfo(wasm.makeOutput([nb, ho, wo, cout], 'float32')) as tf.Tensor4D;
    const zero = tf.engine().makeTensorFromTensorInfo(wasm.makeOutput([cin], 'float32'));
    // After the last allocation (allocating may grow, and so replace, the memory's buffer).
    wasm.typedArrayFromHeap(zero).fill(0);
    const { memory, exports: simd } = simdFor(wasm)!;
    const at = (t: tf.Tensor) => wasm.dataIdMap.get(t.dataId)!.memoryOffset;
    const pixels = (q0: number, q1: number): Parameters<ConvSimd['conv']> => [
      at(x),
      at(filter),
      bias ? at(bias) : 0,
      at(out),
      q0,
      q1,
      cin,
      cout,
      kh,
      kw,
      h,
      w,
      ho,
      wo,
      sh,
      sw,
      pad.top,
      pad.left,
      at(zero),
      relu ? 1 : 0,
    ];
    const total = nb * ho * wo;
    const args = pixels(0, total);
    const helper = kernelHelperOn(memory);
    if (helper && total > CHUNK) {
      const mine = [...args] as typeof args;
      helper.shareRows('conv', args, 4, total, CHUNK, (q0, q1) => {
        mine[4] = q0;
        mine[5] = q1;
        simd.conv(...mine);
      });
    } else {
      simd.conv(...args);
    }
    return out;
  });
}

/** The attributes both kernels share, FusedConv2D's extras optional. */
type ConvAttrs = tf.Conv2DAttrs & Partial<Pick<tf.FusedConv2DAttrs, 'activation' | 'leakyreluAlpha'>>;

/** The module's result for a Conv2D / FusedConv2D call, or null where the stock kernel must run it. */
function convKernelSimd(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | null {
  const { x, filter, bias, preluActivationWeights } = args.inputs;
  const attrs = args.attrs as unknown as ConvAttrs;
  const activation = attrs.activation ?? 'linear';
  if (!x || !filter || preluActivationWeights) return null;
  if (activation !== 'linear' && activation !== 'relu') return null;
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') return null;
  if (x.dtype !== 'float32' || filter.dtype !== 'float32' || x.shape.length !== 4) return null;
  const cout = filter.shape[3];
  if (bias && (bias.dtype !== 'float32' || tf.util.sizeFromShape(bias.shape) !== cout)) return null;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  // A strided conv with few input channels stays with XNNPACK (one thread): the stem's three give each tile too
  // little to sum (Chromium, batch 16: 0.73 ms here on two threads against 0.52 ms; [16,32,32,16] → 32: 0.70
  // against 1.10 ms).
  if ((info.strideHeight !== 1 || info.strideWidth !== 1) && x.shape[3] < 8) return null;
  const { top, bottom, left, right } = info.padInfo;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) return null;
  // The output size the padding and strides give must be tfjs's (it is, for every padding tfjs computes).
  const [, h, w] = x.shape;
  const [kh, kw] = filter.shape;
  if (Math.floor((h + top + bottom - kh) / info.strideHeight) + 1 !== info.outHeight) return null;
  if (Math.floor((w + left + right - kw) / info.strideWidth) + 1 !== info.outWidth) return null;
  // Returned from the tidy (not kept), so the op's caller owns it; the tidy frees asTensor's aliases.
  const out = tf.tidy(
    () =>
      convSimd(
        asTensor(x) as tf.Tensor4D,
        asTensor(filter) as tf.Tensor4D,
        bias ? asTensor(bias) : null,
        activation === 'relu',
        { top, bottom, left, right },
        [info.strideHeight, info.strideWidth],
      ) ?? undefined,
  ) as tf.Tensor4D | undefined;
  return out ?? null;
}

/** The names of the kernels {@link wasmConvForward} registers. */
export const WASM_CONV_KERNELS = ['Conv2D', 'FusedConv2D'] as const;

/**
 * The patch of `Conv2D` and `FusedConv2D` on WASM: this module's kernel where it applies (dilation 1, NHWC,
 * float32, no activation or ReLU, bias of Cout values, 8 or more input channels where strided), tfjs's stock
 * XNNPACK kernel otherwise.
 */
export const wasmConvForward = new KernelPatch('wasm', () =>
  WASM_CONV_KERNELS.map((kernelName) => oursOrStock(kernelName, 'wasm', convKernelSimd)),
);
