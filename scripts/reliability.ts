/**
 * Writes content/data/reliability.json: reliability tables (lib/metrics/reliability.ts) of the toy RetinaNet
 * trained with cross-entropy and with focal loss, for the calibration figure (components/figures/ReliabilityFigure.tsx).
 *
 *   npm run reliability [-- --seeds 0,1,2,3,4 --losses ce,fl-g2 --steps 700 --images 500]
 *
 * Per (loss, seed): the ablation's `ce` or `fl-g2` configuration (lib/detector/ablation.ts: prior π = 0.01, Adam,
 * the study's budget and default design: its anchors and warm start), trained on the seed's stream on the WASM backend, then scored on the study's test images
 * (lib/detector/splits.ts `heldOutRange('test', images)`). Two tables of 10 score bins each:
 * - anchors: every (anchor, class) score σ(logit) of a non-ignored anchor against "this anchor is assigned to an
 *   object of this class" by the trainer's own matcher (lib/detector/assign.ts with the trainer's options);
 * - detections: the paper's detections (lib/detector/infer.ts `postprocess`) against "true positive at IoU 0.5"
 *   (lib/metrics/coco.ts's greedy matching in score order, `detectionMatches`).
 *
 * Every finished run is kept in .reliability/ (git-ignored), so the plan can be split over two processes,
 * e.g. `--losses ce` and `--losses fl-g2`; whichever finishes last finds every run and writes the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  ABLATION_BUDGET,
  ABLATION_SEEDS,
  allConfigs,
  defaultLevel,
  type AblationConfig,
} from '../lib/detector/ablation';
import { buildTargets } from '../lib/detector/assign';
import { forEachImageOutput, postprocess, scoreDetections, type Detection } from '../lib/detector/infer';
import { heldOutRange, makeRangeSet } from '../lib/detector/splits';
import {
  addSample,
  createReliabilityCounts,
  expectedCalibrationError,
  reliabilityTable,
  RELIABILITY_BINS,
  type ReliabilityBin,
  type ReliabilityRunRecord,
} from '../lib/metrics/reliability';
import { fmtFixed } from '../lib/params/format';
import { ensureBackend } from '../lib/tf/backend';
import { parseInteger, parseNameList, parseSeedList, runMain, splitFlags, UsageError } from './cli-args';
import { createProgress } from './cli-progress';

const OUT = path.join('content', 'data', 'reliability.json');
const CACHE = '.reliability';
/** The two losses the figure compares: the ablation's plain CE and FL γ = 2, α = 0.25 (both prior π = 0.01). */
const LOSSES = ['ce', 'fl-g2'] as const;

type RunTables = ReliabilityRunRecord;

const round = (x: number, d = 6) => Number(x.toFixed(d));
const roundBins = (bins: ReliabilityBin[]) =>
  bins.map((b) => ({ ...b, meanScore: b.meanScore === null ? null : round(b.meanScore) }));

async function runOne(c: AblationConfig, seed: number, steps: number, images: number): Promise<RunTables> {
  const { createTrainer, trainingBatch } = await import('../lib/detector/train');
  const { parseWarmStart } = await import('../lib/detector/warmStart');
  // The study's design (lib/detector/ablation): its anchors and A, and its warm start.
  const level = defaultLevel();
  const trainer = createTrainer({
    warmStart: parseWarmStart(fs.readFileSync(ABLATION_BUDGET.warmStart)),
    anchors: level.anchors,
    loss: c.loss,
    gamma: c.gamma,
    alpha: c.alpha,
    beta: c.beta ?? 1,
    steps,
    lr: ABLATION_BUDGET.lr,
    seed,
    model: { prior: c.prior, anchorsPerLocation: level.anchorsPerLocation },
  });
  const progress = createProgress({ total: steps, label: `reliability ${c.name}#${seed}` });
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const s = trainer.step(trainingBatch(seed, i, ABLATION_BUDGET.batch));
    progress.update(i + 1, { loss: s.total, ms: s.ms });
  }
  progress.finish({});
  const trainSeconds = (performance.now() - t0) / 1000;

  const te = performance.now();
  const evalSet = makeRangeSet(heldOutRange('test', images));
  const anchors = trainer.anchors;
  const K = trainer.model.config.numClasses;
  const N = anchors.numAnchors;
  const size = { width: evalSet.shape[2], height: evalSet.shape[1] };
  const anchorCounts = createReliabilityCounts(RELIABILITY_BINS);
  const dets: Detection[][] = [];
  forEachImageOutput(trainer.model, evalSet, { anchors }, (i, scores, deltas) => {
    // The trainer's own targets: fg anchors one-hot at their object's class, ignored anchors (valid 0) left out.
    const t = buildTargets(anchors.boxes, evalSet.boxes[i], evalSet.labels[i], K, trainer.config.assign);
    for (let n = 0; n < N; n++) {
      if (!t.valid[n]) continue;
      for (let k = 0; k < K; k++) addSample(anchorCounts, scores[n * K + k], t.clsTargets[n * K + k] === 1);
    }
    dets.push(postprocess(scores, deltas, anchors, K, size));
  });
  const r = scoreDetections(dets, evalSet, K);
  // Row 0 of detectionMatches is IoU 0.5 (COCO's first threshold): > 0 matched an object, 0 a false positive.
  const detCounts = createReliabilityCounts(RELIABILITY_BINS);
  dets.flat().forEach((d, j) => addSample(detCounts, d.score, r.detectionMatches[j] > 0));
  trainer.dispose();
  const anchorBins = reliabilityTable(anchorCounts);
  const detBins = reliabilityTable(detCounts);
  return {
    loss: c.name,
    seed,
    steps,
    images,
    ap: round(r.ap),
    ap50: round(r.ap50),
    trainSeconds: round(trainSeconds, 1),
    evalSeconds: round((performance.now() - te) / 1000, 1),
    anchors: { bins: roundBins(anchorBins), ece: round(expectedCalibrationError(anchorBins)) },
    detections: { bins: roundBins(detBins), ece: round(expectedCalibrationError(detBins)) },
  };
}

