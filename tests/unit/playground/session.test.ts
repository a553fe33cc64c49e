/**
 * The playground engine in Node (WASM backend, 32-px images, a slim network, batch 2): fair lockstep races,
 * play/pause/step/reset, divergence, flat tensor counts, and views whose numbers are finite and add up.
 * Also the worker message loop end to end through the in-process worker.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { ensureBackend } from '../../../lib/tf/backend';
import { getWeights } from '../../../lib/detector/model';
import { extractWarmStart } from '../../../lib/detector/warmStart';
import { checkDivergence } from '../../../lib/playground/divergence';
import { PlaygroundSession } from '../../../lib/playground/session';
import { createInlineWorker } from '../../../lib/playground/inline-worker';
import { TrainerClient } from '../../../lib/playground/client';
import type { RunConfig, SessionConfig, WorkerMessage } from '../../../lib/playground/protocol';
import { CE, FL, WASM_ONLY_ENV, tiny } from './fixtures';
import { findNonFinite } from '../../../lib/playground/wire';
import { expectClose } from '../../helpers/close';

beforeAll(async () => {
  await ensureBackend('wasm'); // with the gradient kernels WASM lacks
});

const sessions: PlaygroundSession[] = [];
function open(config: SessionConfig): { s: PlaygroundSession; msgs: WorkerMessage[] } {
  const msgs: WorkerMessage[] = [];
  const s = new PlaygroundSession(config, (m) => msgs.push(m));
  sessions.push(s);
  s.start();
  return { s, msgs };
}
afterEach(async () => {
  for (const s of sessions.splice(0)) {
    s.dispose();
    await s.idle();
  }
});

const ofType = <T extends WorkerMessage['type']>(msgs: WorkerMessage[], type: T) =>
  msgs.filter((m): m is Extract<WorkerMessage, { type: T }> => m.type === type);

/** Every number in every message is finite and no error was reported. */
function expectCleanMessages(msgs: WorkerMessage[]): void {
  for (const m of msgs) expect(findNonFinite(m), `${m.type} carries a non-finite number`).toBeNull();
  expect(ofType(msgs, 'error').map((m) => m.message)).toEqual([]);
}

const sameArray = (a: Float32Array, b: Float32Array) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

describe('PlaygroundSession races', () => {
  it('start every run from identical weights, except each run’s own prior bias', () => {
    const { s } = open(tiny([FL, { ...CE, prior: null }]));
    const [a, b] = s.trainers.map((t) => getWeights(t.model));
    const bias = s.trainers[0].model.specs.find((x) => x.name === 'cls_out/b')!;
    const outside = (w: Float32Array) => [
      ...w.subarray(0, bias.offset),
      ...w.subarray(bias.offset + bias.size),
    ];
    expect(outside(a)).toEqual(outside(b));
    expectClose(a[bias.offset], -Math.log(99), { atol: 1e-5, rtol: 0 });
    expect(b[bias.offset]).toBe(0);
  });

  it('step every run on the same batches, so runs with equal settings stay bit-identical and others part', async () => {
    const { s, msgs } = open(tiny([FL, { ...FL, label: 'FL again' }, CE]));
    s.stepBy(3);
    await s.idle();
    expect(s.stepCount).toBe(3);
    const [a, b, c] = s.trainers.map((t) => getWeights(t.model));
    expect(sameArray(a, b)).toBe(true);
    expect(sameArray(a, c)).toBe(false);
    const points = ofType(msgs, 'progress').flatMap((m) => m.runs);
    const byRun = [0, 1, 2].map((r) => points.filter((p) => p.run === r).flatMap((p) => p.points));
    expect(byRun.map((p) => p.map((x) => x.step))).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
    // Same batch: the same foreground anchors, whatever the loss.
    expect(byRun[2].map((p) => p.numFg)).toEqual(byRun[0].map((p) => p.numFg));
    expect(byRun[1].map((p) => p.total)).toEqual(byRun[0].map((p) => p.total));
    expectCleanMessages(msgs);
  });
});

