/**
 * Anchor ↔ ground-truth assignment for RetinaNet training (paper §4 "Anchors": IoU ≥ 0.5 → object,
 * IoU in [0, 0.4) → background, [0.4, 0.5) → ignored), implemented exactly as torchvision's
 * `det_utils.Matcher` (used by `torchvision.models.detection.RetinaNet`), plus the per-anchor training
 * targets the classification and box subnets are trained against.
 */
import { boxArea, boxIou, encodeBoxes, flattenBoxes, type BoxCoderWeights, type BoxesInput } from './boxes';

/** Matched index for an anchor whose best IoU is below `bgIou`: a background (negative) anchor. */
export const BELOW_LOW_THRESHOLD = -1;
/** Matched index for an anchor whose best IoU is in [bgIou, fgIou): ignored by both losses. */
export const BETWEEN_THRESHOLDS = -2;

/** Thresholds of the matcher. Defaults: the paper's 0.5 / 0.4, no low-quality matches. */
export interface AssignOptions {
  /** IoU at or above which an anchor is foreground. Default 0.5. */
  fgIou?: number;
  /** IoU below which an anchor is background. Default 0.4. Must be ≤ fgIou. */
  bgIou?: number;
  /**
   * torchvision's `allow_low_quality_matches`: every gt also claims the anchors of its highest IoU, even
   * below `fgIou`, so no gt goes unmatched. torchvision's RetinaNet sets it to true; default false here
   * (the paper's rule as written).
   */
  allowLowQualityMatches?: boolean;
  /**
   * Not in torchvision. torchvision's low-quality rule also fires for a gt whose highest IoU is 0 (it
   * overlaps no anchor): then *every* anchor with IoU 0 to it is restored to its own argmax gt and becomes
   * foreground. Set true to skip gts with highest IoU 0 in the low-quality step. Default false (exact).
   */
  lowQualitySkipZeroIou?: boolean;
}

/**
 * Reusable buffers for matching many images against one anchor set (`createAssignWorkspace`): the anchors' areas,
 * the IoU matrix, and every per-anchor array `assignAnchors` and `buildTargets` return. With a workspace those
 * results are views of its buffers, valid until its next use: copy what you keep. Why: a batch of 16 images
 * allocated ~8 arrays of 7–225 kB per image, which in Chromium's worker made target building 30–45 ms a step
 * against 5–8 ms in Node (a fresh 225 kB Float64Array: ~0.2 ms there, ~0.06 ms in Node); with one workspace per
 * anchor set the arrays are allocated once.
 */
export interface AssignWorkspace {
  /** The anchors the workspace was made for (a workspace serves one anchor set). */
  readonly anchors: ArrayLike<number>;
  readonly anchorArea: Float64Array;
  iou: Float64Array;
  readonly matches: Int32Array;
  readonly original: Int32Array;
  readonly clsTargets: Float32Array;
  readonly valid: Uint8Array;
  readonly fgMask: Uint8Array;
  readonly boxTargets: Float32Array;
}

/** A workspace for `anchors` (N boxes) and K classes. */
export function createAssignWorkspace(anchors: BoxesInput, numClasses: number): AssignWorkspace {
  const a = flattenBoxes(anchors);
  const N = a.length / 4;
  return {
    anchors: a,
    anchorArea: boxArea(a),
    iou: new Float64Array(4 * N),
    matches: new Int32Array(N),
    original: new Int32Array(N),
    clsTargets: new Float32Array(N * numClasses),
    valid: new Uint8Array(N),
    fgMask: new Uint8Array(N),
    boxTargets: new Float32Array(N * 4),
  };
}

/** `work` if it serves these anchors (and K classes, when given), else a clear error. */
function checkWorkspace(work: AssignWorkspace, anchors: ArrayLike<number>, K?: number): AssignWorkspace {
  if (work.anchors !== anchors || (K !== undefined && work.clsTargets.length !== (anchors.length / 4) * K))
    throw new Error('assign: the workspace was made for another anchor set or class count');
  return work;
}

