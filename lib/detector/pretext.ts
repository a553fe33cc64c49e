/**
 * The warm start's pretext task (issue 11, item 1): image classification on the synthetic data, the toy's
 * analogue of the ImageNet pretraining the paper's backbone comes from (§4.1). It is neutral between the
 * detection losses: it never sees anchors, matching or the focal term, only "which class is the object".
 *
 * Model: the detector's backbone + FPN (lib/detector/model `features`), global average pooling of each pyramid
 * level P2, P3, P4, concatenated ([B, 3·width]), then a linear layer to K logits:
 *
 *   z = W·[GAP(P2); GAP(P3); GAP(P4)] + b,   W [3·width, K] ~ N(0, 0.01²), b = 0,
 *   L = (1/B) Σ_i −log softmax(z_i)_{y_i},   y_i = the class of image i's first object.
 *
 * The detector's heads are in θ but receive no gradient here; `warmStart()` hands over only backbone + FPN
 * (./warmStart). Adam at a constant learning rate; tfjs memory flat per step (one `tf.tidy`).
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tf/gradients';
import { createRng, deriveSeed } from '../data/rng';
import type { TrainBatch } from './trainConfig';
import {
  createModel,
  disposeModel,
  features,
  getWeights,
  type ModelConfig,
  type RetinaNetModel,
} from './model';
import { extractWarmStart, type WarmStart } from './warmStart';

/** Options of a pretext trainer. */
export interface PretextConfig {
  /** Seed of the backbone's initial weights and of the linear head. Default 0. */
  seed?: number;
  /** Adam learning rate. Default 2e-3. */
  lr?: number;
  /** Network config (widths); K = numClasses of the pretext. */
  model?: ModelConfig;
}

/** Statistics of one pretext step. */
export interface PretextStepStats {
  /** Mean softmax cross-entropy of the batch (nats). */
  loss: number;
  /** Fraction of the batch whose arg-max logit is the true class. */
  accuracy: number;
}

/** A pretext trainer: the detector model it trains, one step, and the warm start it yields. */
export interface PretextTrainer {
  readonly model: RetinaNetModel;
  step(batch: TrainBatch): PretextStepStats;
  /** The current backbone + FPN as a warm start (`meta` is stored as provenance). */
  warmStart(meta?: Record<string, unknown>): WarmStart;
  dispose(): void;
}

/** Creates a pretext trainer (see the module comment for the model and loss). */
export function createPretextTrainer(config: PretextConfig = {}): PretextTrainer {
  const seed = config.seed ?? 0;
  const model = createModel(config.model ?? {}, seed);
  const K = model.config.numClasses;
  const D = 3 * model.config.width;
  const rng = createRng(deriveSeed(seed, 'focal-lab/pretext-head/v1'));
  const w0 = new Float32Array(D * K);
  for (let i = 0; i < w0.length; i++) w0[i] = 0.01 * rng.normal();
  const W = tf.variable(tf.tensor2d(w0, [D, K]), true, `${model.params.name}/pretext_w`);
  const b = tf.variable(tf.zeros([K]), true, `${model.params.name}/pretext_b`);
  const optimizer = tf.train.adam(config.lr ?? 2e-3);

  function step(batch: TrainBatch): PretextStepStats {
    const B = batch.labels.length;
    const size = Math.round(Math.sqrt(batch.images.length / (3 * B)));
    const y = new Int32Array(B);
    for (let i = 0; i < B; i++) {
      if (batch.labels[i].length < 1) throw new RangeError(`pretext: image ${i} has no object`);
      y[i] = batch.labels[i][0];
    }
    const values = tf.tidy(() => {
      const images = tf.tensor4d(batch.images, [B, size, size, 3]);
      const onehot = tf.oneHot(tf.tensor1d(y, 'int32'), K);
      let logits: tf.Tensor2D | null = null;
      const { value, grads } = tf.variableGrads(() => {
        const pooled = tf.concat(
          features(model, images).map((f) => tf.mean(f, [1, 2])),
          1,
        ) as tf.Tensor2D;
        const z = tf.add(tf.matMul(pooled, W), b) as tf.Tensor2D;
        logits = tf.keep(z);
        // log-softmax is computed with its max subtracted: finite for any finite logit.
        return tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(z)), 1))) as tf.Scalar;
      }, [model.params, W, b]);
      optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
      const correct = tf.mean(tf.cast(tf.equal(tf.argMax(logits!, 1), tf.argMax(onehot, 1)), 'float32'));
      (logits as tf.Tensor | null)?.dispose();
      return tf.stack([value, correct]).dataSync();
    });
    return { loss: values[0], accuracy: values[1] };
  }

  return {
    model,
    step,
    warmStart: (meta = {}) => extractWarmStart(getWeights(model), model.specs, meta),
    dispose() {
      optimizer.dispose();
      W.dispose();
      b.dispose();
      disposeModel(model);
    },
  };
}
