/**
 * GroupNorm (Wu & He 2018) followed by ReLU, the backbone's normalisation (./model.ts): one home for both of its
 * paths.
 *
 *   z = (x − μ_{b,g}) · r_{b,g} · scale_c + shift_c,   r = 1/√(σ²_{b,g} + ε),   y = max(z, 0)   (ReLU optional)
 *
 * over x [B, H, W, C] (NHWC), with μ and σ² taken over (H, W, and the C/G channels of group g); ε = 1e-5.
 *
 * - **Composite** (`groupNormOps`): tfjs ops, differentiated by tfjs's tape: ~10 launches forward, ~20 backward,
 *   and two transposes each way (see its comment). The path on WebGL and WebGPU.
 * - **Fused** (issue 13, item 3): one kernel forward (`FusedGroupNorm`: y, and the μ and r the backward needs, μ
 *   to float64 accuracy) and one backward (`FusedGroupNormGrad`: dx, dscale, dshift), registered for the CPU and
 *   WASM backends. On WASM each is a few WebAssembly SIMD passes over the tensors where tfjs keeps them
 *   (./groupNormSimd.ts); on the CPU backend, and on WASM where C is not a multiple of 4, the same passes as
 *   JavaScript loops (below). Statistics and the backward's reductions are summed in float64.
 *   `npm run bench:train` times both paths; `-- --profile` shows what the kernels replaced (Transpose, Sum, Mean,
 *   Multiply, Add, Sub, Relu and their gradients: 1,241 → 791 launches a step).
 *
 * Backward, with g = dy·[y > 0] (dy without ReLU), x̂ = (x − μ)·r and n = H·W·C/G:
 *   dshift_c = Σ_{b,h,w} g,   dscale_c = Σ_{b,h,w} g·x̂,
 *   dx = r · (ĝ − mean_{group}(ĝ) − x̂ · mean_{group}(ĝ·x̂)),   ĝ = g·scale_c.
 * (The derivative of the normalisation: x̂ depends on x through μ and r; the two group means are those terms.)
 *
 * tests/golden/groupnorm.test.ts checks every path against PyTorch (tests/golden/data/groupnorm);
 * tests/unit/detector/groupNorm.test.ts checks the paths against each other, the fallback and memory hygiene.
 */
import * as tf from '@tensorflow/tfjs-core';
import { groupNormBackwardSimd, groupNormForwardSimd } from './groupNormSimd';
import type { TfjsWasmBackend } from '../tf/wasm-module';

/** ε of the variance, as torch.nn.GroupNorm's default. */
export const GROUP_NORM_EPS = 1e-5;

/** The kernels' names in tfjs's registry. */
export const FUSED_GROUP_NORM = 'FusedGroupNorm';
export const FUSED_GROUP_NORM_GRAD = 'FusedGroupNormGrad';

/**
 * A tfjs flag: false makes `groupNormRelu` take the composite path even where the kernels exist (tests compare
 * the paths; the GPU kernel-coverage test checks the composite path's kernels).
 */
export const FUSED_GROUP_NORM_FLAG = 'FOCAL_LAB_FUSED_GROUP_NORM';
tf.env().registerFlag(FUSED_GROUP_NORM_FLAG, () => true);

/**
 * A tfjs flag: false keeps the WASM backend on the JavaScript loops instead of the SIMD passes (tests compare the
 * two).
 */
export const FUSED_GROUP_NORM_SIMD_FLAG = 'FOCAL_LAB_FUSED_GROUP_NORM_SIMD';
tf.env().registerFlag(FUSED_GROUP_NORM_SIMD_FLAG, () => true);

/** The kernels' attributes. */
export interface FusedGroupNormAttrs {
  groups: number;
  relu: boolean;
}

