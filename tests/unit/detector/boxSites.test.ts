/**
 * The training step's sparse box subnet (lib/detector/boxSites.ts, lib/detector/model.ts `forwardTrain`): its
 * windows and masks, and that it gives the dense network's box deltas at the foreground anchors, and the same
 * gradient of θ, on the CPU and WASM backends, for head depths 0–2 and cells at corners, edges and inside.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { generateAnchors, anchorIndex } from '../../../lib/detector/anchors';
import { boxSites } from '../../../lib/detector/boxSites';
import {
  createModel,
  disposeModel,
  forward,
  forwardTrain,
  initialWeights,
  setWeights,
  type ModelConfig,
} from '../../../lib/detector/model';
import { createRng } from '../../../lib/data/rng';
import { ensureBackend } from '../../../lib/tf/backend';

const SIZE = 32; // levels 8×8, 4×4, 2×2: every window of P4 and most of P3 cross the border
const small = (headDepth: number): ModelConfig => ({
  width: 8,
  stemWidth: 8,
  groups: 4,
  anchorsPerLocation: 3,
  numClasses: 2,
  headDepth,
});
const anchorsOf = () =>
  generateAnchors({ imageSize: SIZE, strides: [4, 8, 16], scales: [1], aspectRatios: [0.5, 1, 2] });

function images(b: number, seed = 3): tf.Tensor4D {
  const rng = createRng(seed);
  const a = new Float32Array(b * SIZE * SIZE * 3).map(() => rng.next());
  return tf.tensor4d(a, [b, SIZE, SIZE, 3]);
}

/** Foreground anchors at corners, edges and inside of every level, two in one cell, over two images. */
function foreground(): Int32Array {
  const set = anchorsOf();
  const N = set.numAnchors;
  const A = set.anchorsPerLocation;
  const [l2, l3, l4] = set.perLevel;
  return Int32Array.from([
    anchorIndex(l2, A, 0, 0, 0),
    anchorIndex(l2, A, 0, 0, 2), // same cell as the first
    anchorIndex(l2, A, 3, 4, 1),
    N + anchorIndex(l2, A, 7, 2, 1),
    N + anchorIndex(l3, A, 0, 3, 0),
    anchorIndex(l3, A, 2, 1, 2),
    anchorIndex(l4, A, 1, 1, 1),
    N + anchorIndex(l4, A, 0, 1, 0),
  ]);
}

/** A model whose weights are all O(0.3), so that the heads' outputs are not just their biases. */
function model(headDepth: number) {
  const m = createModel(small(headDepth), 1);
  const rng = createRng(11);
  const w = initialWeights(small(headDepth), 1).map(() => 0.3 * rng.normal());
  setWeights(m, w);
  return m;
}

describe('boxSites', () => {
  it('lists each foreground cell once, with its window rows and the outside masked', () => {
    const set = anchorsOf();
    const fg = foreground();
    const s = boxSites(set, fg, 2, 1);
    expect(s.cells).toBe(7); // eight anchors, two share a cell
    expect(s.window).toBe(5);
    expect(s.zeroRow).toBe(2 * (64 + 16 + 4));
    expect(Array.from(s.fgRows.slice(0, 3))).toEqual([0, 2, 3 + 1]);
    // Cell 0: image 0, P2 (8×8), y = x = 0: the window's top-left 2×2 block is outside, its centre is row 0.
    const w0 = Array.from(s.rows.slice(0, 25));
    expect(w0[0]).toBe(s.zeroRow);
    expect(w0[12]).toBe(0);
    expect(w0[13]).toBe(1);
    expect(w0[17]).toBe(8);
    // Its inner conv's 3×3 outputs: only the lower-right 2×2 lie on the map.
    expect(Array.from(s.masks[0].slice(0, 9))).toEqual([0, 0, 0, 0, 1, 1, 0, 1, 1]);
    // Cell 2: image 1 of P2, y = 7, x = 2: rows start after image 0's 64 cells.
    expect(s.rows[2 * 25 + 12]).toBe(64 + 7 * 8 + 2);
    expect(boxSites(set, new Int32Array(0), 2, 2).cells).toBe(0);
    expect(() => boxSites(set, Int32Array.from([2 * set.numAnchors]), 2, 1)).toThrow(/outside/);
  });
});

describe.each(['cpu', 'wasm'] as const)('forwardTrain on %s', (backend) => {
  beforeAll(async () => {
    await ensureBackend(backend);
  });
  afterAll(() => tf.disposeVariables());

  it.each([0, 1, 2])('gives the dense box deltas and gradient at head depth %i', (depth) => {
    const m = model(depth);
    const set = anchorsOf();
    const fg = foreground();
    const sites = boxSites(set, fg, 2, depth);
    const x = images(2);
    const rng = createRng(5);
    const F = fg.length;
    const N = set.numAnchors;
    const R = tf.tensor2d(
      Float32Array.from({ length: F * 4 }, () => rng.normal()),
      [F, 4],
    );
    const S = tf.tensor3d(
      Float32Array.from({ length: 2 * N * 2 }, () => rng.normal()),
      [2, N, 2],
    );
    const before = tf.memory().numTensors;
    // A loss that reads every output the training step reads.
    const dense = () => {
      const o = forward(m, x);
      const box = tf.gather(tf.reshape(o.box, [-1, 4]), tf.tensor1d(fg, 'int32'));
      return tf.add(tf.sum(tf.mul(box, R)), tf.sum(tf.mul(o.cls, S))) as tf.Scalar;
    };
    const sparse = () => {
      const o = forwardTrain(m, x, sites);
      return tf.add(tf.sum(tf.mul(o.boxFg, R)), tf.sum(tf.mul(o.cls, S))) as tf.Scalar;
    };
    const [want, got] = tf.tidy(() => {
      const o = forward(m, x);
      const box = tf.gather(tf.reshape(o.box, [-1, 4]), tf.tensor1d(fg, 'int32'));
      return [box, forwardTrain(m, x, sites).boxFg];
    });
    const a = want.dataSync();
    const b = got.dataSync();
    const scale = Math.max(...Array.from(a, Math.abs));
    expect(scale).toBeGreaterThan(0.1);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(2e-5 * scale + 1e-6);
    tf.dispose([want, got]);

    const gd = tf.tidy(() => tf.variableGrads(dense, [m.params]).grads[m.params.name]);
    const gs = tf.tidy(() => tf.variableGrads(sparse, [m.params]).grads[m.params.name]);
    const d = gd.dataSync();
    const s = gs.dataSync();
    const gscale = Math.max(...Array.from(d, Math.abs));
    let worst = 0;
    for (let i = 0; i < d.length; i++) worst = Math.max(worst, Math.abs(d[i] - s[i]));
    expect(worst).toBeLessThan(5e-5 * gscale);
    tf.dispose([gd, gs]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, R, S]);
    disposeModel(m);
  });

  it('returns no rows when no anchor is foreground, and refuses sites of another batch', () => {
    const m = model(2);
    const x = images(2);
    const set = anchorsOf();
    tf.tidy(() => {
      const o = forwardTrain(m, x, boxSites(set, new Int32Array(0), 2, 2));
      expect(o.boxFg.shape).toEqual([0, 4]);
      expect(() => forwardTrain(m, x, boxSites(set, new Int32Array(0), 3, 2))).toThrow(/another batch/);
      expect(() => forwardTrain(m, x, boxSites(set, new Int32Array(0), 2, 1))).toThrow(/another batch/);
    });
    x.dispose();
    disposeModel(m);
  });
});
