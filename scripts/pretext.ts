/**
 * Builds the toy's warm start: trains the detector's backbone + FPN on a pretext task over the pretext images
 * (lib/detector/splits `pretextRange`: a dataset no study split uses) from a fixed seed, and writes the weights as
 * one small static file (lib/detector/warmStart.ts). Two pretexts:
 * - `detection` (default): the whole toy detector trained with plain cross-entropy (no α, no γ) on the pretext
 *   images; only backbone + FPN are kept. CE is the loss the others are compared against, so if the warm start
 *   favours any loss it favours CE, not focal loss.
 * - `classification` (lib/detector/pretext.ts): which class is the object, from pooled features. Kept as a
 *   negative result: after 2,000 steps its accuracy stays at chance (0.31–0.37 on 3 classes; the object is one
 *   shape among look-alike distractors, which global pooling cannot single out).
 *
 *   npm run pretext [-- --task detection --steps 1500 --batch 16 --seed 0 --out public/models/warm-start.bin]
 *
 * The file is deterministic given the flags (same seed → same images, same initial weights; float summation
 * order aside). Use it with `npm run ablate -- --warm-start <file>`. Progress on stderr.
 * Exit codes: 0 ok, 1 runtime failure, 2 bad command line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeBatch } from '../lib/data/synthetic';
import type { TrainBatch } from '../lib/detector/trainConfig';
import type { WarmStart } from '../lib/detector/warmStart';
import { pretextRange, PRETEXT_DATASET } from '../lib/detector/splits';
import { isMain, parseChoice, parseInteger, parseNumber, runMain, splitFlags, UsageError } from './cli-args';
import { createProgress, formatDuration } from './cli-progress';

export const DEFAULT_WARM_START = 'public/models/warm-start.bin';

export const PRETEXT_TASKS = ['detection', 'classification'] as const;
export type PretextTask = (typeof PRETEXT_TASKS)[number];

export interface PretrainArgs {
  task: PretextTask;
  steps: number;
  batch: number;
  seed: number;
  lr: number;
  out: string;
  help: boolean;
}

const HELP = `Usage: npm run pretext -- [options]

Trains the toy detector's backbone + FPN on a pretext task over images of dataset ${PRETEXT_DATASET} of the
synthetic generator, disjoint from every training stream and from the validation and test sets of the ablation
study, and writes the weights (heads excluded) to --out.

Options:
  --task <t>    detection (default): the toy detector with plain cross-entropy, heads dropped afterwards;
                classification: which class is the object (stays at chance; kept for the record)
  --steps <n>   training steps (default 1500)
  --batch <n>   images per step (default 16)
  --seed <n>    seed of the initial weights (default 0)
  --lr <lr>     Adam learning rate (default 2e-3)
  --out <path>  output file (default ${DEFAULT_WARM_START})
  --help, -h    show this help
`;

/** Parses argv (without node and script); throws UsageError on a bad flag or value. */
export function parsePretrainArgs(argv: string[]): PretrainArgs {
  const a: PretrainArgs = {
    task: 'detection',
    steps: 1500,
    batch: 16,
    seed: 0,
    lr: 2e-3,
    out: DEFAULT_WARM_START,
    help: false,
  };
  for (const [flag, v] of splitFlags(
    argv,
    ['--task', '--steps', '--batch', '--seed', '--lr', '--out'],
    ['--help'],
  )) {
    if (v === true) {
      a.help = true;
      continue;
    }
    if (flag === '--task') a.task = parseChoice(flag, v, PRETEXT_TASKS);
    else if (flag === '--steps') a.steps = parseInteger(flag, v, 1);
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

/** One pretext step's statistics: the loss, and for classification the batch accuracy. */
interface PretextStats {
  loss: number;
  accuracy?: number;
}

/** A pretext trainer of either task, reduced to what main needs. */
interface PretextRun {
  step(batch: TrainBatch): PretextStats;
  warmStart(meta: Record<string, unknown>): WarmStart;
  dispose(): void;
}

async function createPretext(args: PretrainArgs): Promise<PretextRun> {
  if (args.task === 'classification') {
    const { createPretextTrainer } = await import('../lib/detector/pretext');
    return createPretextTrainer({ seed: args.seed, lr: args.lr });
  }
  const { createTrainer } = await import('../lib/detector/train');
  const { getWeights } = await import('../lib/detector/model');
  const { extractWarmStart } = await import('../lib/detector/warmStart');
  // Plain CE (α none), the default design's anchors, the study's schedule over this many steps.
  const trainer = createTrainer({ loss: 'ce', alpha: null, steps: args.steps, lr: args.lr, seed: args.seed });
  return {
    step: (batch) => ({ loss: trainer.step(batch).total }),
    warmStart: (meta) => extractWarmStart(getWeights(trainer.model), trainer.model.specs, meta),
    dispose: () => trainer.dispose(),
  };
}

async function main(): Promise<number> {
  const args = parsePretrainArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const { ensureBackend } = await import('../lib/tf/backend');
  const { serializeWarmStart } = await import('../lib/detector/warmStart');
  await ensureBackend('wasm'); // with the gradient kernels WASM lacks

  const range = pretextRange(args.steps * args.batch);
  const trainer = await createPretext(args);
  const progress = createProgress({ total: args.steps, label: `pretext (${args.task})`, unit: 'steps' });
  const t0 = performance.now();
  const recent: PretextStats[] = [];
  const mean = (f: (x: PretextStats) => number) => recent.reduce((t, x) => t + f(x), 0) / recent.length;
  const shown = () => ({
    loss: mean((x) => x.loss).toFixed(3),
    ...(args.task === 'classification' ? { acc: mean((x) => x.accuracy ?? NaN).toFixed(2) } : {}),
  });
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
    progress.update(i + 1, shown());
  }
  const seconds = (performance.now() - t0) / 1000;
  const lastLoss = mean((x) => x.loss);
  const lastAccuracy = args.task === 'classification' ? mean((x) => x.accuracy ?? NaN) : null;
  progress.finish(shown());
  const ws = trainer.warmStart({
    command: ['npm run pretext', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
      ' ',
    ),
    pretext:
      args.task === 'detection'
        ? 'the toy detector (default design) trained with plain cross-entropy, prior init π = 0.01; heads dropped (scripts/pretext.ts)'
        : 'classification of the object (K = 3 softmax on pooled P2–P4), lib/detector/pretext.ts',
    task: args.task,
    images: `${range.count} images of the '${range.split}' split of dataset ${range.dataset} (lib/detector/splits pretextRange)`,
    seed: args.seed,
    steps: args.steps,
    batch: args.batch,
    lr: args.lr,
    final_loss_last50: lastLoss,
    ...(lastAccuracy === null ? {} : { final_accuracy_last50: lastAccuracy }),
  });
  trainer.dispose();
  const bytes = serializeWarmStart(ws);
  fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
  fs.writeFileSync(args.out, bytes);
  process.stdout.write(
    `Wrote ${args.out}: ${ws.values.length.toLocaleString('en-US')} weights, ${(bytes.length / 1024).toFixed(0)} kB, ` +
      `after ${args.steps} steps of the ${args.task} pretext in ${formatDuration(seconds)}; last 50 steps: ` +
      `loss ${lastLoss.toFixed(3)}` +
      (lastAccuracy === null ? '' : `, accuracy ${(100 * lastAccuracy).toFixed(0)} %`) +
      '\n',
  );
  return 0;
}

if (isMain(import.meta.url)) runMain('pretext', main);
