/**
 * Train the toy RetinaNet headless and print COCO metrics on the fixed held-out set.
 *
 *   npm run train -- --loss focal --gamma 2 --alpha 0.25 --steps 1500 --seed 0 [--json]
 *
 * Progress goes to stderr; the results table (and with --json, one JSON object as the last line) to stdout.
 * Exit codes: 0 ok, 1 runtime failure, 2 bad command line.
 */
import * as tf from '@tensorflow/tfjs-core';
import { evaluate, makeEvalSet } from '../lib/detector/infer';
import { LOSS_MODE_KEYS, LOSS_MODES, type LossMode } from '../lib/detector/lossModes';
import { createTrainer, trainingBatch } from '../lib/detector/train';
import { countParams } from '../lib/detector/model';
import { ensureBackend } from '../lib/tf/backend';
import { parseChoice, parseInteger, parseNumber, splitFlags, UsageError } from './cli-args';
import { createProgress, formatDuration } from './cli-progress';

interface Args {
  loss: LossMode;
  gamma: number;
  alpha: number | null;
  alphaGiven: boolean;
  beta: number;
  steps: number;
  batch: number;
  lr: number;
  optimizer: 'adam' | 'sgd';
  seed: number;
  prior: number | null;
  backend: 'cpu' | 'wasm';
  evalEvery: number;
  evalImages: number;
  json: boolean;
  help: boolean;
}

/** One help line per loss mode, from the registry. */
const MODE_LINES = LOSS_MODE_KEYS.map((k) => `${' '.repeat(25)}${k.padEnd(11)} ${LOSS_MODES[k].label}`).join(
  '\n',
);

const HELP = `Usage: npm run train -- [options]
   or: npx tsx --import ./scripts/node/register.mjs scripts/train.ts [options]

Trains the toy RetinaNet on the synthetic data ('train' split of dataset --seed) and reports COCO
AP@[.5:.95], AP50, AP75 and AR@100 on the fixed held-out set ('eval' split of dataset 0).

Options:
  --loss <mode>        classification loss: ${LOSS_MODE_KEYS.join(' | ')} (default focal)
${MODE_LINES}
  --gamma <γ>          focusing parameter of focal / focal_star, ≥ 0 (> 0 for focal_star) (default 2)
  --alpha <α|none>     α-balancing weight of positives in [0, 1], or none
                         (default 0.25 for focal and focal_star, none for the CE modes)
  --beta <β>           shift of focal_star (default 1)
  --steps <n>          training steps (default 1500)
  --batch <n>          images per step (default 16)
  --lr <lr>            peak learning rate (default 2e-3); linear warm-up over 100 steps, ×0.1 at 2/3 and 8/9
  --optimizer <name>   adam | sgd (momentum 0.9) (default adam)
  --seed <n>           seed of the weights, the data stream and the 1:3 sampler, integer ≥ 0 (default 0)
  --prior <π|none>     classification-bias prior π in (0, 1), or none for bias 0 (default 0.01)
  --backend <name>     cpu | wasm (default wasm; cpu is very slow for training)
  --eval-every <n>     also evaluate every n steps (default 0 = only at the end)
  --eval-images <n>    size of the held-out set (default 200)
  --json               print one JSON object with the results as the last line of stdout
  --help, -h           show this help
`;

/** Parses argv (without node and script); throws UsageError on a bad flag or value. */
export function parseArgs(argv: string[]): Args {
  const a: Args = {
    loss: 'focal',
    gamma: 2,
    alpha: null,
    alphaGiven: false,
    beta: 1,
    steps: 1500,
    batch: 16,
    lr: 2e-3,
    optimizer: 'adam',
    seed: 0,
    prior: 0.01,
    backend: 'wasm',
    evalEvery: 0,
    evalImages: 200,
    json: false,
    help: false,
  };
  const int = (x: number) => Number.isInteger(x);
  const flags = splitFlags(
    argv,
    [
      '--loss',
      '--gamma',
      '--alpha',
      '--beta',
      '--steps',
      '--batch',
      '--lr',
      '--optimizer',
      '--seed',
      '--prior',
      '--backend',
      '--eval-every',
      '--eval-images',
    ],
    ['--help', '--json'],
  );
  for (const [flag, value] of flags) {
    if (value === true) {
      if (flag === '--help') a.help = true;
      else a.json = true;
      continue;
    }
    switch (flag) {
      case '--loss':
        a.loss = parseChoice(flag, value, LOSS_MODE_KEYS);
        break;
      case '--gamma':
        a.gamma = parseNumber(flag, value, (x) => x >= 0, 'a number ≥ 0');
        break;
      case '--alpha':
        a.alphaGiven = true;
        a.alpha =
          value === 'none'
            ? null
            : parseNumber(flag, value, (x) => x >= 0 && x <= 1, "a number in [0, 1] or 'none'");
        break;
      case '--beta':
        a.beta = parseNumber(flag, value, () => true, 'a number');
        break;
      case '--steps':
        a.steps = parseInteger(flag, value, 1);
        break;
      case '--batch':
        a.batch = parseInteger(flag, value, 1);
        break;
      case '--lr':
        a.lr = parseNumber(flag, value, (x) => x > 0, 'a number > 0');
        break;
      case '--optimizer':
        a.optimizer = parseChoice(flag, value, ['adam', 'sgd'] as const);
        break;
      case '--seed':
        a.seed = parseNumber(flag, value, (x) => int(x) && x >= 0 && x < 2 ** 32, 'an integer in [0, 2^32)');
        break;
      case '--prior':
        a.prior =
          value === 'none'
            ? null
            : parseNumber(flag, value, (x) => x > 0 && x < 1, "a number in (0, 1) or 'none'");
        break;
      case '--backend':
        a.backend = parseChoice(flag, value, ['cpu', 'wasm'] as const);
        break;
      case '--eval-every':
        a.evalEvery = parseInteger(flag, value, 0);
        break;
      case '--eval-images':
        a.evalImages = parseInteger(flag, value, 1);
        break;
    }
  }
  const mode = LOSS_MODES[a.loss];
  if (!a.alphaGiven) a.alpha = mode.defaultAlpha;
  if (mode.needsPositiveGamma && !(a.gamma > 0)) throw new UsageError(`--gamma must be > 0 for ${a.loss}`);
  return a;
}

