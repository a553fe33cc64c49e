/**
 * Curves for the "Beyond the paper" figure: CE, FL, FL*, QFL and VFL of one positive (ground-truth quality q) and
 * one negative, against the logit, as losses or as dL/dx.
 *
 * The losses are the tensor functions of this folder (no second formula here), evaluated in one `tf.tidy` and
 * returned as plain number[] (float32 precision). Swappable losses live in a registry keyed by URL-safe names
 * ({@link LATER_LOSSES}), each with the settings its paper uses.
 *
 * What "the target" means differs, and that is the point of the comparison: CE, FL and FL* train every positive
 * anchor towards p = 1 (hard target 1), while QFL and VFL train it towards p = q, its localisation quality.
 * A negative has target 0 under all five.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../tf/gradients';
import { tidyValues } from '../tf/tidyValues';
import { sigmoidFocalLoss, sigmoidFocalLossStar } from './focal';
import { qualityFocalLoss, QFL_DEFAULT_BETA } from './qualityFocal';
import { checkFinite } from './types';
import { varifocalLoss, VFL_DEFAULTS } from './varifocal';

/** URL-safe names of the compared losses. */
export type LaterLossName = 'ce' | 'fl' | 'flstar' | 'qfl' | 'vfl';

/** One entry of {@link LATER_LOSSES}. */
export interface LaterLoss {
  name: LaterLossName;
  /** Short label with the settings, for legends and tables. */
  label: string;
  /** Whether a positive's target is its quality q (true) or 1 (false). */
  softTarget: boolean;
  /** Per-element loss of logits x (shape [n]) against targets t (shape [n], 1/0 or q). */
  fn: (x: tf.Tensor, t: tf.Tensor) => tf.Tensor;
}

/**
 * The compared losses, in display order, each with its paper's settings but without class weights for CE, FL and
 * FL* (so that their shapes, not their α, are compared); VFL keeps its α = 0.75 on negatives, which is part of its
 * definition.
 */
export const LATER_LOSSES: readonly LaterLoss[] = [
  {
    name: 'ce',
    label: 'CE',
    softTarget: false,
    fn: (x, t) => sigmoidFocalLoss(x, t, { alpha: null, gamma: 0 }),
  },
  {
    name: 'fl',
    label: 'FL γ = 2',
    softTarget: false,
    fn: (x, t) => sigmoidFocalLoss(x, t, { alpha: null, gamma: 2 }),
  },
  {
    name: 'flstar',
    label: 'FL* γ = 2, β = 1',
    softTarget: false,
    fn: (x, t) => sigmoidFocalLossStar(x, t, { alpha: null, gamma: 2, beta: 1 }),
  },
  {
    name: 'qfl',
    label: `QFL β = ${QFL_DEFAULT_BETA}`,
    softTarget: true,
    fn: (x, t) => qualityFocalLoss(x, t, { beta: QFL_DEFAULT_BETA }),
  },
  {
    name: 'vfl',
    label: `VFL α = ${VFL_DEFAULTS.alpha}, γ = ${VFL_DEFAULTS.gamma}`,
    softTarget: true,
    fn: (x, t) => varifocalLoss(x, t, { alpha: VFL_DEFAULTS.alpha, gamma: VFL_DEFAULTS.gamma }),
  },
];

/** Row k of each side belongs to LATER_LOSSES[k]. */
export interface LaterCurves {
  /** A positive example whose box has quality (IoU) q. */
  positive: number[][];
  /** A negative example (target 0 for every loss). */
  negative: number[][];
}

/**
 * Loss (or dL/dx) of the losses in `names` at each logit, all against one target.
 *
 * The figure splits its work with this: a positive's quality q moves only the soft-target curves (QFL, VFL), so a
 * q slider recomputes 2 of the 10 curves, not all of them.
 *
 * @param logits x values (finite), length n
 * @param target 'negative' (target 0 for every loss), or the quality q in (0, 1] of a positive: soft-target losses
 *   train towards q, the others towards 1
 * @param names which losses, in the order of the returned rows
 * @param what 'loss' (nats) or 'grad' (dL/dx, nats per logit unit, by `tf.grad` of the summed elementwise loss)
 * @returns number[names.length][n]
 * @throws RangeError for a non-finite logit, q outside (0, 1] or an unknown loss name
 */
export function laterLossRows(
  logits: readonly number[],
  target: 'negative' | number,
  names: readonly LaterLossName[],
  what: 'loss' | 'grad' = 'loss',
): number[][] {
  for (const v of logits) checkFinite('logits', v);
  if (target !== 'negative' && (typeof target !== 'number' || !(target > 0 && target <= 1)))
    throw new RangeError(`q must lie in (0, 1]; got ${String(target)}`);
  if (what !== 'loss' && what !== 'grad')
    throw new RangeError(`what must be 'loss' or 'grad'; got ${String(what)}`);
  const losses = names.map((name) => {
    const l = LATER_LOSSES.find((c) => c.name === name);
    if (!l) throw new RangeError(`unknown loss ${String(name)}`);
    return l;
  });
  if (losses.length === 0) return [];
  const n = logits.length;
  // One read for all rows (a backend sync each otherwise), after the tidy (lib/tf/tidyValues.ts says why).
  const flat = tidyValues(() => {
    const x = tf.tensor1d(logits as number[], 'float32');
    const eval1 = (f: (xi: tf.Tensor) => tf.Tensor): tf.Tensor =>
      what === 'loss' ? f(x) : tf.grad((xi: tf.Tensor) => tf.sum(f(xi)))(x);
    const zeros = target === 'negative' ? tf.zeros([n]) : null;
    const ones = target === 'negative' ? null : tf.ones([n]);
    const quality = target === 'negative' ? null : tf.fill([n], target);
    return tf.stack(losses.map((l) => eval1((xi) => l.fn(xi, zeros ?? (l.softTarget ? quality! : ones!)))));
  });
  return losses.map((_, k) => Array.from(flat.subarray(k * n, (k + 1) * n)));
}

/**
 * Loss (or dL/dx) of every loss in {@link LATER_LOSSES} at each logit, for a positive of quality q and a negative.
 *
 * @param logits x values (finite), length n
 * @param q quality of the positive, in (0, 1] (q = 0 would make it a negative under QFL and VFL)
 * @param what 'loss' (nats) or 'grad' (dL/dx, nats per logit unit, by `tf.grad` of the summed elementwise loss)
 * @returns { positive, negative }, each number[LATER_LOSSES.length][n]
 * @throws RangeError for a non-finite logit or q outside (0, 1]
 */
export function laterLossCurves(
  logits: readonly number[],
  q: number,
  what: 'loss' | 'grad' = 'loss',
): LaterCurves {
  const all = LATER_LOSSES.map((l) => l.name);
  return {
    positive: laterLossRows(logits, q, all, what),
    negative: laterLossRows(logits, 'negative', all, what),
  };
}
