/**
 * The toy RetinaNet network (paper §4, "RetinaNet Detector", Figure 3), shrunk to 64×64 images.
 *
 * Layout (NHWC, image [B, H, W, 3] in [0, 1]; every conv 3×3 'same' unless noted):
 *
 *   backbone   stem  3→16  stride 2, GN, ReLU                      → H/2
 *              c2a  16→32  stride 2, GN, ReLU;  c2b 32→32, GN, ReLU → C2 at stride 4
 *              c3a  32→32  stride 2, GN, ReLU;  c3b 32→32, GN, ReLU → C3 at stride 8
 *              c4   32→32  stride 2, GN, ReLU                       → C4 at stride 16
 *   FPN        L_i = 1×1 lateral(C_i) (32 ch, bias);  M4 = L4,  M3 = L3 + up2(M4),  M2 = L2 + up2(M3)
 *              P_i = 3×3 smoothing(M_i) (32 ch, bias)               → P2, P3, P4 at strides 4, 8, 16
 *   heads      shared across levels (paper: "parameters … shared across all pyramid levels"):
 *              cls: 2 × (3×3 32→32 + ReLU), then 3×3 32→A·K  (sigmoid logits)
 *              box: 2 × (3×3 32→32 + ReLU), then 3×3 32→A·4  (BoxCoder deltas dx, dy, dw, dh)
 *
 * The paper's subnets have four 256-channel convs on P3–P7; here two 32-channel convs on three levels keep
 * the model at ≈ 130k parameters so it trains in Node and in a browser. Normalisation is GroupNorm (Wu & He
 * 2018), which behaves the same in training and inference and for any batch size, followed by ReLU as one fused
 * kernel on the CPU and WASM backends and as tfjs ops on the GPU backends (./groupNorm.ts); the heads have none,
 * as in the paper.
 *
 * A training step runs the box subnet only on the windows of the cells that hold a foreground anchor, the only box
 * deltas its loss reads (`forwardTrain`, ./boxSites.ts); `classLogits` skips the box subnet altogether.
 *
 * Parameters live in ONE flat tf.Variable θ [P] and are cut into tensors by `tf.split` in `forward`. Why:
 * tfjs optimisers run ~10 small ops per variable per step (Adam: moments, bias correction, assign), so 40
 * separate variables cost hundreds of kernel launches per step; one flat variable costs a dozen, and the
 * backward pass of `split` is a single `concat`. It also makes `getWeights/setWeights` a single copy.
 *
 * Initialisation (paper §4.1 "Initialization"): backbone convs He-normal N(0, 2/fan_in) (the paper starts
 * from an ImageNet model; here we train from scratch), FPN convs N(0, 1/fan_in), every *new* head conv
 * N(0, 0.01²) with bias 0, and the final classification bias b = −log((1 − π)/π) so every anchor starts
 * with confidence ≈ π (default 0.01). `prior: null` sets that bias to 0 — the paper's "no prior" case in
 * which plain CE diverges/underperforms (§5.1). Weights come from lib/data/rng in JS (not tf.random*), so the
 * same seed gives bit-identical initial weights on every backend, in Node and in a browser.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients (the full @tensorflow/tfjs package does this import).
import '../tf/gradients';
import { createRng, deriveSeed } from '../data/rng';
import { priorBias } from '../loss/prior';
import type { BoxSites } from './boxSites';
import { groupNormRelu } from './groupNorm';

/** Architecture knobs of the toy RetinaNet. */
export interface ModelConfig {
  /** K, number of foreground classes (sigmoid outputs per anchor). Default 3. */
  numClasses?: number;
  /** A, anchors per feature-map location (must match the anchor generator). Default 9. */
  anchorsPerLocation?: number;
  /** π of the classification-bias init, b = −log((1 − π)/π); null → b = 0 (no prior init). Default 0.01. */
  prior?: number | null;
  /** Channels of the FPN outputs and of the head convs. Default 32. */
  width?: number;
  /** Channels of the stride-2 stem conv. Default 16. */
  stemWidth?: number;
  /** GroupNorm groups (must divide every backbone width). Default 8. */
  groups?: number;
  /** Number of 3×3 conv + ReLU layers in each subnet before its output conv (paper: 4). Default 2. */
  headDepth?: number;
}

/** A `ModelConfig` with every field filled in. */
export type ResolvedModelConfig = Required<ModelConfig>;

