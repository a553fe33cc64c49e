/**
 * Playground sessions small enough for CI, shared by the session and controller tests: 32-px images, a width-16
 * network, batch 2, views every few steps.
 */
import type { ProgressPoint, RunConfig, SessionConfig } from '../../../lib/playground/protocol';
import type { BackendEnv } from '../../../lib/playground/backend-plan';

/** A worker scope with WebAssembly only (no OffscreenCanvas, WebGL or WebGPU): the backend plan is WASM, then CPU. */
export const WASM_ONLY_ENV: BackendEnv = {
  offscreenCanvas: false,
  webgl: false,
  webglRenderer: null,
  webAssembly: true,
  webgpu: false,
  webgpuAdapter: null,
};

export const FL: RunConfig = {
  label: 'FL',
  loss: 'focal',
  gamma: 2,
  alpha: 0.25,
  beta: 1,
  prior: 0.01,
  lr: 0.002,
};
export const CE: RunConfig = {
  label: 'CE',
  loss: 'ce',
  gamma: 0,
  alpha: null,
  beta: 1,
  prior: 0.01,
  lr: 0.002,
};

/** A session small enough for CI: 32-px images, width-16 network, batch 2, views every few steps. */
export function tiny(runs: RunConfig[], over: Partial<SessionConfig> = {}): SessionConfig {
  return {
    runs,
    seed: 3,
    batchSize: 2,
    steps: 200,
    warmupSteps: 2,
    imageSize: 32,
    data: { objectsPerImage: [1, 1], distractors: [0, 1], clutterLines: [0, 0], sizeRange: [8, 20] },
    anchors: {},
    model: { width: 16, stemWidth: 8, headDepth: 1 },
    views: {
      evalImages: 4,
      probeImages: 2,
      sampleImages: 2,
      evalEvery: 10,
      viewsEvery: 5,
      fig4Every: 10,
      progressIntervalMs: 0,
      fig4Points: 11,
      histogramBins: 10,
    },
    ...over,
  };
}

/** One run's StepStats at `step`, taking `ms` to compute (the losses are placeholders). */
export function progressPoint(step: number, ms = 10): ProgressPoint {
  return {
    step,
    total: 1,
    cls: 0.5,
    clsPos: 0.2,
    clsHardNeg: 0.2,
    clsEasyNeg: 0.1,
    box: 0.5,
    numFg: 3,
    numNeg: 9,
    gradNorm: 1,
    lr: 0.001,
    ms,
  };
}
