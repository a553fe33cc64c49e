/**
 * Times the conv kernels on the tfjs WASM backend in Node:
 *   forward Conv2D, our Conv2DBackpropFilter, our Conv2DBackpropInput, and the stock wasm
 *   Conv2DBackpropInput, for x [16, 64, 64, 16], filter 3×3×16×32, pad 'same', strides 1 and 2.
 * Run: npx tsx scripts/bench-kernels.ts   (prints median / min milliseconds over REPEATS runs)
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmConvGradients, unregisterWasmConvGradients } from '../lib/tf/wasm-kernels';

const REPEATS = 10;
const WARMUP = 2;

function time(fn: () => tf.Tensor): { median: number; min: number } {
  const ms: number[] = [];
  for (let i = 0; i < WARMUP + REPEATS; i++) {
    const t0 = performance.now();
    const out = fn();
    out.dataSync(); // wasm is synchronous, but make the timing boundary explicit
    const dt = performance.now() - t0;
    out.dispose();
    if (i >= WARMUP) ms.push(dt);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)], min: ms[0] };
}

function fill(shape: number[], seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return tf.tensor(a, shape);
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const [B, H, W, Cin, Cout, K] = [16, 64, 64, 16, 32, 3];
  const x = fill([B, H, W, Cin], 1) as tf.Tensor4D;
  const w = fill([K, K, Cin, Cout], 2) as tf.Tensor4D;
  const rows: [string, { median: number; min: number }][] = [];
  for (const s of [1, 2]) {
    const tag = `s${s}`;
    const dy = fill([B, Math.ceil(H / s), Math.ceil(W / s), Cout], 3) as tf.Tensor4D;
    const common = { strides: s, pad: 'same', dataFormat: 'NHWC' } as const;
    const backFilter = () =>
      tf
        .engine()
        .runKernel('Conv2DBackpropFilter', { x, dy }, { ...common, filterShape: w.shape }) as tf.Tensor;
    const backInput = () =>
      tf
        .engine()
        .runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...common, inputShape: x.shape }) as tf.Tensor;

    rows.push([`forward Conv2D ${tag}`, time(() => tf.conv2d(x, w, s, 'same'))]);
    registerWasmConvGradients();
    rows.push([`Conv2DBackpropFilter (ours) ${tag}`, time(backFilter)]);
    rows.push([`Conv2DBackpropInput (ours) ${tag}`, time(backInput)]);
    unregisterWasmConvGradients();
    rows.push([`Conv2DBackpropInput (stock wasm) ${tag}`, time(backInput)]);
    dy.dispose();
  }
  console.log(`x [${B},${H},${W},${Cin}] -> ${Cout}, ${K}x${K} 'same', wasm backend, ${REPEATS} runs`);
  for (const [name, t] of rows) {
    console.log(
      `${name.padEnd(40)} median ${t.median.toFixed(1).padStart(7)} ms   min ${t.min.toFixed(1).padStart(7)} ms`,
    );
  }
  x.dispose();
  w.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
