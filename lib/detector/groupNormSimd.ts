/**
 * The WASM backend's fused GroupNorm passes as WebAssembly SIMD (./wasm/groupNorm.wat, compiled by
 * scripts/build-wasm.mjs into ./wasm/groupNormWasm.ts), driven from ./groupNorm.ts: the loops over every element
 * run in the module, on tfjs's own memory; the per-channel and per-group arithmetic between them (C values a
 * sample) runs here in float64. Same formulas as groupNorm.ts's JavaScript loops, which remain the CPU backend's
 * path and the fallback where SIMD or the memory is missing or C is not a multiple of 4.
 *
 * Why not the JavaScript loops on WASM too: they read tfjs's memory through typed-array views at a few ns per
 * element and pass, which made the fused GroupNorm *slower* than the ten tfjs ops it replaces (a training step of
 * the default design, batch 16, interleaved: 196.7 ms against 190.2 ms); four lanes in WebAssembly are not.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { GROUP_NORM_WASM } from './wasm/groupNormWasm';
import { moduleOnTfjsMemory, type TfjsWasmBackend } from '../tf/wasm-module';

/** The module's exports: byte offsets into tfjs's memory, sizes in elements (see ./wasm/groupNorm.wat). */
interface GroupNormSimd {
  chanSum(x: number, hw: number, c: number, out: number): void;
  chanSqDev(x: number, hw: number, c: number, muHi: number, muLo: number, out: number): void;
  affine(
    x: number,
    y: number,
    hw: number,
    c: number,
    muHi: number,
    muLo: number,
    a: number,
    shift: number,
    relu: number,
  ): void;
  chanGrad(
    dy: number,
    x: number,
    y: number,
    hw: number,
    c: number,
    muHi: number,
    muLo: number,
    relu: number,
    outG: number,
    outGD: number,
  ): void;
  gradX(
    dy: number,
    x: number,
    y: number,
    dx: number,
    hw: number,
    c: number,
    muHi: number,
    muLo: number,
    k2: number,
    k1: number,
    k0: number,
    relu: number,
  ): void;
}

/** The module on a backend's memory (../tf/wasm-module.ts: compiled once per memory; null without SIMD). */
const simdFor = moduleOnTfjsMemory<GroupNormSimd>(GROUP_NORM_WASM);

/** The module and the scratch of one kernel call: two float64[C] sums, then five float32[C] per-channel vectors. */
interface Scratch {
  simd: GroupNormSimd;
  /** Byte offsets of the seven arrays, for the module. */
  at: { s1: number; s2: number; muHi: number; muLo: number; v0: number; v1: number; v2: number };
  /** Views of the same arrays, for the JavaScript between the passes. */
  s1: Float64Array;
  s2: Float64Array;
  muHi: Float32Array;
  muLo: Float32Array;
  v0: Float32Array;
  v1: Float32Array;
  v2: Float32Array;
}

/**
 * Runs `work` with the module and a scratch of 10·C float32s on tfjs's memory (freed after); false, without
 * running it, where SIMD cannot: no SIMD, no memory, or C not a multiple of 4. Call after allocating the
 * kernel's outputs: the views taken here stay valid only while nothing else is allocated.
 */
function withScratch(b: TfjsWasmBackend, C: number, work: (s: Scratch) => void): boolean {
  if (C % 4 !== 0) return false;
  const info = b.makeOutput([10 * C], 'float32');
  try {
    const m = simdFor(b);
    if (!m) return false;
    const base = b.dataIdMap.get(info.dataId)!.memoryOffset;
    const at = {
      s1: base,
      s2: base + 8 * C,
      muHi: base + 16 * C,
      muLo: base + 20 * C,
      v0: base + 24 * C,
      v1: base + 28 * C,
      v2: base + 32 * C,
    };
    const f64 = (o: number) => new Float64Array(m.memory.buffer, o, C);
    const f32 = (o: number) => new Float32Array(m.memory.buffer, o, C);
    work({
      simd: m.exports,
      at,
      s1: f64(at.s1),
      s2: f64(at.s2),
      muHi: f32(at.muHi),
      muLo: f32(at.muLo),
      v0: f32(at.v0),
      v1: f32(at.v1),
      v2: f32(at.v2),
    });
    return true;
  } finally {
    b.disposeData(info.dataId, true);
  }
}

/** Tensors as byte offsets into tfjs's memory. */
const offsetOf = (b: TfjsWasmBackend, t: tf.TensorInfo) => b.dataIdMap.get(t.dataId)!.memoryOffset;

/**
 * The forward kernel's work with SIMD, into the already allocated outputs; false (nothing done) where SIMD cannot
 * run it. x [B, HW, C] NHWC; mean [B, G, 2] (μ as float32 hi + lo); rstd [B, G]; ε of the variance.
 */
