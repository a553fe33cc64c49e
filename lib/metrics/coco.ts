/**
 * COCO bounding-box evaluation (AP@[.5:.95], AP50, AP75, AR@100), a line-by-line port of pycocotools'
 * `COCOeval` (evaluate → evaluateImg → accumulate → summarize) for iouType 'bbox', area range 'all'
 * and maxDets 100. The paper reports all its numbers with this evaluator (COCO AP, §5).
 *
 * Everything is float64 (JS numbers), like the numpy reference, so figures agree to ~1e-15.
 * Boxes are COCO `[x, y, width, height]` in pixels; see `xyxyToXywh` / `toCocoDetections` to convert.
 */

/** A ground-truth object. `iscrowd` defaults to 0 and `area` to width·height, as in the reference data. */
export interface CocoGroundTruth {
  image_id: number;
  category_id: number;
  /** [x, y, width, height] px. */
  bbox: ArrayLike<number>;
  iscrowd?: number;
  area?: number;
}

/** A scored detection, [x, y, width, height] px. */
export interface CocoDetection {
  image_id: number;
  category_id: number;
  bbox: ArrayLike<number>;
  score: number;
}

export interface CocoEvalInput {
  /** Image ids of the evaluated set (COCOeval `params.imgIds`; sorted and de-duplicated as there). */
  images: number[];
  /** Category ids (COCOeval `params.catIds`; sorted and de-duplicated). Detections of other ids are ignored. */
  categories: number[];
  groundTruth: CocoGroundTruth[];
  detections: CocoDetection[];
  /** Max detections per image and category. Default 100. */
  maxDets?: number;
}

/** The four summary figures; −1 where undefined (no category with ground truth), as COCOeval prints. */
export interface CocoSummary {
  /** AP averaged over IoU .50:.05:.95, 101 recall points and categories with gt. */
  ap: number;
  /** AP at IoU 0.5. */
  ap50: number;
  /** AP at IoU 0.75. */
  ap75: number;
  /** AR@100: recall at maxDets, averaged over the 10 IoU thresholds and categories with gt. */
  ar100: number;
}

export interface CocoEvalResult extends CocoSummary {
  /** The same figures per category (in sorted category order); −1 for a category without gt. */
  perCategory: (CocoSummary & { categoryId: number })[];
  /** COCOeval `params.iouThrs`: 10 thresholds, numpy linspace(.5, .95, 10). */
  iouThresholds: Float64Array;
  /** COCOeval `params.recThrs`: 101 recall points, numpy linspace(0, 1, 101). */
  recallThresholds: Float64Array;
  /** COCOeval `eval['precision']` for area 'all', maxDets: Float64Array [T·R·K] row-major [t][r][k], −1 where undefined. */
  precision: Float64Array;
  /** COCOeval `eval['recall']`: Float64Array [T·K] row-major [t][k], −1 where undefined. */
  recall: Float64Array;
  /**
   * How each input detection was matched (COCOeval's `dtMatches`, by input position): Int32Array [T·N] row-major
   * [t][n] for the N input detections, the 1-based index into `groundTruth` of the object detection n matched at
   * IoU threshold t, 0 when it matched none (a false positive), −1 when it was not evaluated (a category not in
   * `categories`, or beyond the image's `maxDets` highest scores). For figures that show which detections count.
   */
  detectionMatches: Int32Array;
}

/**
 * numpy.linspace(start, stop, num) bit-for-bit: y_i = i·((stop − start)/(num − 1)) + start, last = stop.
 * Matters because COCOeval compares IoUs against these exact doubles (0.6000000000000001, …).
 */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** COCOeval's `iouThrs` = linspace(.5, .95, round((.95 − .5)/.05) + 1 = 10). */
export const IOU_THRESHOLDS = linspace(0.5, 0.95, Math.round((0.95 - 0.5) / 0.05) + 1);
/** COCOeval's `recThrs` = linspace(0, 1, round(1/.01) + 1 = 101). */
export const RECALL_THRESHOLDS = linspace(0, 1, Math.round((1 - 0) / 0.01) + 1);
/** numpy `np.spacing(1)` = 2⁻⁵², added to COCOeval's precision denominator. */
const SPACING_1 = 2 ** -52;
/** COCOeval's area range 'all' = [0², 1e5²]. */
const AREA_ALL: [number, number] = [0, 1e10];

/** Indices sorted by descending key, stable (numpy `argsort(-x, kind='mergesort')`). */
function stableArgsortDesc(keys: ArrayLike<number>): number[] {
  const idx = Array.from({ length: keys.length }, (_, i) => i);
  return idx.sort((i, j) => (keys[j] > keys[i] ? 1 : keys[j] < keys[i] ? -1 : i - j));
}