// The design is part of the name, so runs of an earlier design are never reused.
const cacheFile = (loss: string, seed: number, steps: number, images: number) =>
  path.join(
    CACHE,
    `${loss}-s${seed}-steps${steps}-images${images}-a${defaultLevel().anchorsPerLocation}-warm.json`,
  );

async function main(): Promise<number> {
  let seeds = ABLATION_SEEDS;
  let losses: string[] = [...LOSSES];
  let steps: number = ABLATION_BUDGET.steps;
  let images: number = ABLATION_BUDGET.evalImages;
  for (const [flag, v] of splitFlags(
    process.argv.slice(2),
    ['--seeds', '--losses', '--steps', '--images'],
    [],
  )) {
    if (typeof v !== 'string') continue;
    if (flag === '--seeds') seeds = parseSeedList(flag, v);
    else if (flag === '--losses') losses = parseNameList(flag, v);
    else if (flag === '--steps') steps = parseInteger(flag, v, 1);
    else if (flag === '--images') images = parseInteger(flag, v, 1);
  }
  for (const l of losses)
    if (!(LOSSES as readonly string[]).includes(l))
      throw new UsageError(`--losses: expected names from ${LOSSES.join(', ')}, got '${l}'`);
  const configs = new Map(allConfigs().map((c) => [c.name, c]));
  await ensureBackend('wasm');
  fs.mkdirSync(CACHE, { recursive: true });
  for (const l of losses) {
    for (const seed of seeds) {
      const file = cacheFile(l, seed, steps, images);
      if (fs.existsSync(file)) continue;
      const run = await runOne(configs.get(l)!, seed, steps, images);
      fs.writeFileSync(file, JSON.stringify(run) + '\n');
      process.stderr.write(
        `reliability: ${l}#${seed} AP50 ${run.ap50.toFixed(3)}, ECE anchors ${fmtFixed(run.anchors.ece, 4)}, ` +
          `detections ${fmtFixed(run.detections.ece, 4)}, ${run.trainSeconds} s + ${run.evalSeconds} s\n`,
      );
    }
  }
  const files = LOSSES.flatMap((l) => seeds.map((s) => cacheFile(l, s, steps, images)));
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length) {
    process.stderr.write(`reliability: ${missing.length} run(s) still missing; ${OUT} not written yet\n`);
    return 0;
  }
  const runs = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as RunTables);
  const test = heldOutRange('test', images);
  const out = {
    about:
      `Reliability tables (${RELIABILITY_BINS} equal-width score bins over [0, 1]: count, positives, mean score) of ` +
      'the toy RetinaNet trained with cross-entropy and with focal loss, per seed, on the study’s test images. ' +
      '"anchors": every (anchor, class) score σ(logit) of an anchor the trainer’s matcher assigns (IoU ≥ 0.5 to an ' +
      'object: positive for that object’s class only; IoU < 0.4 to every object: negative for every class; low-' +
      'quality matches kept as in training), ignored anchors (IoU in [0.4, 0.5)) left out. "detections": the ' +
      'paper’s detections (score > 0.05, ≤ 1,000 per level, NMS 0.5, ≤ 100 per image), positive when a true ' +
      'positive at IoU 0.5 under COCO’s greedy matching in score order. ece = Σ (n_b/N)|mean score − precision|. ' +
      'Written by scripts/reliability.ts.',
    command: `npm run reliability -- --seeds ${seeds.join(',')} --steps ${steps} --images ${images}`,
    model:
      `toy RetinaNet, the ablation's 'ce' (plain CE) and 'fl-g2' (FL γ = 2, α = 0.25) configurations, prior ` +
      `π = 0.01, ${steps} steps × batch ${ABLATION_BUDGET.batch} (Adam ${ABLATION_BUDGET.lr}), WASM backend`,
    split: { name: 'test', ...test },
    date: new Date().toISOString(),
    bins: RELIABILITY_BINS,
    seeds,
    losses: LOSSES.map((l) => ({ id: l, label: configs.get(l)!.label })),
    runs,
  };
  fs.writeFileSync(OUT, JSON.stringify(out, null, 1) + '\n');
  process.stderr.write(`reliability: wrote ${OUT}\n`);
  return 0;
}

runMain('reliability', main);
