/**
 * How long a study plan takes on the project's 2-core machine: the estimate `npm run ablate -- --dry-run` prints
 * and the plans are sized by (a default study must fit 90 minutes with --jobs 2).
 */
import { levelOf, type RunSpec } from './ablation';

/** Cost model of the time estimate (milliseconds, default design, one process per core). */
export interface CostModel {
  /** Training step incl. target building, batch 16. */
  msPerStep: number;
  /** Generating one training batch of 16 images. */
  dataMsPerStep: number;
  /** Detection + COCO evaluation per held-out image. */
  evalMsPerImage: number;
  /** Process start, backend init and model build per run. */
  startupMs: number;
  /** Figure 4 extra time per image of the held-out set. */
  fig4MsPerImage: number;
  /** Multiplies the training time: slower steps than the median (GC, the other job, other processes). */
  margin: number;
}

/**
 * Calibrated on the 2-core development machine, WASM backend, 2 jobs in parallel, on the default design (A = 21,
 * warm start), 700-step runs on the validation split (session 6): median step 198 ms (CE) to 245 ms (FL γ = 2),
 * data 17 ms/step, evaluation of 500 held-out images about 15 s, ~3 s process start. Earlier, with A = 9 (now the
 * 'ratios3' level): 164 ms per step, 12 ms per evaluated image. The 10 % margin covers steps slower than the
 * median. Per-step costs scale ∝ batch.
 */
export const DEFAULT_COST: CostModel = {
  msPerStep: 220,
  dataMsPerStep: 17,
  evalMsPerImage: 30,
  startupMs: 3000,
  fig4MsPerImage: 50,
  margin: 1.1,
};

/** Estimated wall time of one run in seconds (see {@link CostModel}). */
export function estimateRunSeconds(spec: RunSpec, cost: CostModel = DEFAULT_COST): number {
  const level = levelOf(spec.config);
  const b = spec.budget;
  const perStep = ((cost.msPerStep * level.costFactor + cost.dataMsPerStep) * b.batch * cost.margin) / 16;
  const evalMs =
    b.evalImages * (cost.evalMsPerImage * level.evalCostFactor + (spec.fig4 ? cost.fig4MsPerImage : 0));
  return (cost.startupMs + b.steps * perStep + evalMs) / 1000;
}

/**
 * Estimated wall time of a plan with `jobs` parallel processes: runs are handed out in plan order to the first
 * free job (what the CLI does), so the estimate is that greedy schedule's makespan.
 */
export function estimatePlanSeconds(plan: RunSpec[], jobs: number, cost: CostModel = DEFAULT_COST): number {
  const free = new Array<number>(Math.max(1, jobs)).fill(0);
  for (const spec of plan) {
    let j = 0;
    for (let i = 1; i < free.length; i++) if (free[i] < free[j]) j = i;
    free[j] += estimateRunSeconds(spec, cost);
  }
  return Math.max(...free);
}