/** Index of the first element ≥ v in ascending `a` (numpy `searchsorted(a, v, side='left')`). */
function searchsortedLeft(a: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * pycocotools `maskUtils.iou` for boxes (`bbIou` in maskApi.c): for detection d and gt g,
 * w = min(dx+dw, gx+gw) − max(dx, gx), h likewise, IoU = w·h / u with u = dw·dh + gw·gh − w·h, or
 * u = dw·dh (the detection's area) when g is a crowd; 0 when w ≤ 0 or h ≤ 0.
 */
function cocoIou(d: ArrayLike<number>, g: ArrayLike<number>, crowd: boolean): number {
  const w = Math.min(d[2] + d[0], g[2] + g[0]) - Math.max(d[0], g[0]);
  if (w <= 0) return 0;
  const h = Math.min(d[3] + d[1], g[3] + g[1]) - Math.max(d[1], g[1]);
  if (h <= 0) return 0;
  const i = w * h;
  const da = d[2] * d[3];
  const u = crowd ? da : da + g[2] * g[3] - i;
  return i / u;
}

interface GtRec {
  id: number;
  bbox: ArrayLike<number>;
  area: number;
  iscrowd: boolean;
}
interface DtRec {
  id: number;
  bbox: ArrayLike<number>;
  area: number;
  score: number;
}
interface ImgEval {
  /** [D] ids (1-based input positions) of the sorted, truncated detections. */
  dtIds: number[];
  /** [T][D] matched gt id (0 = unmatched). */
  dtMatches: Float64Array[];
  dtScores: number[];
  gtIgnore: Uint8Array;
  /** [T][D]. */
  dtIgnore: Uint8Array[];
}

/**
 * COCOeval.evaluateImg for one (image, category), area 'all': dts by score (stable), truncated to maxDet;
 * gts with ignore flags last (stable); for each IoU threshold t and each dt in order, the best gt is
 * found greedily in gt order: skip gts already matched (unless crowd), stop at the first ignored gt once a
 * regular one is matched, skip IoU < min(t, 1 − 1e−10), otherwise take it (so among equal IoUs the *last*
 * gt wins, since the comparison is `<`, not `≤`).
 */
function evaluateImg(gts: GtRec[], dts: DtRec[], maxDet: number, T: Float64Array): ImgEval | null {
  if (gts.length === 0 && dts.length === 0) return null;
  const gtIgnoreRaw = gts.map((g) => (g.iscrowd || g.area < AREA_ALL[0] || g.area > AREA_ALL[1] ? 1 : 0));
  // argsort of the 0/1 ignore flags, mergesort: regular gts first, then ignored, each in input order.
  const gtOrder = gtIgnoreRaw.map((_, i) => i).sort((i, j) => gtIgnoreRaw[i] - gtIgnoreRaw[j] || i - j);
  const gt = gtOrder.map((i) => gts[i]);
  const gtIg = Uint8Array.from(gtOrder.map((i) => gtIgnoreRaw[i]));
  const dt = stableArgsortDesc(dts.map((d) => d.score))
    .slice(0, maxDet)
    .map((i) => dts[i]);
  const G = gt.length;
  const D = dt.length;
  // computeIoU: ious[d][g] over the sorted, truncated dts (gt order already permuted as above).
  const ious = dt.map((d) => gt.map((g) => cocoIou(d.bbox, g.bbox, g.iscrowd)));
  const dtMatches: Float64Array[] = [];
  const dtIgnore: Uint8Array[] = [];
  for (let ti = 0; ti < T.length; ti++) {
    const gtm = new Float64Array(G);
    const dtm = new Float64Array(D);
    const dtIg = new Uint8Array(D);
    if (G > 0 && D > 0) {
      for (let di = 0; di < D; di++) {
        let iou = Math.min(T[ti], 1 - 1e-10);
        let m = -1;
        for (let gi = 0; gi < G; gi++) {
          if (gtm[gi] > 0 && !gt[gi].iscrowd) continue;
          if (m > -1 && gtIg[m] === 0 && gtIg[gi] === 1) break;
          if (ious[di][gi] < iou) continue;
          iou = ious[di][gi];
          m = gi;
        }
        if (m === -1) continue;
        dtIg[di] = gtIg[m];
        dtm[di] = gt[m].id;
        gtm[m] = dt[di].id;
      }
    }
    // Unmatched detections outside the area range are ignored (never, for 'all', unless area > 1e10).
    for (let di = 0; di < D; di++) {
      const outside = dt[di].area < AREA_ALL[0] || dt[di].area > AREA_ALL[1];
      if (dtm[di] === 0 && outside) dtIg[di] = 1;
    }
    dtMatches.push(dtm);
    dtIgnore.push(dtIg);
  }
  return {
    dtIds: dt.map((d) => d.id),
    dtMatches,
    dtScores: dt.map((d) => d.score),
    gtIgnore: gtIg,
    dtIgnore,
  };
}

/** Mean of the entries > −1 (COCOeval `_summarize`), or −1 when there are none. */
function meanDefined(values: Iterable<number>): number {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v > -1) {
      sum += v;
      n++;
    }
  }
  // numpy's mean uses pairwise summation; for the ≤ 10·101·K values here the difference is ~1e-16.
  return n === 0 ? -1 : sum / n;
}

