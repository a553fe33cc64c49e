/**
 * Speed of the toy RetinaNet on each tfjs backend that runs in Node (cpu, wasm), default design, batch 16:
 *   - ms per training step (median over measured steps after warm-up; data generation excluded),
 *   - ms per inference image (detect = forward + decode + NMS, in chunks of 32, median over repeats),
 *   - the loss core's forward + backward: tf.grad of Σ sigmoidFocalLossBinary (γ = 2, α = 0.25) on 10^6 logits,
 *     through the fused kernel (lib/loss/fusedBinary.ts) and through tfjs ops,
 *   - GroupNorm + ReLU forward + backward at the stem's shape, through the fused kernels (lib/detector/groupNorm.ts)
 *     and through tfjs ops, and the training step again with the tfjs-op GroupNorm (the step before the kernels).
 *
 *   npm run bench [-- --backends wasm --steps 20 --cpu-steps 3 --json]
 *
 * Each figure is printed as soon as it is measured; with --json the last stdout line is one JSON object
 * `{ design, batch, backends: { cpu: {...}, wasm: {...} }, torchvision }` (torchvision: the same loss timed by
 * scripts/bench-torchvision.py in this run, when Debian's python3-torchvision is installed). The CPU backend is very slow for training
 * (seconds per step), so it gets its own, smaller step count (--cpu-steps).
 * Exit codes: 0 ok, 1 runtime failure, 2 bad command line.
 */
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { DATA_DEFAULTS, makeBatch } from '../lib/data/synthetic';
import { buildBatchTargets } from '../lib/detector/batchTargets';
import { boxSites } from '../lib/detector/boxSites';
import { forwardMacs, trainingForwardMacs } from '../lib/detector/macs';
import { countParams } from '../lib/detector/model';
import { createRng } from '../lib/data/rng';
import { createTrainer, trainingBatch } from '../lib/detector/train';
import { detect } from '../lib/detector/infer';
import { median } from '../lib/metrics/stats';
import { sigmoidFocalLossBinary } from '../lib/loss';
import { FUSED_LOSS_FLAG, FUSED_LOSS_SIMD_FLAG, fusedBinaryLossAvailable } from '../lib/loss/fusedBinary';
import { ensureBackend } from '../lib/tf/backend';
import {
  FUSED_GROUP_NORM_FLAG,
  FUSED_GROUP_NORM_SIMD_FLAG,
  fusedGroupNormAvailable,
  groupNormRelu,
} from '../lib/detector/groupNorm';
import { parseWarmStart } from '../lib/detector/warmStart';
import { sessionConfigFromState, trainConfigOfRun } from '../lib/playground/config';
import { defaultPlaygroundState } from '../lib/playground/schema';
import {
  isMain,
  parseChoice,
  parseInteger,
  parseNameList,
  runMain,
  splitFlags,
  UsageError,
} from './cli-args';
import { formatDuration } from './cli-progress';
import { formatProfile, profileSteps, type StepProfile } from './bench-profile';

export const BENCH_BACKENDS = ['cpu', 'wasm'] as const;
export type BenchBackend = (typeof BENCH_BACKENDS)[number];

export interface BenchArgs {
  backends: BenchBackend[];
  /** Measured training steps on wasm (after `warmup`). */
  steps: number;
  /** Measured training steps on cpu (after one warm-up step). */
  cpuSteps: number;
  warmup: number;
  batch: number;
  /** Images per inference repeat. */
  inferImages: number;
  /** Repeats of the loss forward+backward (after 2 warm-ups). */
  lossRepeats: number;
  /** Also profile training steps per kernel (scripts/bench-profile.ts). */
  profile: boolean;
  json: boolean;
  help: boolean;
}

