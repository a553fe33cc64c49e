/**
 * `startBackend` with 'auto' (lib/playground/backend-plan.ts): where more than one fast backend can start it times
 * each one (the `measure` it is given) and keeps the fastest; a remembered choice starts without measuring; an
 * explicit preference, or a single fast backend, measures nothing. Backends are faked (`ensure`); the gradient smoke
 * test runs on the real CPU backend, which stays active (ensureBackend in beforeAll).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../../../lib/tf/backend';
import { startBackend, type BackendEnv } from '../../../lib/playground/backend-plan';
import type { BackendName } from '../../../lib/playground/protocol';

beforeAll(async () => {
  await ensureBackend('cpu');
});

const GPU_MACHINE: BackendEnv = {
  offscreenCanvas: true,
  webgl: true,
  webglRenderer: 'ANGLE (NVIDIA)',
  webAssembly: true,
  webgpu: true,
  webgpuAdapter: null,
};

/** Fake backends: `ensure` makes one "active" (or throws for the broken ones); `measure` reads its speed. */
function fakes(speed: Partial<Record<BackendName, number>>, broken: BackendName[] = []) {
  let active: BackendName = 'cpu';
  const started: BackendName[] = [];
  const measuredOn: BackendName[] = [];
  const announced: string[] = [];
  return {
    started,
    measuredOn,
    announced,
    deps: {
      env: GPU_MACHINE,
      ensure: async (name: BackendName) => {
        if (broken.includes(name)) throw new Error(`${name} is broken here`);
        active = name;
        started.push(name);
        return name;
      },
      threads: () => 1,
    },
    measuring: {
      measure: () => {
        measuredOn.push(active);
        return speed[active] ?? NaN;
      },
      onMeasuring: (b: BackendName, i: number, of: number) => announced.push(`${b} ${i}/${of}`),
    },
  };
}

describe("startBackend('auto') measuring the backends", () => {
  it('times every fast backend that starts, in plan order, and keeps the fastest', async () => {
    const f = fakes({ webgpu: 60, webgl: 40, wasm: 200 });
    const c = await startBackend('auto', undefined, f.deps, f.measuring);
    expect(f.announced).toEqual(['webgpu 1/3', 'webgl 2/3', 'wasm 3/3']);
    expect(f.measuredOn).toEqual(['webgpu', 'webgl', 'wasm']);
    expect(c.backend).toBe('webgl');
    expect(f.started.at(-1)).toBe('webgl'); // switched back to the winner after measuring the others
    expect(c.measured).toEqual([
      { backend: 'webgl', msPerStep: 40 },
      { backend: 'webgpu', msPerStep: 60 },
      { backend: 'wasm', msPerStep: 200 },
    ]);
    expect(c.reason).toMatch(/fastest measured here: 40 ms per training step \(WEBGPU 60 ms, WASM 200 ms\)/);
    expect(c.remembered).toBeUndefined();
  });

  it('lists a backend that fails while measured as a failed attempt and chooses among the others', async () => {
    const f = fakes({ webgl: 40, wasm: 200 }, ['webgpu']);
    const c = await startBackend('auto', undefined, f.deps, f.measuring);
    expect(c.backend).toBe('webgl');
    expect(c.attempts.find((a) => a.backend === 'webgpu')).toMatchObject({ ok: false });
    expect(c.measured?.map((m) => m.backend)).toEqual(['webgl', 'wasm']);
  });

  it('treats a non-finite measurement as a failure', async () => {
    const f = fakes({ webgl: NaN, wasm: 200, webgpu: Infinity });
    const c = await startBackend('auto', undefined, f.deps, f.measuring);
    expect(c.backend).toBe('wasm');
    expect(c.measured).toEqual([{ backend: 'wasm', msPerStep: 200 }]);
  });

  it('starts a remembered choice without measuring, and marks it remembered', async () => {
    const f = fakes({ webgpu: 60, webgl: 40, wasm: 200 });
    const c = await startBackend('auto', undefined, f.deps, { ...f.measuring, remembered: 'wasm' });
    expect(f.measuredOn).toEqual([]);
    expect(c.backend).toBe('wasm');
    expect(c.remembered).toBe(true);
    expect(c.reason).toMatch(/fastest measured on this device earlier/);
  });

  it('falls back to the plan, without measuring, when the remembered backend no longer starts', async () => {
    const f = fakes({ webgpu: 60, webgl: 40, wasm: 200 }, ['webgl']);
    const c = await startBackend('auto', undefined, f.deps, { ...f.measuring, remembered: 'webgl' });
    expect(f.measuredOn).toEqual([]);
    expect(c.backend).toBe('webgpu');
    expect(c.attempts[0]).toMatchObject({ backend: 'webgl', ok: false });
  });

  it('measures nothing for an explicit preference or when only one fast backend can start', async () => {
    const pinned = fakes({ webgpu: 60, webgl: 40, wasm: 200 });
    expect((await startBackend('webgl', undefined, pinned.deps, pinned.measuring)).backend).toBe('webgl');
    expect(pinned.measuredOn).toEqual([]);
    const cpuOnly = fakes({ wasm: 200 });
    const env: BackendEnv = { ...GPU_MACHINE, webgpu: false, webgl: false, offscreenCanvas: false };
    const c = await startBackend('auto', undefined, { ...cpuOnly.deps, env }, cpuOnly.measuring);
    expect(c.backend).toBe('wasm');
    expect(cpuOnly.measuredOn).toEqual([]);
    expect(c.measured).toBeUndefined();
  });

  it('ends on the CPU when every fast backend fails', async () => {
    const f = fakes({}, ['webgpu', 'webgl', 'wasm']);
    const c = await startBackend('auto', undefined, f.deps, f.measuring);
    expect(c.backend).toBe('cpu');
    expect(c.attempts.filter((a) => !a.ok).map((a) => a.backend)).toEqual(['webgpu', 'webgl', 'wasm']);
  });
});
