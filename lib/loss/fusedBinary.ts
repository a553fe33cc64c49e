/**
 * The hard-target losses of ./binary.ts (focal loss, α-balanced CE = focal at γ = 0, FL*) as one fused kernel:
 * one pass over the logits computes every element's loss and its derivative with respect to the logit, registered
 * in tfjs's kernel registry as `FusedBinaryLoss` for the CPU and WASM backends (issue 13, item 4). The backward
 * pass is then one multiply (dy · saved derivative) instead of the dozen elementwise kernels the composite path
 * records on the tape. A second kernel, `FusedBinaryLossSum`, serves the 'sum' and 'mean' reductions: it writes no
 * per-element loss, returns the sum (accumulated in float64) and the derivatives already scaled for the reduction,
 * so a summed loss costs one pass forward and one multiply backward instead of the kernel, a Sum, and the Fill and
 * Multiply of the sum's gradient (10⁶ logits: `npm run bench:train`).
 *
 * Why a kernel and not tfjs ops: on WASM every elementwise op is a launch plus a full pass over memory (~1 ms per
 * transcendental for the 145k logits of a batch of 16); here the whole loss is one pass. On WASM that pass is a
 * WebAssembly SIMD loop, four lanes at a time, that reads and writes tfjs's own memory where the tensors live
 * (./wasm/binaryLoss.wat, compiled by scripts/build-wasm.mjs); on the CPU backend, and for WASM's last
 * n mod 4 elements, a JavaScript loop in float64 (`binaryLossElements`). Both are at least as exact as the
 * composite path: the closed forms below have no cancelling sum (see ./binary.ts on the −0.990234375 that autodiff
 * gives at x_t = −10⁴), and the golden sets in tests/golden/data/focal hold every path to the same tolerance.
 *
 * Per element, with s = 2y − 1, x_t = s·x, w_t = w·α_t (α_t = α for y = 1, 1 − α for y = 0, 1 without α):
 *
 *   focal (γ ≥ 0):  CE = softplus(−x_t), q = σ(−x_t) = 1 − p_t, p = σ(x_t)
 *                   ℓ = w_t · CE · q^γ,      dℓ/dx = −s · w_t · q^γ · (q + γ·p·CE)
 *   FL* (γ > 0):    z = γ·x_t + β
 *                   ℓ = w_t · softplus(−z)/γ, dℓ/dx = −s · w_t · σ(−z)
 *
 * with e = exp(−|x_t|) shared by softplus (max(−x_t, 0) + log1p(e)) and both sigmoids (1/(1 + e), e/(1 + e)), so
 * p and q each keep their relative precision in their tails. Targets and weights are constants: no gradient flows
 * to them (the trainer builds both from the matcher's labels).
 *
 * WebGL and WebGPU run the same closed forms as one shader each: ./fusedBinaryGpu.ts registers those kernels.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BINARY_LOSS_WASM } from './wasm/binaryLossWasm';
import { kernelHelperOn } from '../tf/wasm-helper';
import { instantiateOnMemory, moduleOnTfjsMemory, type TfjsWasmBackend } from '../tf/wasm-module';

/** The kernel's name in tfjs's registry. */
export const FUSED_BINARY_LOSS = 'FusedBinaryLoss';

/**
 * A tfjs flag: false makes ./binary.ts take the composite path even where the kernel exists (tests compare the
 * two paths; `npm run bench:train` times both).
 */
export const FUSED_LOSS_FLAG = 'FOCAL_LAB_FUSED_LOSS';
tf.env().registerFlag(FUSED_LOSS_FLAG, () => true);

/** The kernel's attributes: which loss, and its parameters (alpha < 0: no α weighting). */
export interface FusedBinaryLossAttrs {
  mode: 'focal' | 'star';
  alpha: number;
  gamma: number;
  beta: number;
}

/**
 * The loss and its derivative with respect to x for every element, in float64, rounded into `loss` (unless it is
 * null) and `grad` (times `scale`); returns the sum of the losses in float64. `w` may be null (weight 1). Pure:
 * the kernels below call it on views of backend memory.
 */
