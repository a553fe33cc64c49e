'use client';
/**
 * The playground's settings: presets, the runs of the race (one card each), and the settings every run shares.
 * Every control edits the typed state of lib/playground/schema, which the page mirrors in the URL; values are
 * coerced by the schema, so a control can never produce an out-of-range setting.
 */
import { memo, useId } from 'react';
import { LOSS_MODES } from '@/lib/detector/lossModes';
import { fmt } from '@/lib/params/format';
import type { EnumParam, NumberParam } from '@/lib/params/schema';
import { PRESETS, applyPreset } from '@/lib/playground/presets';
import {
  MAX_RUNS,
  RUN_SCHEMA,
  SHARED_SCHEMA,
  runLabel,
  withRunCount,
  type PlaygroundState,
  type RunSettings,
  type SharedSettings,
} from '@/lib/playground/schema';
import Slider from '../chart/Slider';
import Toggle from '../chart/Toggle';
import { runStyle } from './colors';
import PresetOutcomeText from './PresetOutcomeText';

const runSpec = (name: string) => RUN_SCHEMA.find((s) => s.name === name)!;
const sharedSpec = (name: string) => SHARED_SCHEMA.find((s) => s.name === name)!;

function SelectControl(p: {
  spec: EnumParam | NumberParam;
  value: string;
  options: readonly string[];
  labels?: readonly string[];
  onChange: (v: string) => void;
}) {
  const id = useId();
  return (
    <div className="control control--select">
      <label htmlFor={id} className="control__label">
        {p.spec.label}
      </label>
      <select
        id={id}
        data-param={p.spec.name}
        value={p.value}
        onChange={(e) => p.onChange(e.currentTarget.value)}
      >
        {p.options.map((o, i) => (
          <option key={o} value={o}>
            {p.labels?.[i] ?? o}
          </option>
        ))}
      </select>
    </div>
  );
}

/** One run's settings. */
const RunCard = memo(function RunCard(p: {
  index: number;
  run: RunSettings;
  onChange: (run: RunSettings) => void;
}) {
  const { run, index } = p;
  const used = LOSS_MODES[run.loss].uses;
  const set = (patch: Partial<RunSettings>) => p.onChange({ ...run, ...patch });
  const lossSpec = runSpec('loss') as EnumParam;
  const style = runStyle(index);
  return (
    <fieldset className="pg-run" data-run={index} style={{ borderColor: style.color }}>
      <legend>
        <span className="pg-swatch" aria-hidden="true" style={{ background: style.color }} />
        Run {index + 1}: {runLabel(run)}
      </legend>
      <SelectControl
        spec={lossSpec}
        value={run.loss}
        options={lossSpec.options}
        labels={lossSpec.optionLabels}
        onChange={(v) => set({ loss: v as RunSettings['loss'] })}
      />
      <Slider
        spec={runSpec('gamma') as NumberParam}
        value={run.gamma}
        disabled={!used.gamma}
        note={used.gamma ? undefined : 'CE: γ = 0'}
        format={(v) => `γ = ${fmt(v)}`}
        onChange={(v) => set({ gamma: v })}
      />
      <Toggle
        label="Balance classes with α"
        name="alpha-on"
        checked={run.alpha !== null}
        onChange={(on) => set({ alpha: on ? 0.25 : null })}
      />
      <Slider
        spec={runSpec('alpha') as NumberParam}
        value={run.alpha ?? 0.25}
        disabled={run.alpha === null}
        note={run.alpha === null ? 'off: α_t = 1' : undefined}
        format={(v) => (run.alpha === null ? 'off' : `α = ${fmt(v)}`)}
        onChange={(v) => set({ alpha: v })}
      />
      {used.beta && (
        <Slider
          spec={runSpec('beta') as NumberParam}
          value={run.beta}
          format={(v) => `β = ${fmt(v)}`}
          onChange={(v) => set({ beta: v })}
        />
      )}
      <Toggle
        label="Prior-probability init of the class bias"
        name="prior"
        checked={run.prior}
        onChange={(on) => set({ prior: on })}
      />
      <Slider
        spec={runSpec('pi') as NumberParam}
        value={run.pi}
        log
        disabled={!run.prior}
        note={run.prior ? undefined : 'off: bias 0, p = 0.5'}
        format={(v) => `π = ${fmt(v)}`}
        onChange={(v) => set({ pi: v })}
      />
      <Slider
        spec={runSpec('lr') as NumberParam}
        value={run.lr}
        log
        format={(v) => fmt(v)}
        onChange={(v) => set({ lr: v })}
      />
    </fieldset>
  );
});