describe('PlaygroundSession commands', () => {
  it('play advances, pause stops, step takes exactly n steps, reset returns to the initial weights', async () => {
    const { s, msgs } = open(tiny([FL]));
    const initial = getWeights(s.trainers[0].model);
    s.play();
    expect(s.currentStatus).toBe('playing');
    while (s.stepCount < 3) await new Promise((r) => setTimeout(r, 5));
    s.pause();
    const paused = s.stepCount;
    await s.idle();
    await new Promise((r) => setTimeout(r, 50));
    expect(s.stepCount).toBe(paused);
    expect(s.currentStatus).toBe('paused');

    s.stepBy(2);
    expect(s.currentStatus).toBe('stepping');
    await s.idle();
    expect(s.stepCount).toBe(paused + 2);
    expect(s.currentStatus).toBe('paused');

    s.reset();
    await s.idle();
    expect(s.stepCount).toBe(0);
    expect(sameArray(getWeights(s.trainers[0].model), initial)).toBe(true);
    const statuses = ofType(msgs, 'status').map((m) => `${m.status}@${m.step}`);
    expect(statuses[0]).toBe('paused@0');
    expect(statuses).toContain(`paused@${paused}`);
    expect(statuses).toContain(`paused@${paused + 2}`);
    expect(statuses[statuses.length - 1]).toBe('paused@0');
    expect(ofType(msgs, 'setup')).toHaveLength(2);
    expectCleanMessages(msgs);
  });

  it('stops at the planned number of steps with a final evaluation', async () => {
    const { s, msgs } = open(tiny([FL], { steps: 4 }));
    s.play();
    await s.idle();
    expect(s.stepCount).toBe(4);
    expect(s.currentStatus).toBe('done');
    expect(ofType(msgs, 'eval').map((m) => m.step)).toEqual([0, 4]);
    s.play();
    s.stepBy(3);
    await s.idle();
    expect(s.stepCount).toBe(4);
  });

  it('reset with new settings rebuilds the runs', async () => {
    const { s, msgs } = open(tiny([FL]));
    s.reset(tiny([FL, CE]));
    await s.idle();
    expect(s.trainers).toHaveLength(2);
    expect(
      ofType(msgs, 'setup')
        .at(-1)!
        .runs.map((r) => r.label),
    ).toEqual(['FL', 'CE']);
    s.reset({ ...tiny([FL]), imageSize: 40 });
    await s.idle();
    expect(s.trainers).toHaveLength(2);
    expect(ofType(msgs, 'error').at(-1)!.message).toMatch(/imageSize/);
  });
});

describe('divergence', () => {
  it('explains a NaN loss (without printing "NaN"), a non-finite gradient and an explosion, and nothing else', () => {
    const run = { prior: null, lr: 0.1 };
    expect(checkDivergence({ step: 2, total: NaN, cls: NaN, box: 0, gradNorm: 1 }, 1, 10, run)).toMatch(
      /^(?!.*NaN).*not a number.*prior/,
    );
    expect(checkDivergence({ step: 2, total: 1, cls: 1, box: 0, gradNorm: Infinity }, 1, 10, run)).toMatch(
      /gradient/,
    );
    expect(checkDivergence({ step: 2, total: 11, cls: 11, box: 0, gradNorm: 1 }, 1, 10, run)).toMatch(
      /exploded/,
    );
    expect(checkDivergence({ step: 2, total: 9, cls: 9, box: 0, gradNorm: 1 }, 1, 10, run)).toBeNull();
  });

  it('stops a CE run without prior at lr 0.1 within a few steps; the other run trains on; no NaN leaves', async () => {
    const wild: RunConfig = { ...CE, label: 'wild', prior: null, lr: 0.1 };
    const { s, msgs } = open(
      tiny([wild, FL], { warmupSteps: 0, model: { width: 32, stemWidth: 16, headDepth: 2 } }),
    );
    s.stepBy(6);
    await s.idle();
    const d = ofType(msgs, 'diverged');
    expect(d).toHaveLength(1);
    expect(d[0].run).toBe(0);
    expect(d[0].step).toBeLessThanOrEqual(5);
    expect(d[0].reason).toMatch(/learning rate|prior/);
    expect(ofType(msgs, 'status').at(-1)!.active).toEqual([false, true]);
    const lastSamples = ofType(msgs, 'samples').at(-1)!;
    expect(lastSamples.runs.map((r) => r.run)).toEqual([1]);
    expectCleanMessages(msgs);
  });
});

describe('memory', () => {
  // Long runs are the soak script's (npm run soak); 50 steps with evaluations, a refresh, a reset and a dispose
  // cover every path that allocates.
  it('keeps tf.memory().numTensors flat over 50 steps with evaluations, views and an anchor watch, and returns to its baseline after a reset and a dispose', async () => {
    const base = tf.memory().numTensors;
    const { s, msgs } = open(tiny([FL, CE]));
    s.stepBy(2); // Adam creates its moment variables on the first update
    await s.idle();
    s.handle({ type: 'anchor', requestId: 1, run: 0, image: 0, anchor: 10 });
    await s.idle();
    const before = tf.memory().numTensors;
    s.stepBy(50);
    await s.idle();
    s.handle({ type: 'refresh' });
    await s.idle();
    expect(s.stepCount).toBe(52);
    expect(tf.memory().numTensors).toBe(before);
    // The status message reports the same count the page and the soak script read.
    expect(ofType(msgs, 'status').at(-1)!.memory.numTensors).toBe(before);
    expect(ofType(msgs, 'eval').length).toBeGreaterThanOrEqual(6);
    s.reset();
    await s.idle();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    s.dispose();
    await s.idle();
    expect(tf.memory().numTensors).toBe(base);
    expectCleanMessages(msgs);
  });
});

