/**
 * The fused hard-target loss kernels of ./fusedBinary.ts (`FusedBinaryLoss`, `FusedBinaryLossSum`) on the GPU
 * backends (issue 13, item 4): for WebGPU one compute shader, for WebGL one fragment shader, each computing every
 * element's loss and its derivative with respect to the logit in one pass, with the same closed forms as the CPU
 * and WASM kernels (the module comment of ./fusedBinary.ts). Registered on import; ./binary.ts imports this file.
 *
 * One output, two halves: a shader writes one tensor, so the loss goes to its first half and the scaled derivative
 * to its second ([2n] for WebGPU, [2, n] for WebGL), which the kernel slices apart. The sum kernel then sums the
 * first half with the backend's own reduction (a GPU has no cheap float64 accumulator).
 *
 * Precision: WGSL's `log` is only specified to 2⁻²¹ absolute error near 1, which would cost log1p(e) its relative
 * precision for small e = exp(−|x_t|), exactly the easy examples focal loss is about. So log1p(e), e ∈ [0, 1], is
 * the series 2·atanh(s) = 2(s + s³/3 + … + s¹⁹/19), s = e/(2 + e) ≤ 1/3, truncation < 10⁻¹⁰ relative: no `log`
 * at all. `exp` keeps the specified 3 + 2|x| ulp (≤ 2·10⁻⁵ relative up to |x| = 88, where exp underflows), inside
 * the golden tolerance (1e-6 + 1e-4·|want|, tests/helpers/close.ts), which tests/e2e/gpu-loss.test.ts holds both
 * shaders to in Chromium (SwiftShader's WebGL and WebGPU).
 *
 * No backend package is imported: a WebGPU or WebGL program is a plain object the backend compiles, so pages whose
 * figures use lib/loss on the CPU do not ship either backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  FUSED_BINARY_LOSS,
  FUSED_BINARY_LOSS_SUM,
  kernelMode,
  type FusedBinaryLossSumAttrs,
} from './fusedBinary';

/** The shader's parameters, in the order both programs declare them. */
function uniformValues(a: FusedBinaryLossSumAttrs, n: number, summed: boolean): number[] {
  const hasAlpha = a.alpha >= 0;
  return [
    n,
    kernelMode(a),
    hasAlpha ? a.alpha : 1,
    hasAlpha ? 1 - a.alpha : 1,
    a.gamma,
    a.beta,
    summed ? a.scale : 1,
  ];
}

/** log1p(e) for e ∈ [0, 1] without `log` (see the module comment): Horner form of the atanh series. */
const LOG1P_TERMS = [19, 17, 15, 13, 11, 9, 7, 5, 3].map((k) => `t = ${(1 / k).toPrecision(9)} + s2 * t;`);

/** The WGSL of the WebGPU kernel: thread i writes result[i] (loss) and result[n + i] (derivative). */
function wgsl(hasWeight: boolean): string {
  return `
      fn focalLabLog1p(e : f32) -> f32 {
        let s = e / (2.0 + e);
        let s2 = s * s;
        var t = 0.0;
        ${LOG1P_TERMS.join('\n        ')}
        t = 1.0 + s2 * t;
        return 2.0 * s * t;
      }
      fn main(index : i32) {
        if (index < uniforms.flN) {
          let pos = y[index] > 0.5;
          let xt = select(-x[index], x[index], pos);
          var wt = select(uniforms.flAlphaNeg, uniforms.flAlphaPos, pos);
          ${hasWeight ? 'wt = wt * w[index];' : ''}
          var l = 0.0;
          var dxt = 0.0;
          if (uniforms.flMode == 4) {
            let z = uniforms.flGamma * xt + uniforms.flBeta;
            let e = exp(-abs(z));
            l = wt * (max(-z, 0.0) + focalLabLog1p(e)) / uniforms.flGamma;
            dxt = -wt * select(1.0 / (1.0 + e), e / (1.0 + e), z >= 0.0);
          } else {
            let e = exp(-abs(xt));
            let r = 1.0 / (1.0 + e);
            let lg = focalLabLog1p(e);
            let ce = max(-xt, 0.0) + lg;
            let q = select(r, e * r, xt >= 0.0);
            if (uniforms.flMode == 0) {
              l = wt * ce;
              dxt = -wt * q;
            } else {
              let p = select(e * r, r, xt >= 0.0);
              var factor = q;
              if (uniforms.flMode == 2) {
                factor = q * q;
              } else if (uniforms.flMode == 3) {
                factor = exp(-uniforms.flGamma * (max(xt, 0.0) + lg));
              }
              l = wt * ce * factor;
              dxt = -wt * factor * (q + uniforms.flGamma * p * ce);
            }
          }
          result[index] = l * uniforms.flScale;
          result[index + uniforms.flN] = select(-dxt, dxt, pos) * uniforms.flScale;
        }
      }`;
}