/**
 * GroupNorm as tfjs ops (the composite path), x [B, H, W, C] → same shape; scale, shift [C].
 *
 * Computed in a channels-first layout [B, G, (C/G)·H·W]: the statistics are then reductions over the LAST axis
 * and every broadcast is of a trailing singleton ([B, G, 1], [C, 1]) — the fast paths of the WASM binary and
 * reduction kernels. The direct NHWC form ([B, HW, G, C/G] with stats [B, 1, G, 1]) was ~3× slower forward
 * and backward there (19.5 → 7.4 ms for [16, 32, 32, 16]), even counting the two transposes.
 */
export function groupNormOps(
  x: tf.Tensor4D,
  scale: tf.Tensor,
  shift: tf.Tensor,
  groups: number,
): tf.Tensor4D {
  const [B, H, W, C] = x.shape;
  const xt = tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [B, groups, (C / groups) * H * W]);
  const centered = tf.sub(xt, tf.mean(xt, 2, true));
  const variance = tf.mean(tf.square(centered), 2, true);
  const y = tf.reshape(tf.mul(centered, tf.rsqrt(tf.add(variance, GROUP_NORM_EPS))), [B, C, H * W]);
  const z = tf.add(tf.mul(y, tf.reshape(scale, [C, 1])), tf.reshape(shift, [C, 1]));
  return tf.transpose(tf.reshape(z, [B, C, H, W]), [0, 2, 3, 1]) as tf.Tensor4D;
}

/** Whether the active backend has the fused kernels and the flag allows them. */
export function fusedGroupNormAvailable(): boolean {
  const backend = tf.getBackend();
  return (
    tf.env().getBool(FUSED_GROUP_NORM_FLAG) &&
    tf.getKernel(FUSED_GROUP_NORM, backend) !== undefined &&
    tf.getKernel(FUSED_GROUP_NORM_GRAD, backend) !== undefined
  );
}

/**
 * GroupNorm, then ReLU when `relu`: the fused kernels where the backend has them, else tfjs ops. Differentiable
 * with respect to x, scale and shift. x [B, H, W, C] float32, C divisible by `groups`; scale, shift [C].
 */
export function groupNormRelu(
  x: tf.Tensor4D,
  scale: tf.Tensor,
  shift: tf.Tensor,
  groups: number,
  relu = true,
): tf.Tensor4D {
  const C = x.shape[3];
  if (!Number.isInteger(groups) || groups < 1 || C % groups !== 0)
    throw new RangeError(`groupNorm: ${C} channels cannot be split into ${groups} groups`);
  if (!fusedGroupNormAvailable()) {
    const z = groupNormOps(x, scale, shift, groups);
    return relu ? tf.relu(z) : z;
  }
  const attrs: FusedGroupNormAttrs = { groups, relu };
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, si, hi] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const [y, mean, rstd] = tf
      .engine()
      .runKernel(
        FUSED_GROUP_NORM,
        { x: xi, scale: si, shift: hi },
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor[];
    save([xi, si, y, mean, rstd]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ss, ys, ms, rs] = saved;
        return tf
          .engine()
          .runKernel(
            FUSED_GROUP_NORM_GRAD,
            { dy, x: xs, scale: ss, y: ys, mean: ms, rstd: rs },
            attrs as unknown as tf.NamedAttrMap,
          ) as tf.Tensor[];
      },
    };
  }) as unknown as (x: tf.Tensor, s: tf.Tensor, h: tf.Tensor) => tf.Tensor4D;
  // μ and r are kernel outputs no one else holds: customGrad keeps the saved tensors while a tape records and
  // frees them otherwise, also outside tf.tidy (tests/unit/detector/groupNorm.test.ts).
  return f(x, scale, shift);
}

type Arr = tf.TypedArray;

/** The channel → group map, for C channels in G groups of C/G consecutive channels. */
function groupOf(C: number, G: number): Int32Array {
  const cpg = C / G;
  return Int32Array.from({ length: C }, (_, c) => Math.floor(c / cpg));
}

// The loops below run over one sample's [HW, C] block as `for pixel, for channel`, with per-channel float64
// accumulators folded into groups afterwards: no group lookup and no modulo in the inner loop (3× faster in V8
// than one flat loop with a channel counter).