describe('views', () => {
  it('are finite, split the loss into shares that sum to 1, and describe anchors consistently', async () => {
    const { s, msgs } = open(tiny([FL, CE]));
    s.stepBy(10);
    await s.idle();
    s.handle({ type: 'anchor', requestId: 7, run: 0, image: 1, anchor: 5 });
    await s.idle();
    expectCleanMessages(msgs);

    const setup = ofType(msgs, 'setup')[0];
    const N = setup.anchors.numAnchors;
    expect(N).toBe((8 * 8 + 4 * 4 + 2 * 2) * 9);
    expect(setup.images[0].rgba.length).toBe(32 * 32 * 4);

    for (const m of ofType(msgs, 'lossShare')) {
      expect(m.edges.length).toBe(11);
      for (const r of m.runs) {
        expectClose(r.shares.pos + r.shares.hardNeg + r.shares.easyNeg, 1, { atol: 1e-9, rtol: 0 });
        const binShares = [...r.lossPos, ...r.lossNeg].reduce((a, b) => a + b, 0);
        expectClose(binShares, 1, { atol: 1e-5, rtol: 0 });
        const counted = [...r.countPos, ...r.countNeg].reduce((a, b) => a + b, 0);
        expect(counted).toBe(r.numPos + r.numHardNeg + r.numEasyNeg);
        expect(r.numPos).toBeGreaterThan(0);
      }
    }
    // FL's curve down-weights an easy negative (p_t near 1) far more than CE's.
    const last = ofType(msgs, 'lossShare').at(-1)!;
    expect(last.runs[0].curveNeg[9] / last.runs[1].curveNeg[9]).toBeLessThan(0.01);

    const fig4 = ofType(msgs, 'fig4').at(-1)!;
    expect(fig4.fractions.length).toBe(11);
    for (const r of fig4.runs) {
      expect(r.curves.map((c) => c.gamma)).toEqual([0, 0.5, 1, 2]);
      for (const c of r.curves) {
        expectClose(c.negative[10], 1, { atol: 1e-6, rtol: 0 });
        for (let i = 1; i < 11; i++) expect(c.negative[i]).toBeGreaterThanOrEqual(c.negative[i - 1]);
        expect(c.negHardest10).toBeGreaterThanOrEqual(c.negHardest1);
      }
    }

    const samples = ofType(msgs, 'samples').at(-1)!;
    for (const r of samples.runs) {
      expect(r.images).toHaveLength(2);
      for (const img of r.images) {
        expect(img.boxes.length).toBe(4 * img.scores.length);
        expect(img.levelScores!.map((l) => l.length)).toEqual([64, 16, 4]);
      }
    }

    const ev = ofType(msgs, 'eval').at(-1)!;
    for (const r of ev.runs) for (const v of [r.ap, r.ap50]) expect(v >= 0 && v <= 1).toBe(true);

    const detail = ofType(msgs, 'anchorDetail').find((m) => m.requestId === 7)!;
    expect(detail).toMatchObject({ run: 0, image: 1, anchor: 5, step: 10, level: 0 });
    expect(detail.elements).toHaveLength(3);
    for (const e of detail.elements) {
      expectClose(e.pt, e.target === 1 ? e.score : 1 - e.score, { atol: 1e-6, rtol: 0 });
      // FL's modulating factor is (1 − p_t)^γ, computed by lib/loss.
      expectClose(e.modulating, (1 - e.pt) ** 2, { atol: 1e-5, rtol: 1e-3 });
      expect(e.alphaT).toBe(e.target === 1 ? 0.25 : 0.75);
    }
    expect(detail.history.steps).toEqual(new Int32Array([10]));

    // A watched anchor reports again at the next view update, with its history.
    s.stepBy(5);
    await s.idle();
    const update = ofType(msgs, 'anchorDetail').at(-1)!;
    expect(update.requestId).toBe(-1);
    expect(Array.from(update.history.steps)).toEqual([10, 15]);
    expectCleanMessages(msgs);
  });
});

