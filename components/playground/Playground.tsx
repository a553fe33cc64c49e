'use client';
/**
 * The live playground: a toy RetinaNet trained in a Web Worker, 1–4 runs racing in lockstep on the same data
 * from the same initial weights. Settings live in the URL (`pg.*`, lib/playground/schema); training lives in the
 * worker (lib/playground/session); this component wires the two and lays out the views.
 */
import dynamic from 'next/dynamic';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef } from 'react';
import Notice from '@/components/chart/Notice';
import { usePresenterControls } from '@/components/present/PresenterContext';
import { fmt, fmtCount } from '@/lib/params/format';
import { sessionConfigFromState } from '@/lib/playground/config';
import { medianStepMs } from '@/lib/playground/model';
import { PRESETS, applyPreset, findPreset, presetQuery } from '@/lib/playground/presets';
import { serializePlayground } from '@/lib/playground/schema';
import PlaygroundControls from './PlaygroundControls';
import Scoreboard from './Scoreboard';
import { usePlaygroundSession } from './usePlaygroundSession';
import { usePlaygroundUrl } from './usePlaygroundUrl';
import './playground.css';

export interface PlaygroundProps {
  /** Preset applied when the URL has no `pg.*` settings (a chapter's embedded playground). */
  preset?: string;
  /** Heading text (a chapter embeds it under its own heading). */
  title?: string;
  /** Heading level of the title. */
  headingLevel?: 2 | 3;
}

const BASE_PATH = process.env.NEXT_PUBLIC_BASE_PATH ?? '';

// The live views (D3 charts, canvases) appear only once training has started: their code loads then, not with
// the page, which keeps the chapter that embeds the playground light. It starts loading the moment the trainer
// does (`phase` leaves 'idle', below), so its evaluation overlaps the worker's start-up instead of the first steps.
const loadViews = () => import('./PlaygroundViews');
const PlaygroundViews = dynamic(loadViews, {
  ssr: false,
  loading: () => <p className="pg-empty">Loading the charts…</p>,
});

const STATUS_TEXT = {
  paused: 'Paused',
  playing: 'Training',
  stepping: 'Stepping',
  done: 'Finished',
} as const;