export function binaryLossElements(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  w: ArrayLike<number> | null,
  { mode, alpha, gamma, beta }: FusedBinaryLossAttrs,
  loss: Float32Array | null,
  grad: Float32Array,
  scale = 1,
): number {
  const n = grad.length;
  const hasAlpha = alpha >= 0;
  const invGamma = mode === 'star' ? 1 / gamma : 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const pos = y[i] > 0.5;
    const xt = pos ? x[i] : -x[i];
    let wt = w === null ? 1 : w[i];
    if (hasAlpha) wt *= pos ? alpha : 1 - alpha;
    let l: number;
    let dxt: number;
    if (mode === 'focal') {
      const e = Math.exp(-Math.abs(xt));
      const r = 1 / (1 + e);
      const lg = Math.log1p(e);
      const ce = (xt < 0 ? -xt : 0) + lg; // softplus(−x_t)
      const q = xt >= 0 ? e * r : r;
      if (gamma === 0) {
        l = wt * ce;
        dxt = -wt * q;
      } else {
        const p = xt >= 0 ? r : e * r;
        // q^γ = exp(−γ·softplus(x_t)); exact products for the common γ
        const factor = gamma === 2 ? q * q : gamma === 1 ? q : Math.exp(-gamma * ((xt > 0 ? xt : 0) + lg));
        l = wt * ce * factor;
        dxt = -wt * factor * (q + gamma * p * ce);
      }
    } else {
      const z = gamma * xt + beta;
      const e = Math.exp(-Math.abs(z));
      l = wt * ((z < 0 ? -z : 0) + Math.log1p(e)) * invGamma;
      dxt = -wt * (z >= 0 ? e / (1 + e) : 1 / (1 + e));
    }
    if (loss !== null) loss[i] = l;
    // The sum adds the float32 losses, as the SIMD loop does.
    sum += Math.fround(l);
    grad[i] = (pos ? dxt : -dxt) * scale;
  }
  return sum;
}

/** The inputs the kernel reads: logits, targets (same shape) and, optionally, weights (same shape). */
function kernelInputs(inputs: tf.NamedTensorInfoMap): {
  x: tf.TensorInfo;
  y: tf.TensorInfo;
  w: tf.TensorInfo | null;
} {
  const { x, y, w } = inputs as { x: tf.TensorInfo; y: tf.TensorInfo; w?: tf.TensorInfo };
  return { x, y, w: w ?? null };
}

/** CPU backend: inputs read from its data store, outputs handed over as new float32 arrays. */
interface CpuBackend {
  data: { get(id: tf.DataId): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/** The sum kernel's attributes: the loss's, and the factor of the reduction (1 for 'sum', 1/n for 'mean'). */
export interface FusedBinaryLossSumAttrs extends FusedBinaryLossAttrs {
  scale: number;
}

/** The kernel's name in tfjs's registry for the summed loss ('sum' and 'mean' reductions). */
export const FUSED_BINARY_LOSS_SUM = 'FusedBinaryLossSum';

/**
 * CPU kernels: the per-element loss and its derivative, or (`summed`) the scaled sum and scaled derivative.
 * Inputs are read from the backend's data store; outputs are handed over as new float32 arrays.
 */
function cpuKernelFor(summed: boolean): tf.KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const { x, y, w } = kernelInputs(inputs);
    const b = backend as unknown as CpuBackend;
    const a = attrs as unknown as FusedBinaryLossSumAttrs;
    const n = tf.util.sizeFromShape(x.shape);
    const loss = summed ? null : new Float32Array(n);
    const grad = new Float32Array(n);
    const read = (t: tf.TensorInfo) => b.data.get(t.dataId).values;
    const scale = summed ? a.scale : 1;
    const sum = binaryLossElements(read(x), read(y), w ? read(w) : null, a, loss, grad, scale);
    const first = loss ?? Float32Array.of(sum * scale);
    return [
      b.makeTensorInfo(summed ? [] : x.shape, 'float32', first),
      b.makeTensorInfo(x.shape, 'float32', grad),
    ];
  };
}

/** The SIMD loop of ./wasm/binaryLoss.wat, instantiated on tfjs's memory. */
export type SimdLoop = (
  n4: number,
  x: number,
  y: number,
  w: number,
  loss: number,
  grad: number,
  mode: number,
  apos: number,
  aneg: number,
  gamma: number,
  beta: number,
  scale: number,
) => number;