/** The GLSL of the WebGL kernel: output texel (0, i) is element i's loss, (1, i) its derivative. */
function glsl(hasWeight: boolean): string {
  return `
      float focalLabLog1p(float e) {
        float s = e / (2.0 + e);
        float s2 = s * s;
        float t = 0.0;
        ${LOG1P_TERMS.join('\n        ')}
        t = 1.0 + s2 * t;
        return 2.0 * s * t;
      }
      void main() {
        ivec2 rc = getOutputCoords();
        int i = rc.y;
        float xv = getX(i);
        bool pos = getY(i) > 0.5;
        float xt = pos ? xv : -xv;
        float wt = pos ? flAlphaPos : flAlphaNeg;
        ${hasWeight ? 'wt *= getW(i);' : ''}
        float l;
        float dxt;
        if (flMode == 4) {
          float z = flGamma * xt + flBeta;
          float e = exp(-abs(z));
          l = wt * (max(-z, 0.0) + focalLabLog1p(e)) / flGamma;
          dxt = -wt * (z >= 0.0 ? e / (1.0 + e) : 1.0 / (1.0 + e));
        } else {
          float e = exp(-abs(xt));
          float r = 1.0 / (1.0 + e);
          float lg = focalLabLog1p(e);
          float ce = max(-xt, 0.0) + lg;
          float q = xt >= 0.0 ? e * r : r;
          if (flMode == 0) {
            l = wt * ce;
            dxt = -wt * q;
          } else {
            float p = xt >= 0.0 ? r : e * r;
            float factor = q;
            if (flMode == 2) {
              factor = q * q;
            } else if (flMode == 3) {
              factor = exp(-flGamma * (max(xt, 0.0) + lg));
            }
            l = wt * ce * factor;
            dxt = -wt * factor * (q + flGamma * p * ce);
          }
        }
        setOutput(rc.x == 0 ? l * flScale : (pos ? dxt : -dxt) * flScale);
      }`;
}

/** Uniform names and types, in `uniformValues` order. */
const UNIFORMS = [
  ['flN', 'int'],
  ['flMode', 'int'],
  ['flAlphaPos', 'float'],
  ['flAlphaNeg', 'float'],
  ['flGamma', 'float'],
  ['flBeta', 'float'],
  ['flScale', 'float'],
] as const;

/** What the kernels use of the WebGPU backend (tfjs-backend-webgpu 4.22 `WebGPUBackend`). */
interface WebGpuBackendLike {
  runWebGPUProgram(
    program: object,
    inputs: tf.TensorInfo[],
    outputDtype: tf.DataType,
    uniforms: { type: string; data: number[] }[],
  ): tf.TensorInfo;
}

/** What the kernels use of the WebGL backend (tfjs-backend-webgl 4.22 `MathBackendWebGL`). */
interface WebGlBackendLike {
  runWebGLProgram(
    program: object,
    inputs: tf.TensorInfo[],
    outputDtype: tf.DataType,
    customUniformValues: number[][],
  ): tf.TensorInfo;
}

/** The WebGPU program (the fields tfjs-backend-webgpu's `WebGPUProgram` reads). */
function webgpuProgram(n: number, hasWeight: boolean): object {
  const workgroupSize: [number, number, number] = [64, 1, 1];
  return {
    outputShape: [2 * n],
    shaderKey: `focalLabFusedBinaryLoss_${hasWeight ? 'w' : 'nw'}`,
    dispatchLayout: { x: [0] },
    // One thread per element (each writes two outputs); tfjs reshapes a dispatch past the device's limits.
    dispatch: [Math.ceil(n / workgroupSize[0]), 1, 1],
    workgroupSize,
    variableNames: hasWeight ? ['x', 'y', 'w'] : ['x', 'y'],
    uniforms: UNIFORMS.map(([name, type]) => `${name} : ${type === 'int' ? 'i32' : 'f32'},`).join(' '),
    getUserCode: () => wgsl(hasWeight),
  };
}

