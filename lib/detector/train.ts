/**
 * One RetinaNet training step and the trainer around it (paper §4 "Training", §5.1).
 *
 * Loss of a minibatch of B images with anchors n and classes k (targets y ∈ {0, 1}, sigmoid head):
 *
 *   L = (1 / max(1, F)) · [ Σ_{b,n,k} w_{b,n} · ℓ(x_{b,n,k}, y_{b,n,k})  +  Σ_{fg (b,n)} Σ_c smoothL1_β(d_{b,n,c} − t_{b,n,c}) ]
 *
 * where F = number of foreground anchors in the batch (the paper's normaliser: "the number of anchors assigned
 * to a ground-truth box"), ℓ the per-element classification loss of the chosen mode (./lossFunctions),
 * w_{b,n} ∈ {0, 1} selects the anchors that enter it (all non-ignored anchors, or a sample: the mode's `negatives`
 * in ./lossModes, applied by ./batchTargets), d the predicted box deltas, t the BoxCoder targets, and
 * smoothL1_β(z) = 0.5 z²/β for |z| < β, |z| − 0.5β otherwise, β = 1/9 (Detectron / torchvision `_box_loss('smooth_l1', beta=1/9)`).
 *
 * Engineering (measured on the WASM backend in Node, batch 16, with `npm run bench:train`, scripts/bench.ts):
 * - targets are built in typed arrays on the CPU (`buildBatchTargets`) and uploaded once per step;
 * - the classification loss is weighted by a same-shape [B, N, K] mask (a multiply, no gather over N·K);
 * - the box subnet runs only on the windows of the cells that hold a foreground anchor (./boxSites,
 *   ./model `forwardTrain`): the box loss reads no other box deltas, and the dense box subnet was ≈ 40 % of the
 *   step's multiply-adds;
 * - all statistics (losses split into positives / hard / easy negatives, gradient norm) are reduced into ONE
 *   tensor and read once at the end of the step (`dataSync` in `step`, `await data()` in `stepAsync`);
 * - everything happens inside one `tf.tidy`; the tensor count is flat across steps (tested).
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tf/gradients';
import { SlicedTask, whileHelpersWork } from '../tf/idle-work';
import { createRng, deriveSeed } from '../data/rng';
import { makeBatch, type Batch, type DataOptions } from '../data/synthetic';
import { alphaT } from '../loss/binary';
import type { AnchorSet } from './anchors';
import { batchTargetSlices, buildBatchTargets, makeOhemMask, type BatchTargets } from './batchTargets';
import { boxSites, type BoxSites } from './boxSites';
import { LOSS_FUNCTIONS } from './lossFunctions';
import { lossSplit } from './lossSplit';
import { LOSS_MODES } from './lossModes';
import {
  createModel,
  disposeModel,
  forwardTrain,
  initialWeights,
  paramSpecs,
  setWeights,
  type RetinaNetModel,
} from './model';
import { applyWarmStart } from './warmStart';
import {
  anchorsFor,
  learningRateAt,
  resolveTrainConfig,
  type ResolvedTrainConfig,
  type StepStats,
  type TrainBatch,
  type TrainConfig,
} from './trainConfig';

/** A trainer owns a model, an optimiser and the anchor set. */
export interface Trainer {
  readonly config: ResolvedTrainConfig;
  readonly model: RetinaNetModel;
  readonly anchors: AnchorSet;
  /** Steps taken so far. */
  readonly stepCount: number;
  /** One optimisation step on `batch`; synchronous, returns plain numbers (reads its statistics with `dataSync`). */
  step(batch: TrainBatch): StepStats;
  /**
   * Starts building the targets of `batch`, the next step's, in this thread's idle moments while helper threads
   * run the current step's convs (lib/tf/idle-work.ts); the step on that same batch object takes them, finishing
   * them first if need be. Same targets as without: a speed-up only. Not for the 'sampled' negatives, whose draws
   * must follow step order (their step builds them, as without a prefetch). Two batches at most are held (the
   * current step's and the next one's): a third drops the oldest.
   */
  prefetch(batch: TrainBatch): void;
  /**
   * The same step, reading its statistics with `await data()`: the form for GPU backends, where a synchronous read
   * stalls the pipeline (WebGL) or is not possible at all (WebGPU: tfjs's canvas fallback reads zeros on
   * SwiftShader). Same numbers as `step`; on CPU and WASM the read resolves at once.
   */
  stepAsync(batch: TrainBatch): Promise<StepStats>;
  /** Frees the model, optimiser state and cached tensors. */
  dispose(): void;
}

