/**
 * Choosing the worker's tfjs backend, each step with a reason the page can show. `choosePlan` is pure (the
 * environment is probed separately by `probeBackendEnv`), so the order and the reasons are unit-tested without a
 * browser. `startBackend` walks the plan until a backend initialises and passes a one-gradient smoke test; with
 * 'auto' and more than one fast backend (WebGPU, hardware WebGL, WASM) that can start, it first times a few
 * training steps of the current design on each and keeps the fastest (issue 13 item 2), unless the page passes the
 * choice an earlier measurement on this device made (./backendMemory).
 */
import * as tf from '@tensorflow/tfjs-core';
import { backendThreads, ensureBackend } from '../tf/backend';
import type { BackendAttempt, BackendName, BackendPreference, BackendTiming } from './protocol';

/** What the worker's global scope offers (probed once, passed to the pure planner). */
export interface BackendEnv {
  /** `OffscreenCanvas` exists (WebGL inside a worker needs it). */
  offscreenCanvas: boolean;
  /** A WebGL 2 (or 1) context could be created on an OffscreenCanvas. */
  webgl: boolean;
  /** The unmasked GL renderer string, when the browser tells it. */
  webglRenderer: string | null;
  /** `WebAssembly` exists. */
  webAssembly: boolean;
  /** `navigator.gpu` granted a WebGPU adapter. */
  webgpu: boolean;
  /**
   * What the adapter says it is ("google swiftshader", "nvidia ampere", …: vendor, architecture, description), and
   * "fallback adapter" when the browser marks it as one; null when it tells nothing or there is none.
   */
  webgpuAdapter: string | null;
}

export interface BackendPlan {
  /** Backends to try, in order, each with why it is tried. CPU is always last. */
  tries: { backend: BackendName; reason: string }[];
  /** Backends skipped before trying, with why. */
  skipped: { backend: BackendName; reason: string }[];
}

/** Renderers that emulate the GPU on the CPU: slower than the WASM backend for training. */
const SOFTWARE_GL = /swiftshader|llvmpipe|software|softpipe|basic render driver/i;
/** The same for a WebGPU adapter's description (`webgpuAdapter`), which also names a browser's fallback adapter. */
const SOFTWARE_GPU = new RegExp(`${SOFTWARE_GL.source}|fallback adapter`, 'i');

/** The emulator's name in a renderer string ('SwiftShader' out of 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader…'). */
function softwareName(renderer: string): string {
  const m = SOFTWARE_GPU.exec(renderer);
  if (!m) return renderer.slice(0, 40);
  const word = /swiftshader/i.test(m[0])
    ? 'SwiftShader'
    : /llvmpipe/i.test(m[0])
      ? 'llvmpipe'
      : /fallback adapter/i.test(m[0])
        ? "the browser's fallback adapter"
        : m[0];
  return word;
}

/**
 * The order in which to try backends for `preference` in `env`:
 * 'auto' → WebGPU if an adapter is granted, WebGL if an OffscreenCanvas gives a hardware WebGL context, then WASM
 * if WebAssembly exists, then CPU (`startBackend` measures the fast ones when more than one can start).
 * An explicit preference is tried first (when possible), followed by the rest of the auto order.
 */
export function choosePlan(preference: BackendPreference, env: BackendEnv): BackendPlan {
  const tries: BackendPlan['tries'] = [];
  const skipped: BackendPlan['skipped'] = [];
  // A software renderer is skipped unless WebGL itself was asked for (a reader or a benchmark wanting it).
  const webglWhyNot = !env.offscreenCanvas
    ? 'no OffscreenCanvas in this worker, so no WebGL here'
    : !env.webgl
      ? 'OffscreenCanvas gave no WebGL context'
      : preference !== 'webgl' && env.webglRenderer && SOFTWARE_GL.test(env.webglRenderer)
        ? `WebGL is software-emulated (${softwareName(env.webglRenderer)}), slower than WASM`
        : null;
  // The same for WebGPU: Chromium without a GPU grants SwiftShader's, which trained ~60× slower than WASM here.
  const webgpuWhyNot = !env.webgpu
    ? 'this browser grants no WebGPU adapter'
    : preference !== 'webgpu' && env.webgpuAdapter && SOFTWARE_GPU.test(env.webgpuAdapter)
      ? `WebGPU is software-emulated (${softwareName(env.webgpuAdapter)}), slower than WASM`
      : null;
  const wasmWhyNot = env.webAssembly ? null : 'WebAssembly is not available';
  const candidates: { backend: BackendName; whyNot: string | null; reason: string }[] = [
    {
      backend: 'webgpu',
      whyNot: webgpuWhyNot,
      reason: `GPU through WebGPU${env.webgpuAdapter ? ` (${env.webgpuAdapter.slice(0, 60)})` : ''}`,
    },
    {
      backend: 'webgl',
      whyNot: webglWhyNot,
      reason: `GPU through WebGL on an OffscreenCanvas${env.webglRenderer ? ` (${env.webglRenderer.slice(0, 60)})` : ''}`,
    },
    { backend: 'wasm', whyNot: wasmWhyNot, reason: 'WebAssembly (XNNPACK) on the CPU' },
    { backend: 'cpu', whyNot: null, reason: 'plain JavaScript on the CPU (slowest, always works)' },
  ];
  const order =
    preference === 'auto'
      ? candidates
      : [
          ...candidates.filter((c) => c.backend === preference),
          ...candidates.filter((c) => c.backend !== preference),
        ];
  for (const c of order) {
    if (c.whyNot === null) tries.push({ backend: c.backend, reason: c.reason });
    else skipped.push({ backend: c.backend, reason: c.whyNot });
  }
  return { tries, skipped };
}

