/**
 * When a run of the playground has diverged, in words for the reader. Used by the session (./session) after every
 * step; tfjs-free.
 */
import type { StepStats } from '../detector/trainConfig';
import type { RunConfig } from './protocol';

/**
 * Why a step means the run diverged, or null. Checks, in order: a non-finite loss part, a non-finite gradient
 * norm, a loss above `factor` × `reference` (the run’s step-1 loss). Pure.
 */
export function checkDivergence(
  stats: Pick<StepStats, 'total' | 'cls' | 'box' | 'gradNorm' | 'step'>,
  reference: number | null,
  factor: number,
  run: Pick<RunConfig, 'prior' | 'lr'>,
): string | null {
  const hint = [
    run.lr >= 0.01 ? 'a smaller learning rate' : '',
    run.prior === null ? 'the prior-probability init (π)' : '',
  ].filter(Boolean);
  const tip = hint.length > 0 ? ` Try ${hint.join(' or ')}.` : '';
  if (![stats.total, stats.cls, stats.box].every(Number.isFinite)) {
    // Worded without the literal "NaN": the page promises never to show NaN, even in an explanation.
    return `The loss stopped being a finite number at step ${stats.step} (${Number.isNaN(stats.total) ? 'not a number' : 'infinite'}): the weights took a non-finite update and training cannot continue.${tip}`;
  }
  if (!Number.isFinite(stats.gradNorm)) {
    return `The gradient became non-finite at step ${stats.step}, so the next update would destroy the weights.${tip}`;
  }
  if (reference !== null && reference > 0 && stats.total > factor * reference) {
    return `The loss exploded at step ${stats.step}: ${fmt(stats.total)} is more than ${factor}× its value at step 1 (${fmt(reference)}).${tip}`;
  }
  return null;
}

function fmt(x: number): string {
  return Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toPrecision(3);
}