export const MODEL_DEFAULTS: ResolvedModelConfig = {
  numClasses: 3,
  anchorsPerLocation: 9,
  prior: 0.01,
  width: 32,
  stemWidth: 16,
  groups: 8,
  headDepth: 2,
};

/** Strides of the pyramid levels the model outputs (P2, P3, P4), matching `generateAnchors`' defaults. */
export const MODEL_STRIDES = [4, 8, 16] as const;

/** How a parameter tensor is initialised. */
type Init = { kind: 'normal'; std: number } | { kind: 'const'; value: number };

/** One parameter tensor inside the flat vector θ. */
export interface ParamSpec {
  name: string;
  shape: number[];
  size: number;
  /** Offset of the first element in θ. */
  offset: number;
  init: Init;
}

/** A built model: the flat parameter variable, its layout and the resolved config. */
export interface RetinaNetModel {
  config: ResolvedModelConfig;
  /** θ, all parameters, float32 [P], trainable. */
  params: tf.Variable<tf.Rank.R1>;
  /** Layout of θ, in order. */
  specs: ParamSpec[];
  /** The seed the weights were initialised from. */
  seed: number;
}

/** Output of `forward`: anchors ordered level, y, x, a — exactly `generateAnchors`' order. */
export interface HeadOutputs {
  /** Classification logits [B, N, K], N = Σ_levels H_l·W_l·A. */
  cls: tf.Tensor3D;
  /** Box regression deltas [B, N, 4] (dx, dy, dw, dh) for the torchvision BoxCoder, weights (1,1,1,1). */
  box: tf.Tensor3D;
}

/** Fills the defaults and validates a model config. */
export function resolveModelConfig(config: ModelConfig = {}): ResolvedModelConfig {
  const c: ResolvedModelConfig = { ...MODEL_DEFAULTS, ...stripUndefined(config) };
  const posInt = (v: number, what: string) => {
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`model: ${what} must be a positive integer, got ${v}`);
  };
  posInt(c.numClasses, 'numClasses');
  posInt(c.anchorsPerLocation, 'anchorsPerLocation');
  posInt(c.width, 'width');
  posInt(c.stemWidth, 'stemWidth');
  posInt(c.groups, 'groups');
  if (!Number.isInteger(c.headDepth) || c.headDepth < 0)
    throw new RangeError(`model: bad headDepth ${c.headDepth}`);
  if (c.prior !== null && !(c.prior > 0 && c.prior < 1)) {
    throw new RangeError(`model: prior must be in (0, 1) or null, got ${c.prior}`);
  }
  if (c.width % c.groups !== 0 || c.stemWidth % c.groups !== 0) {
    throw new RangeError(
      `model: groups ${c.groups} must divide width ${c.width} and stemWidth ${c.stemWidth}`,
    );
  }
  return c;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Backbone convs: [name, cin, cout, stride]. */
function backboneLayers(c: ResolvedModelConfig): [string, number, number, number][] {
  const w = c.width;
  return [
    ['stem', 3, c.stemWidth, 2],
    ['c2a', c.stemWidth, w, 2],
    ['c2b', w, w, 1],
    ['c3a', w, w, 2],
    ['c3b', w, w, 1],
    ['c4', w, w, 2],
  ];
}

/**
 * The parameter layout of a config, in θ order. Shapes: conv filters [kh, kw, cin, cout], biases [cout],
 * GroupNorm scale/shift [cout].
 */