export interface PlaygroundControlsProps {
  state: PlaygroundState;
  onChange: (state: PlaygroundState) => void;
  /** The preset last applied (its explanation is shown). */
  presetId: string | null;
  onPreset: (id: string) => void;
}

/** Presets, run cards and shared settings. */
export default memo(function PlaygroundControls({
  state,
  onChange,
  presetId,
  onPreset,
}: PlaygroundControlsProps) {
  const presetSelect = useId();
  const preset = PRESETS.find((p) => p.id === presetId) ?? null;
  const setShared = (patch: Partial<SharedSettings>) =>
    onChange({ ...state, shared: { ...state.shared, ...patch } });
  const setRun = (i: number, run: RunSettings) => {
    const runs = state.runs.slice();
    runs[i] = run;
    onChange({ ...state, runs });
  };
  const intSpec = (name: string) => sharedSpec(name) as NumberParam;
  const enumSpec = (name: string) => sharedSpec(name) as EnumParam;
  return (
    <div className="pg-controls">
      <div className="pg-presets">
        <div className="control control--select">
          <label htmlFor={presetSelect} className="control__label">
            Preset
          </label>
          <select
            id={presetSelect}
            data-param="preset"
            value={presetId ?? ''}
            onChange={(e) => e.currentTarget.value && onPreset(e.currentTarget.value)}
          >
            <option value="">Custom settings</option>
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <div className="pg-preset-explanation" aria-live="polite">
          <p>{preset ? preset.explanation : 'Choose a preset, or change any setting below.'}</p>
          {preset && <PresetOutcomeText preset={preset.id} />}
        </div>
      </div>

      <SelectControl
        spec={intSpec('runs')}
        value={String(state.runs.length)}
        options={Array.from({ length: MAX_RUNS }, (_, i) => String(i + 1))}
        labels={['1 run', '2 runs side by side', '3 runs side by side', '4 runs side by side']}
        onChange={(v) => onChange(withRunCount(state, Number(v)))}
      />
      <div className="pg-runs">
        {state.runs.map((run, i) => (
          <RunCard key={i} index={i} run={run} onChange={(r) => setRun(i, r)} />
        ))}
      </div>

      <fieldset className="pg-shared">
        <legend>Shared by every run (same data, same initial weights)</legend>
        <Slider
          spec={intSpec('batch')}
          value={state.shared.batch}
          format={(v) => `${v} images`}
          onChange={(v) => setShared({ batch: v })}
        />
        <Slider
          spec={intSpec('steps')}
          value={state.shared.steps}
          format={(v) => `${v} steps`}
          onChange={(v) => setShared({ steps: v })}
        />
        <Slider
          spec={intSpec('objects')}
          value={state.shared.objects}
          format={(v) => `${v}`}
          onChange={(v) => setShared({ objects: v })}
        />
        <SeedControl value={state.shared.seed} onChange={(v) => setShared({ seed: v })} />
        <Toggle
          label={sharedSpec('pretrained').label}
          name="pretrained"
          checked={state.shared.pretrained}
          onChange={(on) => setShared({ pretrained: on })}
        />
        {(['clutter', 'anchors', 'backend'] as const).map((name) => {
          const spec = enumSpec(name);
          return (
            <SelectControl
              key={name}
              spec={spec}
              value={String(state.shared[name])}
              options={spec.options}
              labels={spec.optionLabels}
              onChange={(v) => setShared({ [name]: v } as Partial<SharedSettings>)}
            />
          );
        })}
      </fieldset>
      <button
        type="button"
        className="pg-button pg-button--quiet"
        onClick={() => onChange(applyPreset(PRESETS[0]))}
      >
        Restore the paper&rsquo;s defaults
      </button>
    </div>
  );
});

function SeedControl({ value, onChange }: { value: number; onChange: (v: number) => void }) {
  const id = useId();
  const spec = sharedSpec('seed') as NumberParam;
  return (
    <div className="control control--number">
      <label htmlFor={id} className="control__label">
        {spec.label}
      </label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        data-param="seed"
        min={spec.min}
        max={spec.max}
        step={1}
        value={value}
        onChange={(e) => {
          const v = Number(e.currentTarget.value);
          if (Number.isFinite(v)) onChange(v);
        }}
      />
    </div>
  );
}
