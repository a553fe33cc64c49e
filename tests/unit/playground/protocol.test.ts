/**
 * The worker protocol and the pieces around it that need no training: message validation, structured-clone round
 * trips, transfer lists, the non-finite guard, the backend plan, the state → session config mapping, and that the
 * page-side modules stay free of tfjs.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MainMessage, WorkerMessage } from '../../../lib/playground/protocol';
import {
  findNonFinite,
  isWorkerMessage,
  parseMainMessage,
  transferablesOf,
} from '../../../lib/playground/wire';
import { choosePlan, type BackendEnv } from '../../../lib/playground/backend-plan';
import {
  resolveViewOptions,
  sessionConfigFromState,
  validateSessionConfig,
  VIEW_DEFAULTS,
  wasmPathFor,
} from '../../../lib/playground/config';
import { applyPreset, findPreset } from '../../../lib/playground/presets';

const config = sessionConfigFromState(applyPreset(findPreset('gamma-sweep')!));

describe('parseMainMessage', () => {
  const valid: MainMessage[] = [
    { type: 'init', backend: 'auto', wasmPath: '/tfjs/', config },
    { type: 'play' },
    { type: 'pause' },
    { type: 'step', n: 5 },
    { type: 'reset' },
    { type: 'reset', config },
    { type: 'setSpeed', stepsPerSecond: 4 },
    { type: 'setSpeed', stepsPerSecond: null },
    { type: 'setViews', views: { evalEvery: 20 } },
    { type: 'refresh' },
    { type: 'anchor', requestId: 3, run: 1, image: 0, anchor: 100 },
    { type: 'unwatch', run: 1 },
    { type: 'dispose' },
  ];

  it.each(valid.map((m) => [m.type, m] as const))(
    'accepts %s after a structured-clone round trip',
    (_, m) => {
      expect(parseMainMessage(structuredClone(m))).toEqual(m);
    },
  );

  it('rejects malformed messages instead of throwing', () => {
    for (const bad of [
      null,
      'play',
      42,
      {},
      { type: 'explode' },
      { type: 'step', n: 0 },
      { type: 'step', n: 1.5 },
      { type: 'init', backend: 'gpu', config },
      { type: 'init', backend: 'auto' },
      { type: 'setSpeed', stepsPerSecond: -1 },
      { type: 'setSpeed', stepsPerSecond: Infinity },
      { type: 'anchor', requestId: 1, run: '0', image: 0, anchor: 0 },
    ]) {
      expect(parseMainMessage(bad)).toBeNull();
    }
  });

  it('caps a step command at 1,000 steps', () => {
    expect(parseMainMessage({ type: 'step', n: 1e6 })).toEqual({ type: 'step', n: 1000 });
  });
});

describe('worker messages', () => {
  const progress: WorkerMessage = {
    type: 'progress',
    step: 3,
    stepsPerSecond: 2.5,
    runs: [
      {
        run: 0,
        points: [
          {
            step: 3,
            total: 1,
            cls: 0.5,
            clsPos: 0.2,
            clsHardNeg: 0.1,
            clsEasyNeg: 0.2,
            box: 0.5,
            numFg: 4,
            numNeg: 100,
            gradNorm: 2,
            lr: 1e-3,
            ms: 30,
          },
        ],
      },
    ],
  };
  const fig4: WorkerMessage = {
    type: 'fig4',
    step: 3,
    fractions: new Float32Array([0, 0.5, 1]),
    runs: [
      {
        run: 0,
        numPositive: 2,
        numNegative: 9,
        curves: [
          {
            gamma: 2,
            positive: new Float32Array([0, 0.4, 1]),
            negative: new Float32Array([0, 0.1, 1]),
            negHardest1: 0.5,
            negHardest10: 0.9,
            posHardest20: 0.5,
          },
        ],
      },
    ],
  };

  it('survive a structured clone unchanged and are recognised by type', () => {
    for (const m of [progress, fig4]) {
      const copy = structuredClone(m);
      expect(copy).toEqual(m);
      expect(isWorkerMessage(copy)).toBe(true);
    }
    expect(isWorkerMessage({ type: 'nope' })).toBe(false);
  });

  it('list each typed array’s buffer once for transfer', () => {
    const shared = new Float32Array(4);
    const list = transferablesOf({ a: shared, b: [shared, new Int32Array(2)], c: { d: 1 } });
    expect(list).toHaveLength(2);
    expect(transferablesOf(fig4)).toHaveLength(3);
  });

  it('point at the first non-finite number, in plain numbers and in float arrays', () => {
    expect(findNonFinite(progress)).toBeNull();
    expect(findNonFinite(fig4)).toBeNull();
    expect(findNonFinite({ runs: [{ points: [{ total: NaN }] }] })).toBe('runs.0.points.0.total');
    expect(findNonFinite({ a: new Float32Array([1, Infinity]) })).toBe('a.1');
  });
});

describe('choosePlan', () => {
  const browser: BackendEnv = {
    offscreenCanvas: true,
    webgl: true,
    webglRenderer: 'ANGLE (NVIDIA)',
    webAssembly: true,
    webgpu: false,
    webgpuAdapter: null,
  };

  it('tries WebGL, then WASM, then CPU in a worker with a GPU', () => {
    const p = choosePlan('auto', browser);
    expect(p.tries.map((t) => t.backend)).toEqual(['webgl', 'wasm', 'cpu']);
    expect(p.tries[0].reason).toMatch(/OffscreenCanvas/);
    expect(p.skipped).toEqual([{ backend: 'webgpu', reason: 'this browser grants no WebGPU adapter' }]);
  });

  it('tries WebGPU first where an adapter is granted, and keeps it behind an explicit preference', () => {
    expect(choosePlan('auto', { ...browser, webgpu: true }).tries.map((t) => t.backend)).toEqual([
      'webgpu',
      'webgl',
      'wasm',
      'cpu',
    ]);
    expect(choosePlan('wasm', { ...browser, webgpu: true }).tries.map((t) => t.backend)).toEqual([
      'wasm',
      'webgpu',
      'webgl',
      'cpu',
    ]);
  });

  it('skips WebGL without OffscreenCanvas and says why', () => {
    const p = choosePlan('auto', { ...browser, offscreenCanvas: false, webgl: false });
    expect(p.tries.map((t) => t.backend)).toEqual(['wasm', 'cpu']);
    expect(p.skipped.find((s) => s.backend === 'webgl')).toMatchObject({
      reason: expect.stringMatching(/no OffscreenCanvas/),
    });
  });

  it('skips software-emulated WebGL (SwiftShader), which trains slower than WASM', () => {
    const p = choosePlan('auto', { ...browser, webglRenderer: 'Google SwiftShader' });
    expect(p.tries[0].backend).toBe('wasm');
    expect(p.skipped.find((s) => s.backend === 'webgl')?.reason).toMatch(/software-emulated/);
  });

  it('skips a software WebGPU adapter (SwiftShader, or one the browser calls its fallback) unless WebGPU is asked for', () => {
    for (const webgpuAdapter of ['google swiftshader', 'apple fallback adapter']) {
      const env = { ...browser, webgpu: true, webgpuAdapter };
      const p = choosePlan('auto', env);
      expect(p.tries.map((t) => t.backend)).toEqual(['webgl', 'wasm', 'cpu']);
      expect(p.skipped.find((s) => s.backend === 'webgpu')?.reason).toMatch(/^WebGPU is software-emulated/);
      expect(choosePlan('webgpu', env).tries[0]).toMatchObject({
        backend: 'webgpu',
        reason: `GPU through WebGPU (${webgpuAdapter})`,
      });
    }
    expect(
      choosePlan('auto', { ...browser, webgpu: true, webgpuAdapter: 'nvidia ampere' }).tries[0].backend,
    ).toBe('webgpu');
  });

  it('tries software-emulated WebGL first when WebGL is asked for explicitly', () => {
    const p = choosePlan('webgl', { ...browser, webglRenderer: 'Google SwiftShader' });
    expect(p.tries.map((t) => t.backend)).toEqual(['webgl', 'wasm', 'cpu']);
  });

  it('falls back to CPU when nothing else exists, and honours an explicit preference', () => {
    const none: BackendEnv = {
      offscreenCanvas: false,
      webgl: false,
      webglRenderer: null,
      webAssembly: false,
      webgpu: false,
      webgpuAdapter: null,
    };
    expect(choosePlan('auto', none).tries.map((t) => t.backend)).toEqual(['cpu']);
    expect(choosePlan('cpu', browser).tries.map((t) => t.backend)).toEqual(['cpu', 'webgl', 'wasm']);
  });
});

describe('sessionConfigFromState', () => {
  it('maps the γ sweep preset to four runs on shared data', () => {
    expect(config.runs.map((r) => r.gamma)).toEqual([0, 0.5, 2, 5]);
    expect(config.runs.every((r) => r.prior === 0.01 && r.alpha === 0.25)).toBe(true);
    expect(config.imageSize).toBe(64);
    expect(config.warmupSteps).toBe(50);
    expect(config.data).toEqual({ objectsPerImage: [1, 1], distractors: [1, 3], clutterLines: [0, 2] });
  });

  it('turns prior off into prior null and A = 21 into seven aspect ratios', () => {
    const s = applyPreset(findPreset('ce-no-prior')!);
    s.shared.anchors = '21';
    const c = sessionConfigFromState(s);
    expect(c.runs.map((r) => r.prior)).toEqual([null, 0.01]);
    expect(c.anchors.aspectRatios).toHaveLength(7);
  });

  it('validates configs from the wire and clamps view options', () => {
    expect(() => validateSessionConfig({ ...config, runs: [] })).toThrow(/runs/);
    expect(() => validateSessionConfig({ ...config, imageSize: 40 })).toThrow(/imageSize/);
    expect(() => validateSessionConfig({ ...config, runs: [{ ...config.runs[0], lr: NaN }] })).toThrow(/lr/);
    const v = resolveViewOptions({
      evalEvery: -5,
      probeImages: 1e9,
      sampleImages: 100,
      anchorScores: 'x' as never,
    });
    expect(v).toMatchObject({
      evalEvery: 1,
      probeImages: 32,
      sampleImages: 32,
      anchorScores: VIEW_DEFAULTS.anchorScores,
    });
    expect(wasmPathFor('/focal-lab/')).toBe('/focal-lab/tfjs/');
  });
});

describe('module boundaries', () => {
  /** Value imports of a lib file and, transitively, of the lib files it imports (type imports are erased). */
  function valueImports(file: string, seen = new Set<string>()): string[] {
    if (seen.has(file)) return [];
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    const specs = [...src.matchAll(/^import\s+(?!type\b)(?:[^;']*?from\s+)?'([^']+)'/gms)].map((m) => m[1]);
    return specs.flatMap((spec) => {
      if (!spec.startsWith('.')) return [spec];
      const base = path.resolve(path.dirname(file), spec);
      const next = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => existsSync(f));
      return next ? valueImports(next, seen) : [spec];
    });
  }

  it('keep schema, presets, config, protocol, wire, client, model and controller free of tfjs (the page loads them before training)', () => {
    for (const f of ['schema', 'presets', 'config', 'protocol', 'wire', 'client', 'model', 'controller']) {
      const file = path.resolve(__dirname, `../../../lib/playground/${f}.ts`);
      for (const i of valueImports(file)) expect(i, `${f}.ts imports ${i}`).not.toMatch(/tensorflow/);
    }
  });
});