export const BENCH_HELP = `Usage: npm run bench -- [options]
   or: npx tsx --import ./scripts/node/register.mjs scripts/bench.ts [options]

Prints the default design's multiply-adds per image (dense forward, and a training step's forward, whose box
subnet runs only on the cells with a foreground anchor), then measures, for the default design (64×64 images,
21 anchors per location, K = 3, FL γ=2 α=0.25, Adam, warm start) on each backend:
  train   ms per training step at the given batch (median over the measured steps after warm-up;
          target building, forward, backward and the Adam update; data generation excluded)
  infer   ms per image of detect() (forward, decode, per-class NMS), batches of up to 32 images,
          median over 3 repeats (1 on cpu)
  loss    ms for forward + backward of Σ sigmoidFocalLoss on 10^6 random logits (tf.grad), median
  gn      ms for forward + backward of GroupNorm + ReLU at [16, 32, 32, 16], 8 groups: fused kernels, (wasm)
          their JavaScript loops, tfjs ops; and (wasm) the training step again with GroupNorm as tfjs ops

Options:
  --backends <list>    comma-separated: cpu, wasm (default cpu,wasm)
  --steps <n>          measured training steps on wasm, ≥ 20 recommended (default 20)
  --warmup <n>         warm-up steps on wasm before measuring (default 3)
  --cpu-steps <n>      measured training steps on cpu, after 1 warm-up step (default 3;
                       a cpu step takes tens of seconds)
  --batch <n>          images per training step (default 16)
  --infer-images <n>   images per inference repeat (default 32)
  --loss-repeats <n>   measured repeats of the loss forward+backward (default 10)
  --profile            also profile 3 training steps per kernel: launches and ms per kernel name
  --json               also print one JSON object with every figure as the last line
  --help, -h           show this help
`;

/** Parses argv (without node and script); throws UsageError on a bad flag or value. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  const a: BenchArgs = {
    backends: [...BENCH_BACKENDS],
    steps: 20,
    cpuSteps: 3,
    warmup: 3,
    batch: 16,
    inferImages: 32,
    lossRepeats: 10,
    profile: false,
    json: false,
    help: false,
  };
  const flags = splitFlags(
    argv,
    ['--backends', '--steps', '--cpu-steps', '--warmup', '--batch', '--infer-images', '--loss-repeats'],
    ['--help', '--json', '--profile'],
  );
  for (const [flag, v] of flags) {
    if (v === true) {
      if (flag === '--help') a.help = true;
      else if (flag === '--profile') a.profile = true;
      else a.json = true;
      continue;
    }
    switch (flag) {
      case '--backends':
        a.backends = parseNameList(flag, v).map((b) => parseChoice(flag, b, BENCH_BACKENDS));
        break;
      case '--steps':
        a.steps = parseInteger(flag, v, 1);
        break;
      case '--cpu-steps':
        a.cpuSteps = parseInteger(flag, v, 1);
        break;
      case '--warmup':
        a.warmup = parseInteger(flag, v, 0);
        break;
      case '--batch':
        a.batch = parseInteger(flag, v, 1);
        break;
      case '--infer-images':
        a.inferImages = parseInteger(flag, v, 1);
        break;
      case '--loss-repeats':
        a.lossRepeats = parseInteger(flag, v, 1);
        break;
    }
  }
  if (a.backends.length === 0) throw new UsageError('--backends: expected at least one backend');
  return a;
}

/** Figures of one backend; null where not measured. */
export interface BackendBench {
  train_ms_per_step: number;
  infer_ms_per_image: number;
  /** The hard-target focal loss, forward + backward on 10^6 logits: fused kernel where the backend has one. */
  loss_fwd_bwd_ms_1e6: number;
  /** The same through tfjs ops (the path before the fused kernel, and WebGL's). */
  loss_fwd_bwd_ms_1e6_tfjs_ops: number;
  /** WASM: the fused kernel with its JavaScript loop instead of the SIMD one (null on other backends). */
  loss_fwd_bwd_ms_1e6_js_loop: number | null;
  /**
   * The per-element fused kernel followed by tfjs's Sum (the path of the 'sum' reduction before the summing kernel;
   * null where the backend has no fused kernel).
   */
  loss_fwd_bwd_ms_1e6_per_element: number | null;
  /** loss_fwd_bwd_ms_1e6 plus reading the gradient back into a JavaScript array (dataSync). */
  loss_fwd_bwd_ms_1e6_with_readback: number;
  /**
   * WASM: the training step with GroupNorm as tfjs ops (FOCAL_LAB_FUSED_GROUP_NORM off), the step before its
   * kernels; null on the CPU backend, whose steps take seconds each (timing them twice would double its minutes).
   */
  train_ms_per_step_tfjs_ops_group_norm: number | null;
  /**
   * GroupNorm + ReLU forward + backward at the stem's shape [16, 32, 32, 16], 8 groups: through the fused kernels,
   * (WASM) their JavaScript loops instead of SIMD, and tfjs ops.
   */
  group_norm_fwd_bwd_ms: { fused: number | null; js_loop: number | null; tfjs_ops: number; shape: number[] };
  /** Per-kernel profile of training steps, with --profile. */
  profile?: StepProfile;
  /** How each figure was measured. */
  method: { train: string; infer: string; loss: string };
}

