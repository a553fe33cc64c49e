'use client';
/**
 * The page's side of a training session: starts the worker on first use, sends commands, and folds the worker's
 * messages into a `PlaygroundModel` (./model) at most once per animation frame.
 *
 * Why batch to frames: the worker posts `progress` about every 100 ms and views every few steps; rendering each
 * message as it arrives would re-render the views several times per frame on a slow laptop. Messages are folded
 * into mutable buffers as they arrive (cheap), and one requestAnimationFrame publishes a new model object whose
 * unchanged parts keep their identity, so memoised views skip.
 *
 * Why lazy: the training stack (tfjs backends, wasm binaries, the detector) loads only in the worker and only
 * after the reader asks for training (Play or Step), so a chapter that embeds the playground stays light.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { effectiveGamma } from '@/lib/detector/lossModes';
import { TrainerClient, createTrainerWorker, type WorkerLike } from '@/lib/playground/client';
import { wasmPathFor } from '@/lib/playground/config';
import type {
  BackendPreference,
  SessionConfig,
  WorkerMessage,
  AnchorDetailMessage,
} from '@/lib/playground/protocol';
import type { AnchorSelection, EvalHistory, LossHistory, PlaygroundModel, RunMeta } from './model';
import { runColor, runDash } from './colors';

/** Steps per second the in-page fallback trainer is capped at, so the UI keeps some of the thread. */
const INLINE_SPEED_CAP = 4;
/** Errors kept for display. */
const MAX_ERRORS = 4;

const emptyLosses = (): LossHistory => ({
  step: [],
  total: [],
  cls: [],
  clsPos: [],
  clsHardNeg: [],
  clsEasyNeg: [],
  box: [],
});

function initialModel(): PlaygroundModel {
  return {
    phase: 'idle',
    backend: null,
    status: 'paused',
    step: 0,
    steps: 0,
    stepsPerSecond: 0,
    doneReason: null,
    runs: [],
    numParams: 0,
    classNames: [],
    views: null,
    anchors: null,
    images: [],
    losses: [],
    evals: { step: [], numImages: 0, runs: [] },
    samples: null,
    lossShare: null,
    fig4: null,
    anchor: null,
    memory: null,
    errors: [],
  };
}

/**
 * Folds one worker message into the model draft. Pure apart from mutating `draft` (a shallow copy made per
 * frame); arrays that grow (loss and eval histories) are copied on write so views see new identities.
 * Exported for unit tests.
 */