/**
 * COCO bbox metrics exactly as pycocotools `COCOeval(gt, dt, 'bbox')` with params.imgIds = images,
 * params.catIds = categories, then evaluate(), accumulate(), summarize() (stats[0], [1], [2], [8]).
 *
 * Per category k (sorted ids) and image (sorted ids): `evaluateImg` (see above) with maxDets = 100.
 * accumulate, for each k: concatenate the images' dtScores/matches in image order, stable mergesort by
 * descending score; tp = matched ∧ ¬ignored, fp = ¬matched ∧ ¬ignored; cumulative sums TP, FP;
 * recall = TP / npig (npig = non-ignored gts; a category with npig = 0 stays −1);
 * precision = TP / (TP + FP + 2⁻⁵²), made monotone non-increasing from the right; precision at recall
 * threshold r = precision[searchsorted(recall, r, 'left')], 0 beyond the last detection;
 * recall[t, k] = final recall (0 with no detections).
 * AP = mean of precision values > −1 over T × R × K; AR@100 = mean of recall values > −1 over T × K.
 *
 * Ground truth and detection ids are 1-based positions in the input arrays (as `COCO.loadRes` numbers
 * detections), so "matched" is never confused with id 0.
 * @throws if a detection refers to an image not in `images` (as `COCO.loadRes` asserts).
 */
export function cocoEvaluate(input: CocoEvalInput): CocoEvalResult {
  const maxDet = input.maxDets ?? 100;
  const imgIds = [...new Set(input.images)].sort((a, b) => a - b);
  const catIds = [...new Set(input.categories)].sort((a, b) => a - b);
  const imgSet = new Set(imgIds);
  const catSet = new Set(catIds);
  for (const d of input.detections) {
    if (!imgSet.has(d.image_id)) {
      throw new Error(`cocoEvaluate: detection for image ${d.image_id}, which is not in images`);
    }
  }
  const key = (img: number, cat: number) => `${img}|${cat}`;
  const gtsBy = new Map<string, GtRec[]>();
  const dtsBy = new Map<string, DtRec[]>();
  input.groundTruth.forEach((g, i) => {
    if (!imgSet.has(g.image_id) || !catSet.has(g.category_id)) return;
    const k = key(g.image_id, g.category_id);
    const rec: GtRec = {
      id: i + 1,
      bbox: g.bbox,
      area: g.area ?? g.bbox[2] * g.bbox[3],
      iscrowd: !!g.iscrowd,
    };
    const list = gtsBy.get(k);
    if (list) list.push(rec);
    else gtsBy.set(k, [rec]);
  });
  input.detections.forEach((d, i) => {
    if (!catSet.has(d.category_id)) return;
    const k = key(d.image_id, d.category_id);
    const rec: DtRec = { id: i + 1, bbox: d.bbox, area: d.bbox[2] * d.bbox[3], score: d.score };
    const list = dtsBy.get(k);
    if (list) list.push(rec);
    else dtsBy.set(k, [rec]);
  });

  const T = IOU_THRESHOLDS;
  const R = RECALL_THRESHOLDS;
  const K = catIds.length;
  const precision = new Float64Array(T.length * R.length * K).fill(-1);
  const recall = new Float64Array(T.length * K).fill(-1);
  const N = input.detections.length;
  const detectionMatches = new Int32Array(T.length * N).fill(-1);

  catIds.forEach((cat, k) => {
    const E: ImgEval[] = [];
    for (const img of imgIds) {
      const e = evaluateImg(gtsBy.get(key(img, cat)) ?? [], dtsBy.get(key(img, cat)) ?? [], maxDet, T);
      if (!e) continue;
      E.push(e);
      for (let t = 0; t < T.length; t++) {
        e.dtIds.forEach((id, di) => (detectionMatches[t * N + id - 1] = e.dtMatches[t][di]));
      }
    }
    if (E.length === 0) return;
    const scores = E.flatMap((e) => e.dtScores.slice(0, maxDet));
    const inds = stableArgsortDesc(scores);
    let npig = 0;
    for (const e of E) for (const ig of e.gtIgnore) if (ig === 0) npig++;
    if (npig === 0) return;
    const nd = inds.length;
    for (let t = 0; t < T.length; t++) {
      const dtm = E.flatMap((e) => Array.from(e.dtMatches[t].subarray(0, maxDet)));
      const dtIg = E.flatMap((e) => Array.from(e.dtIgnore[t].subarray(0, maxDet)));
      const rc = new Float64Array(nd);
      const pr = new Float64Array(nd);
      let tp = 0;
      let fp = 0;
      for (let i = 0; i < nd; i++) {
        const j = inds[i];
        if (!dtIg[j]) {
          if (dtm[j] !== 0) tp++;
          else fp++;
        }
        rc[i] = tp / npig;
        pr[i] = tp / (fp + tp + SPACING_1);
      }
      recall[t * K + k] = nd ? rc[nd - 1] : 0;
      for (let i = nd - 1; i > 0; i--) if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
      for (let r = 0; r < R.length; r++) {
        const pi = searchsortedLeft(rc, R[r]);
        // COCOeval's try/except: the first index past the end stops filling; the rest stay 0.
        if (pi >= nd) {
          for (let r2 = r; r2 < R.length; r2++) precision[(t * R.length + r2) * K + k] = 0;
          break;
        }
        precision[(t * R.length + r) * K + k] = pr[pi];
      }
    }
  });

  const summarize = (ks: number[]): CocoSummary => {
    const prec = (ts: number[]) =>
      meanDefined(
        (function* () {
          for (const t of ts)
            for (let r = 0; r < R.length; r++)
              for (const k of ks) yield precision[(t * R.length + r) * K + k];
        })(),
      );
    const allT = Array.from(T, (_, t) => t);
    const rec = meanDefined(
      (function* () {
        for (const t of allT) for (const k of ks) yield recall[t * K + k];
      })(),
    );
    return {
      ap: prec(allT),
      ap50: prec([thresholdIndex(0.5)]),
      ap75: prec([thresholdIndex(0.75)]),
      ar100: rec,
    };
  };
  const allK = catIds.map((_, k) => k);
  return {
    ...summarize(allK),
    perCategory: catIds.map((categoryId, k) => ({ categoryId, ...summarize([k]) })),
    iouThresholds: T.slice(),
    recallThresholds: R.slice(),
    precision,
    recall,
    detectionMatches,
  };
}

