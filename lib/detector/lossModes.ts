/**
 * The classification-loss modes of the detector, as one registry keyed by URL-safe ids (paper Table 1a, 1b, 1d
 * and Table 3). Every other module reads a mode from here: the trainer (which anchors enter the loss, default
 * α, valid γ), the playground (menu, disabled controls, legends, effective γ), the ablation study (config names
 * and labels) and the CLIs. tfjs-free, so the page can import it before the training stack loads; the tensor
 * functions of each mode live in ./lossFunctions (`LOSS_FUNCTIONS`, keyed by the same ids).
 *
 * Adding a mode: an entry here, its entry in `LOSS_FUNCTIONS`, and a test.
 */

/** The loss settings a mode may read: γ of FL / FL*, α of α-balancing (null = none), β of FL*. */
export interface LossParams {
  gamma: number;
  alpha: number | null;
  beta: number;
}

/** Which anchors enter the classification loss. */
export type NegativeSelection =
  /** Every non-ignored anchor (RetinaNet: the loss itself handles the imbalance). */
  | 'all'
  /** All foreground anchors plus `negPosRatio`× as many background anchors drawn at random (seeded) per image. */
  | 'sampled'
  /** All foreground anchors plus the `negPosRatio`× as many highest-loss background anchors per image (OHEM). */
  | 'ohem';

/** One loss mode. */
export interface LossModeSpec {
  /** Menu label (the playground's loss select). */
  label: string;
  /** What the mode trains on, with the paper's equation or table. */
  description: string;
  /** Which of the settings the mode reads (the playground shows the others disabled). */
  uses: { gamma: boolean; alpha: boolean; beta: boolean };
  /** α when the user does not set one: 0.25 for the focal losses (paper Table 1b), none for the CE baselines. */
  defaultAlpha: number | null;
  /** The loss divides by γ, so γ must be > 0 (FL*, paper Appendix A). */
  needsPositiveGamma: boolean;
  negatives: NegativeSelection;
  /** Short name for legends, tables and notices: 'FL', 'FL*', 'CE, 1:3 sampling' (see {@link shortLabel}). */
  name: string;
  /** The name when α is set, if it differs: 'α-CE' (paper Table 1a). */
  alphaName?: string;
  /** Prefix of ablation config names, URL-safe: 'fl', 'fl-star', 'ce-sampled' (see lib/detector/ablation). */
  slug: string;
}

/** Registry of loss modes, in menu order (the first is the default). */
export const LOSS_MODES = {
  focal: {
    label: 'Focal loss (FL)',
    description: 'FL = −α_t (1 − p_t)^γ log p_t on every non-ignored anchor; paper eq. 5, Table 1b.',
    uses: { gamma: true, alpha: true, beta: false },
    defaultAlpha: 0.25,
    needsPositiveGamma: false,
    negatives: 'all',
    name: 'FL',
    slug: 'fl',
  },
  ce: {
    label: 'Cross-entropy (α-balanced when α is set)',
    description: 'CE (or α-balanced CE, α_t) on every non-ignored anchor; paper Table 1a.',
    uses: { gamma: false, alpha: true, beta: false },
    defaultAlpha: null,
    needsPositiveGamma: false,
    negatives: 'all',
    name: 'CE',
    alphaName: 'α-CE',
    slug: 'ce',
  },
  focal_star: {
    label: 'Focal loss FL* (Appendix A)',
    description: 'FL* = −log σ(γ x_t + β) / γ on every non-ignored anchor; paper Appendix A, Table 3.',
    uses: { gamma: true, alpha: true, beta: true },
    defaultAlpha: 0.25,
    needsPositiveGamma: true,
    negatives: 'all',
    name: 'FL*',
    slug: 'fl-star',
  },
  ce_sampled: {
    label: 'CE with 1:3 foreground:background sampling',
    description:
      'CE on all foreground anchors plus 3× as many background anchors drawn at random (seeded) per image; ' +
      'the fixed 1:3 foreground:background minibatch of two-stage detectors (paper §1, §3.3).',
    uses: { gamma: false, alpha: true, beta: false },
    defaultAlpha: null,
    needsPositiveGamma: false,
    negatives: 'sampled',
    name: 'CE, 1:3 sampling',
    slug: 'ce-sampled',
  },
  ce_ohem: {
    label: 'CE with online hard example mining (1:3)',
    description:
      'CE on all foreground anchors plus the 3× as many highest-loss background anchors per image ' +
      '(online hard example mining, Shrivastava et al. 2016; paper §5.1, Table 1d; no NMS).',
    uses: { gamma: false, alpha: true, beta: false },
    defaultAlpha: null,
    needsPositiveGamma: false,
    negatives: 'ohem',
    name: 'CE, OHEM 1:3',
    slug: 'ce-ohem',
  },
} as const satisfies Record<string, LossModeSpec>;

/** A loss-mode id (URL-safe key of {@link LOSS_MODES}). */
export type LossMode = keyof typeof LOSS_MODES;

/** The ids in menu order. */
export const LOSS_MODE_KEYS = Object.keys(LOSS_MODES) as LossMode[];

/** True when `id` names a loss mode. */
export function isLossMode(id: unknown): id is LossMode {
  return typeof id === 'string' && Object.hasOwn(LOSS_MODES, id);
}

/** γ the mode's loss actually uses: the setting for modes that read γ, 0 for the CE modes (FL with γ = 0 is CE). */
export function effectiveGamma(id: LossMode, gamma: number): number {
  return LOSS_MODES[id].uses.gamma ? gamma : 0;
}

/**
 * Legend label of a mode's settings without α: the name, then the settings it reads, e.g. 'FL γ=2',
 * 'FL* γ=2, β=1', 'CE, OHEM 1:3', 'α-CE' (α set).
 */
export function shortLabel(id: LossMode, p: LossParams): string {
  const m: LossModeSpec = LOSS_MODES[id];
  const name = p.alpha !== null && m.alphaName ? m.alphaName : m.name;
  return `${name}${m.uses.gamma ? ` γ=${p.gamma}` : ''}${m.uses.beta ? `, β=${p.beta}` : ''}`;
}