export default function Playground({
  preset,
  title = 'Train a toy RetinaNet',
  headingLevel = 2,
}: PlaygroundProps) {
  const initial = useMemo(() => {
    const p = preset ? findPreset(preset) : undefined;
    return p ? applyPreset(p) : undefined;
  }, [preset]);
  const [state, setState, notices, dismissNotices, loaded] = usePlaygroundUrl(initial);
  const stateQuery = useMemo(() => serializePlayground(state), [state]);
  // The preset whose settings the controls show now (none once the reader changes anything).
  const presetId = useMemo(
    () => PRESETS.find((p) => presetQuery(p) === stateQuery)?.id ?? null,
    [stateQuery],
  );
  const rootRef = useRef<HTMLElement | null>(null);
  const config = useMemo(() => sessionConfigFromState(state), [state]);
  const { model, actions, selection, autoPaused, appliedConfig, appliedBackend } = usePlaygroundSession({
    config,
    backend: state.shared.backend,
    basePath: BASE_PATH,
    rootRef,
  });
  // The charts, the scoreboard and the samples draw a deferred copy of the model: React renders them in the
  // background between frames, yielding every few milliseconds, instead of in one task with the store update
  // (useSyncExternalStore renders synchronously). While training, that task made most of the page's long ones
  // (30–70 ms on a 2-core machine whose cores the trainer's threads share; `npm run bench:race` counts them).
  const viewModel = useDeferredValue(model);
  const trainerStarted = model.phase !== 'idle';
  useEffect(() => {
    if (trainerStarted) loadViews().catch(() => undefined); // the dynamic() above reports a failed load
  }, [trainerStarted]);

  const configKey = useMemo(() => JSON.stringify(config), [config]);
  const appliedKey = useMemo(() => (appliedConfig ? JSON.stringify(appliedConfig) : null), [appliedConfig]);
  const backendChanged = appliedBackend !== null && appliedBackend !== state.shared.backend;
  const stale = (appliedKey !== null && appliedKey !== configKey) || backendChanged;
  const untouched = model.step === 0 && model.status !== 'playing' && model.status !== 'stepping';

  // Settings changed before any step: apply them at once (nothing to lose). After training started, the
  // reader decides (a banner offers Reset), so a stray click never throws away a long run.
  useEffect(() => {
    if (!stale || !untouched || model.phase !== 'ready') return;
    if (backendChanged) actions.restart();
    else actions.reset(config);
  }, [stale, untouched, model.phase, actions, config, backendChanged]);

  const onPreset = useCallback(
    (id: string) => {
      const p = findPreset(id);
      if (p) setState(applyPreset(p));
    },
    [setState],
  );

  const playing = model.status === 'playing' || model.status === 'stepping';
  const reset = useCallback(() => {
    if (backendChanged) actions.restart();
    else actions.reset(config);
  }, [actions, backendChanged, config]);

  // Presenter mode (components/present): Space plays and pauses, R resets.
  usePresenterControls({
    play: actions.play,
    pause: actions.pause,
    playing: () => playing,
    reset,
  });

  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const statusText = statusLine(model, autoPaused);
  const progress = model.steps > 0 ? Math.min(1, model.step / model.steps) : 0;
  const msPerStep = medianStepMs(model);

  return (
    <section
      ref={rootRef}
      className="playground"
      aria-labelledby="playground-title"
      data-playground
      data-figure="playground"
      data-status={model.status}
      data-phase={model.phase}
      data-step={model.step}
      data-backend={model.backend?.backend ?? ''}
      data-threads={model.backend?.threads ?? ''}
      data-steps-per-second={model.stepsPerSecond.toFixed(2)}
      data-ms-per-step={msPerStep === null ? undefined : msPerStep.toFixed(1)}
      data-isolated={model.backend ? String(model.backend.isolated) : undefined}
      data-loaded={loaded || undefined}
      data-tensors={model.memory?.numTensors}
      data-worker-heap={model.memory?.jsHeapBytes ?? undefined}
    >
      <Heading id="playground-title" className="playground__title">
        {title}
      </Heading>
      <Notice notices={notices} onDismiss={dismissNotices} />

      <div className="pg-toolbar" role="toolbar" aria-label="Training controls">
        <button
          type="button"
          className="pg-button pg-button--primary"
          data-action="play"
          aria-pressed={playing}
          disabled={model.status === 'done' || model.phase === 'failed'}
          onClick={() => (playing ? actions.pause() : actions.play())}
        >
          {playing ? 'Pause' : model.phase === 'idle' ? 'Play' : model.step > 0 ? 'Resume' : 'Play'}
        </button>
        <button
          type="button"
          className="pg-button"
          data-action="step"
          disabled={model.status === 'done' || model.phase === 'failed'}
          onClick={() => actions.step(1)}
        >
          Step
        </button>
        <button
          type="button"
          className="pg-button"
          data-action="step10"
          disabled={model.status === 'done' || model.phase === 'failed'}
          onClick={() => actions.step(10)}
        >
          +10 steps
        </button>
        <button type="button" className="pg-button" data-action="reset" onClick={reset}>
          Reset
        </button>
        <div className="pg-counter">
          <span data-counter>
            Step <strong data-step-count>{fmtCount(model.step)}</strong> /{' '}
            {fmtCount(model.steps || state.shared.steps)}
          </span>
          <span className="pg-rate">
            {model.stepsPerSecond > 0 ? `${fmt(model.stepsPerSecond, 2)} steps/s` : ''}
            {model.stepsPerSecond > 0 && msPerStep !== null
              ? ` · ${Math.round(msPerStep)} ms computing each`
              : ''}
          </span>
          <progress max={1} value={progress} aria-label="Training progress" />
        </div>
      </div>

      <p className="pg-status" role="status" aria-live="polite" data-status-text>
        {statusText}
      </p>
      <p className="pg-backend" data-backend-label>
        {model.backend ? (
          <>
            <strong>Backend: {backendName(model.backend.backend)}</strong>
            {threadsText(model.backend)}
            {model.backend.inline
              ? ' on the page’s own thread (no Web Worker could start; training is slowed to keep the page usable)'
              : ' in a Web Worker'}
            . <span className="pg-muted">{model.backend.reason}</span>
            {state.shared.backend === 'auto' && (model.backend.measured || model.backend.remembered) && (
              <>
                {' '}
                <button
                  type="button"
                  className="pg-button pg-button--quiet"
                  onClick={actions.remeasure}
                  data-action="remeasure"
                >
                  Measure the backends again
                </button>
              </>
            )}
          </>
        ) : model.phase === 'loading' && model.measuring ? (
          <span data-measuring>
            Measuring which backend trains this model fastest here: {backendName(model.measuring.backend)} (
            {model.measuring.index} of {model.measuring.of}), a few training steps each…
          </span>
        ) : model.phase === 'loading' ? (
          'Starting the trainer: loading TensorFlow.js and its backend in a Web Worker…'
        ) : (
          <>The detector trains in your browser when you press Play ({backendHint(state.shared.backend)}).</>
        )}
        {model.numParams > 0 && (
          <span className="pg-muted"> Model: {fmtCount(model.numParams)} parameters.</span>
        )}
      </p>

      {stale && !untouched && (
        <div className="pg-banner" role="status">
          <p>
            The settings changed since this training started{backendChanged ? ' (including the backend)' : ''}
            . Reset to train with the new settings.
          </p>
          <button type="button" className="pg-button" onClick={reset} data-action="apply">
            Reset with the new settings
          </button>
        </div>
      )}
      {model.runs
        .filter((r) => r.diverged)
        .map((r) => (
          <div key={r.run} className="pg-banner pg-banner--warn" role="alert" data-diverged={r.run}>
            <p>
              <strong>
                Run {r.run + 1} ({r.label}) stopped:
              </strong>{' '}
              {r.diverged}
            </p>
            <button type="button" className="pg-button" onClick={reset}>
              Reset
            </button>
          </div>
        ))}
      {model.errors.length > 0 && (
        <div className="pg-banner pg-banner--error" role="alert" data-errors>
          <ul>
            {model.errors.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
          {model.phase === 'failed' ? (
            <button type="button" className="pg-button" onClick={actions.restart} data-action="restart">
              Restart the trainer
            </button>
          ) : (
            <button type="button" className="pg-button pg-button--quiet" onClick={actions.dismissErrors}>
              Dismiss
            </button>
          )}
        </div>
      )}

      <div className="playground__body">
        <div className="playground__settings">
          <PlaygroundControls state={state} onChange={setState} presetId={presetId} onPreset={onPreset} />
        </div>
        <div className="playground__views">
          {/* Mounted from the deferred model too: their first render (every chart at once) is then sliced. */}
          {viewModel.runs.length > 0 ? (
            <>
              <Scoreboard model={viewModel} />
              <PlaygroundViews
                model={viewModel}
                selection={selection}
                onSelectAnchor={actions.selectAnchor}
              />
            </>
          ) : (
            <p className="pg-empty">
              Press <strong>Play</strong> to train{' '}
              {state.runs.length > 1 ? `${state.runs.length} runs side by side` : 'the detector'} on synthetic
              images with {state.shared.objects} object{state.shared.objects > 1 ? 's' : ''} each. Loss
              curves, held-out AP, sample detections and where the loss goes appear here while it trains.
            </p>
          )}
        </div>
      </div>
    </section>
  );
}

function backendName(b: string): string {
  return b === 'webgpu'
    ? 'WebGPU (GPU)'
    : b === 'webgl'
      ? 'WebGL (GPU)'
      : b === 'wasm'
        ? 'WebAssembly (CPU)'
        : 'plain JavaScript (CPU)';
}

/**
 * The thread count after the backend's name, and why only one where threads were possible: WASM needs a
 * cross-origin-isolated page (COOP + COEP, sent by the host or added by the service worker).
 */
function threadsText(b: { backend: string; threads: number; isolated: boolean; inline: boolean }): string {
  const n = `, ${b.threads} thread${b.threads === 1 ? '' : 's'}`;
  if (b.backend !== 'wasm' || b.threads > 1 || b.inline) return b.backend === 'wasm' ? n : '';
  if (b.isolated) return n;
  const framed = typeof window !== 'undefined' && window.self !== window.top;
  return framed
    ? `${n} (inside another site’s frame the page is not cross-origin isolated; for threads the embedding page must send Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp and give the iframe allow="cross-origin-isolated")`
    : `${n} (this page is not cross-origin isolated yet; threads start after the offline copy is installed and the page reloads)`;
}

function backendHint(pref: string): string {
  return pref === 'auto'
    ? 'on whichever of WebGPU, WebGL and WebAssembly trains fastest on this device, measured the first time'
    : `backend: ${pref}`;
}

function statusLine(
  model: { phase: string; status: string; doneReason: string | null; step: number },
  autoPaused: boolean,
): string {
  if (model.phase === 'idle') return 'Ready. Press Play to start training.';
  if (model.phase === 'loading') return 'Starting the trainer…';
  if (model.phase === 'failed') return 'The trainer stopped with an error.';
  if (autoPaused) return 'Paused while the playground is out of view; training resumes when you come back.';
  if (model.status === 'done') return `Finished${model.doneReason ? `: ${model.doneReason}` : ''}.`;
  return STATUS_TEXT[model.status as keyof typeof STATUS_TEXT] ?? '';
}
