/**
 * What the anchor explorer's pieces share: the computed scene, the colours and the words for an anchor. The math
 * (IoU, matching, counts, best anchors) is lib/detector's; this only names and formats it.
 */
import { DEFAULT_SCALES, anchorLocation, type AnchorSet } from '@/lib/detector/anchors';
import { BETWEEN_THRESHOLDS } from '@/lib/detector/assign';
import type { AssignmentCounts, ImageCensus } from '@/lib/detector/census';
import { CLASS_NAMES, type Sample } from '@/lib/data/synthetic';
import { fmt, fmtCount, fmtFixed } from '@/lib/params/format';
import {
  anchorExplorerSchema,
  RATIO_FILTERS,
  RATIO_VALUES,
  SCALE_FILTERS,
  TOY_LEVELS,
} from '@/lib/params/retinanet';

export const S = anchorExplorerSchema;
export const specOf = <N extends (typeof S)[number]['name']>(name: N) =>
  S.find((s) => s.name === name) as Extract<(typeof S)[number], { name: N }>;

/** One image's anchors, their IoU with its objects and the matcher's outcome. */
export interface AnchorScene extends ImageCensus {
  sample: Sample;
  set: AnchorSet;
  /** boxIou(objects, anchors): [G·N], row g = object g. */
  iou: Float64Array;
  /** Each anchor's best IoU with any object (lib/detector/census `bestIouPerAnchor`), [N]. */
  bestIou: Float64Array;
}

export const COLORS = {
  fg: 'var(--series-3)',
  ignored: 'var(--series-5)',
  bg: 'var(--muted)',
  object: 'var(--series-1)',
  picked: 'var(--series-hl)',
};

const SCALE_LABELS = ['2^0', '2^(1/3)', '2^(2/3)'];

/** Label of an anchor template: "2^(1/3), h:w 1:2". Values come from the anchor set, labels from the schema. */
export function scaleLabel(scale: number): string {
  const k = DEFAULT_SCALES.findIndex((s) => Math.abs(s - scale) < 1e-9);
  return k < 0 ? fmt(scale, 3) : SCALE_LABELS[k];
}
export function ratioLabel(r: number): string {
  const key = RATIO_FILTERS.find((k) => k !== 'all' && Math.abs(RATIO_VALUES[k] - r) < 1e-9);
  const i = key ? RATIO_FILTERS.indexOf(key) : -1;
  return i < 0 ? fmt(r, 3) : (specOf('ratio').optionLabels[i] ?? key ?? '');
}

export type Status = 'fg' | 'ignored' | 'bg';
export function statusOf(m: number): Status {
  return m >= 0 ? 'fg' : m === BETWEEN_THRESHOLDS ? 'ignored' : 'bg';
}
export const STATUS_TEXT = { fg: 'foreground', ignored: 'ignored', bg: 'background' } as const;

/** "1:334": one foreground anchor per this many background anchors. */
export function imbalance(c: AssignmentCounts): string {
  return c.foreground > 0 ? `1:${fmtCount(Math.round(c.background / c.foreground))}` : 'no foreground at all';
}

/** Level name as the figure prints it: "P3". */
export const levelName = (l: number) => TOY_LEVELS[l].toUpperCase();

/** Box [x1, y1, x2, y2] px of anchor n. */
export function boxAt(set: AnchorSet, n: number): [number, number, number, number] {
  const b = set.boxes;
  return [b[4 * n], b[4 * n + 1], b[4 * n + 2], b[4 * n + 3]];
}

/**
 * The templates a (indices into `templates`) that the scale and ratio filters show; all of them when the filters
 * match none, so the picture is never empty.
 */
export function visibleTemplates(
  templates: readonly { scale: number; aspectRatio: number }[],
  scale: (typeof SCALE_FILTERS)[number],
  ratio: (typeof RATIO_FILTERS)[number],
): number[] {
  const all = templates.map((_, a) => a);
  const shown = all.filter((a) => {
    const t = templates[a];
    return (
      (scale === 'all' || Math.abs(t.scale - DEFAULT_SCALES[SCALE_FILTERS.indexOf(scale) - 1]) < 1e-9) &&
      (ratio === 'all' || Math.abs(t.aspectRatio - RATIO_VALUES[ratio]) < 1e-9)
    );
  });
  return shown.length > 0 ? shown : all;
}

/** One sentence for the picker's aria-valuetext: where anchor n is, its IoU with each object, its status. */
export function describeAnchor(c: AnchorScene | null, n: number): string {
  if (!c || n < 0) return 'no anchor';
  const N = c.set.numAnchors;
  const l = anchorLocation(c.set, n);
  const t = c.set.templates[l.a];
  const ious = Array.from(
    c.sample.labels,
    (lab, g) => `object ${g + 1} (${CLASS_NAMES[lab]}) IoU ${fmtFixed(c.iou[g * N + n], 3)}`,
  );
  const m = c.matched[n];
  const st = statusOf(m);
  return `${levelName(l.level)} cell x ${l.x}, y ${l.y}, scale ${scaleLabel(t.scale)}, h:w ${ratioLabel(t.aspectRatio)}: ${ious.join(', ')}; ${STATUS_TEXT[st]}${st === 'fg' ? ` (object ${m + 1})` : ''}`;
}

/** Data-table rows of every anchor that is not background: index, level, cell, shape, box, IoUs, assignment. */
export function nonBackgroundRows(c: AnchorScene | null): string[][] {
  if (!c) return [];
  const N = c.set.numAnchors;
  const rows: string[][] = [];
  for (let n = 0; n < N; n++) {
    const m = c.matched[n];
    if (m === -1) continue;
    const l = anchorLocation(c.set, n);
    const t = c.set.templates[l.a];
    rows.push([
      String(n),
      levelName(l.level),
      `${l.x}, ${l.y}`,
      `${scaleLabel(t.scale)}, ${ratioLabel(t.aspectRatio)}`,
      boxAt(c.set, n)
        .map((v) => fmtFixed(v, 1))
        .join(', '),
      ...Array.from(c.sample.labels, (_, g) => fmtFixed(c.iou[g * N + n], 3)),
      m >= 0 ? `foreground (object ${m + 1})` : 'ignored',
    ]);
  }
  return rows;
}
