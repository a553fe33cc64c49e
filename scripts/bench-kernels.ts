/**
 * Times the conv kernels on the tfjs WASM backend in Node, for the conv shapes of one training step of the toy
 * RetinaNet (batch 16, 64×64; `count` = calls per step): forward Conv2D, our Conv2DBackpropFilter (dW) and
 * Conv2DBackpropInput (dX), plus the stock wasm Conv2DBackpropInput on the first two shapes for reference.
 * The last line sums count × median over the shapes: the conv share of a step (dX of the stem is never needed).
 * Run: npx tsx scripts/bench-kernels.ts   (median / min milliseconds over REPEATS runs; the machine is shared, so
 * compare rows of one run rather than across runs)
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { wasmConvGradients } from '../lib/tf/wasm-conv-gradients';

const REPEATS = 15;
const WARMUP = 3;

interface Timing {
  median: number;
  min: number;
}

function time(fn: () => tf.Tensor): Timing {
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

/** [name, input [B, H, W, Cin], kernel, Cout, stride, calls per training step]. */
const SHAPES: [string, [number, number, number, number], number, number, number, number][] = [
  ['P2 head/FPN 3×3', [16, 16, 16, 32], 3, 32, 1, 7],
  ['P3 head/FPN 3×3', [16, 8, 8, 32], 3, 32, 1, 7],
  ['P4 head/FPN 3×3', [16, 4, 4, 32], 3, 32, 1, 6],
  ['P2 cls out 3×3', [16, 16, 16, 32], 3, 27, 1, 1],
  ['P2 box out 3×3', [16, 16, 16, 32], 3, 36, 1, 1],
  ['stem 3×3 s2', [16, 64, 64, 3], 3, 16, 2, 1],
  ['c2a 3×3 s2', [16, 32, 32, 16], 3, 32, 2, 1],
  ['c3a 3×3 s2', [16, 16, 16, 32], 3, 32, 2, 1],
  ['P2 lateral 1×1', [16, 16, 16, 32], 1, 32, 1, 1],
  ['P3 lateral 1×1', [16, 8, 8, 32], 1, 32, 1, 1],
];

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const rows: [string, Timing, number][] = [];
  const perStep = { forward: 0, filter: 0, input: 0 };
  for (const [idx, [name, [B, H, W, Cin], K, Cout, s, count]] of SHAPES.entries()) {
    const pad = K === 1 ? 'valid' : 'same';
    const x = fill([B, H, W, Cin], 1) as tf.Tensor4D;
    const w = fill([K, K, Cin, Cout], 2) as tf.Tensor4D;
    const dy = fill([B, Math.ceil(H / s), Math.ceil(W / s), Cout], 3) as tf.Tensor4D;
    const common = { strides: s, pad, dataFormat: 'NHWC' } as const;
    const backFilter = () =>
      tf
        .engine()
        .runKernel('Conv2DBackpropFilter', { x, dy }, { ...common, filterShape: w.shape }) as tf.Tensor;
    const backInput = () =>
      tf
        .engine()
        .runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...common, inputShape: x.shape }) as tf.Tensor;
    const tag = `${name} [${B},${H},${W},${Cin}]→${Cout}`;
    const fwd = time(() => tf.conv2d(x, w, s, pad));
    wasmConvGradients.install();
    const dW = time(backFilter);
    const dX = time(backInput);
    wasmConvGradients.uninstall();
    rows.push(
      [`${tag} forward`, fwd, count],
      [`${tag} dW (ours)`, dW, count],
      [`${tag} dX (ours)`, dX, count],
    );
    if (idx < 2) rows.push([`${tag} dX (stock wasm)`, time(backInput), count]);
    perStep.forward += count * fwd.median;
    perStep.filter += count * dW.median;
    if (!name.startsWith('stem')) perStep.input += count * dX.median;
    tf.dispose([x, w, dy]);
  }
  console.log(`wasm backend, ${REPEATS} runs after ${WARMUP} warm-up; ms`);
  for (const [name, t, count] of rows) {
    console.log(
      `${name.padEnd(52)} ×${String(count).padEnd(2)} median ${t.median.toFixed(2).padStart(7)}   min ${t.min.toFixed(2).padStart(7)}`,
    );
  }
  console.log(
    `per step (Σ calls × median): forward ${perStep.forward.toFixed(1)} ms, filter gradient ` +
      `${perStep.filter.toFixed(1)} ms, input gradient ${perStep.input.toFixed(1)} ms`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