/** The fields of a WebGPU adapter the probe reads (`info` in current browsers, `isFallbackAdapter` in older ones). */
interface AdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

/**
 * Whether this scope's `navigator.gpu` grants an adapter (at most a second's wait), and what it says it is (see
 * `BackendEnv.webgpuAdapter`). Never throws.
 */
export async function probeWebGpu(): Promise<{ webgpu: boolean; webgpuAdapter: string | null }> {
  const none = { webgpu: false, webgpuAdapter: null };
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
  if (!gpu || typeof gpu.requestAdapter !== 'function') return none;
  try {
    const adapter = (await Promise.race([
      gpu.requestAdapter(),
      new Promise((resolve) => setTimeout(() => resolve(null), 1000)),
    ])) as AdapterLike | null | undefined;
    if (adapter === null || adapter === undefined) return none;
    const info = adapter.info ?? {};
    const words = [info.vendor, info.architecture, info.description].filter(
      (w): w is string => typeof w === 'string' && w.trim() !== '',
    );
    if (info.isFallbackAdapter === true || adapter.isFallbackAdapter === true) words.push('fallback adapter');
    return { webgpu: true, webgpuAdapter: words.length > 0 ? words.join(' ') : null };
  } catch {
    return none;
  }
}

/** Probes the current global scope (worker or window) for `choosePlan`. Never throws. */
export async function probeBackendEnv(): Promise<BackendEnv> {
  const g = globalThis as unknown as { OffscreenCanvas?: new (w: number, h: number) => OffscreenCanvas };
  const env: BackendEnv = {
    offscreenCanvas: typeof g.OffscreenCanvas === 'function',
    webgl: false,
    webglRenderer: null,
    webAssembly: typeof WebAssembly === 'object',
    ...(await probeWebGpu()),
  };
  if (env.offscreenCanvas) {
    try {
      const canvas = new g.OffscreenCanvas!(1, 1);
      const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
      if (gl) {
        env.webgl = true;
        const info = gl.getExtension('WEBGL_debug_renderer_info');
        const r = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : null;
        env.webglRenderer = typeof r === 'string' ? r : null;
        gl.getExtension('WEBGL_lose_context')?.loseContext();
      }
    } catch {
      env.webgl = false;
    }
  }
  return env;
}

/**
 * Checks that the active backend computes a gradient: d/dx Σx² at (1, 2) = (2, 4), read as training reads
 * (`await data()`: WebGPU's synchronous read gives zeros on SwiftShader).
 */
async function smokeTest(): Promise<void> {
  const t = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, 2])));
  let g: tf.backend_util.TypedArray;
  try {
    g = await t.data();
  } finally {
    t.dispose();
  }
  if (Math.abs(g[0] - 2) > 1e-4 || Math.abs(g[1] - 4) > 1e-4) {
    throw new Error(`gradient smoke test gave [${Array.from(g).join(', ')}], expected [2, 4]`);
  }
}

export interface BackendChoice {
  backend: BackendName;
  /** One sentence for the page: what runs and why not the earlier ones. */
  reason: string;
  attempts: BackendAttempt[];
  /** Threads the backend computes with (WASM's threaded build when cross-origin isolated; else 1). */
  threads: number;
  /** Whether the scope is cross-origin isolated (SharedArrayBuffer, so WASM threads, are possible). */
  isolated: boolean;
  /** Each fast backend's measured speed, fastest first, when 'auto' measured them; else absent. */
  measured?: BackendTiming[];
  /** True when this is the remembered choice of an earlier measurement. */
  remembered?: boolean;
}

/** How 'auto' may measure the backends (the worker passes these; without `measure` nothing is timed). */
export interface MeasureOptions {
  /** The choice of an earlier measurement on this device: started first, without measuring. */
  remembered?: BackendName | null;
  /** Milliseconds per training step of the current design on the active backend (./measure). */
  measure?: () => number | Promise<number>;
  /** Called before each backend is measured (1-based index of `of`). */
  onMeasuring?: (backend: BackendName, index: number, of: number) => void;
}

