'use client';
import { useMemo, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { scaleLinear } from 'd3-scale';
import { anchorLocation, DEFAULT_SCALES, generateAnchors, type AnchorSet } from '@/lib/detector/anchors';
import { assignAnchors, BETWEEN_THRESHOLDS } from '@/lib/detector/assign';
import { boxIou } from '@/lib/detector/boxes';
import { countAssignments, type AssignmentCounts } from '@/lib/detector/census';
import { CLASS_NAMES, makeImage, type Sample } from '@/lib/data/synthetic';
import { anchorOptionsFor } from '@/lib/playground/config';
import type { AnchorChoice } from '@/lib/playground/schema';
import { fmt, fmtCount, fmtFixed } from '@/lib/params/format';
import {
  ANCHOR_EXPLORER_PREFIX,
  anchorExplorerSchema,
  matcherThresholds,
  RATIO_FILTERS,
  RATIO_VALUES,
  SCALE_FILTERS,
  TOY_LEVELS,
} from '@/lib/params/retinanet';
import Choice from '../chart/Choice';
import Legend from '../chart/Legend';
import Slider from '../chart/Slider';
import Toggle from '../chart/Toggle';
import FigureFrame from './FigureFrame';
import { sampleImageUrl } from './sampleImage';
import { useFigure } from './useFigure';
import { timed } from './shared';
import './retinanet.css';

const S = anchorExplorerSchema;
const specOf = <N extends (typeof S)[number]['name']>(name: N) =>
  S.find((s) => s.name === name) as Extract<(typeof S)[number], { name: N }>;

const SCALE_LABELS = ['2^0', '2^(1/3)', '2^(2/3)'];
const COLORS = {
  fg: 'var(--series-3)',
  ignored: 'var(--series-5)',
  bg: 'var(--muted)',
  object: 'var(--series-1)',
  picked: 'var(--series-hl)',
};
/** Image margin around the 64-px image in the drawing, in image px: anchors stick out past the border. */
const PAD = 10;

/** Label of an anchor template: "2^(1/3), h:w 1:2". Values come from the anchor set, labels from the schema. */
function scaleLabel(scale: number): string {
  const k = DEFAULT_SCALES.findIndex((s) => Math.abs(s - scale) < 1e-9);
  return k < 0 ? fmt(scale, 3) : SCALE_LABELS[k];
}
function ratioLabel(r: number): string {
  const key = RATIO_FILTERS.find((k) => k !== 'all' && Math.abs(RATIO_VALUES[k] - r) < 1e-9);
  const i = key ? RATIO_FILTERS.indexOf(key) : -1;
  return i < 0 ? fmt(r, 3) : (specOf('ratio').optionLabels[i] ?? key ?? '');
}

function statusOf(m: number): 'fg' | 'ignored' | 'bg' {
  return m >= 0 ? 'fg' : m === BETWEEN_THRESHOLDS ? 'ignored' : 'bg';
}
const STATUS_TEXT = { fg: 'foreground', ignored: 'ignored', bg: 'background' } as const;

/** "1:334": one foreground anchor per this many background anchors. */
function imbalance(c: AssignmentCounts): string {
  return c.foreground > 0 ? `1:${fmtCount(Math.round(c.background / c.foreground))}` : 'no foreground at all';
}

interface Computed {
  sample: Sample;
  set: AnchorSet;
  /** boxIou(objects, anchors): [G·N], row g = object g. */
  iou: Float64Array;
  matched: Int32Array;
  counts: { all: AssignmentCounts; perLevel: AssignmentCounts[] };
  /** Per object: foreground anchors matched to it, and its highest IoU with any anchor. */
  perObject: { fg: number; bestIou: number }[];
}

export interface AnchorExplorerFigureProps {
  /** URL key prefix (default `ax`): `ax.seed=3&ax.level=p2&ax.fg=0.6`. */
  prefix?: string;
  title?: ReactNode;
}

export default function AnchorExplorerFigure({
  prefix = ANCHOR_EXPLORER_PREFIX,
  title = 'Anchors, IoU and the foreground / ignored / background assignment',
}: AnchorExplorerFigureProps) {
  const { state, setState, notices, dismiss, hydrated, ref, width } = useFigure(S, prefix);
  const { seed, image, objects, level, anchors, scale, ratio, lowq } = state;
  const thr = matcherThresholds(state.fg, state.bg);
  const levelIndex = TOY_LEVELS.indexOf(level);

  // Two stages, so that a threshold slider re-runs only the matching: the scene (image, anchors, their IoU
  // matrix and the image's PNG) changes with seed, image, objects and anchors; the assignment with fg, bg and
  // the low-quality rule (the repaint budget of `npm run bench:render`: p95 under 16 ms).
  const scene = useMemo(
    () =>
      hydrated
        ? timed(() => {
            const sample = makeImage(seed, image, { objectsPerImage: [objects, objects] });
            const set = generateAnchors({
              imageSize: sample.width,
              ...anchorOptionsFor(anchors as AnchorChoice),
            });
            return { sample, set, iou: boxIou(sample.boxes, set.boxes) };
          })
        : null,
    [hydrated, seed, image, objects, anchors],
  );
  const url = useMemo(() => (scene?.value ? sampleImageUrl(scene.value.sample) : null), [scene]);
  const res = useMemo(() => {
    if (!scene) return null;
    const s = scene.value;
    if (!s) return { value: null, ms: scene.ms, error: scene.error };
    const r = timed((): Computed => {
      const { sample, set, iou } = s;
      const matched = assignAnchors(set.boxes, sample.boxes, {
        fgIou: thr.fg,
        bgIou: thr.bg,
        allowLowQualityMatches: lowq,
        lowQualitySkipZeroIou: lowq,
      });
      const N = set.numAnchors;
      const perObject = Array.from(sample.labels, (_, g) => {
        let fg = 0;
        let bestIou = 0;
        for (let n = 0; n < N; n++) {
          if (matched[n] === g) fg++;
          if (iou[g * N + n] > bestIou) bestIou = iou[g * N + n];
        }
        return { fg, bestIou };
      });
      return { sample, set, iou, matched, counts: countAssignments(matched, set.perLevel), perObject };
    });
    return r;
  }, [scene, thr.fg, thr.bg, lowq]);
  const c = res?.value ?? null;

  // Which anchor templates the scale / ratio filters show (all of them when the filter matches none).
  const templates = c?.set.templates ?? [];
  const matchesFilter = (t: { scale: number; aspectRatio: number }) =>
    (scale === 'all' || Math.abs(t.scale - DEFAULT_SCALES[SCALE_FILTERS.indexOf(scale) - 1]) < 1e-9) &&
    (ratio === 'all' || Math.abs(t.aspectRatio - RATIO_VALUES[ratio]) < 1e-9);
  const filtered = templates.map((t, a) => (matchesFilter(t) ? a : -1)).filter((a) => a >= 0);
  const filterEmpty = templates.length > 0 && filtered.length === 0;
  const visible = filterEmpty ? templates.map((_, a) => a) : filtered;
  const visibleSet = new Set(visible);

  const lv = c?.set.perLevel[levelIndex];
  const A = c?.set.anchorsPerLocation ?? 1;
  const G = c ? c.sample.labels.length : 0;
  const N = c?.set.numAnchors ?? 0;
  const bestIouOf = (n: number) => {
    let b = 0;
    for (let g = 0; g < G; g++) b = Math.max(b, c!.iou[g * N + n]);
    return b;
  };

  // The best visible anchor of the level: where the explorer starts, and what Home returns to.
  const bestOnLevel = useMemo(() => {
    if (!c || !lv) return -1;
    let best = -1;
    let bestV = -1;
    for (let n = lv.offset; n < lv.offset + lv.count; n++) {
      if (!visibleSet.has((n - lv.offset) % A)) continue;
      let v = 0;
      for (let g = 0; g < G; g++) v = Math.max(v, c.iou[g * N + n]);
      if (v > bestV) {
        bestV = v;
        best = n;
      }
    }
    return best;
    // visibleSet is derived from scale/ratio/templates, listed instead.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [c, lv, A, G, N, scale, ratio]);

  const ctx = `${seed}|${image}|${objects}|${level}|${anchors}|${scale}|${ratio}`;
  const [pickState, setPickState] = useState<{ ctx: string; index: number } | null>(null);
  const picked = pickState && pickState.ctx === ctx && pickState.index < N ? pickState.index : bestOnLevel;
  const setPicked = (index: number) => setPickState({ ctx, index });
  const loc = c && picked >= 0 ? anchorLocation(c.set, picked) : null;

  // Drawing: image px → screen px.
  const side = Math.min(width, 560);
  const imgSize = c?.sample.width ?? 64;
  const px = useMemo(
    () =>
      scaleLinear()
        .domain([-PAD, imgSize + PAD])
        .range([0, side]),
    [imgSize, side],
  );
  const len = (v: number) => px(v) - px(0);

  const boxAt = (n: number) => {
    const b = c!.set.boxes;
    return [b[4 * n], b[4 * n + 1], b[4 * n + 2], b[4 * n + 3]] as const;
  };
  const rect = (n: number) => {
    const [x1, y1, x2, y2] = boxAt(n);
    return { x: px(x1), y: px(y1), width: len(x2 - x1), height: len(y2 - y1) };
  };
  const indexOf = (y: number, x: number, a: number) => (lv ? lv.offset + (y * lv.size[1] + x) * A + a : -1);

  const drawn: { n: number; status: 'fg' | 'ignored' }[] = [];
  if (c && lv) {
    for (let n = lv.offset; n < lv.offset + lv.count; n++) {
      if (!visibleSet.has((n - lv.offset) % A)) continue;
      const s = statusOf(c.matched[n]);
      if (s !== 'bg') drawn.push({ n, status: s });
    }
    // Ignored under foreground, so the green boxes stay on top.
    drawn.sort((p, q) => (p.status === q.status ? p.n - q.n : p.status === 'ignored' ? -1 : 1));
  }

  const describePick = (n: number): string => {
    if (!c || n < 0) return 'no anchor';
    const l = anchorLocation(c.set, n);
    const t = c.set.templates[l.a];
    const ious = Array.from(
      c.sample.labels,
      (lab, g) => `object ${g + 1} (${CLASS_NAMES[lab]}) IoU ${fmtFixed(c.iou[g * N + n], 3)}`,
    );
    const m = c.matched[n];
    const st = statusOf(m);
    return `${TOY_LEVELS[l.level].toUpperCase()} cell x ${l.x}, y ${l.y}, scale ${scaleLabel(t.scale)}, h:w ${ratioLabel(t.aspectRatio)}: ${ious.join(', ')}; ${STATUS_TEXT[st]}${st === 'fg' ? ` (object ${m + 1})` : ''}`;
  };

  const onKeyDown = (e: KeyboardEvent<SVGRectElement>) => {
    if (!c || !lv || !loc) return;
    const [H, W] = lv.size;
    let { x, y, a } = loc;
    const k = visible.indexOf(a);
    switch (e.key) {
      case 'ArrowRight':
        x = Math.min(W - 1, x + 1);
        break;
      case 'ArrowLeft':
        x = Math.max(0, x - 1);
        break;
      case 'ArrowDown':
        y = Math.min(H - 1, y + 1);
        break;
      case 'ArrowUp':
        y = Math.max(0, y - 1);
        break;
      case 'PageUp':
      case ']':
        a = visible[(k + 1 + visible.length) % visible.length];
        break;
      case 'PageDown':
      case '[':
        a = visible[(k - 1 + visible.length * 2) % visible.length];
        break;
      case 'Home':
        e.preventDefault();
        setPicked(bestOnLevel);
        return;
      default:
        return;
    }
    e.preventDefault();
    setPicked(indexOf(y, x, a));
  };

  const onPointer = (e: PointerEvent<SVGRectElement>) => {
    if (!c || !lv) return;
    const box = e.currentTarget.getBoundingClientRect();
    if (box.width <= 0) return;
    const ix = px.invert(((e.clientX - box.left) / box.width) * side);
    const iy = px.invert(((e.clientY - box.top) / box.height) * side);
    const [H, W] = lv.size;
    const x = Math.max(0, Math.min(W - 1, Math.floor(ix / lv.stride)));
    const y = Math.max(0, Math.min(H - 1, Math.floor(iy / lv.stride)));
    // In the clicked cell, the visible shape with the highest IoU (ties: the current shape).
    let best = loc && visibleSet.has(loc.a) ? loc.a : visible[0];
    let bestV = bestIouOf(indexOf(y, x, best));
    for (const a of visible) {
      const v = bestIouOf(indexOf(y, x, a));
      if (v > bestV) {
        bestV = v;
        best = a;
      }
    }
    setPicked(indexOf(y, x, best));
  };

  const counts = c?.counts.all;
  const lvCounts = c?.counts.perLevel[levelIndex];
  const pickText = describePick(picked);
  const pickedStatus = c && picked >= 0 ? statusOf(c.matched[picked]) : null;
  const missing = c ? c.perObject.map((o, g) => (o.fg === 0 ? g : -1)).filter((g) => g >= 0) : [];

  const setThreshold = (name: 'fg' | 'bg', v: number) => {
    // Keep bg ≤ fg while a slider moves: dragging one past the other pushes the other along.
    if (name === 'fg') setState(v < state.bg ? { fg: v, bg: v } : { fg: v });
    else setState(v > state.fg ? { bg: v, fg: v } : { bg: v });
  };

  const allRows =
    c && counts
      ? Array.from({ length: N }, (_, n) => n)
          .filter((n) => c.matched[n] !== -1)
          .map((n) => {
            const l = anchorLocation(c.set, n);
            const t = c.set.templates[l.a];
            const [x1, y1, x2, y2] = boxAt(n);
            const m = c.matched[n];
            return [
              String(n),
              TOY_LEVELS[l.level].toUpperCase(),
              `${l.x}, ${l.y}`,
              `${scaleLabel(t.scale)}, ${ratioLabel(t.aspectRatio)}`,
              [x1, y1, x2, y2].map((v) => fmtFixed(v, 1)).join(', '),
              ...Array.from(c.sample.labels, (_, g) => fmtFixed(c.iou[g * N + n], 3)),
              m >= 0 ? `foreground (object ${m + 1})` : 'ignored',
            ];
          })
      : [];

  return (
    <FigureFrame
      id="anchor-explorer"
      title={title}
      computeMs={res?.ms}
      error={res?.error}
      notices={notices}
      onDismiss={dismiss}
      controls={
        <>
          <Slider
            spec={specOf('seed')}
            value={seed}
            onChange={(v) => setState({ seed: v })}
            format={(v) => `seed ${v}`}
          />
          <Slider
            spec={specOf('image')}
            value={image}
            onChange={(v) => setState({ image: v })}
            format={(v) => `image ${v}`}
          />
          <Slider
            spec={specOf('objects')}
            value={objects}
            onChange={(v) => setState({ objects: v })}
            format={(v) => `${v} object${v === 1 ? '' : 's'}`}
          />
          <Slider
            spec={specOf('fg')}
            value={state.fg}
            onChange={(v) => setThreshold('fg', v)}
            format={(v) => `IoU ≥ ${fmtFixed(v, 2)}`}
          />
          <Slider
            spec={specOf('bg')}
            value={state.bg}
            onChange={(v) => setThreshold('bg', v)}
            format={(v) => `IoU < ${fmtFixed(v, 2)}`}
          />
          <Choice
            spec={specOf('level')}
            value={level}
            onChange={(v) => setState({ level: v as typeof level })}
          />
          <Choice
            spec={specOf('anchors')}
            value={anchors}
            onChange={(v) => setState({ anchors: v as typeof anchors })}
          />
          <Choice
            spec={specOf('scale')}
            value={scale}
            onChange={(v) => setState({ scale: v as typeof scale })}
          />
          <Choice
            spec={specOf('ratio')}
            value={ratio}
            onChange={(v) => setState({ ratio: v as typeof ratio })}
          />
          <Toggle
            name="lowq"
            label={specOf('lowq').label}
            checked={lowq}
            onChange={(v) => setState({ lowq: v })}
          />
          <button type="button" className="data-table__toggle" onClick={() => setPicked(bestOnLevel)}>
            Pick the best anchor of this level
          </button>
        </>
      }
      legend={
        <Legend
          label="Boxes in the picture"
          items={[
            { key: 'object', label: 'object (ground truth)', color: COLORS.object, width: 3 },
            {
              key: 'fg',
              label: `foreground anchor (IoU ≥ ${fmtFixed(thr.fg, 2)})`,
              color: COLORS.fg,
              width: 2,
            },
            {
              key: 'ignored',
              label: `ignored anchor (${fmtFixed(thr.bg, 2)} ≤ IoU < ${fmtFixed(thr.fg, 2)})`,
              color: COLORS.ignored,
              dash: '4 3',
              width: 2,
            },
            {
              key: 'bg',
              label: 'background (dots: anchor centres)',
              color: COLORS.bg,
              dash: '1 4',
              width: 2,
            },
            { key: 'picked', label: 'picked anchor', color: COLORS.picked, dash: '7 3', width: 3 },
          ]}
        />
      }
      readouts={
        <>
          <p className="readout readout--wide" data-readout="counts">
            Of <strong>{fmtCount(counts?.anchors)} anchors</strong> ({c?.set.perLevel.length ?? 3} levels, A ={' '}
            {A}), <strong>{fmtCount(counts?.foreground)} foreground</strong>, {fmtCount(counts?.ignored)}{' '}
            ignored, the rest ({fmtCount(counts?.background)}) background:{' '}
            <strong>{counts ? imbalance(counts) : '—'}</strong> foreground:background. On{' '}
            {TOY_LEVELS[levelIndex].toUpperCase()} (stride {lv?.stride ?? '—'}, {fmtCount(lvCounts?.anchors)}{' '}
            anchors): {fmtCount(lvCounts?.foreground)} foreground, {fmtCount(lvCounts?.ignored)} ignored.
            {thr.adjusted && state.bg > state.fg && (
              <>
                {' '}
                The background threshold from the link was above the foreground one; using{' '}
                {fmtFixed(thr.bg, 2)} for both.
              </>
            )}
          </p>
          <div className="readout" data-readout="anchor">
            <strong>Picked anchor</strong>
            {c && loc && (
              <>
                <p className="readout__line">
                  {TOY_LEVELS[loc.level].toUpperCase()}, cell ({loc.x}, {loc.y}), scale{' '}
                  {scaleLabel(c.set.templates[loc.a].scale)}, h:w{' '}
                  {ratioLabel(c.set.templates[loc.a].aspectRatio)}: box [
                  {boxAt(picked)
                    .map((v) => fmtFixed(v, 1))
                    .join(', ')}
                  ] px.
                </p>
                <table className="readout__table">
                  <tbody>
                    {Array.from(c.sample.labels, (lab, g) => (
                      <tr key={g}>
                        <th scope="row">
                          IoU with object {g + 1} ({CLASS_NAMES[lab]})
                        </th>
                        <td>{fmtFixed(c.iou[g * N + picked], 3)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p className="readout__line">
                  →{' '}
                  <strong data-status={pickedStatus ?? ''}>
                    {pickedStatus ? STATUS_TEXT[pickedStatus] : '—'}
                    {pickedStatus === 'fg' ? ` (object ${c.matched[picked] + 1})` : ''}
                  </strong>
                </p>
              </>
            )}
          </div>
          <div className="readout" data-readout="objects">
            <strong>Per object</strong>
            <table className="readout__table">
              <tbody>
                {c?.perObject.map((o, g) => (
                  <tr key={g}>
                    <th scope="row">
                      {g + 1}: {CLASS_NAMES[c.sample.labels[g]]}, best IoU {fmtFixed(o.bestIou, 3)}
                    </th>
                    <td>{fmtCount(o.fg)} fg</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {missing.length > 0 && (
              <p className="readout__line">
                Object {missing.map((g) => g + 1).join(', ')} has no foreground anchor at these thresholds: it
                gives the classifier no positive example.{' '}
                {lowq
                  ? ''
                  : 'Low-quality matching (torchvision, the toy trainer) would give it its best anchor.'}
              </p>
            )}
          </div>
        </>
      }
      caption={
        <>
          Image {image} of the training stream of dataset seed {seed} (the synthetic images the toy detector
          trains on, {objects} object{objects === 1 ? '' : 's'} per image), with the anchors of pyramid level{' '}
          {TOY_LEVELS[levelIndex].toUpperCase()}: green boxes are foreground (IoU ≥ {fmtFixed(thr.fg, 2)} with
          an object), dashed orange boxes ignored (IoU in [{fmtFixed(thr.bg, 2)}, {fmtFixed(thr.fg, 2)})), and
          each dot is a feature-map cell whose remaining anchors are background. Counts are over all levels.
          IoU and the assignment are computed by the site&apos;s detector code (the torchvision-checked
          matcher). Click the picture, or focus it and use the arrow keys to move between cells, Page Up /
          Page Down to change the anchor shape and Home for the best anchor.
        </>
      }
      table={[
        {
          caption: 'Anchors by level and assignment',
          name: 'counts per level',
          columns: [
            { key: 'level', label: 'Level' },
            { key: 'anchors', label: 'Anchors' },
            { key: 'fg', label: 'Foreground' },
            { key: 'ign', label: 'Ignored' },
            { key: 'bg', label: 'Background' },
          ],
          rows: [
            ...(c?.counts.perLevel ?? []).map((p, l) => [
              `${TOY_LEVELS[l].toUpperCase()} (stride ${c!.set.perLevel[l].stride})`,
              fmtCount(p.anchors),
              fmtCount(p.foreground),
              fmtCount(p.ignored),
              fmtCount(p.background),
            ]),
            ...(counts
              ? [
                  [
                    'all',
                    fmtCount(counts.anchors),
                    fmtCount(counts.foreground),
                    fmtCount(counts.ignored),
                    fmtCount(counts.background),
                  ],
                ]
              : []),
          ],
        },
        {
          caption: 'Every anchor that is not background, all levels',
          name: 'foreground and ignored anchors',
          columns: [
            { key: 'n', label: 'Anchor' },
            { key: 'level', label: 'Level' },
            { key: 'cell', label: 'Cell (x, y)' },
            { key: 'shape', label: 'Scale, h:w' },
            { key: 'box', label: 'Box x1, y1, x2, y2 (px)' },
            ...Array.from({ length: G }, (_, g) => ({ key: `iou${g}`, label: `IoU object ${g + 1}` })),
            { key: 'status', label: 'Assignment' },
          ],
          rows: allRows,
        },
      ]}
    >
      <div className="figure__plot" ref={ref}>
        <svg className="anchors" width={side} height={side} viewBox={`0 0 ${side} ${side}`}>
          <title>{`Anchors of level ${TOY_LEVELS[levelIndex].toUpperCase()} on the image`}</title>
          <desc>
            {c
              ? `${G} object${G === 1 ? '' : 's'}: ${Array.from(c.sample.labels, (lab, g) => `${CLASS_NAMES[lab]} at [${Array.from(c.sample.boxes.subarray(4 * g, 4 * g + 4)).join(', ')}]`).join('; ')}. ${drawn.filter((d) => d.status === 'fg').length} foreground and ${drawn.filter((d) => d.status === 'ignored').length} ignored anchors drawn on this level.`
              : 'Computing…'}
          </desc>
          <rect className="anchors__frame" x={px(0)} y={px(0)} width={len(imgSize)} height={len(imgSize)} />
          {url && (
            <image
              href={url}
              x={px(0)}
              y={px(0)}
              width={len(imgSize)}
              height={len(imgSize)}
              preserveAspectRatio="none"
              className="anchors__image"
            />
          )}
          {lv && (
            <g className="anchors__cells" aria-hidden="true">
              {Array.from({ length: lv.size[0] * lv.size[1] }, (_, k) => {
                const x = k % lv.size[1];
                const y = Math.floor(k / lv.size[1]);
                return (
                  <circle
                    key={k}
                    cx={px((x + 0.5) * lv.stride)}
                    cy={px((y + 0.5) * lv.stride)}
                    r={lv.size[1] > 12 ? 1.6 : 2.4}
                  />
                );
              })}
            </g>
          )}
          <g aria-hidden="true">
            {drawn.map(({ n, status }) => (
              <g key={n} data-anchor={status}>
                <rect className="anchors__halo" {...rect(n)} />
                <rect
                  className={`anchors__box anchors__box--${status}`}
                  {...rect(n)}
                  stroke={status === 'fg' ? COLORS.fg : COLORS.ignored}
                  strokeDasharray={status === 'ignored' ? '4 3' : undefined}
                />
              </g>
            ))}
            {c &&
              Array.from(c.sample.labels, (_, g) => {
                const [x1, y1, x2, y2] = Array.from(c.sample.boxes.subarray(4 * g, 4 * g + 4));
                return (
                  <g key={`o${g}`} data-object={g + 1}>
                    <rect
                      className="anchors__halo anchors__halo--object"
                      x={px(x1)}
                      y={px(y1)}
                      width={len(x2 - x1)}
                      height={len(y2 - y1)}
                    />
                    <rect
                      className="anchors__object"
                      x={px(x1)}
                      y={px(y1)}
                      width={len(x2 - x1)}
                      height={len(y2 - y1)}
                      stroke={COLORS.object}
                    />
                    <text className="anchors__label" x={px(x1) + 3} y={px(y1) - 5}>
                      {g + 1}
                    </text>
                  </g>
                );
              })}
            {c && picked >= 0 && (
              <g data-picked={picked}>
                <rect className="anchors__halo anchors__halo--picked" {...rect(picked)} />
                <rect
                  className="anchors__picked"
                  {...rect(picked)}
                  stroke={COLORS.picked}
                  strokeDasharray="7 3"
                />
                <circle
                  className="anchors__picked-centre"
                  cx={px((loc!.x + 0.5) * lv!.stride)}
                  cy={px((loc!.y + 0.5) * lv!.stride)}
                  r={3.5}
                  fill={COLORS.picked}
                />
              </g>
            )}
          </g>
          <rect
            className="focus-area anchors__focus"
            width={side}
            height={side}
            fill="transparent"
            tabIndex={0}
            role="slider"
            aria-label={`Anchor picker on ${TOY_LEVELS[levelIndex].toUpperCase()}: arrow keys move between cells, Page Up and Page Down change the shape, Home picks the best anchor`}
            aria-valuemin={0}
            aria-valuemax={Math.max(0, (lv?.count ?? 1) - 1)}
            aria-valuenow={lv && picked >= 0 ? picked - lv.offset : 0}
            aria-valuetext={pickText}
            onKeyDown={onKeyDown}
            onPointerDown={onPointer}
          />
        </svg>
      </div>
    </FigureFrame>
  );
}