/**
 * Assigns each anchor to a ground-truth box, exactly torchvision `Matcher.__call__`:
 * 1. IoU matrix Q [G × N] = boxIou(gt, anchors); per anchor n: v_n = max_g Q[g, n],
 *    m_n = argmax_g Q[g, n] (ties → the lowest g, as torch.max).
 * 2. v_n < bgIou → m_n = −1 (background); bgIou ≤ v_n < fgIou → m_n = −2 (ignored).
 * 3. With `allowLowQualityMatches` (`set_low_quality_matches_`): for each gt g with best IoU
 *    q_g = max_n Q[g, n], every anchor n with Q[g, n] == q_g (exact equality, all ties) gets back its
 *    *original* argmax m_n from step 1 — which may be a different gt than g if another gt overlaps n more.
 * With no gt boxes every anchor is background (torchvision's RetinaNet does the same for empty images).
 *
 * @param anchors N boxes [x1,y1,x2,y2] px (e.g. `generateAnchors(...).boxes`).
 * @param gtBoxes G boxes px.
 * @param work optional buffers for these anchors (`createAssignWorkspace`); the result is then a view of them.
 * @returns Int32Array [N]: gt index in [0, G), −1 background, −2 ignored.
 */
export function assignAnchors(
  anchors: BoxesInput,
  gtBoxes: BoxesInput,
  opts: AssignOptions = {},
  work?: AssignWorkspace,
): Int32Array {
  const fgIou = opts.fgIou ?? 0.5;
  const bgIou = opts.bgIou ?? 0.4;
  if (bgIou > fgIou) throw new Error(`assignAnchors: bgIou ${bgIou} > fgIou ${fgIou}`);
  const a = flattenBoxes(anchors);
  const g = flattenBoxes(gtBoxes);
  const N = a.length / 4;
  const G = g.length / 4;
  if (work) checkWorkspace(work, a);
  const matches = (work ? work.matches : new Int32Array(N)).fill(BELOW_LOW_THRESHOLD);
  if (G === 0) return matches;

  if (work && work.iou.length < G * N) work.iou = new Float64Array(G * N);
  const q = work ? boxIou(g, a, { out: work.iou, areaB: work.anchorArea }) : boxIou(g, a); // [G × N]
  const original = work ? work.original : new Int32Array(N);
  for (let n = 0; n < N; n++) {
    let best = q[n];
    let arg = 0;
    for (let j = 1; j < G; j++) {
      const v = q[j * N + n];
      if (v > best) {
        best = v;
        arg = j;
      }
    }
    original[n] = arg;
    matches[n] = best < bgIou ? BELOW_LOW_THRESHOLD : best < fgIou ? BETWEEN_THRESHOLDS : arg;
  }

  if (opts.allowLowQualityMatches) {
    for (let j = 0; j < G; j++) {
      let best = -Infinity;
      for (let n = 0; n < N; n++) if (q[j * N + n] > best) best = q[j * N + n];
      if (opts.lowQualitySkipZeroIou && !(best > 0)) continue;
      for (let n = 0; n < N; n++) if (q[j * N + n] === best) matches[n] = original[n];
    }
  }
  return matches;
}

/** Options for `buildTargets`: the matcher's plus the box coder's weights. */
export interface TargetOptions extends AssignOptions {
  /** BoxCoder weights (wx, wy, ww, wh). Default (1, 1, 1, 1) as torchvision's RetinaNet. */
  weights?: BoxCoderWeights;
}