describe('the worker message loop (in-process worker)', () => {
  it('answers init with ready and setup, runs commands, and reports malformed messages', async () => {
    const client = new TrainerClient(
      createInlineWorker({
        backendDeps: {
          env: WASM_ONLY_ENV,
        },
      }),
    );
    const msgs: WorkerMessage[] = [];
    client.subscribe((m) => msgs.push(m));
    const until = async (pred: () => boolean) => {
      for (let i = 0; i < 2000 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
      expect(pred()).toBe(true);
    };
    client.send({ type: 'init', backend: 'auto', config: tiny([FL, CE]) });
    await until(() => msgs.some((m) => m.type === 'setup'));
    const ready = ofType(msgs, 'ready')[0];
    expect(ready.backend).toBe('wasm');
    expect(ready.reason).toMatch(/WASM.*not webgl: no OffscreenCanvas/);
    client.send({ type: 'step', n: 2 });
    await until(() => ofType(msgs, 'status').some((m) => m.step === 2 && m.status === 'paused'));
    const detail = await client.requestAnchor(1, 0, 3);
    expect(detail.run).toBe(1);
    (client as unknown as { worker: { postMessage(m: unknown): void } }).worker.postMessage({
      type: 'bogus',
    });
    await until(() => msgs.some((m) => m.type === 'error'));
    expect(ofType(msgs, 'error')[0]).toMatchObject({
      fatal: false,
      message: expect.stringMatching(/malformed/),
    });
    client.terminate();
  });
});

describe('pretrained weights (the warm start)', () => {
  /** A warm start for the tiny fixtures' network: backbone + FPN of a model drawn from another seed. */
  function tinyWarmStart() {
    const donor = new PlaygroundSession(tiny([FL], { seed: 41 }), () => {});
    const t = donor.trainers[0];
    const ws = extractWarmStart(getWeights(t.model), t.model.specs, { test: true });
    donor.dispose();
    return ws;
  }

  it('start backbone + FPN of every run from the warm start, heads from the seed', () => {
    const ws = tinyWarmStart();
    const cfg = tiny([FL, CE], { pretrained: true });
    const s = new PlaygroundSession(cfg, () => {}, { warmStart: () => ws });
    sessions.push(s);
    const cold = new PlaygroundSession(tiny([FL, CE]), () => {});
    sessions.push(cold);
    for (const t of s.trainers) {
      const theta = getWeights(t.model);
      const back = extractWarmStart(theta, t.model.specs);
      expect(sameArray(back.values, ws.values)).toBe(true);
      const head = t.model.specs.find((x) => x.name.startsWith('cls_'))!;
      const coldTheta = getWeights(cold.trainers[0].model);
      expect(
        sameArray(
          theta.subarray(head.offset, head.offset + head.size),
          coldTheta.subarray(head.offset, head.offset + head.size),
        ),
      ).toBe(true);
    }
  });

  it('refuses to build a pretrained session without a warm start, with a message', () => {
    expect(() => new PlaygroundSession(tiny([FL], { pretrained: true }), () => {})).toThrow(
      /pretrained weights asked for, but no warm start was loaded/,
    );
  });

  it('the worker loads the warm start once, and trains from scratch with a notice when it cannot', async () => {
    const ws = tinyWarmStart();
    for (const loader of ['ok', 'fails'] as const) {
      let loads = 0;
      const client = new TrainerClient(
        createInlineWorker({
          backendDeps: {
            env: WASM_ONLY_ENV,
          },
          loadWarmStart: async (url) => {
            loads++;
            expect(url).toBe('/models/warm-start.bin');
            if (loader === 'fails')
              throw new Error(`could not load the pretrained weights (${url}: HTTP 404)`);
            return ws;
          },
        }),
      );
      const msgs: WorkerMessage[] = [];
      client.subscribe((m) => msgs.push(m));
      const until = async (pred: () => boolean) => {
        for (let i = 0; i < 2000 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
        expect(pred()).toBe(true);
      };
      const cfg = tiny([FL], { pretrained: true });
      client.send({ type: 'init', backend: 'auto', warmStartUrl: '/models/warm-start.bin', config: cfg });
      await until(() => ofType(msgs, 'setup').length === 1);
      client.send({ type: 'reset', config: cfg });
      await until(() => ofType(msgs, 'setup').length === 2);
      const errors = ofType(msgs, 'error');
      if (loader === 'ok') {
        expect(loads).toBe(1);
        expect(errors).toEqual([]);
      } else {
        expect(loads).toBe(2);
        expect(errors.every((e) => !e.fatal)).toBe(true);
        expect(errors[0].message).toMatch(/HTTP 404.*training from scratch instead/);
      }
      client.terminate();
    }
  });
});