/** The WebGL program (the fields tfjs-backend-webgl's `GPGPUProgram` reads). */
function webglProgram(n: number, hasWeight: boolean): object {
  return {
    variableNames: hasWeight ? ['x', 'y', 'w'] : ['x', 'y'],
    outputShape: [2, n],
    customUniforms: UNIFORMS.map(([name, type]) => ({ name, type })),
    userCode: glsl(hasWeight),
  };
}

/** A kernel input as a float32 tensor [n] (ops pass Tensors; targets may be bool or int32). */
function flatFloat(info: tf.TensorInfo | undefined, n: number, name: string): tf.Tensor {
  if (!(info instanceof tf.Tensor))
    throw new Error(`FusedBinaryLoss (GPU): input '${name}' is not a tensor.`);
  return tf.reshape(info.dtype === 'float32' ? info : tf.cast(info, 'float32'), [n]);
}

/** How each GPU backend runs the shader and cuts its output in two (loss first, derivative second). */
interface GpuBackendRunner {
  /** Runs the shader on flat float32 inputs [x, y(, w)] with the uniforms' values; returns its 2n-element output. */
  run(backend: unknown, n: number, inputs: tf.Tensor[], uniforms: number[]): tf.TensorInfo;
  halves(both: tf.Tensor, n: number): [tf.Tensor, tf.Tensor];
}

const RUNNERS: Record<'webgpu' | 'webgl', GpuBackendRunner> = {
  webgpu: {
    run: (backend, n, inputs, uniforms) =>
      (backend as WebGpuBackendLike).runWebGPUProgram(
        webgpuProgram(n, inputs.length === 3),
        inputs,
        'float32',
        uniforms.map((v, i) => ({ type: UNIFORMS[i][1] === 'int' ? 'int32' : 'float32', data: [v] })),
      ),
    halves: (both, n) => [tf.slice(both, [0], [n]), tf.slice(both, [n], [n])],
  },
  webgl: {
    run: (backend, n, inputs, uniforms) =>
      (backend as WebGlBackendLike).runWebGLProgram(
        webglProgram(n, inputs.length === 3),
        inputs,
        'float32',
        uniforms.map((v) => [v]),
      ),
    // Rows of a [2, n] texture: tfjs-backend-webgl slices whole rows without a copy.
    halves: (both, n) => [tf.slice(both, [0, 0], [1, n]), tf.slice(both, [1, 0], [1, n])],
  },
};

/**
 * The kernel on one GPU backend: runs the shader, then cuts its output into the loss (summed for the sum kernel)
 * and the derivative, shaped as x. Intermediates are freed (tf.tidy); kernels called from inside a kernel are not
 * recorded on the gradient tape.
 */
function gpuKernelFor(summed: boolean, runner: GpuBackendRunner): tf.KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const { x, y, w } = inputs as { x: tf.TensorInfo; y: tf.TensorInfo; w?: tf.TensorInfo };
    const n = tf.util.sizeFromShape(x.shape);
    const a = attrs as unknown as FusedBinaryLossSumAttrs;
    return tf.tidy(() => {
      const flat = [flatFloat(x, n, 'x'), flatFloat(y, n, 'y'), ...(w ? [flatFloat(w, n, 'w')] : [])];
      const both = tf
        .engine()
        .makeTensorFromTensorInfo(runner.run(backend, n, flat, uniformValues(a, n, summed)));
      const [loss, grad] = runner.halves(both, n);
      const first = summed ? tf.sum(loss) : tf.reshape(loss, x.shape);
      return [first, tf.reshape(grad, x.shape)];
    }) as unknown as tf.TensorInfo[];
  };
}

// Registered on import, whether or not the backends are loaded (tfjs looks kernels up by backend name at run time).
for (const [kernelName, summed] of [
  [FUSED_BINARY_LOSS, false],
  [FUSED_BINARY_LOSS_SUM, true],
] as const) {
  for (const [backendName, runner] of Object.entries(RUNNERS)) {
    if (!tf.getKernel(kernelName, backendName)) {
      tf.registerKernel({ kernelName, backendName, kernelFunc: gpuKernelFor(summed, runner) });
    }
  }
}
