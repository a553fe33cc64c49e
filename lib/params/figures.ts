import { IMBALANCE_DEFAULTS, IMBALANCE_RANGES } from '../loss/imbalance';
import { LATER_LOSSES_PREFIX, laterLossesSchema } from './later';
import {
  ANCHOR_EXPLORER_PREFIX,
  anchorExplorerSchema,
  PRIOR_INIT_PREFIX,
  priorInitSchema,
} from './retinanet';
import type { Schema } from './schema';

/**
 * One parameter schema per live figure. Keys in the URL are `<prefix>.<name>`; the default prefix of
 * each figure is given next to its schema (a page showing a figure twice passes another prefix).
 * Ranges follow the paper: γ ∈ [0, 5] spans Figure 1's curves, α ∈ (0, 1) is the class weight of
 * §3.1 (Table 1a/1b explore .25–.75), 10^3–10^6 negatives brackets the 10^4–10^5 candidates of §2.
 */

/** Focusing parameter γ shared by several figures: 0 is cross-entropy, Figure 1 goes up to 5. */
const gamma = {
  name: 'gamma',
  type: 'number',
  label: 'Focusing parameter γ',
  default: 2,
  min: 0,
  max: 5,
  step: 0.1,
} as const;

/** Class weight α for positives (negatives get 1 − α), §3.1. */
const alpha = {
  name: 'alpha',
  type: 'number',
  label: 'Class weight α',
  default: 0.25,
  min: 0.01,
  max: 0.99,
  step: 0.01,
} as const;

/** Figure 1: loss vs p_t. Default prefix `fl`. */
export const LOSS_VS_PT_PREFIX = 'fl';
export const lossVsPtSchema = [gamma] as const satisfies Schema;

/** α-balanced CE vs α-balanced FL for both classes. Default prefix `ab`. */
export const ALPHA_BALANCE_PREFIX = 'ab';
export const alphaBalanceSchema = [alpha, gamma] as const satisfies Schema;

/** The modulating factor (1 − p_t)^γ. Default prefix `mf`. */
export const MODULATING_FACTOR_PREFIX = 'mf';
export const modulatingFactorSchema = [
  {
    name: 'pt',
    type: 'number',
    label: 'Probability p_t of the true class',
    default: 0.9,
    min: 0.01,
    max: 0.999,
    step: 0.001,
  },
  gamma,
  { name: 'logy', type: 'bool', label: 'Logarithmic y axis', default: false },
] as const satisfies Schema;

/** dL/dx versus the logit (Figure 6). Default prefix `gr`. */
export const GRADIENT_PREFIX = 'gr';
export const gradientSchema = [
  gamma,
  {
    name: 'target',
    type: 'enum',
    label: 'Ground truth',
    default: 'pos',
    options: ['pos', 'neg'],
    optionLabels: ['positive (y = 1)', 'negative (y = −1)'],
  },
  { name: 'star', type: 'bool', label: 'Show FL* (Appendix A)', default: true },
] as const satisfies Schema;

/**
 * How easy negatives swamp the loss. Default prefix `im`. Ranges and defaults are those of the loss core's
 * `IMBALANCE_RANGES` / `IMBALANCE_DEFAULTS` (lib/loss/imbalance), where the choice of each is argued; only
 * the number of negatives moves on a log slider (tenths of a decade) instead of the core's linear step.
 */
export const IMBALANCE_PREFIX = 'im';
const R = IMBALANCE_RANGES;
const D = IMBALANCE_DEFAULTS;
export const imbalanceSchema = [
  {
    name: 'neg',
    type: 'log',
    label: 'Number of negatives',
    default: D.numNegatives,
    min: R.numNegatives.min,
    max: R.numNegatives.max,
    step: 0.1,
    integer: true,
  },
  {
    name: 'hard',
    type: 'number',
    label: 'Hard negatives (share)',
    default: D.hardNegativeFraction,
    ...R.hardNegativeFraction,
  },
  {
    name: 'easy',
    type: 'number',
    label: 'Easy negatives: typical p_t',
    default: D.easyNegativePt,
    ...R.easyNegativePt,
  },
  { name: 'pos', type: 'int', label: 'Number of positives', default: D.numPositives, ...R.numPositives },
  gamma,
  alpha,
  {
    name: 'view',
    type: 'enum',
    label: 'Bar heights',
    default: 'share',
    options: ['share', 'total'],
    optionLabels: ['share of each total', 'absolute totals'],
  },
] as const satisfies Schema;