/**
 * The forward pass on plain arrays: y from x [B, HW, C] (NHWC flattened), and per (b, g) μ (as two float32s,
 * `mean` [B, G, 2]) and r (`rstd` [B, G]); float64 accumulators. Pure; the kernels call it on views of backend
 * memory.
 */
export function groupNormForward(
  x: Arr,
  scale: Arr,
  shift: Arr,
  [B, HW, C]: [number, number, number],
  G: number,
  relu: boolean,
  y: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
): void {
  const grp = groupOf(C, G);
  const n = HW * (C / G);
  const acc = new Float64Array(C);
  const gs = new Float64Array(G);
  const muC = new Float64Array(C); // μ of each channel's group
  const a = new Float64Array(C); // r·scale_c
  const b0 = new Float64Array(C); // shift_c − μ·r·scale_c
  for (let b = 0; b < B; b++) {
    const base = b * HW * C;
    acc.fill(0);
    for (let p = 0, i = base; p < HW; p++) for (let c = 0; c < C; c++, i++) acc[c] += x[i];
    gs.fill(0);
    for (let c = 0; c < C; c++) gs[grp[c]] += acc[c];
    for (let c = 0; c < C; c++) muC[c] = gs[grp[c]] / n;
    // Two passes: the variance of centred values has no cancellation (E[x²] − μ² would, for |μ| ≫ σ).
    acc.fill(0);
    for (let p = 0, i = base; p < HW; p++)
      for (let c = 0; c < C; c++, i++) {
        const d = x[i] - muC[c];
        acc[c] += d * d;
      }
    gs.fill(0);
    for (let c = 0; c < C; c++) gs[grp[c]] += acc[c];
    for (let g = 0; g < G; g++) gs[g] = 1 / Math.sqrt(gs[g] / n + GROUP_NORM_EPS);
    for (let c = 0; c < C; c++) {
      const g = grp[c];
      a[c] = gs[g] * scale[c];
      b0[c] = shift[c] - muC[c] * a[c];
      if (c === 0 || grp[c - 1] !== g) {
        // μ as an unevaluated sum hi + lo of two float32s: the backward needs x − μ to float64 accuracy when
        // |μ| ≫ σ (one float32 ulp of μ = 1000 is 6·10⁻⁵, 0.6 % of σ = 0.01).
        const hi = Math.fround(muC[c]);
        mean[2 * (b * G + g)] = hi;
        mean[2 * (b * G + g) + 1] = muC[c] - hi;
        rstd[b * G + g] = gs[g];
      }
    }
    if (relu) {
      for (let p = 0, i = base; p < HW; p++)
        for (let c = 0; c < C; c++, i++) {
          const z = x[i] * a[c] + b0[c];
          y[i] = z > 0 ? z : 0;
        }
    } else {
      for (let p = 0, i = base; p < HW; p++) for (let c = 0; c < C; c++, i++) y[i] = x[i] * a[c] + b0[c];
    }
  }
}

/**
 * The backward pass on plain arrays (formulas in the module comment): dx, dscale, dshift from dy, x, scale, the
 * forward's y (for the ReLU's mask) and its μ, r. Sums in float64. Pure.
 */