export function paramSpecs(config: ModelConfig = {}): ParamSpec[] {
  const c = resolveModelConfig(config);
  const specs: ParamSpec[] = [];
  let offset = 0;
  const add = (name: string, shape: number[], init: Init) => {
    const size = shape.reduce((a, b) => a * b, 1);
    specs.push({ name, shape, size, offset, init });
    offset += size;
  };
  for (const [name, cin, cout] of backboneLayers(c)) {
    // No conv bias: GroupNorm's shift makes it redundant.
    add(`${name}/w`, [3, 3, cin, cout], { kind: 'normal', std: Math.sqrt(2 / (9 * cin)) });
    add(`${name}/gn_scale`, [cout], { kind: 'const', value: 1 });
    add(`${name}/gn_shift`, [cout], { kind: 'const', value: 0 });
  }
  const w = c.width;
  for (const level of ['p2', 'p3', 'p4']) {
    add(`fpn_${level}_lat/w`, [1, 1, w, w], { kind: 'normal', std: Math.sqrt(1 / w) });
    add(`fpn_${level}_lat/b`, [w], { kind: 'const', value: 0 });
    add(`fpn_${level}_out/w`, [3, 3, w, w], { kind: 'normal', std: Math.sqrt(1 / (9 * w)) });
    add(`fpn_${level}_out/b`, [w], { kind: 'const', value: 0 });
  }
  const A = c.anchorsPerLocation;
  for (const [head, out, bias] of [
    ['cls', A * c.numClasses, priorBias(c.prior)],
    ['box', A * 4, 0],
  ] as const) {
    for (let i = 0; i < c.headDepth; i++) {
      add(`${head}_conv${i}/w`, [3, 3, w, w], { kind: 'normal', std: 0.01 });
      add(`${head}_conv${i}/b`, [w], { kind: 'const', value: 0 });
    }
    add(`${head}_out/w`, [3, 3, w, out], { kind: 'normal', std: 0.01 });
    add(`${head}_out/b`, [out], { kind: 'const', value: bias });
  }
  return specs;
}

/** Total number of scalar parameters P of a config (default config: 128,367). */
export function countParams(config: ModelConfig | RetinaNetModel = {}): number {
  const specs = 'specs' in config ? config.specs : paramSpecs(config);
  return specs.reduce((a, s) => a + s.size, 0);
}

/** The initial θ for a config and seed, as a Float32Array [P] (see the module comment for the scheme). */
export function initialWeights(config: ModelConfig, seed: number): Float32Array {
  const specs = paramSpecs(config);
  const theta = new Float32Array(countParams(config));
  // lib/data/rng: sfc32 + a normal sampler built on IEEE-exact arithmetic (its own log), so the same seed
  // gives bit-identical weights in every JS engine, in Node and in the browser.
  const rng = createRng(deriveSeed(seed, 'focal-lab/model-init/v1'));
  for (const s of specs) {
    for (let i = 0; i < s.size; i++) {
      theta[s.offset + i] = s.init.kind === 'const' ? s.init.value : s.init.std * rng.normal();
    }
  }
  return theta;
}

let modelCounter = 0;

/**
 * Builds a model with parameters drawn from `seed` (same seed → identical weights on every backend).
 * The caller owns it: `disposeModel` frees its variable.
 */
export function createModel(config: ModelConfig = {}, seed = 0): RetinaNetModel {
  const resolved = resolveModelConfig(config);
  const specs = paramSpecs(resolved);
  const theta = initialWeights(resolved, seed);
  // Variable names are global in tfjs; a counter keeps several models (race mode) apart.
  const params = tf.tidy(() => tf.variable(tf.tensor1d(theta), true, `retinanet_${modelCounter++}/theta`));
  return { config: resolved, params, specs, seed };
}

/** Frees the model's parameter variable. */
export function disposeModel(model: RetinaNetModel): void {
  model.params.dispose();
}

/** A copy of θ as a Float32Array [P] (safe to post to another worker or model). */
export function getWeights(model: RetinaNetModel): Float32Array {
  return Float32Array.from(model.params.dataSync() as Float32Array);
}

/** Overwrites θ with `weights` (Float32Array [P], e.g. from `getWeights` of a model with the same config). */
export function setWeights(model: RetinaNetModel, weights: Float32Array): void {
  const P = countParams(model);
  if (weights.length !== P) throw new RangeError(`setWeights: expected ${P} values, got ${weights.length}`);
  tf.tidy(() => model.params.assign(tf.tensor1d(weights)));
}

/** Named views of θ, cut by one `split` (its gradient is one `concat`). */
function unpack(theta: tf.Tensor1D, specs: ParamSpec[]): Record<string, tf.Tensor> {
  const parts = tf.split(
    theta,
    specs.map((s) => s.size),
  );
  const out: Record<string, tf.Tensor> = {};
  specs.forEach((s, i) => {
    out[s.name] = s.shape.length === 1 ? parts[i] : tf.reshape(parts[i], s.shape);
  });
  return out;
}

/** Nearest-neighbour ×2 upsampling, [B, h, w, C] → [B, 2h, 2w, C] (FPN top-down path). */
function upsample2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]);
}

/**
 * The pyramid features P2, P3, P4 (strides 4, 8, 16) for images [B, H, W, 3], H and W multiples of 16.
 * Returned tensors are [B, H/s, W/s, width]. Pure function of (θ, images); no side effects.
 */