function say(line: string): void {
  process.stdout.write(line + '\n');
}

/**
 * A trainer of the playground's default design (lib/playground/schema `defaultPlaygroundState`: 21 anchors per
 * location, backbone and FPN from public/models/warm-start.bin, FL γ = 2, α = 0.25), the design the site trains,
 * with its data options.
 */
function defaultDesignTrainer() {
  const cfg = sessionConfigFromState(defaultPlaygroundState());
  const warmStart = cfg.pretrained ? parseWarmStart(fs.readFileSync('public/models/warm-start.bin')) : null;
  const trainer = createTrainer(trainConfigOfRun({ ...cfg, steps: 1500 }, cfg.runs[0], warmStart));
  return { trainer, data: { ...cfg.data, imageSize: cfg.imageSize } };
}

const mega = (n: number) => `${(n / 1e6).toFixed(1)} M`;

/**
 * The default design's forward multiply-adds per image (lib/detector/macs.ts): dense (`forward`), and in a training
 * step (`forwardTrain`), with the mean number of foreground cells per image over the batches the bench trains on.
 */
function designMacs(probe: ReturnType<typeof defaultDesignTrainer>, args: BenchArgs) {
  const { trainer, data } = probe;
  const c = trainer.config;
  const m = forwardMacs(trainer.model.config, c.imageSize);
  const rng = createRng(0);
  let cells = 0;
  const batches = args.warmup + args.steps;
  for (let i = 0; i < batches; i++) {
    const batch = trainingBatch(0, i, args.batch, data);
    const tg = buildBatchTargets(batch, trainer.anchors, trainer.model.config.numClasses, c.loss, {
      assign: c.assign,
      negPosRatio: c.negPosRatio,
      rand: () => rng.next(),
      alpha: c.alpha,
    });
    cells += boxSites(trainer.anchors, tg.fgIndex, args.batch, trainer.model.config.headDepth).cells;
  }
  const perImage = cells / (batches * args.batch);
  return {
    dense: m.total,
    box: m.box,
    training: trainingForwardMacs(m, perImage),
    box_cells_per_image: perImage,
  };
}

function timeTraining(
  backend: BenchBackend,
  args: BenchArgs,
  fusedGroupNorm = true,
): { ms: number; method: string } {
  const warm = backend === 'cpu' ? 1 : args.warmup;
  const measured = backend === 'cpu' ? args.cpuSteps : args.steps;
  const { trainer, data } = defaultDesignTrainer();
  const ms: number[] = [];
  tf.env().set(FUSED_GROUP_NORM_FLAG, fusedGroupNorm);
  try {
    for (let i = 0; i < warm + measured; i++) {
      const batch = trainingBatch(0, i, args.batch, data);
      const t0 = performance.now();
      trainer.step(batch);
      const dt = performance.now() - t0;
      if (i >= warm) ms.push(dt);
      process.stderr.write(
        `\r  ${backend} train step ${i + 1}/${warm + measured}${i < warm ? ' (warm-up)' : ''}: ${dt.toFixed(0)} ms   `,
      );
    }
  } finally {
    process.stderr.write('\n');
    tf.env().set(FUSED_GROUP_NORM_FLAG, true);
    trainer.dispose();
  }
  return {
    ms: median(ms),
    method: `median of ${measured} steps after ${warm} warm-up step${warm === 1 ? '' : 's'}, batch ${args.batch}`,
  };
}

/** Per-kernel profile of 3 training steps of the default design, after the same warm-up as timeTraining. */
function profileTraining(backend: BenchBackend, args: BenchArgs): StepProfile {
  const { trainer, data } = defaultDesignTrainer();
  try {
    const warm = backend === 'cpu' ? 1 : args.warmup;
    for (let i = 0; i < warm; i++) trainer.step(trainingBatch(0, i, args.batch, data));
    const batches = [0, 1, 2].map((i) => trainingBatch(0, warm + i, args.batch, data));
    return profileSteps((i) => void trainer.step(batches[i]), batches.length);
  } finally {
    trainer.dispose();
  }
}

