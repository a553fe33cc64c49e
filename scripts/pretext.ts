/**
 * Builds the toy's warm start: trains the detector's backbone + FPN on the classification pretext
 * (lib/detector/pretext.ts) over the pretext images (lib/detector/ablation `pretextRange`: a dataset no study
 * split uses) from a fixed seed, and writes the weights as one small static file (lib/detector/warmStart.ts).
 *
 *   npm run pretext [-- --steps 2000 --batch 16 --seed 0 --out public/models/warm-start.bin]
 *
 * The file is deterministic given the flags (same seed → same images, same initial weights; float summation
 * order aside). Use it with `npm run ablate -- --warm-start <file>`. Progress on stderr.
 * Exit codes: 0 ok, 1 runtime failure, 2 bad command line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeBatch } from '../lib/data/synthetic';
import { pretextRange, PRETEXT_DATASET } from '../lib/detector/splits';
import { isMain, parseInteger, parseNumber, runMain, splitFlags, UsageError } from './cli-args';
import { createProgress, formatDuration } from './cli-progress';

export const DEFAULT_WARM_START = 'public/models/warm-start.bin';

export interface PretrainArgs {
  steps: number;
  batch: number;
  seed: number;
  lr: number;
  out: string;
  help: boolean;
}

const HELP = `Usage: npm run pretext -- [options]

Trains the toy detector's backbone + FPN on a classification pretext (which class is the object) over images
of dataset ${PRETEXT_DATASET} of the synthetic generator, disjoint from every training stream and from the
validation and test sets of the ablation study, and writes the weights (heads excluded) to --out.

Options:
  --steps <n>   training steps (default 2000)
  --batch <n>   images per step (default 16)
  --seed <n>    seed of the initial weights (default 0)
  --lr <lr>     Adam learning rate (default 2e-3)
  --out <path>  output file (default ${DEFAULT_WARM_START})
  --help, -h    show this help
`;

/** Parses argv (without node and script); throws UsageError on a bad flag or value. */
export function parsePretrainArgs(argv: string[]): PretrainArgs {
  const a: PretrainArgs = { steps: 2000, batch: 16, seed: 0, lr: 2e-3, out: DEFAULT_WARM_START, help: false };
  for (const [flag, v] of splitFlags(argv, ['--steps', '--batch', '--seed', '--lr', '--out'], ['--help'])) {
    if (v === true) {
      a.help = true;
      continue;
    }
    if (flag === '--steps') a.steps = parseInteger(flag, v, 1);
    else if (flag === '--batch') a.batch = parseInteger(flag, v, 1);
    else if (flag === '--seed') a.seed = parseInteger(flag, v, 0);
    else if (flag === '--lr') a.lr = parseNumber(flag, v, (x) => x > 0, 'a number > 0');
    else if (flag === '--out') {
      if (v.trim() === '') throw new UsageError('--out: expected a path');
      a.out = v;
    }
  }
  return a;
}

async function main(): Promise<number> {
  const args = parsePretrainArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const { ensureBackend } = await import('../lib/tf/backend');
  const { createPretextTrainer } = await import('../lib/detector/pretext');
  const { serializeWarmStart } = await import('../lib/detector/warmStart');
  await ensureBackend('wasm'); // with the gradient kernels WASM lacks

  const range = pretextRange(args.steps * args.batch);
  const trainer = createPretextTrainer({ seed: args.seed, lr: args.lr });
  const progress = createProgress({ total: args.steps, label: 'pretext', unit: 'steps' });
  const t0 = performance.now();
  const recent: { loss: number; accuracy: number }[] = [];
  for (let i = 0; i < args.steps; i++) {
    const batch = makeBatch(
      range.dataset,
      args.batch,
      {},
      { split: range.split, startIndex: i * args.batch },
    );
    const s = trainer.step(batch);
    if (!Number.isFinite(s.loss)) throw new Error(`pretext: loss became ${s.loss} at step ${i + 1}`);
    recent.push(s);
    if (recent.length > 50) recent.shift();
    const mean = (f: (x: (typeof recent)[number]) => number) =>
      recent.reduce((t, x) => t + f(x), 0) / recent.length;
    progress.update(i + 1, { loss: mean((x) => x.loss).toFixed(3), acc: mean((x) => x.accuracy).toFixed(2) });
  }
  const seconds = (performance.now() - t0) / 1000;
  const last = {
    loss: recent.reduce((t, x) => t + x.loss, 0) / recent.length,
    accuracy: recent.reduce((t, x) => t + x.accuracy, 0) / recent.length,
  };
  progress.finish({ loss: last.loss.toFixed(3), acc: last.accuracy.toFixed(2) });
  const ws = trainer.warmStart({
    command: ['npm run pretext', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
      ' ',
    ),
    pretext: 'classification of the object (K = 3 softmax on pooled P2–P4), lib/detector/pretext.ts',
    images: `${range.count} images of the '${range.split}' split of dataset ${range.dataset} (lib/detector/ablation pretextRange)`,
    seed: args.seed,
    steps: args.steps,
    batch: args.batch,
    lr: args.lr,
    final_loss_last50: last.loss,
    final_accuracy_last50: last.accuracy,
  });
  trainer.dispose();
  const bytes = serializeWarmStart(ws);
  fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
  fs.writeFileSync(args.out, bytes);
  process.stdout.write(
    `Wrote ${args.out}: ${ws.values.length.toLocaleString('en-US')} weights, ${(bytes.length / 1024).toFixed(0)} kB, ` +
      `after ${args.steps} steps in ${formatDuration(seconds)}; last 50 steps: loss ${last.loss.toFixed(3)}, ` +
      `accuracy ${(100 * last.accuracy).toFixed(0)} %\n`,
  );
  return 0;
}

if (isMain(import.meta.url)) runMain('pretext', main);
