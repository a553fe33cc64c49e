/**
 * The loss-mode registry (lib/detector/lossModes) and its tensor functions (lib/detector/lossFunctions): every
 * mode has a loss function, the registry's facts (effective γ, labels, names) agree with it, and each mode's
 * hard-target path equals the soft-target lib/loss reference of tests/helpers/softLoss in value and gradient.
 * CPU backend (tiny tensors).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  effectiveGamma,
  isLossMode,
  LOSS_MODE_KEYS,
  LOSS_MODES,
  shortLabel,
} from '../../../lib/detector/lossModes';
import { LOSS_FUNCTIONS } from '../../../lib/detector/lossFunctions';
import { expectAllFinite, expectClose } from '../../helpers/close';
import { SOFT_LOSS } from '../../helpers/softLoss';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('LOSS_MODES', () => {
  it('has URL-safe ids, each with a loss function and a unique name and slug', () => {
    for (const id of LOSS_MODE_KEYS) {
      expect(id).toMatch(/^[a-z_]+$/);
      expect(LOSS_FUNCTIONS[id], id).toBeDefined();
      expect(LOSS_MODES[id].slug).toMatch(/^[a-z-]+$/);
    }
    expect(Object.keys(LOSS_FUNCTIONS).sort()).toEqual([...LOSS_MODE_KEYS].sort());
    expect(new Set(LOSS_MODE_KEYS.map((k) => LOSS_MODES[k].name)).size).toBe(LOSS_MODE_KEYS.length);
    expect(new Set(LOSS_MODE_KEYS.map((k) => LOSS_MODES[k].slug)).size).toBe(LOSS_MODE_KEYS.length);
  });

  it('recognises its ids and nothing else', () => {
    for (const id of LOSS_MODE_KEYS) expect(isLossMode(id)).toBe(true);
    for (const x of ['', 'FL', 'toString', '__proto__', 3, null]) expect(isLossMode(x)).toBe(false);
  });

  it('gives the γ the loss function uses: the setting for FL and FL*, 0 for the CE modes', () => {
    for (const id of LOSS_MODE_KEYS) {
      const p = { gamma: 1.5, alpha: 0.25, beta: 1 };
      expect(effectiveGamma(id, 1.5), id).toBe(LOSS_FUNCTIONS[id].curve(p).gamma);
    }
    expect(effectiveGamma('focal', 2)).toBe(2);
    expect(effectiveGamma('focal_star', 2)).toBe(2);
    expect(effectiveGamma('ce_ohem', 2)).toBe(0);
  });

  it('labels a mode with the settings it reads', () => {
    expect(shortLabel('focal', { gamma: 2, alpha: 0.25, beta: 1 })).toBe('FL γ=2');
    expect(shortLabel('focal_star', { gamma: 2, alpha: 0.25, beta: 1 })).toBe('FL* γ=2, β=1');
    expect(shortLabel('ce', { gamma: 2, alpha: null, beta: 1 })).toBe('CE');
    expect(shortLabel('ce', { gamma: 2, alpha: 0.25, beta: 1 })).toBe('α-CE');
    expect(shortLabel('ce_sampled', { gamma: 2, alpha: 0.25, beta: 1 })).toBe('CE, 1:3 sampling');
  });
});

describe('LOSS_FUNCTIONS', () => {
  const x = [-30, -12, -4, -1, -0.2, 0, 0.3, 1, 3, 9, 20, 30];
  const settings: [number, number][] = [
    [0.5, 1],
    [2, 1],
    [5, 1],
    [4, 0],
  ];
  for (const mode of LOSS_MODE_KEYS) {
    for (const [gamma, beta] of settings) {
      for (const alpha of [null, 0.25]) {
        it(`equal the soft-target lib/loss reference for ${mode} γ=${gamma} β=${beta} α=${alpha} on hard targets`, () => {
          tf.tidy(() => {
            const logits = tf.tensor1d([...x, ...x]);
            const targets = tf.tensor1d([...x.map(() => 1), ...x.map(() => 0)]);
            const weights = tf.tensor1d([...x, ...x].map((_, i) => (i % 3 === 0 ? 0 : 1 + (i % 2))));
            const p = { alpha, gamma, beta };
            const want = (l: tf.Tensor) => tf.mul(SOFT_LOSS[mode](l, targets, p), weights);
            const got = (l: tf.Tensor) => LOSS_FUNCTIONS[mode].element(l, targets, p, weights);
            expectClose(got(logits).dataSync(), want(logits).dataSync(), { atol: 2e-6, rtol: 1e-4 }, mode);
            const gWant = tf
              .grad((l: tf.Tensor) => tf.sum(want(l)))(logits)
              .dataSync();
            const gGot = tf
              .grad((l: tf.Tensor) => tf.sum(got(l)))(logits)
              .dataSync();
            expectAllFinite(gGot, `${mode} grad`);
            expectClose(gGot, gWant, { atol: 2e-6, rtol: 1e-3 }, `${mode} grad`);
          });
        });
      }
    }
  }
});