/**
 * A tfjs flag: false keeps the WASM backend on the JavaScript loop (`binaryLossElements`) instead of the SIMD
 * module (tests compare the two; `npm run bench:train` times both).
 */
export const FUSED_LOSS_SIMD_FLAG = 'FOCAL_LAB_FUSED_LOSS_SIMD';
tf.env().registerFlag(FUSED_LOSS_SIMD_FLAG, () => true);

/** The SIMD module on a backend's memory (../tf/wasm-module.ts: compiled once per memory; null without SIMD). */
const simdModule = moduleOnTfjsMemory<{
  binaryLoss: SimdLoop;
  /** binaryLoss over groups [g0, g1), per-element only, the five floats as float32 bits (./wasm/binaryLoss.wat). */
  binaryLossRows: (...args: number[]) => void;
}>(BINARY_LOSS_WASM);

/** Groups of four elements a chunk when helper threads share the per-element loss (lib/tf/wasm-helper.ts). */
const LOSS_CHUNK = 4096;

/** A float's float32 bit pattern, for the helpers' i32 arguments. */
const f32Bits = (() => {
  const f = new Float32Array(1);
  const i = new Int32Array(f.buffer);
  return (v: number) => {
    f[0] = v;
    return i[0];
  };
})();

/** The SIMD loop on this backend's memory; null where WebAssembly SIMD or the memory is missing. */
function simdLoop(b: TfjsWasmBackend): SimdLoop | null {
  return simdModule(b)?.exports.binaryLoss ?? null;
}

/** The SIMD loop instantiated on `memory` (the module variant for a plain or a shared memory); throws without SIMD. */
export function instantiateSimdLoop(memory: WebAssembly.Memory): SimdLoop {
  return instantiateOnMemory(BINARY_LOSS_WASM, memory).binaryLoss as SimdLoop;
}

/** Whether the WASM kernel's last call found the SIMD loop (false before any call, or where it cannot compile). */
export function fusedLossSimdReady(): boolean {
  return simdModule.ready();
}

/**
 * The mode number the SIMD loop (./wasm/binaryLoss.wat) and the GPU shaders (./fusedBinaryGpu.ts) branch on:
 * 0 CE (γ = 0), 1 focal γ = 1, 2 focal γ = 2, 3 focal any other γ, 4 FL*.
 */
export function kernelMode({ mode, gamma }: FusedBinaryLossAttrs): number {
  if (mode === 'star') return 4;
  return gamma === 0 ? 0 : gamma === 1 ? 1 : gamma === 2 ? 2 : 3;
}

/** WASM kernels: as {@link cpuKernelFor}, on the backend's memory (the SIMD loop, and the JavaScript loop's tail). */
function wasmKernelFor(summed: boolean): tf.KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const { x, y, w } = kernelInputs(inputs);
    const a = attrs as unknown as FusedBinaryLossSumAttrs;
    const scale = summed ? a.scale : 1;
    const b = backend as unknown as TfjsWasmBackend;
    // Outputs first: allocating may grow the heap, which detaches every view taken before.
    const firstInfo = b.makeOutput(summed ? [] : x.shape, 'float32');
    const gradInfo = b.makeOutput(x.shape, 'float32');
    const n = tf.util.sizeFromShape(x.shape);
    const loop =
      tf.env().getBool(FUSED_LOSS_SIMD_FLAG) &&
      x.dtype === 'float32' &&
      y.dtype === 'float32' &&
      (w === null || w.dtype === 'float32')
        ? simdLoop(b)
        : null;
    // The SIMD loop takes whole groups of four; the JavaScript loop the rest (and everything without SIMD).
    const done = loop ? n - (n % 4) : 0;
    let sum = 0;
    if (loop && done > 0) {
      const at = (t: tf.TensorInfo) => b.dataIdMap.get(t.dataId)!.memoryOffset;
      const hasAlpha = a.alpha >= 0;
      const m = simdModule(b)!;
      const helper = summed ? null : kernelHelperOn(m.memory);
      if (helper && done / 4 > LOSS_CHUNK) {
        // Per-element losses on every core: each element as one call over the whole array computes it.
        const args = [0, done / 4, at(x), at(y), w ? at(w) : 0, at(firstInfo), at(gradInfo), kernelMode(a)];
        args.push(
          ...[hasAlpha ? a.alpha : 1, hasAlpha ? 1 - a.alpha : 1, a.gamma, a.beta, scale].map(f32Bits),
        );
        const mine = [...args];
        helper.shareRows('binaryLossRows', args, 0, done / 4, LOSS_CHUNK, (g0, g1) => {
          mine[0] = g0;
          mine[1] = g1;
          m.exports.binaryLossRows(...mine);
        });
      } else
        sum = loop(
          done / 4,
          at(x),
          at(y),
          w ? at(w) : 0,
          summed ? 0 : at(firstInfo),
          at(gradInfo),
          kernelMode(a),
          hasAlpha ? a.alpha : 1,
          hasAlpha ? 1 - a.alpha : 1,
          a.gamma,
          a.beta,
          scale,
        );
    }
    if (done < n) {
      const tail = (t: tf.TensorInfo) => b.typedArrayFromHeap(t).subarray(done);
      sum += binaryLossElements(
        tail(x),
        tail(y),
        w ? tail(w) : null,
        a,
        summed ? null : (tail(firstInfo) as Float32Array),
        tail(gradInfo) as Float32Array,
        scale,
      );
    }
    if (summed) (b.typedArrayFromHeap(firstInfo) as Float32Array)[0] = sum * scale;
    return [firstInfo, gradInfo];
  };
}

