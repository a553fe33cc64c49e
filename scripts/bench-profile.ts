/**
 * Per-kernel profile of training steps (`npm run bench:train -- --profile`, issue 13 item 3): every kernel tfjs
 * launches in a step, grouped by kernel name, with its launches and its *self* time. tf.profile is not used: it
 * counts a kernel that calls other kernels (lib/tf/wasm-conv-gradients.ts builds the convolution gradients from
 * Conv2D, Transpose, …) together with the kernels inside it, so its times add up to more than the step. Instead
 * every kernel registered for the backend is wrapped for the profiled steps: a kernel's self time is its wall time
 * minus that of the kernels it launched. WASM and CPU kernels are synchronous, so that is their compute time; the
 * step's wall time minus the kernels' is tfjs's own bookkeeping (tape, tensor tracking) and the JavaScript around.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface KernelRow {
  kernel: string;
  /** Launches per step, nested launches included. */
  launches: number;
  /** Launches per step made by the step's own code, not from inside another kernel. */
  topLevel: number;
  /** Milliseconds of self time per step. */
  ms: number;
  /** Fraction of all kernels' self time. */
  share: number;
}

export interface StepProfile {
  /** Steps profiled (the rows are per-step averages). */
  steps: number;
  /** Kernel launches per step. */
  launches: number;
  /** Sum of the kernels' self times per step. */
  kernel_ms: number;
  /** Wall time per profiled step. */
  wall_ms: number;
  kernels: KernelRow[];
}

/** Runs `step(i)` for i < steps with every kernel of the current backend timed; restores the kernels after. */
export function profileSteps(step: (i: number) => void, steps: number): StepProfile {
  const backend = tf.getBackend();
  const configs = tf.getKernelsForBackend(backend);
  const rows = new Map<string, { launches: number; topLevel: number; ms: number }>();
  /** Time spent in the kernels launched by each kernel on the stack. */
  const childMs: number[] = [];
  for (const c of configs) {
    const inner = c.kernelFunc;
    const timed = ((args: Parameters<tf.KernelFunc>[0]) => {
      const top = childMs.length === 0;
      childMs.push(0);
      const t0 = performance.now();
      try {
        return inner(args);
      } finally {
        const dt = performance.now() - t0;
        const children = childMs.pop() ?? 0;
        if (childMs.length > 0) childMs[childMs.length - 1] += dt;
        const r = rows.get(c.kernelName) ?? { launches: 0, topLevel: 0, ms: 0 };
        r.launches += 1;
        if (top) r.topLevel += 1;
        r.ms += dt - children;
        rows.set(c.kernelName, r);
      }
    }) as tf.KernelFunc;
    tf.unregisterKernel(c.kernelName, backend);
    tf.registerKernel({ ...c, kernelFunc: timed });
  }
  let wall = 0;
  try {
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      step(i);
      wall += performance.now() - t0;
    }
  } finally {
    for (const c of configs) {
      tf.unregisterKernel(c.kernelName, backend);
      tf.registerKernel(c);
    }
  }
  const total = [...rows.values()].reduce((s, r) => s + r.ms, 0);
  const kernels = [...rows.entries()]
    .map(([kernel, r]) => ({
      kernel,
      launches: r.launches / steps,
      topLevel: r.topLevel / steps,
      ms: r.ms / steps,
      share: total > 0 ? r.ms / total : 0,
    }))
    .sort((a, b) => b.ms - a.ms);
  return {
    steps,
    launches: kernels.reduce((s, k) => s + k.launches, 0),
    kernel_ms: total / steps,
    wall_ms: wall / steps,
    kernels,
  };
}

/** The profile as text lines: the heaviest kernels, then everything else as one line. */
export function formatProfile(p: StepProfile, top = 15): string[] {
  const lines = [
    `  per-kernel profile (${p.steps} steps): ${p.launches.toFixed(0)} kernel launches and ` +
      `${p.kernel_ms.toFixed(1)} ms of kernel self time per step, of ${p.wall_ms.toFixed(1)} ms wall ` +
      `(the rest: tfjs bookkeeping and JavaScript around the kernels)`,
    `    ${'kernel'.padEnd(28)} ${'launches'.padStart(8)} ${'ms/step'.padStart(8)} ${'share'.padStart(6)}`,
  ];
  const row = (name: string, launches: number, ms: number, share: number) =>
    `    ${name.padEnd(28)} ${launches.toFixed(0).padStart(8)} ${ms.toFixed(2).padStart(8)} ` +
    `${(100 * share).toFixed(1).padStart(5)}%`;
  for (const k of p.kernels.slice(0, top)) lines.push(row(k.kernel, k.launches, k.ms, k.share));
  const rest = p.kernels.slice(top);
  if (rest.length > 0) {
    const sum = (f: (k: KernelRow) => number) => rest.reduce((s, k) => s + f(k), 0);
    lines.push(
      row(
        `${rest.length} other kernels`,
        sum((k) => k.launches),
        sum((k) => k.ms),
        sum((k) => k.share),
      ),
    );
  }
  return lines;
}
