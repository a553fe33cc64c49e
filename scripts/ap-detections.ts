/**
 * Writes content/data/ap-detections.json: the toy detector's candidate detections on a few held-out images, for
 * the "AP you can see" figure (components/figures/ApFigure.tsx).
 *
 *   npx tsx --import ./scripts/node/register.mjs scripts/ap-detections.ts [--steps 700] [--images 24]
 *
 * One run: the toy RetinaNet with focal loss (γ = 2, α = 0.25, prior 0.01, seed 0, the ablation's `fl-g2` seed 0
 * setting, see content/data/ablation.json), trained on the WASM backend, then run on images 0…images−1 of the fixed
 * held-out set (lib/detector/infer.ts `makeEvalSet`). Per image it keeps the paper's candidates (score > 0.05, at
 * most 1,000 per level) *before* NMS, at most MAX_CANDIDATES of them by score, so the figure can run NMS itself
 * (lib/detector/boxes.ts) at any threshold, or not at all. Boxes are rounded to 0.01 px and scores to 1e-4 to keep
 * the file small; the figure's AP is computed from these rounded values by lib/metrics/coco.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { detect, makeEvalSet, EVAL_DATASET_SEED } from '../lib/detector/infer';
import { createTrainer, trainingBatch } from '../lib/detector/train';
import { ensureBackend } from '../lib/tf/backend';
import { parseNumber } from './cli-args';
import { createProgress } from './cli-progress';

/** Candidates kept per image before NMS (the paper keeps up to 1,000 per level; 60 covers every box a reader sees). */
const MAX_CANDIDATES = 60;
const OUT = path.join('content', 'data', 'ap-detections.json');

const round = (x: number, d: number) => Number(x.toFixed(d));

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flag = (name: string, fallback: number) => {
    const i = argv.indexOf(name);
    return i < 0
      ? fallback
      : parseNumber(name, argv[i + 1] ?? '', (x) => Number.isInteger(x) && x > 0, 'an integer > 0');
  };
  const steps = flag('--steps', 700);
  const images = flag('--images', 24);
  // ensureBackend also installs the WASM backend's missing convolution gradients (lib/tf/backend.ts).
  await ensureBackend('wasm');
  const config = { loss: 'focal', gamma: 2, alpha: 0.25, seed: 0, steps, model: { prior: 0.01 } } as const;
  const trainer = createTrainer(config);
  const progress = createProgress({ total: steps, label: 'ap-detections' });
  for (let i = 0; i < steps; i++) {
    const s = trainer.step(trainingBatch(config.seed, i, 16));
    progress.update(i + 1, { loss: s.total, ms: s.ms });
  }
  progress.finish({});
  const evalSet = makeEvalSet(images);
  // nmsIou 1 suppresses nothing (NMS drops IoU strictly above the threshold): the figure applies NMS itself.
  const dets = detect(trainer.model, evalSet, { nmsIou: 1, maxDetections: MAX_CANDIDATES });
  const out = {
    about:
      'Candidate detections (score > 0.05, at most 1,000 per pyramid level, then the ' +
      `${MAX_CANDIDATES} highest-scoring per image) of the toy RetinaNet before NMS, on held-out images; ` +
      'boxes [x1, y1, x2, y2] px rounded to 0.01, scores rounded to 1e-4. Written by scripts/ap-detections.ts.',
    command: `npx tsx --import ./scripts/node/register.mjs scripts/ap-detections.ts --steps ${steps} --images ${images}`,
    model: `focal loss γ = 2, α = 0.25, prior π = 0.01, seed 0, ${steps} steps × batch 16 (Adam), WASM backend`,
    dataset: { seed: EVAL_DATASET_SEED, split: 'eval', imageSize: evalSet.shape[1] },
    maxCandidates: MAX_CANDIDATES,
    images: dets.map((ds, i) => ({
      index: i,
      boxes: Array.from({ length: evalSet.labels[i].length }, (_, g) =>
        Array.from(evalSet.boxes[i].subarray(4 * g, 4 * g + 4)),
      ),
      labels: Array.from(evalSet.labels[i]),
      candidates: ds.map((d) => [...d.box.map((v) => round(v, 2)), round(d.score, 4), d.label]),
    })),
  };
  fs.writeFileSync(OUT, JSON.stringify(out) + '\n');
  process.stderr.write(`ap-detections: wrote ${OUT}\n`);
}

main().catch((e) => {
  process.stderr.write(`ap-detections: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