export function applyMessage(draft: PlaygroundModel, msg: WorkerMessage, selection: AnchorSelection | null) {
  switch (msg.type) {
    case 'ready':
      draft.phase = 'ready';
      draft.backend = {
        backend: msg.backend,
        reason: msg.reason,
        attempts: msg.attempts,
        inline: false,
        threads: msg.threads ?? 1,
        isolated: msg.isolated ?? false,
      };
      return;
    case 'setup': {
      draft.runs = msg.runs.map((r): RunMeta => ({
        run: r.run,
        label: r.config.label,
        color: runColor(r.run),
        dash: runDash(r.run),
        active: true,
        diverged: null,
        gamma: effectiveGamma(r.config.loss, r.config.gamma),
        loss: r.config.loss,
      }));
      draft.steps = msg.steps;
      draft.numParams = msg.numParams;
      draft.classNames = msg.classNames;
      draft.images = msg.images;
      draft.anchors = msg.anchors;
      draft.views = msg.views;
      draft.losses = msg.runs.map(emptyLosses);
      draft.evals = { step: [], numImages: 0, runs: [] };
      draft.samples = null;
      draft.lossShare = null;
      draft.fig4 = null;
      draft.anchor = null;
      draft.step = 0;
      draft.doneReason = null;
      return;
    }
    case 'status':
      draft.status = msg.status;
      draft.step = msg.step;
      draft.steps = msg.steps;
      draft.stepsPerSecond = msg.stepsPerSecond;
      draft.doneReason = msg.status === 'done' ? (msg.reason ?? null) : null;
      draft.memory = msg.memory ?? null;
      if (draft.runs.length === msg.active.length && draft.runs.some((r, i) => r.active !== msg.active[i])) {
        draft.runs = draft.runs.map((r, i) => ({ ...r, active: msg.active[i] }));
      }
      return;
    case 'progress': {
      draft.step = Math.max(draft.step, msg.step);
      draft.stepsPerSecond = msg.stepsPerSecond;
      const losses = draft.losses.slice();
      for (const { run, points } of msg.runs) {
        if (!losses[run] || points.length === 0) continue;
        const h = losses[run];
        const next: LossHistory = {
          step: h.step.concat(points.map((p) => p.step)),
          total: h.total.concat(points.map((p) => p.total)),
          cls: h.cls.concat(points.map((p) => p.cls)),
          clsPos: h.clsPos.concat(points.map((p) => p.clsPos)),
          clsHardNeg: h.clsHardNeg.concat(points.map((p) => p.clsHardNeg)),
          clsEasyNeg: h.clsEasyNeg.concat(points.map((p) => p.clsEasyNeg)),
          box: h.box.concat(points.map((p) => p.box)),
        };
        losses[run] = next;
      }
      draft.losses = losses;
      return;
    }
    case 'eval': {
      const runs: EvalHistory['runs'][number] = draft.runs.map(
        (_, i) => msg.runs.find((r) => r.run === i) ?? null,
      );
      const ev = draft.evals;
      // A repeated evaluation of the same step (e.g. after a pause) replaces the earlier one.
      const last = ev.step.length - 1;
      if (last >= 0 && ev.step[last] === msg.step) {
        draft.evals = {
          step: ev.step,
          numImages: msg.numImages,
          runs: [...ev.runs.slice(0, last), runs],
        };
      } else {
        draft.evals = { step: [...ev.step, msg.step], numImages: msg.numImages, runs: [...ev.runs, runs] };
      }
      return;
    }
    case 'samples':
      draft.samples = msg;
      return;
    case 'lossShare':
      draft.lossShare = msg;
      return;
    case 'fig4':
      draft.fig4 = msg;
      return;
    case 'anchorDetail':
      if (
        selection &&
        msg.run === selection.run &&
        msg.image === selection.image &&
        msg.anchor === selection.anchor
      ) {
        draft.anchor = msg;
      }
      return;
    case 'diverged':
      draft.runs = draft.runs.map((r) =>
        r.run === msg.run ? { ...r, active: false, diverged: msg.reason } : r,
      );
      return;
    case 'error':
      draft.errors = [...draft.errors, msg.message].slice(-MAX_ERRORS);
      if (msg.fatal) draft.phase = 'failed';
      return;
  }
}

export interface PlaygroundActions {
  /** Starts (loading the worker on first use) or resumes training. */
  play(): void;
  pause(): void;
  /** Takes n steps then pauses (loads the worker on first use). */
  step(n?: number): void;
  /** Back to step 0 with `config` (fresh identical weights). */
  reset(config: SessionConfig): void;
  /** Selects an anchor to inspect (null clears). */
  selectAnchor(sel: AnchorSelection | null): void;
  /** Tears the worker down and starts a fresh one (after a fatal error). */
  restart(): void;
  dismissErrors(): void;
}

export interface PlaygroundSessionOptions {
  /** The settings to train (from the URL state). */
  config: SessionConfig;
  backend: BackendPreference;
  /** Site base path, for the wasm binaries' URL. */
  basePath?: string;
  /** Element whose visibility gates training (paused while scrolled out of view). */
  rootRef: React.RefObject<HTMLElement | null>;
}

export interface PlaygroundSessionResult {
  model: PlaygroundModel;
  actions: PlaygroundActions;
  selection: AnchorSelection | null;
  /** True while training is held because the tab is hidden or the playground is out of view. */
  autoPaused: boolean;
  /** The config the running session was built with (to tell the reader when the controls differ). */
  appliedConfig: SessionConfig | null;
  /** The backend preference the running worker was started with. */
  appliedBackend: BackendPreference | null;
}

/** Why training is held without the reader asking. */
type HoldReason = 'hidden' | 'offscreen';