export function features(model: RetinaNetModel, images: tf.Tensor4D, theta?: tf.Tensor1D): tf.Tensor4D[] {
  return pyramid(model.config, unpack(theta ?? model.params, model.specs), images);
}

function pyramid(c: ResolvedModelConfig, p: Record<string, tf.Tensor>, images: tf.Tensor4D): tf.Tensor4D[] {
  const feats: Record<string, tf.Tensor4D> = {};
  let x = images;
  for (const [name, , , stride] of backboneLayers(c)) {
    x = tf.conv2d(x, p[`${name}/w`] as tf.Tensor4D, stride, 'same');
    x = groupNormRelu(x, p[`${name}/gn_scale`], p[`${name}/gn_shift`], c.groups);
    feats[name] = x;
  }
  const lateral = (level: string, input: tf.Tensor4D) =>
    tf.fused.conv2d({
      x: input,
      filter: p[`fpn_${level}_lat/w`] as tf.Tensor4D,
      strides: 1,
      pad: 'valid',
      bias: p[`fpn_${level}_lat/b`],
    });
  const smooth = (level: string, input: tf.Tensor4D) =>
    tf.fused.conv2d({
      x: input,
      filter: p[`fpn_${level}_out/w`] as tf.Tensor4D,
      strides: 1,
      pad: 'same',
      bias: p[`fpn_${level}_out/b`],
    });
  const m4 = lateral('p4', feats.c4);
  const m3 = tf.add(lateral('p3', feats.c3b), upsample2(m4)) as tf.Tensor4D;
  const m2 = tf.add(lateral('p2', feats.c2b), upsample2(m3)) as tf.Tensor4D;
  return [smooth('p2', m2), smooth('p3', m3), smooth('p4', m4)];
}

/**
 * One subnet's convs (weights shared across levels) on x: `depth` 3×3 conv + ReLU, then the 3×3 output conv.
 * 'same' runs it densely on a level; 'valid' runs it on the k × k windows of ./boxSites (`forwardTrain`), where
 * `masks[i]` [U, s, s, 1] zeroes the outputs of inner conv i that lie outside the feature map, as the dense
 * conv's zero padding would read them.
 */
function subnetConvs(
  p: Record<string, tf.Tensor>,
  head: 'cls' | 'box',
  depth: number,
  x: tf.Tensor4D,
  pad: 'same' | 'valid',
  masks: tf.Tensor4D[] = [],
): tf.Tensor4D {
  for (let i = 0; i < depth; i++) {
    x = tf.fused.conv2d({
      x,
      filter: p[`${head}_conv${i}/w`] as tf.Tensor4D,
      strides: 1,
      pad,
      bias: p[`${head}_conv${i}/b`],
      activation: 'relu',
    });
    if (masks[i]) x = tf.mul(x, masks[i]);
  }
  return tf.fused.conv2d({
    x,
    filter: p[`${head}_out/w`] as tf.Tensor4D,
    strides: 1,
    pad,
    bias: p[`${head}_out/b`],
  });
}

/**
 * Runs one subnet (shared weights) on every level and concatenates its outputs:
 * level l [B, H_l, W_l, A·D] → [B, H_l·W_l·A, D] → concat over levels → [B, N, D].
 */
function subnet(
  p: Record<string, tf.Tensor>,
  head: 'cls' | 'box',
  depth: number,
  levels: tf.Tensor4D[],
  D: number,
): tf.Tensor3D {
  const outs = levels.map((f) => {
    const y = subnetConvs(p, head, depth, f, 'same');
    const [B, H, W, AD] = y.shape;
    return tf.reshape(y, [B, (H * W * AD) / D, D]) as tf.Tensor3D;
  });
  return outs.length === 1 ? outs[0] : (tf.concat(outs, 1) as tf.Tensor3D);
}

/** The pyramid's strides need H and W to be multiples of 16 (P4 is H/16 × W/16). */
function checkImageSize(images: tf.Tensor4D, who: string): void {
  const [, H, W] = images.shape;
  if (H % 16 !== 0 || W % 16 !== 0)
    throw new RangeError(`${who}: image size ${H}×${W} must be a multiple of 16`);
}

