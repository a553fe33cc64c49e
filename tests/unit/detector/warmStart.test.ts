/**
 * The warm start (lib/detector/warmStart.ts) and its pretext trainer (lib/detector/pretext.ts): the file round-trips,
 * loads into a detector of the same architecture with shapes checked, leaves the heads fresh, is small enough to
 * serve, and the pretext step is finite with flat tensor counts. WASM backend.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { ensureBackend } from '../../../lib/tf/backend';
import { makeRangeSet, pretextRange } from '../../../lib/detector/splits';
import { createPretextTrainer } from '../../../lib/detector/pretext';
import { createTrainer } from '../../../lib/detector/train';
import { getWeights, initialWeights, paramSpecs } from '../../../lib/detector/model';
import { priorBias } from '../../../lib/loss/prior';
import {
  applyWarmStart,
  extractWarmStart,
  isWarmStartParam,
  parseWarmStart,
  serializeWarmStart,
} from '../../../lib/detector/warmStart';

beforeAll(async () => {
  await ensureBackend('wasm'); // with the gradient kernels WASM lacks
});

const SMALL = { width: 8, stemWidth: 8, groups: 4, headDepth: 1 };

describe('warm-start files', () => {
  it('round-trip through bytes with their header and values', () => {
    const specs = paramSpecs(SMALL);
    const ws = extractWarmStart(initialWeights(SMALL, 5), specs, { seed: 5 });
    const back = parseWarmStart(serializeWarmStart(ws));
    expect(back.header).toEqual(ws.header);
    expect(Array.from(back.values)).toEqual(Array.from(ws.values));
  });

  it('carry the backbone and FPN of the default model in under 400 kB, and no head', () => {
    const specs = paramSpecs({});
    const ws = extractWarmStart(initialWeights({}, 0), specs);
    expect(ws.header.tensors.every((t) => isWarmStartParam(t.name))).toBe(true);
    expect(ws.header.tensors.some((t) => t.name.startsWith('fpn_'))).toBe(true);
    expect(ws.header.tensors.some((t) => t.name.startsWith('stem'))).toBe(true);
    expect(serializeWarmStart(ws).length).toBeLessThan(400_000);
  });

  it('load into a model of the same architecture: backbone from the file, heads from the seed', () => {
    const specs = paramSpecs(SMALL);
    const ws = extractWarmStart(initialWeights(SMALL, 1), specs);
    const fresh = initialWeights(SMALL, 2);
    const theta = applyWarmStart(fresh, specs, ws);
    for (const s of specs) {
      const got = Array.from(theta.subarray(s.offset, s.offset + s.size));
      const from = isWarmStartParam(s.name) ? initialWeights(SMALL, 1) : fresh;
      expect(got, s.name).toEqual(Array.from(from.subarray(s.offset, s.offset + s.size)));
    }
  });

  it('refuse a model whose backbone has other shapes', () => {
    const ws = extractWarmStart(initialWeights(SMALL, 1), paramSpecs(SMALL));
    const other = { ...SMALL, width: 16 };
    expect(() => applyWarmStart(initialWeights(other, 0), paramSpecs(other), ws)).toThrow(/warm start/);
  });

  it('reject a wrong format tag and a truncated file', () => {
    const bytes = serializeWarmStart(extractWarmStart(initialWeights(SMALL, 1), paramSpecs(SMALL)));
    expect(() => parseWarmStart(bytes.subarray(0, bytes.length - 4))).toThrow(/float32 values/);
    const bad = extractWarmStart(initialWeights(SMALL, 1), paramSpecs(SMALL));
    (bad.header as { format: string }).format = 'other';
    expect(() => parseWarmStart(serializeWarmStart(bad))).toThrow(/format/);
  });
});

describe('a trainer with a warm start', () => {
  it('starts from the file’s backbone and keeps the prior init of the class bias', () => {
    const specs = paramSpecs(SMALL);
    const ws = extractWarmStart(initialWeights(SMALL, 7), specs);
    const t = createTrainer({ seed: 3, steps: 10, model: { ...SMALL, prior: 0.01 }, warmStart: ws });
    try {
      const theta = getWeights(t.model);
      const stem = specs.find((s) => s.name === 'stem/w')!;
      const bias = specs.find((s) => s.name === 'cls_out/b')!;
      expect(Array.from(theta.subarray(stem.offset, stem.offset + stem.size))).toEqual(
        Array.from(initialWeights(SMALL, 7).subarray(stem.offset, stem.offset + stem.size)),
      );
      expect(theta[bias.offset]).toBeCloseTo(priorBias(0.01), 5);
    } finally {
      t.dispose();
    }
  });
});

describe('the pretext trainer', () => {
  it('takes finite steps on pretext images with a flat tensor count, and yields a loadable warm start', () => {
    const p = createPretextTrainer({ seed: 0, model: SMALL });
    try {
      const set = makeRangeSet(pretextRange(8), { imageSize: 32 });
      const first = p.step(set);
      const before = tf.memory().numTensors;
      let last = first;
      for (let i = 0; i < 3; i++) last = p.step(set);
      expect(tf.memory().numTensors).toBe(before);
      expect(Number.isFinite(first.loss) && Number.isFinite(last.loss)).toBe(true);
      expect(last.accuracy).toBeGreaterThanOrEqual(0);
      const ws = parseWarmStart(serializeWarmStart(p.warmStart({ steps: 4 })));
      expect(ws.header.meta).toEqual({ steps: 4 });
      const specs = paramSpecs(SMALL);
      expect(() => applyWarmStart(initialWeights(SMALL, 9), specs, ws)).not.toThrow();
    } finally {
      p.dispose();
    }
  });
});
