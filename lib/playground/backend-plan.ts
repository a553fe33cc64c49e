/**
 * Choosing the worker's tfjs backend: WebGL (through OffscreenCanvas) → WASM → CPU, each step with a reason the
 * page can show. `choosePlan` is pure (the environment is probed separately by `probeBackendEnv`), so the order
 * and the reasons are unit-tested without a browser; `startBackend` walks the plan until a backend initialises
 * and passes a one-gradient smoke test.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backendThreads, ensureBackend } from '../tf/backend';
import type { BackendAttempt, BackendName, BackendPreference } from './protocol';

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
}

export interface BackendPlan {
  /** Backends to try, in order, each with why it is tried. CPU is always last. */
  tries: { backend: BackendName; reason: string }[];
  /** Backends skipped before trying, with why. */
  skipped: { backend: BackendName; reason: string }[];
}

/** Renderers that emulate the GPU on the CPU: slower than the WASM backend for training. */
const SOFTWARE_GL = /swiftshader|llvmpipe|software|softpipe|basic render driver/i;

/** The emulator's name in a renderer string ('SwiftShader' out of 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader…'). */
function softwareName(renderer: string): string {
  const m = SOFTWARE_GL.exec(renderer);
  if (!m) return renderer.slice(0, 40);
  const word = /swiftshader/i.test(m[0]) ? 'SwiftShader' : /llvmpipe/i.test(m[0]) ? 'llvmpipe' : m[0];
  return word;
}

/**
 * The order in which to try backends for `preference` in `env`:
 * 'auto' → WebGL if an OffscreenCanvas gives a hardware WebGL context, then WASM if WebAssembly exists, then CPU.
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
  const wasmWhyNot = env.webAssembly ? null : 'WebAssembly is not available';
  const candidates: { backend: BackendName; whyNot: string | null; reason: string }[] = [
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

/** Probes the current global scope (worker or window) for `choosePlan`. Never throws. */
export function probeBackendEnv(): BackendEnv {
  const g = globalThis as unknown as { OffscreenCanvas?: new (w: number, h: number) => OffscreenCanvas };
  const env: BackendEnv = {
    offscreenCanvas: typeof g.OffscreenCanvas === 'function',
    webgl: false,
    webglRenderer: null,
    webAssembly: typeof WebAssembly === 'object',
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

/** Checks that the active backend computes a gradient: d/dx Σx² at (1, 2) = (2, 4). */
function smokeTest(): void {
  const g = tf.tidy(() =>
    tf
      .grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, 2]))
      .dataSync(),
  );
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
): Promise<BackendChoice> {
  const env = deps.env ?? probeBackendEnv();
  const ensure = deps.ensure ?? ensureBackend;
  const plan = choosePlan(preference, env);
  const attempts: BackendAttempt[] = plan.skipped.map((s) => ({ ...s, ok: false }));
  for (const t of plan.tries) {
    try {
      const got = await ensure(t.backend, wasmPath);
      if (got !== t.backend) throw new Error(`tfjs switched to '${got}'`);
      smokeTest();
      attempts.push({ backend: t.backend, ok: true, reason: t.reason });
      const failed = attempts.filter((a) => !a.ok);
      const why =
        failed.length > 0 ? `; not ${failed.map((f) => `${f.backend}: ${f.reason}`).join('; not ')}` : '';
      return {
        backend: t.backend,
        reason: `${t.backend.toUpperCase()}: ${t.reason}${why}.`,
        attempts,
        threads: (deps.threads ?? backendThreads)(),
        isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
      };
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
