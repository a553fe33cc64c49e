/**
 * Times whole training steps of the toy RetinaNet on the tfjs WASM backend in Node:
 * `createTrainer({ loss })` on batches of 16 64×64 images from lib/data `makeBatch` (the 'train' split of
 * dataset 0), WARMUP steps, then the median / min of STEPS steps, in rounds. Also times the data generation alone
 * (`makeBatch` of 16 images), which a training loop pays on top of each step.
 *
 * Run: npx tsx --import ./scripts/node/register.mjs scripts/bench-step.ts [--loss focal] [--steps 20]
 *   (the --import hook lets tfjs-core's gradient registrations load in plain Node, see scripts/node/tfjs-esm-hooks.mjs).
 * The machine is shared: compare variants within one process (the table below) rather than across runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { makeBatch, type Batch } from '../lib/data/synthetic';
import { LOSS_MODE_KEYS, type LossMode } from '../lib/detector/lossModes';
import { createTrainer } from '../lib/detector/train';
import type { TrainConfig } from '../lib/detector/trainConfig';
import { ensureBackend } from '../lib/tf/backend';

const BATCH = 16;
const WARMUP = 5;
const ROUNDS = 4;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function stats(ms: number[]): { median: number; min: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0] };
}

function fmt(name: string, t: { median: number; min: number }): string {
  return `${name.padEnd(40)} median ${t.median.toFixed(1).padStart(7)} ms   min ${t.min.toFixed(1).padStart(7)} ms`;
}

async function main(): Promise<void> {
  const loss = arg('loss', 'focal') as LossMode;
  if (!LOSS_MODE_KEYS.includes(loss)) throw new RangeError(`unknown --loss ${loss}`);
  const steps = Number(arg('steps', '20'));
  await ensureBackend('wasm');

  // Data: a fixed pool of batches (generation timed separately), reused round-robin by the step timings.
  const dataMs: number[] = [];
  const pool: Batch[] = [];
  for (let i = 0; i < WARMUP + steps; i++) {
    const t0 = performance.now();
    pool.push(makeBatch(0, BATCH, {}, { split: 'train', startIndex: i * BATCH }));
    dataMs.push(performance.now() - t0);
  }

  // Variants (add more to compare) are interleaved in ROUNDS so that load from other processes hits them alike.
  const variants: [string, TrainConfig][] = [[`step loss=${loss}`, { loss }]];
  const trainers = variants.map(([, config]) => createTrainer({ ...config, steps: 1000 }));
  const ms: number[][] = variants.map(() => []);
  const perRound = Math.ceil(steps / ROUNDS);
  for (let r = 0; r < ROUNDS; r++) {
    trainers.forEach((tr, v) => {
      for (let i = 0; i < (r === 0 ? WARMUP : 0) + perRound; i++) {
        const t0 = performance.now();
        tr.step(pool[(r * perRound + i) % pool.length]);
        if (r > 0 || i >= WARMUP) ms[v].push(performance.now() - t0);
      }
    });
  }
  trainers.forEach((tr) => tr.dispose());
  const rows: string[] = [fmt(`makeBatch(${BATCH})`, stats(dataMs.slice(WARMUP)))];
  variants.forEach(([name], v) => rows.push(fmt(name, stats(ms[v]))));
  console.log(`batch ${BATCH}, 64×64, wasm backend, ${WARMUP} warm-up + ${steps} timed steps`);
  for (const r of rows) console.log(r);
  console.log(`tensors left: ${tf.memory().numTensors}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