/** Per-anchor training targets of one image (N anchors, K classes). */
export interface AnchorTargets {
  /**
   * Float32Array [N·K], row-major [anchor][class]: one-hot y for the sigmoid focal loss — 1 at
   * (n, label of the matched gt) for foreground anchors, 0 elsewhere (background anchors are all-zero rows).
   */
  clsTargets: Float32Array;
  /** Uint8Array [N]: 1 where the anchor enters the classification loss (fg or bg), 0 where ignored (−2). */
  valid: Uint8Array;
  /** Uint8Array [N]: 1 for foreground anchors (matched to a gt), which alone enter the box loss. */
  fgMask: Uint8Array;
  /** Float32Array [N·4]: encoded (dx, dy, dw, dh) of the matched gt for foreground anchors, 0 elsewhere. */
  boxTargets: Float32Array;
  /** Number of foreground anchors: the paper's loss normaliser (§4, "sum … normalized by the number of anchors assigned to a ground-truth box"; callers use max(1, numFg)). */
  numFg: number;
  /** Int32Array [N]: the raw matcher output (gt index, −1, −2). */
  matched: Int32Array;
}

/**
 * Builds the classification and regression targets for one image, as torchvision's
 * `RetinaNetClassificationHead.compute_loss` / `RetinaNetRegressionHead.compute_loss` do:
 * match anchors with `assignAnchors`; for foreground anchor n matched to gt g,
 * clsTargets[n, gtLabels[g]] = 1 and boxTargets[n] = encodeBoxes(gt_g, anchor_n, weights);
 * ignored anchors get valid = 0 (excluded from the focal loss); background anchors are valid all-zero rows.
 *
 * @param anchors N boxes px; @param gtBoxes G boxes px;
 * @param gtLabels [G] class indices in [0, K) (foreground classes only; there is no background class,
 *   the sigmoid head predicts K independent binary scores, paper §4).
 * @param numClasses K.
 * @param work optional buffers for these anchors and K (`createAssignWorkspace`); every array of the result is
 *   then a view of them, overwritten by the workspace's next use.
 * @throws on a label outside [0, K) or a label/box count mismatch.
 */
export function buildTargets(
  anchors: BoxesInput,
  gtBoxes: BoxesInput,
  gtLabels: ArrayLike<number>,
  numClasses: number,
  opts: TargetOptions = {},
  work?: AssignWorkspace,
): AnchorTargets {
  const a = flattenBoxes(anchors);
  const g = flattenBoxes(gtBoxes);
  const N = a.length / 4;
  const G = g.length / 4;
  const K = numClasses;
  if (gtLabels.length !== G) throw new Error(`buildTargets: ${G} gt boxes but ${gtLabels.length} labels`);
  for (let j = 0; j < G; j++) {
    const l = gtLabels[j];
    if (!Number.isInteger(l) || l < 0 || l >= K)
      throw new Error(`buildTargets: label ${l} outside [0, ${K})`);
  }
  if (work) checkWorkspace(work, a, K);
  const matched = assignAnchors(a, g, opts, work);
  const clsTargets = work ? work.clsTargets.fill(0) : new Float32Array(N * K);
  const valid = work ? work.valid.fill(0) : new Uint8Array(N);
  const fgMask = work ? work.fgMask.fill(0) : new Uint8Array(N);
  const boxTargets = work ? work.boxTargets.fill(0) : new Float32Array(N * 4);
  let numFg = 0;
  const gtOne = new Float64Array(4);
  const anchorOne = new Float64Array(4);
  for (let n = 0; n < N; n++) {
    const m = matched[n];
    if (m === BETWEEN_THRESHOLDS) continue;
    valid[n] = 1;
    if (m < 0) continue;
    fgMask[n] = 1;
    numFg++;
    clsTargets[n * K + gtLabels[m]] = 1;
    for (let c = 0; c < 4; c++) {
      gtOne[c] = g[4 * m + c];
      anchorOne[c] = a[4 * n + c];
    }
    boxTargets.set(encodeBoxes(gtOne, anchorOne, opts.weights), 4 * n);
  }
  return { clsTargets, valid, fgMask, boxTargets, numFg, matched };
}