export function groupNormBackward(
  dy: Arr,
  x: Arr,
  scale: Arr,
  y: Arr,
  mean: Arr,
  rstd: Arr,
  [B, HW, C]: [number, number, number],
  G: number,
  relu: boolean,
  dx: Float32Array,
  dscale: Float32Array,
  dshift: Float32Array,
): void {
  const grp = groupOf(C, G);
  const n = HW * (C / G);
  const dsc = new Float64Array(C);
  const dsh = new Float64Array(C);
  const muC = new Float64Array(C);
  const rC = new Float64Array(C);
  const sumG = new Float64Array(C); // per sample: Σ g per channel
  const sumGX = new Float64Array(C); // per sample: Σ g·(x − μ) per channel
  const sg = new Float64Array(G); // mean of ĝ over the group
  const sgx = new Float64Array(G); // mean of ĝ·x̂ over the group
  const k1 = new Float64Array(C); // dx = x·k1[c]·... see below
  const k0 = new Float64Array(C);
  const k2 = new Float64Array(C);
  for (let b = 0; b < B; b++) {
    const base = b * HW * C;
    for (let c = 0; c < C; c++) {
      const j = b * G + grp[c];
      muC[c] = mean[2 * j] + mean[2 * j + 1];
      rC[c] = rstd[j];
    }
    sumG.fill(0);
    sumGX.fill(0);
    for (let p = 0, i = base; p < HW; p++)
      for (let c = 0; c < C; c++, i++) {
        const g = relu && !(y[i] > 0) ? 0 : dy[i];
        sumG[c] += g;
        sumGX[c] += g * (x[i] - muC[c]);
      }
    sg.fill(0);
    sgx.fill(0);
    for (let c = 0; c < C; c++) {
      const gx = sumGX[c] * rC[c]; // Σ g·x̂ over this sample's pixels
      dsh[c] += sumG[c];
      dsc[c] += gx;
      sg[grp[c]] += sumG[c] * scale[c];
      sgx[grp[c]] += gx * scale[c];
    }
    // dx = r·(g·scale_c − sg − (x − μ)·r·sgx) = g·k2[c] + (x − μ)·k1[c] + k0[c]
    for (let c = 0; c < C; c++) {
      const r = rC[c];
      k2[c] = r * scale[c];
      k1[c] = -r * r * (sgx[grp[c]] / n);
      k0[c] = -r * (sg[grp[c]] / n);
    }
    for (let p = 0, i = base; p < HW; p++)
      for (let c = 0; c < C; c++, i++) {
        const g = relu && !(y[i] > 0) ? 0 : dy[i];
        dx[i] = g * k2[c] + (x[i] - muC[c]) * k1[c] + k0[c];
      }
  }
  for (let c = 0; c < C; c++) {
    dscale[c] = dsc[c];
    dshift[c] = dsh[c];
  }
}

/** The members of the CPU backend the kernels use. */
interface CpuBackend {
  data: { get(id: tf.DataId): { values: Arr } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Arr): tf.TensorInfo;
}

/** A float32 input of a kernel, or a clear error. */
function need(inputs: tf.NamedTensorInfoMap, name: string, kernel: string): tf.TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`${kernel}: missing input '${name}'.`);
  if (t.dtype !== 'float32') throw new Error(`${kernel}: input '${name}' must be float32, got ${t.dtype}.`);
  return t;
}

/** [B, H·W, C] of x's NHWC shape. */
function dims(x: tf.TensorInfo, kernel: string): [number, number, number] {
  const s = x.shape;
  if (s.length !== 4) throw new Error(`${kernel}: x must be [B, H, W, C], got [${s.join(', ')}].`);
  return [s[0], s[1] * s[2], s[3]];
}

/** The forward kernel's inputs, attributes and output shapes. */
function forwardArgs(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined) {
  const k = FUSED_GROUP_NORM;
  const [x, scale, shift] = ['x', 'scale', 'shift'].map((n) => need(inputs, n, k));
  const { groups, relu } = attrs as unknown as FusedGroupNormAttrs;
  const d = dims(x, k);
  return { x, scale, shift, groups, relu, d, shapes: [x.shape, [d[0], groups, 2], [d[0], groups]] };
}

/** The backward kernel's inputs, attributes and output shapes. */
function backwardArgs(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined) {
  const k = FUSED_GROUP_NORM_GRAD;
  const [dy, x, scale, y, mean, rstd] = ['dy', 'x', 'scale', 'y', 'mean', 'rstd'].map((n) =>
    need(inputs, n, k),
  );
  const { groups, relu } = attrs as unknown as FusedGroupNormAttrs;
  const d = dims(x, k);
  return { dy, x, scale, y, mean, rstd, groups, relu, d, shapes: [x.shape, [d[2]], [d[2]]] };
}