/**
 * Smooth-L1 with transition β, summed: Σ 0.5 q²/β + (|z| − q), q = min(|z|, β) — equal to 0.5 z²/β for |z| < β
 * and |z| − 0.5β otherwise, written without `where` so the gradient is one fused chain.
 */
export function smoothL1Sum(pred: tf.Tensor, target: tf.Tensor, beta: number): tf.Scalar {
  return tf.tidy(() => {
    const a = tf.abs(tf.sub(pred, target));
    const q = tf.minimum(a, beta);
    return tf.sum(tf.add(tf.mul(tf.square(q), 0.5 / beta), tf.sub(a, q)));
  });
}

/**
 * The θ a trainer of config `c` starts from, computed in JavaScript (never read back from the backend, which
 * WebGPU cannot do synchronously): the model's seeded init, with the warm start's backbone + FPN when configured.
 */
export function startingWeights(c: ResolvedTrainConfig): Float32Array {
  const theta = initialWeights(c.model, c.seed);
  return c.warmStart ? applyWarmStart(theta, paramSpecs(c.model), c.warmStart) : theta;
}

/**
 * Creates a trainer: model from `config.seed` (backbone + FPN from `config.warmStart` when given), optimiser (tf.train.adam or tf.train.momentum), anchor set.
 * It changes no global kernels: on WASM it needs the gradient kernels that `ensureBackend` (lib/tf/backend.ts)
 * installs with the backend (or `wasmConvGradients.install()` after a bare `tf.setBackend`).
 */