function timeInference(backend: BenchBackend, args: BenchArgs): { ms: number; method: string } {
  const trainer = createTrainer({ seed: 0 });
  const images = makeBatch(0, args.inferImages, {}, { split: 'eval' });
  const repeats = backend === 'cpu' ? 1 : 3;
  const per: number[] = [];
  try {
    // Warm-up on a few images (kernel set-up, JIT).
    detect(trainer.model, makeBatch(1, Math.min(4, args.inferImages), {}, { split: 'eval' }));
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      detect(trainer.model, images);
      per.push((performance.now() - t0) / args.inferImages);
    }
  } finally {
    trainer.dispose();
  }
  return {
    ms: median(per),
    method:
      `detect() on ${args.inferImages} held-out images (chunks of 32), median of ${repeats} repeat${repeats === 1 ? '' : 's'} ` +
      'after a 4-image warm-up; freshly initialised model (prior 0.01), so few boxes pass the 0.05 threshold',
  };
}

/**
 * Median ms of `repeats` runs of fwd+bwd of the hard-target focal loss on 10^6 logits, summed as torchvision's
 * `reduction='sum'` (after 2 warm-ups). `summed` false: the per-element loss, then tf.sum.
 *
 * `compute` stops when tf.grad returns: the CPU and WASM kernels run synchronously, so the gradient is then
 * complete in the backend's memory, where torchvision's figure leaves x.grad. `withReadback` adds copying it
 * into a JavaScript array (dataSync), which allocates 4 MB per call and varies with the garbage collector.
 */
function timeLossPath(
  args: BenchArgs,
  fused: boolean,
  simd = true,
  summed = true,
): { compute: number; withReadback: number } {
  const n = 1e6;
  const x = tf.tidy(() => tf.mul(tf.randomNormal([n], 0, 1, 'float32', 1), 3));
  const t = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([n], 0, 1, 'float32', 2), 0.01), 'float32'));
  const options = { alpha: 0.25, gamma: 2 };
  const grad = tf.grad((z: tf.Tensor) =>
    summed
      ? sigmoidFocalLossBinary(z, t, { ...options, reduction: 'sum' })
      : tf.sum(sigmoidFocalLossBinary(z, t, options)),
  );
  const ms: number[] = [];
  const msReadback: number[] = [];
  tf.env().set(FUSED_LOSS_FLAG, fused);
  tf.env().set(FUSED_LOSS_SIMD_FLAG, simd);
  try {
    for (let i = 0; i < 2 + args.lossRepeats; i++) {
      const t0 = performance.now();
      const g = grad(x);
      const t1 = performance.now();
      g.dataSync();
      const t2 = performance.now();
      g.dispose();
      if (i >= 2) {
        ms.push(t1 - t0);
        msReadback.push(t2 - t0);
      }
    }
  } finally {
    tf.env().set(FUSED_LOSS_FLAG, true);
    tf.env().set(FUSED_LOSS_SIMD_FLAG, true);
    x.dispose();
    t.dispose();
  }
  return { compute: median(ms), withReadback: median(msReadback) };
}

/**
 * The loss core's speed: the hard-target focal loss (the training path) through its fused kernel where the
 * backend has one (lib/loss/fusedBinary.ts), and through tfjs ops, for the before/after comparison.
 */
function timeLoss(args: BenchArgs): {
  ms: number;
  opsMs: number;
  jsLoopMs: number | null;
  perElementMs: number | null;
  readbackMs: number;
  method: string;
} {
  const fused = fusedBinaryLossAvailable();
  const main = timeLossPath(args, true);
  const ms = main.compute;
  const opsMs = fused ? timeLossPath(args, false).compute : ms;
  const perElementMs = fused ? timeLossPath(args, true, true, false).compute : null;
  // WASM: the fused kernel's SIMD loop (lib/loss/wasm/binaryLoss.wat) against its JavaScript loop.
  const jsLoopMs = fused && tf.getBackend() === 'wasm' ? timeLossPath(args, true, false).compute : null;
  return {
    ms,
    opsMs,
    jsLoopMs,
    perElementMs,
    readbackMs: main.withReadback,
    method:
      `tf.grad(sigmoidFocalLossBinary(x, t, γ=2, α=0.25, reduction 'sum')) on 10^6 logits x ~ N(0, 3²), 1 % positives, ` +
      `until the gradient is in the backend's memory (as torchvision's x.grad; with the copy into JavaScript: ` +
      `loss_fwd_bwd_ms_1e6_with_readback); median of ${args.lossRepeats} after 2 warm-ups; ` +
      `${fused ? 'fused kernel' : 'tfjs ops (no fused kernel on this backend)'}`,
  };
}

