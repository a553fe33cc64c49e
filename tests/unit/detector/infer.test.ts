/**
 * Inference post-processing (paper §4 "Inference"): score threshold, per-level top-k, per-class NMS, the cap on
 * detections, box decoding and clipping; and `detect` / `evaluate` on a real model without leaking tensors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { generateAnchors } from '../../../lib/detector/anchors';
import {
  anchorsForImage,
  detect,
  detectAsync,
  evaluate,
  evaluateAsync,
  makeEvalSet,
  postprocess,
} from '../../../lib/detector/infer';
import { createModel, disposeModel } from '../../../lib/detector/model';
import { expectClose } from '../../helpers/close';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

const K = 3;
const anchors = generateAnchors({ imageSize: 64 });
const N = anchors.numAnchors;
const size = { width: 64, height: 64 };
const anchorBox = (n: number) => Array.from(anchors.boxes.subarray(4 * n, 4 * n + 4));

describe('postprocess', () => {
  it('keeps only scores above the threshold and decodes zero deltas to the anchor itself (clipped)', () => {
    const scores = new Float32Array(N * K).fill(0.01);
    const deltas = new Float32Array(N * 4);
    const n = anchors.perLevel[1].offset + 100; // an interior anchor of level 2
    scores[n * K + 2] = 0.9;
    scores[(n + 500) * K] = 0.0499; // just below the threshold: dropped
    const d = postprocess(scores, deltas, anchors, K, size);
    expect(d.length).toBe(1);
    expect(d[0].label).toBe(2);
    expectClose(d[0].score, 0.9);
    expectClose(
      d[0].box,
      anchorBox(n).map((v) => Math.min(64, Math.max(0, v))),
      { atol: 1e-4, rtol: 0 },
    );
  });

  it('suppresses overlapping boxes of the same class but not of different classes', () => {
    const scores = new Float32Array(N * K);
    const deltas = new Float32Array(N * 4);
    const n = anchors.perLevel[0].offset + 9 * (16 * 8 + 8) + 4; // centre of level 1, square anchor
    // Two anchors of the same location with different aspect ratios overlap heavily with a third one.
    scores[n * K] = 0.9;
    scores[(n + 1) * K] = 0.8; // next scale, same centre → IoU 0.63 > 0.5 → suppressed
    scores[(n + 1) * K + 1] = 0.7; // same box, other class → kept
    const d = postprocess(scores, deltas, anchors, K, size);
    expect(d.map((x) => [x.label, Number(x.score.toFixed(2))])).toEqual([
      [0, 0.9],
      [1, 0.7],
    ]);
  });

  it('caps candidates per level at topK and detections at maxDetections, sorted by score', () => {
    const scores = new Float32Array(N * K);
    for (let e = 0; e < N * K; e++) scores[e] = 0.06 + (0.9 * ((e * 7919) % 1000)) / 1000;
    const deltas = new Float32Array(N * 4);
    const few = postprocess(scores, deltas, anchors, K, size, { topK: 2, nmsIou: 1 });
    expect(few.length).toBe(2 * anchors.perLevel.length); // IoU ≤ 1 never suppresses: 2 per level survive
    const capped = postprocess(scores, deltas, anchors, K, size);
    expect(capped.length).toBe(100);
    for (let i = 1; i < capped.length; i++) expect(capped[i].score).toBeLessThanOrEqual(capped[i - 1].score);
    for (const x of capped) {
      expect(x.box[0]).toBeGreaterThanOrEqual(0);
      expect(x.box[2]).toBeLessThanOrEqual(64);
    }
  });
});

describe('detect and evaluate', () => {
  it('return at most 100 detections per image above the threshold and AP figures in [0, 1], leaking nothing', () => {
    const before = tf.memory().numTensors;
    const m = createModel({ prior: null }, 0); // prior none → scores ≈ 0.5 everywhere, plenty of candidates
    const data = makeEvalSet(3);
    const dets = detect(m, data, { chunkSize: 2 });
    expect(dets.length).toBe(3);
    for (const ds of dets) {
      expect(ds.length).toBeGreaterThan(0);
      expect(ds.length).toBeLessThanOrEqual(100);
      for (const d of ds) expect(d.score).toBeGreaterThan(0.05);
    }
    const r = evaluate(m, data);
    for (const v of [r.ap, r.ap50, r.ap75, r.ar100]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(r.numImages).toBe(3);
    disposeModel(m);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('give the same detections and AP read with data() (detectAsync, evaluateAsync), leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const m = createModel({ prior: null }, 1);
    const data = makeEvalSet(3);
    expect(await detectAsync(m, data, { chunkSize: 2 })).toEqual(detect(m, data, { chunkSize: 2 }));
    expect(await evaluateAsync(m, data)).toEqual(evaluate(m, data));
    disposeModel(m);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('uses anchors in the model output order', () => {
    expect(anchorsForImage(64, 64).numAnchors).toBe(N);
  });
});
