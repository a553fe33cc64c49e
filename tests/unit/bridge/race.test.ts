/**
 * The logistic-regression bridge (lib/bridge): seeded 2-D data and three classifiers trained with CE, α-CE and FL.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { makeBridgeData } from '../../../lib/bridge/data';
import {
  LogisticRace,
  RACE_GROUPS,
  RACE_MAX_STEPS,
  RACE_PRIOR,
  TABLE_LIMIT,
  decisionBoundary,
  lossTable,
  type RaceModel,
} from '../../../lib/bridge/race';
import { sigmoidFocalLossBinary } from '../../../lib/loss';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const SETTINGS = { gamma: 2, alpha: 0.25 };
const data = makeBridgeData({ seed: 1, numNegatives: 2000 });
const byKind = (models: readonly RaceModel[], kind: string) => models.find((m) => m.kind === kind)!;

describe('makeBridgeData', () => {
  it('gives the same points for the same seed and other points for another seed', () => {
    const again = makeBridgeData({ seed: 1, numNegatives: 2000 });
    expect(Array.from(again.u)).toEqual(Array.from(data.u));
    expect(Array.from(again.v)).toEqual(Array.from(data.v));
    expect(Array.from(makeBridgeData({ seed: 2, numNegatives: 2000 }).u)).not.toEqual(Array.from(data.u));
  });

  it('puts a handful of positives first, then the negatives, 5% of them near the positives', () => {
    expect(data.numPositives).toBe(8);
    expect(Array.from(data.y.slice(0, 8))).toEqual(new Array(8).fill(1));
    expect(data.y.slice(8).every((y) => y === 0)).toBe(true);
    expect(data.near.reduce((a, b) => a + b, 0)).toBe(100);
    expect(data.u.every((z) => Math.abs(z) < 4)).toBe(true);
  });

  it('keeps the positives where they were when the number of negatives changes', () => {
    const more = makeBridgeData({ seed: 1, numNegatives: 5000 });
    expect(Array.from(more.u.slice(0, 8))).toEqual(Array.from(data.u.slice(0, 8)));
  });

  it('refuses counts that are not positive integers', () => {
    expect(() => makeBridgeData({ seed: 1, numNegatives: 0 })).toThrow(RangeError);
    expect(() => makeBridgeData({ seed: 1, numNegatives: 2.5 })).toThrow(RangeError);
  });
});

describe('lossTable', () => {
  it('matches sigmoidFocalLossBinary and its gradient on every point of the data, by interpolation', () => {
    // Evaluate both on the logits a trained FL model gives the data.
    const race = new LogisticRace(data, SETTINGS);
    race.step(100);
    const m = byKind(race.getSnapshot().models, 'focal');
    const x = Array.from(data.u, (u, i) => m.w1 * u + m.w2 * data.v[i] + m.b);
    const [want, wantGrad] = tf.tidy(() => {
      const xt = tf.tensor1d(x);
      const yt = tf.tensor1d(data.y);
      const f = (z: tf.Tensor) => sigmoidFocalLossBinary(z, yt, { ...SETTINGS });
      return [
        f(xt).dataSync(),
        tf
          .grad((z: tf.Tensor) => tf.sum(f(z)))(xt)
          .dataSync(),
      ];
    });
    const table = lossTable('focal', SETTINGS);
    const step = (2 * TABLE_LIMIT) / (table.loss[0].length - 1);
    let worst = 0;
    x.forEach((xi, i) => {
      const y = data.y[i] as 0 | 1;
      const pos = (Math.min(TABLE_LIMIT, Math.max(-TABLE_LIMIT, xi)) + TABLE_LIMIT) / step;
      const k = Math.min(table.loss[y].length - 2, Math.floor(pos));
      const f = pos - k;
      const got = table.loss[y][k] + f * (table.loss[y][k + 1] - table.loss[y][k]);
      const gotGrad = table.grad[y][k] + f * (table.grad[y][k + 1] - table.grad[y][k]);
      if (Math.abs(xi) < TABLE_LIMIT) {
        worst = Math.max(worst, Math.abs(got - want[i]), Math.abs(gotGrad - wantGrad[i]));
      }
    });
    expect(worst).toBeLessThan(1e-4);
  });
});

describe('LogisticRace', () => {
  it('starts from the prior: w = 0, p = π for every point, every negative easy', () => {
    const s = new LogisticRace(data, SETTINGS).getSnapshot();
    expect(s.step).toBe(0);
    expect(s.status).toBe('paused');
    for (const m of s.models) {
      expect(m.w1).toBe(0);
      expect(m.w2).toBe(0);
      expect(1 / (1 + Math.exp(-m.b))).toBeCloseTo(RACE_PRIOR, 12);
      expect(m.groups.easyNeg.count).toBe(2000);
      expect(m.groups.hardNeg.count).toBe(0);
    }
  });

  it("decreases every model's own loss over training", () => {
    const race = new LogisticRace(data, SETTINGS);
    const before = race.getSnapshot().models.map((m) => m.loss);
    race.step(200);
    const after = race.getSnapshot().models.map((m) => m.loss);
    after.forEach((l, j) => expect(l).toBeLessThan(before[j] * 0.5));
  });

  it('reports loss and gradient shares that sum to 1, and counts that sum to the data', () => {
    const race = new LogisticRace(data, SETTINGS);
    for (const n of [0, 1, 50]) {
      race.step(n);
      for (const m of race.getSnapshot().models) {
        const sum = (r: Record<string, number>) => RACE_GROUPS.reduce((a, g) => a + r[g], 0);
        expect(sum(m.lossShare)).toBeCloseTo(1, 12);
        expect(sum(m.gradShare)).toBeCloseTo(1, 12);
        expect(RACE_GROUPS.reduce((a, g) => a + m.groups[g].count, 0)).toBe(2008);
        expect(m.groups.pos.count).toBe(8);
      }
    }
  });

  it("shows the paper's point at the start: easy negatives carry most of CE's gradient and almost none of FL's", () => {
    const [ce, , fl] = new LogisticRace(data, SETTINGS).getSnapshot().models;
    expect(ce.gradShare.easyNeg).toBeGreaterThan(0.6);
    expect(fl.gradShare.easyNeg).toBeLessThan(0.02);
  });

  it('is deterministic: the same data and settings give the same run', () => {
    const a = new LogisticRace(data, SETTINGS);
    const b = new LogisticRace(makeBridgeData({ seed: 1, numNegatives: 2000 }), SETTINGS);
    a.step(37);
    b.step(30);
    b.step(7);
    expect(b.getSnapshot().models).toEqual(a.getSnapshot().models);
  });

  it('keeps tf.memory() flat however long it trains', () => {
    const race = new LogisticRace(data, { gamma: 1.3, alpha: 0.4 });
    race.step(5);
    const base = tf.memory().numTensors;
    race.step(100);
    race.reset();
    race.step(100);
    expect(tf.memory().numTensors).toBe(base);
  });

  it('runs only when playing, stops at RACE_MAX_STEPS, and notifies subscribers', () => {
    const race = new LogisticRace(data, SETTINGS);
    let calls = 0;
    const off = race.subscribe(() => calls++);
    race.advance(10);
    expect(race.getSnapshot().step).toBe(0);
    race.play();
    expect(race.getSnapshot().status).toBe('running');
    race.advance(10);
    expect(race.getSnapshot().step).toBe(10);
    race.pause();
    race.step(RACE_MAX_STEPS);
    expect(race.getSnapshot()).toMatchObject({ step: RACE_MAX_STEPS, status: 'done' });
    race.play();
    expect(race.getSnapshot().status).toBe('done');
    race.reset('running');
    expect(race.getSnapshot()).toMatchObject({ step: 0, status: 'running' });
    expect(calls).toBeGreaterThan(4);
    off();
  });

  it('refuses γ or α outside their ranges', () => {
    expect(() => new LogisticRace(data, { gamma: -1, alpha: 0.25 })).toThrow(RangeError);
    expect(() => new LogisticRace(data, { gamma: 2, alpha: 1.5 })).toThrow(RangeError);
  });
});

describe('decisionBoundary', () => {
  it('clips the line p = 0.5 to the square, and is null when the weights are 0 or the line misses', () => {
    expect(decisionBoundary({ w1: 1, w2: 1, b: 0 }, 4)).toEqual([
      [-4, 4],
      [4, -4],
    ]);
    expect(decisionBoundary({ w1: 1, w2: 0, b: -2 }, 4)).toEqual([
      [2, -4],
      [2, 4],
    ]);
    expect(decisionBoundary({ w1: 0, w2: 0, b: -4.6 }, 4)).toBeNull();
    expect(decisionBoundary({ w1: 1, w2: 1, b: -20 }, 4)).toBeNull();
  });
});
