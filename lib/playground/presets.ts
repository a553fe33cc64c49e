/**
 * Playground presets: partial states with a one-line explanation each. Runs 2…4 of a preset list only what
 * differs from run 1 (exactly as the URL does), so "γ sweep" reads as four values of γ on the same settings.
 * Pure and tfjs-free.
 */
import {
  coercePlaygroundState,
  serializePlayground,
  SHARED_DEFAULTS,
  RUN_DEFAULTS,
  type PlaygroundState,
  type RunSettings,
  type SharedSettings,
} from './schema';

/** A preset: URL-safe id, button label, one-line explanation, and the settings it changes. */
export interface PlaygroundPreset {
  id: string;
  label: string;
  /** One sentence: what to watch for. Plain text. */
  explanation: string;
  /** Shared settings that differ from `SHARED_DEFAULTS`. */
  shared?: Partial<SharedSettings>;
  /** Run 1's settings over `RUN_DEFAULTS`, then for each further run what differs from run 1. */
  runs: Partial<RunSettings>[];
}

export const PRESETS: readonly PlaygroundPreset[] = [
  {
    id: 'paper',
    label: 'Paper default (FL γ=2, α=0.25)',
    explanation:
      'RetinaNet as published: focal loss with γ = 2, α = 0.25 and the classification bias initialised to π = 0.01, ' +
      "on the toy's default design (21 anchors per location, pretrained backbone). Chapter 8 compares it with " +
      'cross-entropy seed by seed.',
    runs: [{ loss: 'focal', gamma: 2, alpha: 0.25, prior: true, pi: 0.01 }],
  },
  {
    id: 'ce-no-prior',
    label: 'CE without prior init',
    explanation:
      'Plain cross-entropy starting from p = 0.5 on every anchor: thousands of easy negatives swamp the loss at ' +
      'the start (paper §4.1); the second run is the same CE started from π = 0.01.',
    runs: [{ loss: 'ce', alpha: null, prior: false }, { prior: true }],
  },
  {
    id: 'gamma-sweep',
    label: 'γ sweep 0→5',
    explanation:
      'The same α = 0.25 with γ = 0 (α-balanced CE), 0.5, 2 and 5: larger γ down-weights easy examples more ' +
      '(paper Table 1b).',
    runs: [{ loss: 'focal', gamma: 0, alpha: 0.25 }, { gamma: 0.5 }, { gamma: 2 }, { gamma: 5 }],
  },
  {
    id: 'ohem-vs-focal',
    label: 'OHEM vs focal loss',
    explanation:
      'Online hard example mining keeps only the highest-loss negatives (1:3); focal loss keeps every anchor and ' +
      'down-weights the easy ones instead (paper Table 1d).',
    runs: [
      { loss: 'focal', gamma: 2, alpha: 0.25 },
      { loss: 'ce_ohem', alpha: null },
    ],
  },
  {
    id: 'ce-vs-focal',
    label: 'CE vs focal loss',
    explanation:
      'Both start from π = 0.01; compare how each run splits its classification loss between positives, hard and ' +
      'easy negatives in "where the loss goes" (measured live, and it changes as training goes on).',
    runs: [
      { loss: 'ce', alpha: null },
      { loss: 'focal', gamma: 2, alpha: 0.25 },
    ],
  },
  {
    id: 'sampling',
    label: '1:3 sampling vs OHEM vs FL',
    explanation:
      'Two ways two-stage detectors fix the imbalance by choosing negatives (random 1:3 or hardest 1:3), against ' +
      'reshaping the loss over all of them.',
    runs: [
      { loss: 'ce_sampled', alpha: null },
      { loss: 'ce_ohem' },
      { loss: 'focal', gamma: 2, alpha: 0.25 },
    ],
  },
  {
    id: 'focal-star',
    label: 'FL vs FL*',
    explanation:
      'FL* = −log σ(γ x_t + β)/γ (Appendix A) against FL; in the paper they reach 33.8 and 34.0 AP (Table 3), ' +
      'one run each.',
    runs: [
      { loss: 'focal', gamma: 2, alpha: 0.25 },
      { loss: 'focal_star', gamma: 2, beta: 1 },
    ],
  },
  {
    id: 'quick',
    label: 'Quick look (small batch)',
    explanation:
      'CE against FL with 4 images per step and 200 steps: a fifth of the default budget of images, for a first ' +
      'look in class.',
    shared: { batch: 4, steps: 200, clutter: 'light' },
    runs: [
      { loss: 'ce', alpha: null },
      { loss: 'focal', gamma: 2, alpha: 0.25 },
    ],
  },
];

/** The preset with this id, or undefined. */
export function findPreset(id: string): PlaygroundPreset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** The full (coerced) state of a preset: defaults, then the preset's settings; runs 2… inherit from run 1. */
export function applyPreset(preset: PlaygroundPreset): PlaygroundState {
  const run0 = { ...RUN_DEFAULTS, ...preset.runs[0] };
  return coercePlaygroundState({
    shared: { ...SHARED_DEFAULTS, ...preset.shared },
    runs: [run0, ...preset.runs.slice(1).map((r) => ({ ...run0, ...r }))],
  });
}

/** The preset as a `pg.*` query string (no `?`). */
export function presetQuery(preset: PlaygroundPreset): string {
  return serializePlayground(applyPreset(preset));
}