/** Index of an IoU threshold by exact equality, as COCOeval's `np.where(iouThr == p.iouThrs)`. */
function thresholdIndex(t: number): number {
  const i = IOU_THRESHOLDS.indexOf(t);
  if (i < 0) throw new Error(`IoU threshold ${t} is not one of COCOeval's iouThrs`);
  return i;
}

/** [x1, y1, x2, y2] → COCO [x, y, width, height], px. */
export function xyxyToXywh(box: ArrayLike<number>): [number, number, number, number] {
  return [box[0], box[1], box[2] - box[0], box[3] - box[1]];
}

/**
 * Converts one image's detector output to COCO detections.
 * @param boxes flat [N·4] [x1,y1,x2,y2] px (e.g. decoded boxes after NMS, gathered);
 * @param scores [N]; @param labels [N] class indices; @param categoryIds maps class index → category id
 *   (default: category id = label + 1, COCO ids being 1-based).
 */
export function toCocoDetections(
  imageId: number,
  boxes: ArrayLike<number>,
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  categoryIds?: ArrayLike<number>,
): CocoDetection[] {
  const n = scores.length;
  if (boxes.length !== 4 * n || labels.length !== n) {
    throw new Error(`toCocoDetections: ${boxes.length / 4} boxes, ${n} scores, ${labels.length} labels`);
  }
  const out: CocoDetection[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      image_id: imageId,
      category_id: categoryIds ? categoryIds[labels[i]] : labels[i] + 1,
      bbox: xyxyToXywh([boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]]),
      score: scores[i],
    });
  }
  return out;
}

/** Converts one image's ground truth ([x1,y1,x2,y2] boxes, class indices) to COCO objects; ids as above. */
export function toCocoGroundTruth(
  imageId: number,
  boxes: ArrayLike<number>,
  labels: ArrayLike<number>,
  categoryIds?: ArrayLike<number>,
): CocoGroundTruth[] {
  const n = labels.length;
  if (boxes.length !== 4 * n) throw new Error(`toCocoGroundTruth: ${boxes.length / 4} boxes, ${n} labels`);
  const out: CocoGroundTruth[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      image_id: imageId,
      category_id: categoryIds ? categoryIds[labels[i]] : labels[i] + 1,
      bbox: xyxyToXywh([boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]]),
    });
  }
  return out;
}