/** Dependencies of `startBackend`, replaceable in tests. */
export interface StartBackendDeps {
  env?: BackendEnv;
  ensure?: (name: BackendName, wasmPath?: string) => Promise<string>;
  /** The active backend's thread count (default: `backendThreads` of lib/tf/backend). */
  threads?: () => number;
}

/**
 * Initialises the first backend of the plan that works: `ensureBackend` (which installs the kernels the trainer
 * needs there, see lib/tf/backend.ts), then a gradient smoke test.
 * @throws Error only when every backend fails (CPU included), listing the reasons.
 */
export async function startBackend(
  preference: BackendPreference,
  wasmPath?: string,
  deps: StartBackendDeps = {},
  measuring: MeasureOptions = {},
): Promise<BackendChoice> {
  const env = deps.env ?? (await probeBackendEnv());
  const ensure = deps.ensure ?? ensureBackend;
  const plan = choosePlan(preference, env);
  const attempts: BackendAttempt[] = plan.skipped.map((s) => ({ ...s, ok: false }));
  const start = async (backend: BackendName) => {
    const got = await ensure(backend, wasmPath);
    if (got !== backend) throw new Error(`tfjs switched to '${got}'`);
    await smokeTest();
  };
  const chosen = (
    backend: BackendName,
    reason: string,
    extra: Partial<BackendChoice> = {},
  ): BackendChoice => {
    const failed = attempts.filter((a) => !a.ok);
    const why =
      failed.length > 0 ? `; not ${failed.map((f) => `${f.backend}: ${f.reason}`).join('; not ')}` : '';
    return {
      backend,
      reason: `${backend.toUpperCase()}: ${reason}${why}.`,
      attempts,
      threads: (deps.threads ?? backendThreads)(),
      isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
      ...extra,
    };
  };
  let tries = plan.tries;
  const fast = tries.filter((t) => t.backend !== 'cpu');
  const remembered = preference === 'auto' ? (measuring.remembered ?? null) : null;
  if (remembered !== null && fast.some((t) => t.backend === remembered)) {
    // The earlier measurement's winner first; the rest of the plan behind it, should it fail today.
    tries = [
      ...tries.filter((t) => t.backend === remembered),
      ...tries.filter((t) => t.backend !== remembered),
    ];
    const first = tries[0];
    try {
      await start(first.backend);
      attempts.push({ backend: first.backend, ok: true, reason: first.reason });
      return chosen(first.backend, `${first.reason}, the fastest measured on this device earlier`, {
        remembered: true,
      });
    } catch (e) {
      attempts.push({ backend: first.backend, ok: false, reason: `failed to start (${errorText(e)})` });
      tries = tries.slice(1);
    }
  } else if (preference === 'auto' && measuring.measure && fast.length >= 2) {
    const timings: BackendTiming[] = [];
    for (const [i, t] of fast.entries()) {
      measuring.onMeasuring?.(t.backend, i + 1, fast.length);
      try {
        await start(t.backend);
        const ms = await measuring.measure();
        if (!Number.isFinite(ms) || ms <= 0) throw new Error(`measured ${ms} ms per step`);
        timings.push({ backend: t.backend, msPerStep: ms });
      } catch (e) {
        attempts.push({ backend: t.backend, ok: false, reason: `failed to start (${errorText(e)})` });
      }
    }
    timings.sort((a, b) => a.msPerStep - b.msPerStep);
    for (const best of timings) {
      const t = fast.find((f) => f.backend === best.backend)!;
      try {
        await start(best.backend);
        attempts.push({ backend: best.backend, ok: true, reason: t.reason });
        const others = timings.filter((x) => x !== best);
        const vs = others.map((x) => `${x.backend.toUpperCase()} ${Math.round(x.msPerStep)} ms`).join(', ');
        return chosen(
          best.backend,
          `${t.reason}, the fastest measured here: ${Math.round(best.msPerStep)} ms per training step` +
            (vs ? ` (${vs})` : ''),
          { measured: timings },
        );
      } catch (e) {
        attempts.push({
          backend: best.backend,
          ok: false,
          reason: `failed to start again (${errorText(e)})`,
        });
      }
    }
    // None of the fast ones works: the CPU, as the plan ends.
    tries = tries.filter((t) => t.backend === 'cpu');
  }
  for (const t of tries) {
    try {
      await start(t.backend);
      attempts.push({ backend: t.backend, ok: true, reason: t.reason });
      return chosen(t.backend, t.reason);
    } catch (e) {
      attempts.push({ backend: t.backend, ok: false, reason: `failed to start (${errorText(e)})` });
    }
  }
  throw new Error(
    `no tfjs backend could start: ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}`,
  );
}

/** A short, plain-text message of anything thrown. */
export function errorText(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}