// Registered on import, for both backends whether or not they are loaded (tfjs looks kernels up by backend name
// at run time). New kernel names, not patches: no stock computation changes (see ../tf/kernel-patch.ts).
for (const [kernelName, summed] of [
  [FUSED_BINARY_LOSS, false],
  [FUSED_BINARY_LOSS_SUM, true],
] as const) {
  for (const [backendName, kernelFor] of [
    ['cpu', cpuKernelFor],
    ['wasm', wasmKernelFor],
  ] as const) {
    if (!tf.getKernel(kernelName, backendName)) {
      tf.registerKernel({ kernelName, backendName, kernelFunc: kernelFor(summed) });
    }
  }
}

/** Whether the active backend has the fused kernel and the flag allows it. */
export function fusedBinaryLossAvailable(): boolean {
  return tf.env().getBool(FUSED_LOSS_FLAG) && tf.getKernel(FUSED_BINARY_LOSS, tf.getBackend()) !== undefined;
}

/**
 * Runs `kernelName` (which returns a value and the derivative of that value with respect to x) as a
 * differentiable function of `x`: the backward pass is dy times the saved derivative. `y` and `w` are constants.
 */
function withSavedDerivative(
  kernelName: string,
  x: tf.Tensor,
  y: tf.Tensor,
  w: tf.Tensor | null,
  attrs: FusedBinaryLossAttrs | FusedBinaryLossSumAttrs,
): tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xi = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const inputs: tf.NamedTensorMap = w === null ? { x: xi, y } : { x: xi, y, w };
    const [value, derivative] = tf
      .engine()
      .runKernel(kernelName, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    save([derivative]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]),
    };
  }) as unknown as (x: tf.Tensor) => tf.Tensor;
  return f(x);
}

/**
 * The per-element loss through the fused kernel, differentiable with respect to `x` (float32, any shape);
 * `y` and `w` (same shape as x, or null) are constants.
 */
export function fusedBinaryLoss(
  x: tf.Tensor,
  y: tf.Tensor,
  w: tf.Tensor | null,
  attrs: FusedBinaryLossAttrs,
): tf.Tensor {
  return withSavedDerivative(FUSED_BINARY_LOSS, x, y, w, attrs);
}

/**
 * The summed loss through the sum kernel, times `scale` (1: 'sum'; 1/n: 'mean'), differentiable with respect to
 * `x`: a scalar, whose gradient is dy times the derivatives the kernel saved (already scaled).
 */
export function fusedBinaryLossSum(
  x: tf.Tensor,
  y: tf.Tensor,
  w: tf.Tensor | null,
  attrs: FusedBinaryLossAttrs,
  scale: number,
): tf.Tensor {
  return withSavedDerivative(FUSED_BINARY_LOSS_SUM, x, y, w, { ...attrs, scale });
}
