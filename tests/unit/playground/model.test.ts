/**
 * The page model's ms per step (lib/playground/model.ts `recentStepMs`, `medianStepMs`): each lockstep step's
 * compute time is the sum of its runs' StepStats.ms, the last RECENT_STEPS are kept, and a new session clears them.
 */
import { describe, expect, it } from 'vitest';
import { applyMessage, initialModel, medianStepMs, RECENT_STEPS } from '../../../lib/playground/model';
import type { WorkerMessage } from '../../../lib/playground/protocol';
import { progressPoint } from './fixtures';

const point = progressPoint;

/** Steps `from`…`to` of two runs, run 0 taking `a` ms a step and run 1 `b`. */
const progress = (from: number, to: number, a: number, b: number): WorkerMessage => {
  const steps = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  return {
    type: 'progress',
    step: to,
    stepsPerSecond: 5,
    runs: [
      { run: 0, points: steps.map((s) => point(s, a)) },
      { run: 1, points: steps.map((s) => point(s, b)) },
    ],
  };
};

describe('ms per step', () => {
  it('adds the runs of a lockstep step and takes the median of the recent steps', () => {
    const m = initialModel();
    expect(medianStepMs(m)).toBeNull();
    applyMessage(m, progress(1, 3, 10, 30), null);
    expect(m.recentStepMs).toEqual([40, 40, 40]);
    applyMessage(m, progress(4, 4, 100, 100), null);
    expect(medianStepMs(m)).toBe(40);
  });

  it(`keeps only the last ${RECENT_STEPS} steps`, () => {
    const m = initialModel();
    applyMessage(m, progress(1, RECENT_STEPS, 1, 1), null);
    applyMessage(m, progress(RECENT_STEPS + 1, 2 * RECENT_STEPS, 5, 5), null);
    expect(m.recentStepMs).toHaveLength(RECENT_STEPS);
    expect(medianStepMs(m)).toBe(10);
  });
});