export function groupNormForwardSimd(
  b: TfjsWasmBackend,
  inputs: { x: tf.TensorInfo; scale: tf.TensorInfo; shift: tf.TensorInfo },
  out: { y: tf.TensorInfo; mean: tf.TensorInfo; rstd: tf.TensorInfo },
  [B, HW, C]: [number, number, number],
  G: number,
  relu: boolean,
  eps: number,
): boolean {
  return withScratch(b, C, (s) => {
    const { simd, at, s1: sum, s2: sq, muHi, muLo, v0: fa, v1: sh } = s;
    const scale = b.typedArrayFromHeap(inputs.scale);
    sh.set(b.typedArrayFromHeap(inputs.shift));
    const mean = b.typedArrayFromHeap(out.mean);
    const rstd = b.typedArrayFromHeap(out.rstd);
    const cpg = C / G;
    const n = HW * cpg;
    const [x0, y0] = [offsetOf(b, inputs.x), offsetOf(b, out.y)];
    for (let i = 0; i < B; i++) {
      const xi = x0 + 4 * i * HW * C;
      simd.chanSum(xi, HW, C, at.s1);
      for (let g = 0; g < G; g++) {
        let t = 0;
        for (let c = g * cpg; c < (g + 1) * cpg; c++) t += sum[c];
        const mu = t / n;
        const hi = Math.fround(mu);
        mean[2 * (i * G + g)] = hi;
        mean[2 * (i * G + g) + 1] = mu - hi;
        for (let c = g * cpg; c < (g + 1) * cpg; c++) {
          muHi[c] = hi;
          muLo[c] = mu - hi;
        }
      }
      simd.chanSqDev(xi, HW, C, at.muHi, at.muLo, at.s2);
      for (let g = 0; g < G; g++) {
        let t = 0;
        for (let c = g * cpg; c < (g + 1) * cpg; c++) t += sq[c];
        const r = 1 / Math.sqrt(t / n + eps);
        rstd[i * G + g] = r;
        for (let c = g * cpg; c < (g + 1) * cpg; c++) fa[c] = r * scale[c];
      }
      simd.affine(xi, y0 + 4 * i * HW * C, HW, C, at.muHi, at.muLo, at.v0, at.v1, relu ? 1 : 0);
    }
  });
}

/**
 * The backward kernel's work with SIMD, into the already allocated outputs; false (nothing done) where SIMD
 * cannot run it. Formulas in ./groupNorm.ts.
 */
export function groupNormBackwardSimd(
  b: TfjsWasmBackend,
  inputs: {
    dy: tf.TensorInfo;
    x: tf.TensorInfo;
    scale: tf.TensorInfo;
    y: tf.TensorInfo;
    mean: tf.TensorInfo;
    rstd: tf.TensorInfo;
  },
  out: { dx: tf.TensorInfo; dscale: tf.TensorInfo; dshift: tf.TensorInfo },
  [B, HW, C]: [number, number, number],
  G: number,
  relu: boolean,
): boolean {
  return withScratch(b, C, (s) => {
    const { simd, at, s1: sumG, s2: sumGD, muHi, muLo, v0: k2, v1: k1, v2: k0 } = s;
    const scale = b.typedArrayFromHeap(inputs.scale);
    const mean = b.typedArrayFromHeap(inputs.mean);
    const rstd = b.typedArrayFromHeap(inputs.rstd);
    const dsc = new Float64Array(C);
    const dsh = new Float64Array(C);
    const cpg = C / G;
    const n = HW * cpg;
    const [dy0, x0, y0, dx0] = [inputs.dy, inputs.x, inputs.y, out.dx].map((t) => offsetOf(b, t));
    for (let i = 0; i < B; i++) {
      const o = 4 * i * HW * C;
      for (let c = 0; c < C; c++) {
        const j = i * G + Math.floor(c / cpg);
        muHi[c] = mean[2 * j];
        muLo[c] = mean[2 * j + 1];
      }
      simd.chanGrad(dy0 + o, x0 + o, y0 + o, HW, C, at.muHi, at.muLo, relu ? 1 : 0, at.s1, at.s2);
      for (let g = 0; g < G; g++) {
        const r = rstd[i * G + g];
        let sg = 0;
        let sgx = 0;
        for (let c = g * cpg; c < (g + 1) * cpg; c++) {
          const gx = sumGD[c] * r; // Σ g·x̂ over this sample's pixels
          dsh[c] += sumG[c];
          dsc[c] += gx;
          sg += sumG[c] * scale[c];
          sgx += gx * scale[c];
        }
        for (let c = g * cpg; c < (g + 1) * cpg; c++) {
          k2[c] = r * scale[c];
          k1[c] = -r * r * (sgx / n);
          k0[c] = -r * (sg / n);
        }
      }
      simd.gradX(
        dy0 + o,
        x0 + o,
        y0 + o,
        dx0 + o,
        HW,
        C,
        at.muHi,
        at.muLo,
        at.v0,
        at.v1,
        at.v2,
        relu ? 1 : 0,
      );
    }
    b.typedArrayFromHeap(out.dscale).set(dsc);
    b.typedArrayFromHeap(out.dshift).set(dsh);
  });
}