/** GroupNorm's shape in the timing: the stem's output at batch 16, 8 groups (the backbone's largest). */
const GN_SHAPE: [number, number, number, number] = [16, 32, 32, 16];

/** Median ms of forward + backward (tf.grads with respect to x, scale, shift) of GroupNorm + ReLU, 10 after 2 warm-ups. */
function timeGroupNormPath(fused: boolean, simd: boolean): number {
  const [x, scale, shift, dy] = tf.tidy(() => [
    tf.randomNormal(GN_SHAPE, 0.3, 2, 'float32', 3),
    tf.randomNormal([GN_SHAPE[3]], 1, 0.2, 'float32', 4),
    tf.randomNormal([GN_SHAPE[3]], 0, 0.2, 'float32', 5),
    tf.randomNormal(GN_SHAPE, 0, 1, 'float32', 6),
  ]);
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
    tf.sum(tf.mul(groupNormRelu(a as tf.Tensor4D, b, c, 8), dy)),
  );
  const ms: number[] = [];
  tf.env().set(FUSED_GROUP_NORM_FLAG, fused);
  tf.env().set(FUSED_GROUP_NORM_SIMD_FLAG, simd);
  try {
    for (let i = 0; i < 12; i++) {
      const t0 = performance.now();
      const g = grads([x, scale, shift]);
      const dt = performance.now() - t0;
      tf.dispose(g);
      if (i >= 2) ms.push(dt);
    }
  } finally {
    tf.env().set(FUSED_GROUP_NORM_FLAG, true);
    tf.env().set(FUSED_GROUP_NORM_SIMD_FLAG, true);
    tf.dispose([x, scale, shift, dy]);
  }
  return median(ms);
}

function timeGroupNorm(): BackendBench['group_norm_fwd_bwd_ms'] {
  const fused = fusedGroupNormAvailable();
  return {
    fused: fused ? timeGroupNormPath(true, true) : null,
    js_loop: fused && tf.getBackend() === 'wasm' ? timeGroupNormPath(true, false) : null,
    tfjs_ops: timeGroupNormPath(false, true),
    shape: GN_SHAPE,
  };
}

/** torchvision's figure for the same loss on this machine (scripts/bench-torchvision.py), or why there is none. */
export interface TorchvisionBench {
  loss_fwd_bwd_ms_1e6: number | null;
  threads?: number;
  torch?: string;
  torchvision?: string;
  method?: string;
  note?: string;
}

/** The same loss timed by torchvision in this run, when Debian's python3-torchvision is installed. */
function timeTorchvision(args: BenchArgs): TorchvisionBench {
  const py = '/usr/bin/python3';
  const r = spawnSync(py, ['scripts/bench-torchvision.py', String(args.lossRepeats)], { encoding: 'utf8' });
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) {
    return {
      loss_fwd_bwd_ms_1e6: null,
      note: `not measured: ${py} scripts/bench-torchvision.py failed (apt-get install python3-torchvision)`,
    };
  }
  return JSON.parse(last) as TorchvisionBench;
}