export function usePlaygroundSession(opts: PlaygroundSessionOptions): PlaygroundSessionResult {
  const [model, setModel] = useState<PlaygroundModel>(initialModel);
  const [selection, setSelection] = useState<AnchorSelection | null>(null);
  const [autoPaused, setAutoPaused] = useState(false);
  const [appliedConfig, setAppliedConfig] = useState<SessionConfig | null>(null);
  const [appliedBackend, setAppliedBackend] = useState<BackendPreference | null>(null);

  const clientRef = useRef<TrainerClient | null>(null);
  const modelRef = useRef<PlaygroundModel>(model);
  const queue = useRef<WorkerMessage[]>([]);
  const frame = useRef<number | null>(null);
  const selectionRef = useRef<AnchorSelection | null>(null);
  /** The reader wants training to run (Play pressed, not paused since). */
  const wantPlay = useRef(false);
  const holds = useRef(new Set<HoldReason>());
  const pendingAfterReady = useRef<(() => void)[]>([]);
  const ready = useRef(false);
  /** The worker has sent `setup`: commands can go straight to it. */
  const sessionReady = useRef(false);
  /** Training runs on the page's thread (./inline-worker): no Worker could start. */
  const inlineMode = useRef(false);
  const optsRef = useRef(opts);
  useEffect(() => {
    optsRef.current = opts;
  });
  /** `startClient` itself, for its own fallback path (a callback cannot name itself before it is declared). */
  const restartInline = useRef<() => void>(() => undefined);

  const flush = useCallback(() => {
    frame.current = null;
    const msgs = queue.current;
    if (msgs.length === 0) return;
    queue.current = [];
    const draft = { ...modelRef.current };
    for (const m of msgs) applyMessage(draft, m, selectionRef.current);
    if (draft.backend && draft.backend.inline !== inlineMode.current) {
      draft.backend = { ...draft.backend, inline: inlineMode.current };
    }
    modelRef.current = draft;
    setModel(draft);
  }, []);

  const schedule = useCallback(() => {
    if (frame.current !== null) return;
    // rAF does not fire in hidden tabs; a timeout keeps the model current there (cheap: nothing is painted).
    frame.current =
      typeof document !== 'undefined' && document.hidden
        ? (setTimeout(flush, 250) as unknown as number)
        : requestAnimationFrame(flush);
  }, [flush]);

  const onMessage = useCallback(
    (msg: WorkerMessage) => {
      queue.current.push(msg);
      if (msg.type === 'ready') {
        ready.current = true;
      }
      if (msg.type === 'setup') {
        sessionReady.current = true;
        // Commands queued while the worker started (Play pressed before it was ready).
        const pending = pendingAfterReady.current;
        pendingAfterReady.current = [];
        for (const fn of pending) fn();
      }
      schedule();
    },
    [schedule],
  );

  const startClient = useCallback(
    (forceInline = false) => {
      const o = optsRef.current;
      let worker: WorkerLike | null = null;
      let inline = forceInline;
      sessionReady.current = false;
      if (!forceInline) {
        try {
          worker = createTrainerWorker(o.basePath ?? '');
        } catch {
          inline = true;
        }
      }
      const client = new TrainerClient(
        worker ?? {
          // Filled below once the inline worker module has loaded; messages sent before then wait.
          postMessage: () => undefined,
          addEventListener: () => undefined,
          terminate: () => undefined,
        },
      );
      ready.current = false;
      inlineMode.current = inline;
      clientRef.current = client;
      modelRef.current = {
        ...modelRef.current,
        phase: 'loading',
        errors: [],
        backend: null,
      };
      setModel(modelRef.current);
      const init = () =>
        client.send({
          type: 'init',
          backend: o.backend,
          wasmPath: wasmPathFor(o.basePath ?? ''),
          config: o.config,
        });
      if (!inline) {
        client.subscribe((msg) => {
          // A worker that cannot start at all (blocked, module error) falls back to the page's thread once.
          if (msg.type === 'error' && msg.fatal && !ready.current && clientRef.current === client) {
            client.terminate();
            queue.current.push({
              type: 'error',
              message: `The training worker failed (${msg.message}); training on the page's own thread instead.`,
              fatal: false,
            });
            restartInline.current();
            return;
          }
          onMessage(msg);
        });
        init();
      } else {
        void import('@/lib/playground/inline-worker').then(({ createInlineWorker }) => {
          if (clientRef.current !== client) return;
          const inlineClient = new TrainerClient(createInlineWorker());
          clientRef.current = inlineClient;
          inlineClient.subscribe(onMessage);
          inlineClient.send({
            type: 'init',
            backend: o.backend,
            wasmPath: wasmPathFor(o.basePath ?? ''),
            config: o.config,
          });
          inlineClient.send({ type: 'setSpeed', stepsPerSecond: INLINE_SPEED_CAP });
        });
      }
      setAppliedConfig(o.config);
      setAppliedBackend(o.backend);
      return client;
    },
    [onMessage],
  );

  useEffect(() => {
    restartInline.current = () => startClient(true);
  }, [startClient]);

  /** Runs `fn` with a client whose session exists, starting the worker when needed. */
  const withSession = useCallback(
    (fn: (c: TrainerClient) => void) => {
      if (!clientRef.current || modelRef.current.phase === 'failed') {
        if (clientRef.current) clientRef.current.terminate();
        startClient();
        pendingAfterReady.current.push(() => clientRef.current && fn(clientRef.current));
        return;
      }
      if (!sessionReady.current) {
        pendingAfterReady.current.push(() => clientRef.current && fn(clientRef.current));
        return;
      }
      fn(clientRef.current);
    },
    [startClient],
  );

  const sendPlayIfAllowed = useCallback(() => {
    if (!wantPlay.current) return;
    if (holds.current.size > 0) return;
    withSession((c) => c.send({ type: 'play' }));
  }, [withSession]);

  const updateHold = useCallback(
    (reason: HoldReason, on: boolean) => {
      const had = holds.current.size > 0;
      if (on) holds.current.add(reason);
      else holds.current.delete(reason);
      const has = holds.current.size > 0;
      setAutoPaused(has && wantPlay.current);
      if (!clientRef.current || had === has) return;
      if (has) clientRef.current.send({ type: 'pause' });
      else sendPlayIfAllowed();
    },
    [sendPlayIfAllowed],
  );

  // Pause while the tab is hidden.
  useEffect(() => {
    const onVis = () => updateHold('hidden', document.hidden);
    onVis();
    document.addEventListener('visibilitychange', onVis);
    return () => document.removeEventListener('visibilitychange', onVis);
  }, [updateHold]);

  // Pause while the playground is scrolled out of view.
  useEffect(() => {
    const el = opts.rootRef.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      for (const e of entries) updateHold('offscreen', !e.isIntersecting);
    });
    io.observe(el);
    return () => io.disconnect();
  }, [opts.rootRef, updateHold]);

  // The worker goes with the component.
  useEffect(
    () => () => {
      clientRef.current?.terminate();
      clientRef.current = null;
      if (frame.current !== null) {
        cancelAnimationFrame(frame.current);
        clearTimeout(frame.current);
      }
    },
    [],
  );

  // When the session finishes or a run stops everything, the reader's "play" intent ends with it.
  useEffect(() => {
    if (model.status === 'done') wantPlay.current = false;
  }, [model.status]);

  const actions = useMemo<PlaygroundActions>(
    () => ({
      play() {
        wantPlay.current = true;
        setAutoPaused(holds.current.size > 0);
        if (holds.current.size > 0) {
          // Make sure the worker is loading, so the run starts the moment the playground is visible.
          withSession(() => undefined);
          return;
        }
        sendPlayIfAllowed();
      },
      pause() {
        wantPlay.current = false;
        setAutoPaused(false);
        clientRef.current?.send({ type: 'pause' });
      },
      step(n = 1) {
        wantPlay.current = false;
        setAutoPaused(false);
        withSession((c) => c.send({ type: 'step', n }));
      },
      reset(config) {
        wantPlay.current = false;
        setAutoPaused(false);
        setSelection(null);
        selectionRef.current = null;
        setAppliedConfig(config);
        if (!clientRef.current) return;
        if (modelRef.current.phase === 'failed') {
          clientRef.current.terminate();
          clientRef.current = null;
          modelRef.current = initialModel();
          setModel(modelRef.current);
          return;
        }
        withSession((c) => c.send({ type: 'reset', config }));
      },
      selectAnchor(sel) {
        const c = clientRef.current;
        const prev = selectionRef.current;
        if (prev && c) c.send({ type: 'unwatch', run: prev.run, image: prev.image, anchor: prev.anchor });
        selectionRef.current = sel;
        setSelection(sel);
        modelRef.current = { ...modelRef.current, anchor: null };
        setModel(modelRef.current);
        if (sel && c) {
          void c.requestAnchor(sel.run, sel.image, sel.anchor).then((msg: AnchorDetailMessage) => {
            // requestAnchor's answer also reaches onMessage (all listeners see it); nothing else to do.
            void msg;
          });
        }
      },
      restart() {
        wantPlay.current = false;
        clientRef.current?.terminate();
        clientRef.current = null;
        modelRef.current = initialModel();
        setModel(modelRef.current);
        startClient();
      },
      dismissErrors() {
        modelRef.current = { ...modelRef.current, errors: [] };
        setModel(modelRef.current);
      },
    }),
    [sendPlayIfAllowed, startClient, withSession],
  );

  return { model, actions, selection, autoPaused, appliedConfig, appliedBackend };
}