/** CPU: the JavaScript loops on the backend's arrays; outputs handed over as new float32 arrays. */
const cpuForward: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as CpuBackend;
  const a = forwardArgs(inputs, attrs);
  const outs = a.shapes.map((s) => new Float32Array(tf.util.sizeFromShape(s)));
  const read = (t: tf.TensorInfo) => b.data.get(t.dataId).values;
  groupNormForward(read(a.x), read(a.scale), read(a.shift), a.d, a.groups, a.relu, outs[0], outs[1], outs[2]);
  return a.shapes.map((s, i) => b.makeTensorInfo(s, 'float32', outs[i]));
};

const cpuBackward: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as CpuBackend;
  const a = backwardArgs(inputs, attrs);
  const outs = a.shapes.map((s) => new Float32Array(tf.util.sizeFromShape(s)));
  const read = (t: tf.TensorInfo) => b.data.get(t.dataId).values;
  const [dy, x, scale, y, mean, rstd] = [a.dy, a.x, a.scale, a.y, a.mean, a.rstd].map(read);
  groupNormBackward(dy, x, scale, y, mean, rstd, a.d, a.groups, a.relu, outs[0], outs[1], outs[2]);
  return a.shapes.map((s, i) => b.makeTensorInfo(s, 'float32', outs[i]));
};

/**
 * WASM: the SIMD passes (./groupNormSimd.ts) where they can run, else the JavaScript loops on views of tfjs's
 * memory. Outputs are allocated before any view is taken: allocating may grow, and so detach, the memory.
 */
const wasmForward: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as TfjsWasmBackend;
  const a = forwardArgs(inputs, attrs);
  const [y, mean, rstd] = a.shapes.map((s) => b.makeOutput(s, 'float32'));
  const simd =
    tf.env().getBool(FUSED_GROUP_NORM_SIMD_FLAG) &&
    groupNormForwardSimd(b, a, { y, mean, rstd }, a.d, a.groups, a.relu, GROUP_NORM_EPS);
  if (!simd) {
    const v = (t: tf.TensorInfo) => b.typedArrayFromHeap(t);
    const f = (t: tf.TensorInfo) => v(t) as Float32Array;
    groupNormForward(v(a.x), v(a.scale), v(a.shift), a.d, a.groups, a.relu, f(y), f(mean), f(rstd));
  }
  return [y, mean, rstd];
};

const wasmBackward: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as TfjsWasmBackend;
  const a = backwardArgs(inputs, attrs);
  const [dx, dscale, dshift] = a.shapes.map((s) => b.makeOutput(s, 'float32'));
  const simd =
    tf.env().getBool(FUSED_GROUP_NORM_SIMD_FLAG) &&
    groupNormBackwardSimd(b, a, { dx, dscale, dshift }, a.d, a.groups, a.relu);
  if (!simd) {
    const v = (t: tf.TensorInfo) => b.typedArrayFromHeap(t);
    const f = (t: tf.TensorInfo) => v(t) as Float32Array;
    const [dy, x, scale, y, mean, rstd] = [a.dy, a.x, a.scale, a.y, a.mean, a.rstd].map(v);
    groupNormBackward(dy, x, scale, y, mean, rstd, a.d, a.groups, a.relu, f(dx), f(dscale), f(dshift));
  }
  return [dx, dscale, dshift];
};

// Registered on import for both backends, whether or not they are loaded (tfjs looks kernels up by backend name
// at run time). New kernel names, not patches: no stock computation changes (see ../tf/kernel-patch.ts).
for (const [backendName, forward, backward] of [
  ['cpu', cpuForward, cpuBackward],
  ['wasm', wasmForward, wasmBackward],
] as const) {
  for (const [kernelName, kernelFunc] of [
    [FUSED_GROUP_NORM, forward],
    [FUSED_GROUP_NORM_GRAD, backward],
  ] as const) {
    if (!tf.getKernel(kernelName, backendName)) tf.registerKernel({ kernelName, backendName, kernelFunc });
  }
}