async function benchBackend(backend: BenchBackend, args: BenchArgs): Promise<BackendBench> {
  await ensureBackend(backend); // with its kernel patches (lib/tf/backend.ts)
  say(`${backend}:`);
  const loss = timeLoss(args);
  say(
    `  loss fwd+bwd, 10^6 logits   ${loss.ms.toFixed(1)} ms   (tfjs ops: ${loss.opsMs.toFixed(1)} ms` +
      `; with the gradient read back: ${loss.readbackMs.toFixed(1)} ms` +
      (loss.perElementMs === null ? '' : `; per-element kernel + Sum: ${loss.perElementMs.toFixed(1)} ms`) +
      (loss.jsLoopMs === null
        ? ')'
        : `; fused, JavaScript loop instead of SIMD: ${loss.jsLoopMs.toFixed(1)} ms)`),
  );
  const gn = timeGroupNorm();
  say(
    `  GroupNorm+ReLU fwd+bwd ${GN_SHAPE.join('×')}  ` +
      (gn.fused === null ? 'no fused kernel; ' : `fused ${gn.fused.toFixed(2)} ms; `) +
      (gn.js_loop === null ? '' : `fused, JavaScript loops instead of SIMD: ${gn.js_loop.toFixed(2)} ms; `) +
      `tfjs ops ${gn.tfjs_ops.toFixed(2)} ms`,
  );
  const infer = timeInference(backend, args);
  say(`  inference                   ${infer.ms.toFixed(2)} ms / image`);
  const train = timeTraining(backend, args);
  say(`  training step (batch ${args.batch})    ${train.ms.toFixed(1)} ms   (${train.method})`);
  const trainOpsGn = backend === 'wasm' ? timeTraining(backend, args, false) : null;
  if (trainOpsGn)
    say(
      `    with GroupNorm as tfjs ops  ${trainOpsGn.ms.toFixed(1)} ms   (the step before the fused GroupNorm)`,
    );
  const profile = args.profile ? profileTraining(backend, args) : undefined;
  if (profile) for (const line of formatProfile(profile)) say(line);
  return {
    ...(profile ? { profile } : {}),
    train_ms_per_step: train.ms,
    train_ms_per_step_tfjs_ops_group_norm: trainOpsGn?.ms ?? null,
    group_norm_fwd_bwd_ms: gn,
    infer_ms_per_image: infer.ms,
    loss_fwd_bwd_ms_1e6: loss.ms,
    loss_fwd_bwd_ms_1e6_tfjs_ops: loss.opsMs,
    loss_fwd_bwd_ms_1e6_js_loop: loss.jsLoopMs,
    loss_fwd_bwd_ms_1e6_per_element: loss.perElementMs,
    loss_fwd_bwd_ms_1e6_with_readback: loss.readbackMs,
    method: { train: train.method, infer: infer.method, loss: loss.method },
  };
}

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(BENCH_HELP);
    return 0;
  }
  const cpus = os.cpus();
  const probe = defaultDesignTrainer();
  const design = {
    image_size: DATA_DEFAULTS.imageSize,
    anchors_per_image: probe.trainer.anchors.numAnchors,
    classes: 3,
    parameters: countParams(probe.trainer.model),
    loss: 'focal γ=2 α=0.25',
    optimizer: 'adam',
    machine: { cores: cpus.length, cpu: cpus[0]?.model ?? 'unknown', node: process.version },
  };
  const macs = designMacs(probe, args);
  probe.trainer.dispose();
  say(
    `bench: default design (${design.image_size}×${design.image_size}, ${design.anchors_per_image} anchors, ` +
      `${design.parameters.toLocaleString('en-US')} parameters), batch ${args.batch}, ${cpus.length} cores; ` +
      `backends ${args.backends.join(', ')}`,
  );
  say(
    `multiply-adds per image, forward: ${mega(macs.dense)} dense (box subnet ${mega(macs.box)}); a training ` +
      `step's forward ${mega(macs.training)} (${macs.box_cells_per_image.toFixed(2)} foreground cells per ` +
      `image on average in the benched batches; ${(100 * (1 - macs.training / macs.dense)).toFixed(0)} % fewer)`,
  );
  const t0 = performance.now();
  const backends: Partial<Record<BenchBackend, BackendBench>> = {};
  // wasm first: it is quick and the figure most people want; cpu takes minutes.
  for (const b of [...args.backends].sort((x, y) => (x === 'wasm' ? -1 : y === 'wasm' ? 1 : 0))) {
    backends[b] = await benchBackend(b, args);
  }
  const torchvision = timeTorchvision(args);
  say(
    torchvision.loss_fwd_bwd_ms_1e6 === null
      ? `torchvision: ${torchvision.note}`
      : `torchvision ${torchvision.torchvision} (${torchvision.threads} threads): loss fwd+bwd, 10^6 logits ` +
          `${torchvision.loss_fwd_bwd_ms_1e6.toFixed(1)} ms`,
  );
  say(`bench: done in ${formatDuration((performance.now() - t0) / 1000)}`);
  if (args.json)
    say(
      JSON.stringify({
        design: { ...design, forward_macs_per_image: macs },
        batch: args.batch,
        backends,
        torchvision,
      }),
    );
  return 0;
}

if (isMain(import.meta.url)) runMain('bench', main);
