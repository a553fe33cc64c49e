import { ANCHOR_CHOICES } from '../playground/schema';
import type { Schema } from './schema';

/**
 * URL schemas of chapter 6's figures (RetinaNet): the anchor explorer (prefix `ax`) and the prior-initialisation
 * figure (prefix `pi`). Same conventions as ./figures: keys `<prefix>.<name>`, defaults omitted from the URL.
 */

/** Pyramid levels of the toy detector (lib/detector/model `MODEL_STRIDES` 4, 8, 16), in anchor order. */
export const TOY_LEVELS = ['p2', 'p3', 'p4'] as const;

/** Scale filter of the explorer: every scale, or scale index s of {2^0, 2^(1/3), 2^(2/3)}. */
export const SCALE_FILTERS = ['all', 's0', 's1', 's2'] as const;

/**
 * Aspect-ratio filter, as height:width (lib/detector/anchors' r = h/w; `r1-2` is a wide box, h/w = 1/2). The A = 21
 * preset has all seven; the paper's A = 9 uses 1:2, 1:1, 2:1.
 */
export const RATIO_FILTERS = ['all', 'r1-4', 'r1-3', 'r1-2', 'r1-1', 'r2-1', 'r3-1', 'r4-1'] as const;
/** h/w of each ratio filter (NaN for 'all'). */
export const RATIO_VALUES: Readonly<Record<(typeof RATIO_FILTERS)[number], number>> = Object.freeze({
  all: NaN,
  'r1-4': 1 / 4,
  'r1-3': 1 / 3,
  'r1-2': 1 / 2,
  'r1-1': 1,
  'r2-1': 2,
  'r3-1': 3,
  'r4-1': 4,
});

/** The anchor explorer. Default prefix `ax`. */
export const ANCHOR_EXPLORER_PREFIX = 'ax';
export const anchorExplorerSchema = [
  { name: 'seed', type: 'int', label: 'Dataset seed', default: 0, min: 0, max: 9999, step: 1 },
  { name: 'image', type: 'int', label: 'Image', default: 0, min: 0, max: 999, step: 1 },
  { name: 'objects', type: 'int', label: 'Objects per image', default: 1, min: 1, max: 4, step: 1 },
  {
    name: 'level',
    type: 'enum',
    label: 'Pyramid level shown',
    default: 'p3',
    options: TOY_LEVELS,
    optionLabels: ['P2 (stride 4)', 'P3 (stride 8)', 'P4 (stride 16)'],
  },
  {
    name: 'anchors',
    type: 'enum',
    label: 'Anchors per location A',
    default: '9',
    options: ANCHOR_CHOICES,
    optionLabels: ['1', '3 (scales)', '9 (paper)', '21'],
  },
  {
    name: 'scale',
    type: 'enum',
    label: 'Scale shown',
    default: 'all',
    options: SCALE_FILTERS,
    optionLabels: ['all', '2^0', '2^(1/3)', '2^(2/3)'],
  },
  {
    name: 'ratio',
    type: 'enum',
    label: 'Aspect ratio shown (h:w)',
    default: 'all',
    options: RATIO_FILTERS,
    optionLabels: ['all', '1:4', '1:3', '1:2', '1:1', '2:1', '3:1', '4:1'],
  },
  {
    name: 'fg',
    type: 'number',
    label: 'Foreground IoU threshold',
    default: 0.5,
    min: 0.05,
    max: 0.95,
    step: 0.01,
  },
  {
    name: 'bg',
    type: 'number',
    label: 'Background IoU threshold',
    default: 0.4,
    min: 0,
    max: 0.95,
    step: 0.01,
  },
  {
    name: 'lowq',
    type: 'bool',
    label: 'Low-quality matches (torchvision, the toy trainer)',
    default: false,
  },
] as const satisfies Schema;

/**
 * The matcher needs bg ≤ fg (lib/detector/assign throws otherwise); the two sliders are independent in the URL, so
 * a pair with bg > fg is read as bg = fg (no ignored band). Returns finite thresholds with bg ≤ fg and says whether
 * it changed anything.
 */
export function matcherThresholds(fg: number, bg: number): { fg: number; bg: number; adjusted: boolean } {
  const f = Number.isFinite(fg) ? Math.min(1, Math.max(0, fg)) : 0.5;
  const b = Number.isFinite(bg) ? Math.min(1, Math.max(0, bg)) : 0.4;
  return b > f ? { fg: f, bg: f, adjusted: true } : { fg: f, bg: b, adjusted: f !== fg || b !== bg };
}

/** The prior-initialisation figure. Default prefix `pi`. */
export const PRIOR_INIT_PREFIX = 'pi';
export const priorInitSchema = [
  {
    name: 'pi',
    type: 'log',
    label: 'Prior probability π',
    default: 0.01,
    min: 1e-4,
    max: 0.5,
    step: 0.05,
  },
  { name: 'gamma', type: 'number', label: 'Focusing parameter γ', default: 2, min: 0, max: 5, step: 0.1 },
  {
    name: 'setting',
    type: 'enum',
    label: 'Anchor layout',
    default: 'toy',
    options: ['toy', 'paper'],
    optionLabels: ['toy detector (64 px, measured)', 'RetinaNet (~100k anchors, paper)'],
  },
  {
    name: 'pos',
    type: 'log',
    label: 'Positive anchors per image (paper setting)',
    default: 100,
    min: 1,
    max: 10000,
    step: 0.1,
    integer: true,
  },
] as const satisfies Schema;