/**
 * The network: images [B, H, W, 3] (float32, pixel values in [0, 1]) → { cls [B, N, K] logits,
 * box [B, N, 4] deltas }, N = Σ_l (H/s_l)(W/s_l)·A for s = 4, 8, 16 (3,024 for 64×64, A = 9).
 * Anchor order is level, y, x, a — `generateAnchors({ imageSize, strides: [4, 8, 16] })`'s order.
 * `theta` overrides the model's variable (e.g. a tensor inside `tf.variableGrads`); default `model.params`.
 * Pure: call inside `tf.tidy` (or dispose the outputs).
 */
export function forward(model: RetinaNetModel, images: tf.Tensor4D, theta?: tf.Tensor1D): HeadOutputs {
  checkImageSize(images, 'forward');
  const c = model.config;
  const p = unpack(theta ?? model.params, model.specs);
  const levels = pyramid(c, p, images);
  return {
    cls: subnet(p, 'cls', c.headDepth, levels, c.numClasses),
    box: subnet(p, 'box', c.headDepth, levels, 4),
  };
}

/**
 * `forward`'s classification logits only [B, N, K], without the box subnet (≈ 40 % of the default design's
 * multiply-adds): for readers of the class scores alone, such as Figure 4 (lib/metrics/fig4.ts).
 */
export function classLogits(model: RetinaNetModel, images: tf.Tensor4D, theta?: tf.Tensor1D): tf.Tensor3D {
  checkImageSize(images, 'classLogits');
  const c = model.config;
  const p = unpack(theta ?? model.params, model.specs);
  return subnet(p, 'cls', c.headDepth, pyramid(c, p, images), c.numClasses);
}

/** Output of `forwardTrain`. */
export interface TrainOutputs {
  /** Classification logits [B, N, K], as `forward`'s. */
  cls: tf.Tensor3D;
  /** Box deltas [F, 4] of the foreground anchors, in the order of the `fgIndex` the sites were built from. */
  boxFg: tf.Tensor2D;
}

/**
 * The training step's network: `forward`'s classification logits, and the box deltas of the foreground anchors
 * only, computed by running the box subnet on the windows of `sites` (./boxSites: the same numbers as
 * `forward(…).box` at those anchors, to float32 rounding; tests/unit/detector/boxSites.test.ts checks outputs
 * and gradients). In the default design this skips 38 % of the forward's multiply-adds (`npm run bench:train`
 * prints them, lib/detector/macs.ts), and as much of the backward's. Pure: call inside `tf.tidy`.
 */
export function forwardTrain(
  model: RetinaNetModel,
  images: tf.Tensor4D,
  sites: BoxSites,
  theta?: tf.Tensor1D,
): TrainOutputs {
  checkImageSize(images, 'forwardTrain');
  const B = images.shape[0];
  const c = model.config;
  const p = unpack(theta ?? model.params, model.specs);
  const levels = pyramid(c, p, images);
  const fits =
    sites.batch === B &&
    sites.depth === c.headDepth &&
    sites.anchorsPerCell === c.anchorsPerLocation &&
    sites.levelSizes.length === levels.length &&
    levels.every((f, l) => f.shape[1] === sites.levelSizes[l][0] && f.shape[2] === sites.levelSizes[l][1]);
  if (!fits)
    throw new RangeError('forwardTrain: box sites built for another batch, anchor set or head depth');
  const cls = subnet(p, 'cls', c.headDepth, levels, c.numClasses);
  const U = sites.cells;
  if (U === 0) return { cls, boxFg: tf.zeros([0, 4]) };
  const C = c.width;
  const k = sites.window;
  // The flattened pyramid and one zero row, which the windows read outside the map.
  const flat = tf.concat([...levels.map((f) => tf.reshape(f, [-1, C])), tf.zeros([1, C])], 0);
  const windows = tf.reshape(tf.gather(flat, tf.tensor1d(sites.rows, 'int32')), [U, k, k, C]) as tf.Tensor4D;
  const masks = sites.masks.map((m, i) => {
    const s = k - 2 * (i + 1);
    return tf.tensor4d(m, [U, s, s, 1]);
  });
  const y = subnetConvs(p, 'box', c.headDepth, windows, 'valid', masks);
  const A = c.anchorsPerLocation;
  const boxFg = tf.gather(tf.reshape(y, [U * A, 4]), tf.tensor1d(sites.fgRows, 'int32')) as tf.Tensor2D;
  return { cls, boxFg };
}
