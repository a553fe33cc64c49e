import type { Schema } from './schema';

/**
 * URL schema of the "Beyond the paper" figure (LaterLossesFigure): CE, FL, FL*, QFL and VFL for a positive of
 * localisation quality q and for a negative. Keys are `ll.<name>` (`ll.q=0.7&ll.x=logit&ll.show=grad`).
 *
 * - q ∈ [0.05, 1]: the IoU-like quality target of QFL (Li et al. 2020) and VFL (Zhang et al. 2021). q = 0 is not
 *   offered: under both losses a positive with q = 0 is a negative. Step 0.01, the precision IoUs are quoted at.
 * - x: the horizontal axis, the predicted score p = σ(x) (as the papers plot it) or the logit x itself.
 * - show: the loss or its derivative dL/dx, the push the network actually receives.
 */

/** Default URL prefix of the figure. */
export const LATER_LOSSES_PREFIX = 'll';

export const laterLossesSchema = [
  {
    name: 'q',
    type: 'number',
    label: 'Quality q of the positive (IoU with its ground truth)',
    default: 0.7,
    min: 0.05,
    max: 1,
    step: 0.01,
  },
  {
    name: 'x',
    type: 'enum',
    label: 'Horizontal axis',
    default: 'p',
    options: ['p', 'logit'],
    optionLabels: ['score p = σ(x)', 'logit x'],
  },
  {
    name: 'show',
    type: 'enum',
    label: 'Plot',
    default: 'loss',
    options: ['loss', 'grad'],
    optionLabels: ['loss', 'gradient dL/dx'],
  },
] as const satisfies Schema;