export function createTrainer(config: TrainConfig = {}): Trainer {
  const c = resolveTrainConfig(config);
  const model = createModel(c.model, c.seed);
  if (c.warmStart) setWeights(model, startingWeights(c));
  const K = model.config.numClasses;
  const anchors = anchorsFor(c);
  if (anchors.anchorsPerLocation !== model.config.anchorsPerLocation) {
    throw new RangeError(
      `train: anchors give A = ${anchors.anchorsPerLocation} but the model has A = ${model.config.anchorsPerLocation}`,
    );
  }
  const N = anchors.numAnchors;
  const optimizer = c.optimizer === 'adam' ? tf.train.adam(c.lr) : tf.train.momentum(c.lr, c.momentum);
  // The 1:3 sampler's own stream: independent of the data stream and of the weight init.
  const samplerRng = createRng(deriveSeed(c.seed, 'focal-lab/train/sampler/v1'));
  const rand = () => samplerRng.float();
  const lossParams = { alpha: null, gamma: c.gamma, beta: c.beta };
  let stepCount = 0;

  const setLr = (lr: number) => {
    // SGD/momentum caches −lr in a scalar (setLearningRate rebuilds it); Adam reads this.learningRate per call.
    if (c.optimizer === 'sgd') (optimizer as tf.MomentumOptimizer).setLearningRate(lr);
    else (optimizer as unknown as { learningRate: number }).learningRate = lr;
  };

  const targetOptions = () => ({ assign: c.assign, negPosRatio: c.negPosRatio, rand, alpha: c.alpha });
  /** A batch's targets and box sites, one image a slice (the sites, pure JavaScript too, in the last). */
  function* targetSlices(batch: TrainBatch): Generator<void, { tg: BatchTargets; sites: BoxSites }> {
    const tg = yield* batchTargetSlices(batch, anchors, K, c.loss, targetOptions());
    return { tg, sites: boxSites(anchors, tg.fgIndex, batch.boxes.length, model.config.headDepth) };
  }
  /** Prefetched targets by batch, oldest first: the current step's and the next one's at most. */
  const prefetched: { batch: TrainBatch; task: SlicedTask<{ tg: BatchTargets; sites: BoxSites }> }[] = [];
  function prefetch(batch: TrainBatch): void {
    if (LOSS_MODES[c.loss].negatives === 'sampled' || prefetched.some((p) => p.batch === batch)) return;
    prefetched.push({ batch, task: whileHelpersWork(new SlicedTask(targetSlices(batch))) });
    if (prefetched.length > 2) prefetched.shift()!.task.cancel();
  }
  /** The targets and box sites of `batch`: the prefetched ones where there are, else built now. */
  function targetsOf(batch: TrainBatch): { tg: BatchTargets; sites: BoxSites } {
    const i = prefetched.findIndex((p) => p.batch === batch);
    if (i >= 0) return prefetched.splice(i, 1)[0].task.result();
    const tg = buildBatchTargets(batch, anchors, K, c.loss, targetOptions());
    return { tg, sites: boxSites(anchors, tg.fgIndex, batch.boxes.length, model.config.headDepth) };
  }

  /** Everything of a step but reading its statistics: returns them as one kept tensor, and what `finish` needs. */
  function launch(batch: TrainBatch): {
    all: tf.Tensor;
    step: number;
    numFg: number;
    numNeg: number;
    lr: number;
    t0: number;
  } {
    const t0 = performance.now();
    const B = batch.boxes.length;
    const size = c.imageSize;
    if (batch.images.length !== B * size * size * 3) {
      throw new RangeError(
        `train: images has ${batch.images.length} values, expected ${B}×${size}×${size}×3`,
      );
    }
    const { tg, sites } = targetsOf(batch);
    const lr = learningRateAt(stepCount, c);
    setLr(lr);
    const invF = 1 / Math.max(1, tg.numFg);
    const mining = LOSS_MODES[c.loss].negatives === 'ohem';
    const all = tf.tidy(() => {
      const images = tf.tensor4d(batch.images, [B, size, size, 3]);
      const clsT = tf.tensor3d(tg.cls, [B, N, K]);
      let weight = tf.tensor3d(tg.weight, [B, N, K]);
      const boxT = tf.tensor2d(tg.boxTargets, [tg.numFg, 4]);
      const bg = mining ? tf.tensor2d(tg.bg, [B, N]) : null;
      const ohem = mining ? makeOhemMask(tg.minePerImage) : null;
      let stats: tf.Tensor | null = null;
      const { grads } = tf.variableGrads(() => {
        const out = forwardTrain(model, images, sites);
        if (ohem && bg) {
          // Mined background anchors, all K elements, weighted α_t = 1 − α like the other negatives.
          weight = tf.add(weight, tf.mul(ohem(out.cls, bg), alphaT(0, c.alpha)));
        }
        // w·ℓ per element; α_t is inside `weight` already (buildBatchTargets), so ℓ gets α = null.
        const elem = LOSS_FUNCTIONS[c.loss].element(out.cls, clsT, lossParams, weight);
        const clsLoss = tf.mul(tf.sum(elem), invF);
        const boxLoss = tg.numFg > 0 ? tf.mul(smoothL1Sum(out.boxFg, boxT, c.boxBeta), invF) : tf.scalar(0);
        const total = tf.add(clsLoss, boxLoss) as tf.Scalar;
        // Statistics (not on the gradient path): split of the class loss, kept past variableGrads' scope.
        const split = tf.mul(lossSplit(elem, clsT, out.cls), invF); // [positives, hard negatives]
        stats = tf.keep(tf.concat([tf.stack([total, clsLoss, boxLoss]), split]));
        return total;
      }, [model.params]);
      const g = grads[model.params.name];
      const gradNorm = tf.sqrt(tf.sum(tf.square(g)));
      optimizer.applyGradients([{ name: model.params.name, tensor: g }]);
      const all = tf.concat([stats!, tf.reshape(gradNorm, [1])]);
      stats!.dispose();
      return all;
    });
    stepCount++;
    return { all, step: stepCount, numFg: tg.numFg, numNeg: tg.numNeg, lr, t0 };
  }

  /** The statistics of a launched step, once read. */
  function finish(launched: ReturnType<typeof launch>, values: tf.backend_util.TypedArray): StepStats {
    const [total, cls, box, clsPos, clsHardNeg, gradNorm] = Array.from(values);
    return {
      step: launched.step,
      total,
      cls,
      box,
      clsPos,
      clsHardNeg,
      clsEasyNeg: cls - clsPos - clsHardNeg,
      numFg: launched.numFg,
      numNeg: launched.numNeg,
      gradNorm,
      lr: launched.lr,
      ms: performance.now() - launched.t0,
    };
  }

  function step(batch: TrainBatch): StepStats {
    const launched = launch(batch);
    try {
      return finish(launched, launched.all.dataSync());
    } finally {
      launched.all.dispose();
    }
  }

  async function stepAsync(batch: TrainBatch): Promise<StepStats> {
    const launched = launch(batch);
    try {
      return finish(launched, await launched.all.data());
    } finally {
      launched.all.dispose();
    }
  }

  return {
    config: c,
    model,
    anchors,
    get stepCount() {
      return stepCount;
    },
    step,
    stepAsync,
    prefetch,
    dispose() {
      for (const p of prefetched.splice(0)) p.task.cancel();
      optimizer.dispose();
      disposeModel(model);
    },
  };
}

/**
 * Training minibatch `step` of a run: images step·B … step·B + B − 1 of the 'train' split of dataset `seed`
 * (`makeBatch`), so a run's data stream is fixed by its seed and independent of the held-out 'eval' split.
 */
export function trainingBatch(
  seed: number,
  step: number,
  batchSize: number,
  data: Partial<DataOptions> = {},
): Batch {
  return makeBatch(seed, batchSize, data, { split: 'train', startIndex: step * batchSize });
}
