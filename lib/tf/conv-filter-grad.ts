/**
 * A convolution's filter gradient on tfjs's WASM backend as this project's own SIMD matrix product
 * (./wasm/filterGrad.wat, compiled into ./wasm/filterGradWasm.ts), used by ./wasm-conv-gradients.ts:
 *
 *   dw[kh, kw, ci, co] = Σ_{b,o,p} x[b, o·s_h + kh − pt, p·s_w + kw − pl, ci] · dy[b, o, p, co]
 *
 * read from x and dy where they lie, in their own NHWC layouts (no transpose, no padding: each tap sums over the
 * output pixels whose source pixel is inside the image). With tfjs's threaded build, in a worker, a second thread
 * takes row tiles from the same queue (./wasm-helper.ts).
 *
 * Why not XNNPACK: every way of handing this sum to XNNPACK makes one of the big operands (dy, or x's patches) its
 * "filter", which it repacks on every call after tfjs transposes it with a scalar loop, and builds an indirection
 * buffer of Ho·Wo pointers per output pixel. In Chromium (2 cores, batch 16) the filter gradients took 32 of a
 * training step's 88 ms (measured by replacing them with zeros), and the V8 profile of the step put an eighth of the
 * worker's time in that packing and indirection setup. An im2col copy followed by tfjs's matMul did not help
 * either (it copies 9× x and XNNPACK still packs dy). This kernel has no setup: a call costs its multiply-adds.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { FILTER_GRAD_WASM } from './wasm/filterGradWasm';
import { KernelPatch, oursOrStock } from './kernel-patch';
import { kernelHelperOn } from './wasm-helper';
import { moduleOnTfjsMemory, type TfjsWasmBackend } from './wasm-module';

/** ./wasm/filterGrad.wat's export: byte offsets into tfjs's memory, sizes in elements. */
interface FilterGradSimd {
  filterGrad(
    x: number,
    dy: number,
    out: number,
    m0: number,
    m1: number,
    cin: number,
    xc: number,
    kw: number,
    h: number,
    w: number,
    ho: number,
    wo: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
    nb: number,
    cout: number,
    np: number,
  ): void;
  /** out[c] = Σ_r x[r, c] for x [rows, cols] (a bias gradient: {@link columnSumKernel}). */
  colSum(x: number, rows: number, cols: number, out: number): void;
}

const simdFor = moduleOnTfjsMemory<FilterGradSimd>(FILTER_GRAD_WASM);

/** The forward conv's geometry (from tf.backend_util.computeConv2DInfo). */
export interface FilterGradGeometry {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  /** Leading padding (rows, columns) of the forward conv. */
  top: number;
  left: number;
  ho: number;
  wo: number;
}

const roundUp = (n: number, k: number) => Math.ceil(n / k) * k;

/**
 * dw [Kh, Kw, Cin, Cout] of the conv of `x` [B, H, W, Cin] whose output gradient is `dy` [B, Ho, Wo, Cout]; null
 * where the module cannot run (not the WASM backend, no WebAssembly SIMD) or a dimension is empty.
 */
export function filterGradSimd(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  g: FilterGradGeometry,
): tf.Tensor4D | null {
  const [nb, h, w, cin] = x.shape;
  const cout = dy.shape[3];
  if (nb * h * w * cin === 0 || nb * g.ho * g.wo * cout === 0 || dy.dtype !== 'float32') return null;
  // Shapes that do not fit together are the stock path's to report.
  const fits =
    dy.shape[0] === nb &&
    dy.shape[1] === g.ho &&
    dy.shape[2] === g.wo &&
    filterShape[0] === g.kh &&
    filterShape[1] === g.kw &&
    filterShape[2] === cin &&
    filterShape[3] === cout;
  if (!fits) return null;
  const wasm = x.dtype === 'float32' ? simdFor.activeBackend() : null;
  if (!wasm) return null;
  return tf.tidy(() => {
    // Four input channels a tile: rows for Cin rounded up to 4, the extra ones dropped below (x is not padded: a
    // pad of the stem's input to 4 channels took 1 ms of a step in Chromium).
    const cin4 = roundUp(cin, 4);
    // Eight output channels a tile; the columns past Cout are dropped below.
    const np = roundUp(cout, 8);
    const mp = g.kh * g.kw * cin4;
    // Tracked at once, so nothing leaks if a call below throws; every value of it is written.
    const out = tf.engine().makeTensorFromTensorInfo(wasm.makeOutput([mp, np], 'float32')) as tf.Tensor2D;
    // After the last allocation (allocating may grow, and so replace, the memory's buffer).
    const { memory, exports: simd } = simdFor(wasm)!;
    const at = (t: tf.Tensor) => wasm.dataIdMap.get(t.dataId)!.memoryOffset;
    const rows = (m0: number, m1: number): Parameters<FilterGradSimd['filterGrad']> => [
      at(x),
      at(dy),
      at(out),
      m0,
      m1,
      cin4,
      cin,
      g.kw,
      h,
      w,
      g.ho,
      g.wo,
      g.sh,
      g.sw,
      g.top,
      g.left,
      nb,
      cout,
      np,
    ];
    // Cross-origin isolated, in a worker: the row tiles shared with helper threads (./wasm-helper.ts).
    const args = rows(0, mp);
    const helper = kernelHelperOn(memory);
    if (helper && mp >= 8) {
      const mine = [...args] as typeof args;
      helper.shareRows('filterGrad', args, 3, mp, 4, (r0, r1) => {
        mine[3] = r0;
        mine[4] = r1;
        simd.filterGrad(...mine);
      });
    } else {
      simd.filterGrad(...args);
    }
    if (cin4 === cin && np === cout) return tf.reshape(out, filterShape) as tf.Tensor4D;
    const [kh, kw] = filterShape;
    return tf.slice(tf.reshape(out, [kh, kw, cin4, np]), [0, 0, 0, 0], filterShape) as tf.Tensor4D;
  });
}

/**
 * `Sum` over every axis but the last, as one pass of SIMD column sums: what a conv's bias gradient is (dy summed
 * to its channels; `tf.fused.conv2d`'s gradient asks for it), which tfjs's WASM Sum computes by transposing dy
 * first (21 calls, 2.6 ms of a batch-16 step in Chromium). Null for any other reduction (the stock kernel's).
 */
function columnSumKernel(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | null {
  const x = args.inputs.x;
  const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
  if (!x || x.dtype !== 'float32' || x.shape.length < 2) return null;
  const rank = x.shape.length;
  const axes = [...tf.util.parseAxisParam(axis, x.shape)].sort((a, b) => a - b);
  if (axes.length !== rank - 1 || axes.some((a, i) => a !== i)) return null;
  const wasm = args.backend as unknown as TfjsWasmBackend;
  if (!simdFor(wasm)) return null;
  const cols = x.shape[rank - 1];
  const out = wasm.makeOutput(keepDims ? [...new Array<number>(rank - 1).fill(1), cols] : [cols], 'float32');
  // After the allocation (it may grow, and so replace, the memory's buffer).
  const simd = simdFor(wasm)!.exports;
  const at = (t: tf.TensorInfo) => wasm.dataIdMap.get(t.dataId)!.memoryOffset;
  simd.colSum(at(x), cols === 0 ? 0 : tf.util.sizeFromShape(x.shape) / cols, cols, at(out));
  return out;
}

/** The patch of `Sum` on WASM: {@link columnSumKernel} where it applies, the stock kernel otherwise. */
export const wasmColumnSum = new KernelPatch('wasm', () => [oursOrStock('Sum', 'wasm', columnSumKernel)]);