/**
 * The logistic-regression bridge (chapter 2): three 2-D classifiers trained live with CE, α-CE and FL
 * (lib/bridge). Default prefix `lr`. The negatives span a few hundred to 20,000 on a log slider (the positives
 * stay a handful, lib/bridge/data.ts); the seed picks the point cloud.
 */
export const BRIDGE_PREFIX = 'lr';
export const bridgeSchema = [
  gamma,
  alpha,
  {
    name: 'neg',
    type: 'log',
    label: 'Number of negatives',
    default: 3162, // 10^3.5, on the slider's grid of tenths of a decade
    min: 300,
    max: 20000,
    step: 0.1,
    integer: true,
  },
  { name: 'seed', type: 'int', label: 'Seed of the point cloud', default: 1, min: 1, max: 99, step: 1 },
] as const satisfies Schema;

/**
 * Softmax focal loss (footnote 1 of §3): loss against the true class's logit margin for K classes. Default
 * prefix `sm`. K from 2 to 100 brackets COCO's 80 classes.
 */
export const SOFTMAX_PREFIX = 'sm';
export const softmaxSchema = [
  gamma,
  { name: 'k', type: 'int', label: 'Number of classes K', default: 80, min: 2, max: 100, step: 1 },
] as const satisfies Schema;

/**
 * Every figure's schema with its default prefix, keyed by the figure's kebab id: the ones above, chapter 6's
 * (./retinanet) and the later losses' (./later). The playground's URL state is lib/playground/schema.
 */
/**
 * Calibration of the toy detector (components/figures/ReliabilityFigure.tsx, content/data/reliability.json).
 * Default prefix `rl`: `rl.table=anchors`. Which scores are binned: the detections after the paper's inference,
 * or every (anchor, class) score of the anchors the matcher assigns.
 */
export const RELIABILITY_PREFIX = 'rl';
export const reliabilitySchema = [
  {
    name: 'table',
    type: 'enum',
    label: 'Scores of',
    default: 'detections',
    options: ['detections', 'anchors'],
    optionLabels: ['detections (after NMS)', 'every anchor × class'],
  },
] as const satisfies Schema;

export const FIGURE_SCHEMAS = {
  'loss-vs-pt': { prefix: LOSS_VS_PT_PREFIX, schema: lossVsPtSchema },
  'alpha-balance': { prefix: ALPHA_BALANCE_PREFIX, schema: alphaBalanceSchema },
  'modulating-factor': { prefix: MODULATING_FACTOR_PREFIX, schema: modulatingFactorSchema },
  gradients: { prefix: GRADIENT_PREFIX, schema: gradientSchema },
  imbalance: { prefix: IMBALANCE_PREFIX, schema: imbalanceSchema },
  'anchor-explorer': { prefix: ANCHOR_EXPLORER_PREFIX, schema: anchorExplorerSchema },
  'prior-init': { prefix: PRIOR_INIT_PREFIX, schema: priorInitSchema },
  'later-losses': { prefix: LATER_LOSSES_PREFIX, schema: laterLossesSchema },
  bridge: { prefix: BRIDGE_PREFIX, schema: bridgeSchema },
  'softmax-focal': { prefix: SOFTMAX_PREFIX, schema: softmaxSchema },
  reliability: { prefix: RELIABILITY_PREFIX, schema: reliabilitySchema },
} as const;

/**
 * The toy study's per-seed results and paired differences (content/data/ablation.json). Default prefix `as`.
 * The baseline is what every other configuration is subtracted from, seed by seed: plain CE, the α-balanced
 * CE with the highest mean (α = 0.75) or the paper's focal loss (γ = 2, α = 0.25); the names are run names of
 * the study.
 */
export const ABLATION_SEEDS_PREFIX = 'as';
export const ablationSeedsSchema = [
  {
    name: 'baseline',
    type: 'enum',
    label: 'Subtract, seed by seed',
    default: 'ce',
    options: ['ce', 'ce-a0.75', 'fl-g2'],
    optionLabels: ['plain CE', 'α-CE, α = 0.75', 'FL γ = 2, α = 0.25 (the paper’s)'],
  },
] as const satisfies Schema;
