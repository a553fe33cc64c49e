/**
 * The runs of a playground race, built fair: every run starts from run 1's exact weights (`getWeights` /
 * `setWeights`), except the classification bias, which is each run's own prior init b = −log((1 − π)/π) (0 without
 * prior) — the only place the initial weights may differ, and only when the runs differ in π. The session
 * (./session) then feeds every run the same batch at each step.
 */
import { setWeights } from '../detector/model';
import { priorBias } from '../loss/prior';
import { isLossMode } from '../detector/lossModes';
import { createTrainer, startingWeights, type Trainer } from '../detector/train';
import { trainConfigOfRun } from './config';
import type { WarmStart } from '../detector/warmStart';
import type { ProgressPoint, RunConfig, SessionConfig } from './protocol';
import type { ProbeOutputs } from './views';

/** One run of the race while it trains. */
export interface RunState {
  /** Index 0…3 (the order of `SessionConfig.runs`). */
  index: number;
  config: RunConfig;
  trainer: Trainer;
  /** False once diverged. */
  active: boolean;
  /** Loss at step 1 (the explosion reference). */
  reference: number | null;
  /** Steps not yet reported in a `progress` message. */
  pending: ProgressPoint[];
  /** The latest probe outputs (cached per step). */
  probe: ProbeOutputs | null;
}

/**
 * One run per entry of `cfg.runs` (a validated config), with identical initial weights but for each run's prior
 * bias; backbone + FPN from `warmStart` when the config asks for `pretrained`. Throws RangeError on an unknown loss; disposes what it built when a trainer cannot be created.
 */
export function createRace(cfg: SessionConfig, warmStart: WarmStart | null = null): RunState[] {
  for (const r of cfg.runs) {
    if (!isLossMode(r.loss)) throw new RangeError(`session config: unknown loss '${r.loss}'`);
  }
  const trainers: Trainer[] = [];
  try {
    for (const r of cfg.runs) trainers.push(createTrainer(trainConfigOfRun(cfg, r, warmStart)));
  } catch (e) {
    for (const t of trainers) t.dispose();
    throw e;
  }
  // Identical initial weights: run 1's θ everywhere (computed, not read back: see startingWeights), with each
  // run's own prior bias.
  const theta = startingWeights(trainers[0].config);
  const bias = trainers[0].model.specs.find((s) => s.name === 'cls_out/b')!;
  cfg.runs.forEach((r, i) => {
    if (i === 0) return;
    const w = theta.slice();
    w.fill(priorBias(r.prior), bias.offset, bias.offset + bias.size);
    setWeights(trainers[i].model, w);
  });
  return cfg.runs.map((config, index) => ({
    index,
    config,
    trainer: trainers[index],
    active: true,
    reference: null,
    pending: [],
    probe: null,
  }));
}