function pct(x: number): string {
  return x < 0 ? '  n/a' : (100 * x).toFixed(1).padStart(5);
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`train: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  await ensureBackend(args.backend);
  const trainer = createTrainer({
    loss: args.loss,
    gamma: args.gamma,
    alpha: args.alpha,
    beta: args.beta,
    steps: args.steps,
    lr: args.lr,
    optimizer: args.optimizer,
    seed: args.seed,
    model: { prior: args.prior },
  });
  const evalSet = makeEvalSet(args.evalImages);
  const name = `${args.loss}${LOSS_MODES[args.loss].uses.gamma ? ` γ=${args.gamma}` : ''} α=${args.alpha ?? 'none'}`;
  process.stderr.write(
    `train: ${name}, prior ${args.prior ?? 'none'}, ${args.steps} steps × ${args.batch} images, seed ${args.seed}, ` +
      `backend ${tf.getBackend()}, ${countParams(trainer.model).toLocaleString('en-US')} parameters\n`,
  );
  const progress = createProgress({ total: args.steps, label: 'train' });
  const stepMs: number[] = [];
  let dataMs = 0;
  let ema = NaN;
  const history: { step: number; ap: number; ap50: number }[] = [];
  const t0 = performance.now();
  let last = null as ReturnType<typeof trainer.step> | null;
  for (let i = 0; i < args.steps; i++) {
    const td = performance.now();
    const batch = trainingBatch(args.seed, i, args.batch);
    dataMs += performance.now() - td;
    last = trainer.step(batch);
    stepMs.push(last.ms);
    ema = Number.isNaN(ema) ? last.total : 0.95 * ema + 0.05 * last.total;
    if (!Number.isFinite(last.total)) {
      progress.log(`train: loss became ${last.total} at step ${i + 1}; stopping`);
      break;
    }
    progress.update(i + 1, { loss: ema, ms: last.ms });
    if (args.evalEvery > 0 && (i + 1) % args.evalEvery === 0 && i + 1 < args.steps) {
      const r = evaluate(trainer.model, evalSet);
      history.push({ step: i + 1, ap: r.ap, ap50: r.ap50 });
      progress.log(`  step ${i + 1}: AP ${pct(r.ap)}  AP50 ${pct(r.ap50)}  AP75 ${pct(r.ap75)}`);
    }
  }
  progress.finish({ loss: ema });
  const trainSeconds = (performance.now() - t0) / 1000;
  const te = performance.now();
  const r = evaluate(trainer.model, evalSet);
  const evalMs = performance.now() - te;
  // ms/step: median over steps after a 10-step warm-up (first calls compile wasm operators and JIT the JS).
  const warm = stepMs.slice(Math.min(10, Math.max(0, stepMs.length - 1))).sort((x, y) => x - y);
  const msPerStep = warm[Math.floor(warm.length / 2)];
  const rows: [string, string][] = [
    ['loss', name],
    ['prior', String(args.prior ?? 'none')],
    ['steps × batch', `${stepMs.length} × ${args.batch}`],
    ['final loss (EMA)', ema.toFixed(4)],
    ['AP', pct(r.ap)],
    ['AP50', pct(r.ap50)],
    ['AP75', pct(r.ap75)],
    ['AR@100', pct(r.ar100)],
    ['eval images', String(r.numImages)],
    ['ms / step (median)', msPerStep.toFixed(1)],
    ['data ms / step', (dataMs / Math.max(1, stepMs.length)).toFixed(1)],
    ['training time', formatDuration(trainSeconds)],
    ['eval time', formatDuration(evalMs / 1000)],
    ['backend', tf.getBackend()],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n');
  if (args.json) {
    const out = {
      loss: args.loss,
      gamma: args.gamma,
      alpha: args.alpha,
      beta: args.beta,
      prior: args.prior,
      steps: stepMs.length,
      batch: args.batch,
      lr: args.lr,
      optimizer: args.optimizer,
      seed: args.seed,
      backend: tf.getBackend(),
      ap: r.ap,
      ap50: r.ap50,
      ap75: r.ap75,
      ar100: r.ar100,
      eval_images: r.numImages,
      final_loss: last?.total ?? null,
      ms_per_step: msPerStep,
      data_ms_per_step: dataMs / Math.max(1, stepMs.length),
      train_seconds: trainSeconds,
      history,
    };
    process.stdout.write(JSON.stringify(out) + '\n');
  }
  trainer.dispose();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`train: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
