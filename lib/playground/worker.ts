/**
 * The training worker's message loop, independent of the Worker global so Node tests can drive it with a fake
 * scope (./inline-worker). The entry file workers/trainer.worker.ts only calls `attachTrainerWorker(self)`.
 *
 * `init` starts the backend (WebGL → WASM → CPU, ./backend-plan), posts `ready` with the backend and why, then
 * builds the session (./session), which posts `setup`, `status` and the step-0 views. Messages are handled one at
 * a time in arrival order (commands arriving during `init` wait for it). Anything thrown — while handling a
 * message, in the training loop, or uncaught in the worker — is posted as an `error` message.
 */
import {
  startBackend,
  errorText,
  type BackendChoice,
  type MeasureOptions,
  type StartBackendDeps,
} from './backend-plan';
import { msPerTrainingStep } from './measure';
import { validateSessionConfig } from './config';
import type { BackendPreference, SessionConfig, WorkerMessage } from './protocol';
import { parseMainMessage, transferablesOf } from './wire';
import { PlaygroundSession, type SessionDeps } from './session';
import { parseWarmStart, type WarmStart } from '../detector/warmStart';

/** The part of a DedicatedWorkerGlobalScope the loop uses. */
export interface WorkerScopeLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: string, listener: (event: unknown) => void): void;
  close?(): void;
}

export interface TrainerWorkerDeps {
  /** Replaces `startBackend` (tests pin a backend). */
  startBackend?: (
    preference: BackendPreference,
    wasmPath?: string,
    measuring?: MeasureOptions,
  ) => Promise<BackendChoice>;
  backendDeps?: StartBackendDeps;
  session?: SessionDeps;
  /** Loads the warm start of a `pretrained` config (default: fetch the init message's `warmStartUrl`). */
  loadWarmStart?: (url: string) => Promise<WarmStart>;
}

/** Fetches and parses a warm-start file (lib/detector/warmStart format). */
export async function fetchWarmStart(url: string): Promise<WarmStart> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load the pretrained weights (${url}: HTTP ${res.status})`);
  return parseWarmStart(await res.arrayBuffer());
}

/** Wires the message loop to `scope` (a worker's `self`, or the fake scope of ./inline-worker). */
export function attachTrainerWorker(scope: WorkerScopeLike, deps: TrainerWorkerDeps = {}): void {
  let session: PlaygroundSession | null = null;
  let chain: Promise<void> = Promise.resolve();
  const post = (msg: WorkerMessage) => {
    try {
      scope.postMessage(msg, transferablesOf(msg));
    } catch (e) {
      scope.postMessage({
        type: 'error',
        message: `could not post '${msg.type}': ${errorText(e)}`,
        fatal: false,
      });
    }
  };
  const fail = (e: unknown, fatal: boolean) => post({ type: 'error', message: errorText(e), fatal });
  const start = deps.startBackend ?? ((p, w, m) => startBackend(p, w, deps.backendDeps, m));
  // The warm start, loaded once, the first time a config asks for it (init or reset).
  const loadWarmStart = deps.loadWarmStart ?? fetchWarmStart;
  let warmStartUrl: string | undefined;
  let warmStart: WarmStart | null = null;
  const sessionDeps: SessionDeps = { ...deps.session, warmStart: () => warmStart };
  const ensureWarmStart = async (config: SessionConfig | undefined): Promise<void> => {
    if (!config?.pretrained || warmStart) return;
    if (!warmStartUrl) throw new Error('pretrained weights asked for, but the page gave no address for them');
    warmStart = await loadWarmStart(warmStartUrl);
  };

  const handle = async (data: unknown): Promise<void> => {
    let msg = parseMainMessage(data);
    if (!msg) {
      const type =
        typeof data === 'object' && data !== null ? String((data as { type?: unknown }).type) : typeof data;
      return fail(`ignored a malformed message (type ${type.slice(0, 40)})`, false);
    }
    if (msg.type === 'init' || msg.type === 'reset') {
      if (msg.type === 'init') warmStartUrl = msg.warmStartUrl ?? warmStartUrl;
      try {
        await ensureWarmStart(msg.config);
      } catch (e) {
        // A missing or damaged file: say so and keep (or build) a session without it.
        fail(`${errorText(e)}; training from scratch instead`, false);
        if (msg.config) msg = { ...msg, config: { ...msg.config, pretrained: false } };
      }
    }
    if (msg.type === 'init') {
      if (session) return session.reset(msg.config);
      let choice: BackendChoice;
      const config = msg.config;
      try {
        choice = await start(msg.backend, msg.wasmPath, {
          remembered: msg.remembered ?? null,
          // 'auto' with several fast backends: a few steps of this very design on each (./measure).
          measure: () => {
            const cfg = validateSessionConfig(config);
            return msPerTrainingStep(cfg, cfg.pretrained ? warmStart : null);
          },
          onMeasuring: (backend, index, of) => post({ type: 'measuring', backend, index, of }),
        });
      } catch (e) {
        return fail(e, true);
      }
      post({
        type: 'ready',
        backend: choice.backend,
        reason: choice.reason,
        attempts: choice.attempts,
        threads: choice.threads,
        isolated: choice.isolated,
        ...(choice.measured ? { measured: choice.measured } : {}),
        ...(choice.remembered ? { remembered: true } : {}),
      });
      try {
        session = new PlaygroundSession(msg.config, post, sessionDeps);
      } catch (e) {
        return fail(`Could not set up training: ${errorText(e)}`, true);
      }
      session.start();
      return;
    }
    if (!session) return fail(`'${msg.type}' before 'init'; ignored`, false);
    session.handle(msg);
    if (msg.type === 'dispose') {
      session = null;
      scope.close?.();
    }
  };

  scope.addEventListener('message', (event) => {
    const data = (event as { data?: unknown }).data;
    chain = chain.then(() => handle(data)).catch((e) => fail(e, false));
  });
  scope.addEventListener('error', (event) => {
    const e = event as { message?: string; error?: unknown; preventDefault?: () => void };
    e.preventDefault?.();
    fail(e.error ?? e.message ?? 'uncaught error in the training worker', false);
  });
  scope.addEventListener('unhandledrejection', (event) => {
    const e = event as { reason?: unknown; preventDefault?: () => void };
    e.preventDefault?.();
    fail(e.reason ?? 'unhandled rejection in the training worker', false);
  });
}
