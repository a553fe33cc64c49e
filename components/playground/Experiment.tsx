'use client';
/**
 * "Predict, then run": a guided experiment for a chapter. The reader commits to a prediction first; only then can
 * they load the experiment's preset into the playground on the page (through the URL, which the playground
 * re-reads on popstate) and reveal what to look for. Guessing first is what makes the result stick. The radio
 * group is the one every prediction question uses (components/mdx/PredictChoices.tsx); unlike <Predict>, the
 * answer here is the reader's own run, so nothing is stored.
 */
import { useState, type ReactNode } from 'react';
import { findPreset, presetQuery } from '@/lib/playground/presets';
import PredictChoices from '../mdx/PredictChoices';
import PresetOutcomeText from './PresetOutcomeText';
import './playground.css';
import { PLAYGROUND_PREFIX } from '@/lib/playground/schema';

export interface ExperimentProps {
  /** Preset id of lib/playground/presets. */
  preset: string;
  title: string;
  /** The question the reader answers before running. */
  question: string;
  options: string[];
  /** What to look for, revealed after the prediction (prose, may contain math). */
  children: ReactNode;
}

/** Puts a preset's settings in the URL (other parameters kept) and tells the playground to re-read it. */
function loadPreset(id: string): boolean {
  const preset = findPreset(id);
  if (!preset) return false;
  const params = new URLSearchParams(window.location.search);
  for (const k of [...params.keys()]) {
    if (k === PLAYGROUND_PREFIX || k.startsWith(`${PLAYGROUND_PREFIX}.`)) params.delete(k);
  }
  for (const [k, v] of new URLSearchParams(presetQuery(preset))) params.append(k, v);
  const q = params.toString();
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${q ? `?${q}` : ''}`);
  window.dispatchEvent(new PopStateEvent('popstate', { state: window.history.state }));
  const target = document.querySelector<HTMLElement>('[data-playground]');
  if (target) {
    const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    target.scrollIntoView({ behavior: smooth ? 'smooth' : 'auto', block: 'start' });
    target.querySelector<HTMLElement>('[data-action=play]')?.focus({ preventScroll: true });
  }
  return true;
}

export default function Experiment({ preset, title, question, options, children }: ExperimentProps) {
  const [choice, setChoice] = useState<number | null>(null);
  const [locked, setLocked] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const known = findPreset(preset);
  return (
    <section className="predict experiment" aria-label={`Experiment: ${title}`} data-experiment={preset}>
      <p className="predict__title">Experiment: {title}</p>
      <PredictChoices
        legend={question}
        choices={options}
        value={choice}
        onChange={setChoice}
        disabled={locked}
      />
      {!locked ? (
        <button
          type="button"
          className="pg-button"
          disabled={choice === null}
          onClick={() => setLocked(true)}
          data-action="predict"
        >
          Lock in my prediction
        </button>
      ) : (
        <div className="experiment__run">
          <p>
            Your prediction: <strong>{choice !== null ? options[choice] : ''}</strong>.{' '}
            {known ? `Load “${known.label}” and press Play.` : 'This experiment’s preset is missing.'}
          </p>
          <button
            type="button"
            className="pg-button pg-button--primary"
            disabled={!known}
            data-action="load-experiment"
            onClick={() => setLoaded(loadPreset(preset))}
          >
            Load into the playground
          </button>
          {loaded && (
            <details className="experiment__reveal">
              <summary>What to look for (open after the run)</summary>
              <PresetOutcomeText preset={preset} className="experiment__measured" />
              <div>{children}</div>
            </details>
          )}
        </div>
      )}
    </section>
  );
}
