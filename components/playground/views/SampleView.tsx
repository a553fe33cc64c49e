'use client';
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import { interpolateViridis } from 'd3-scale-chromatic';
import type { AnchorLayout, SampleDetections, SampleImage, SamplesMessage } from '@/lib/playground/protocol';
import { fmt, fmtCount, fmtFixed } from '@/lib/params/format';
import Toggle from '../../chart/Toggle';
import { boxRect } from '../../figures/sampleImage';
import { runStyle } from '../colors';
import type { AnchorSelection, RunMeta } from '@/lib/playground/model';
import {
  anchorIndexAt,
  cellMaxScores,
  cellOnLevel,
  centreCell,
  chooseAnchor,
  locationAt,
  moveCell,
  templateAt,
  type GridCell,
} from './anchorGrid';
import RunSelect, { pickRun, runName } from './RunSelect';
import ViewSection from './ViewSection';
import './views.css';

export interface SampleViewProps {
  runs: RunMeta[];
  /** The sample images (the first probe images), from `setup`. */
  images: SampleImage[];
  /** The latest detections of every run (null before the first view update). */
  samples: SamplesMessage | null;
  anchors: AnchorLayout | null;
  classNames: string[];
  /** The selected anchor, outlined in its image (optional). */
  selection?: AnchorSelection | null;
  /** Called with the anchor a click or Enter chose (see `templateAt` for which of the A anchors of a cell). */
  onSelectAnchor: (sel: AnchorSelection) => void;
  /** Initial score threshold of the drawn detections (default 0.3). */
  initialThreshold?: number;
  headingLevel?: 2 | 3 | 4;
}

/** Canvas pixels per image pixel: 64×64 images are drawn at 256×256, crisp (no smoothing). */
export const SAMPLE_SCALE = 4;
/** Lowest score the heatmap tells apart: scores span 10⁻⁶…1, so colour follows log10(score) on [HEAT_FLOOR, 1]. */
export const HEAT_FLOOR = 1e-3;

/** Position 0…1 of a score on the heatmap's log colour scale (scores ≤ HEAT_FLOOR → 0, 1 → 1). */
export function heatPosition(score: number): number {
  if (!(score > HEAT_FLOOR)) return 0;
  return Math.min(1, Math.log10(score / HEAT_FLOOR) / -Math.log10(HEAT_FLOOR));
}

/** Detections listed per image in its caption. */
const CAPTION_DETS = 3;

const className = (names: string[], k: number) => names[k] ?? `class ${k}`;
const levelName = (l: AnchorLayout['levels'][number] | undefined) =>
  l ? `stride ${l.stride} (${l.width}×${l.height} cells)` : '—';

/** Detections of one image with score ≥ threshold (indices into the sorted arrays). */
function shown(det: SampleDetections | undefined, threshold: number): number[] {
  if (!det) return [];
  const out: number[] = [];
  for (let i = 0; i < det.scores.length; i++) if (det.scores[i] >= threshold) out.push(i);
  return out;
}

/** Sample images with ground truth, one run's detections, optional per-anchor score heatmaps; pick an anchor. */
function SampleView({
  runs,
  images,
  samples,
  anchors,
  classNames,
  selection = null,
  onSelectAnchor,
  initialThreshold = 0.3,
  headingLevel = 3,
}: SampleViewProps) {
  const [wantedRun, setRun] = useState(selection?.run ?? runs[0]?.run ?? 0);
  const [threshold, setThreshold] = useState(initialThreshold);
  const [heat, setHeat] = useState(false);
  const [level, setLevel] = useState(0);
  const [focus, setFocus] = useState<(GridCell & { image: number }) | null>(null);
  const ids = useId();
  const meta = useMemo(() => pickRun(runs, wantedRun), [runs, wantedRun]);
  const run = meta?.run ?? 0;
  const dets = samples?.runs.find((r) => r.run === run)?.images;
  const lv = anchors?.levels[level];
  const scoreMode = samples?.scoreMode ?? 'none';

  const changeRun = (r: number) => {
    setRun(r);
    // The inspector follows the run shown here.
    if (selection && selection.run !== r) onSelectAnchor({ ...selection, run: r });
  };
  const changeLevel = (l: number) => {
    setLevel(l);
    if (focus && anchors) {
      const c = cellOnLevel(anchors, focus, l);
      setFocus(c ? { ...c, image: focus.image } : null);
    }
  };
  const pick = useCallback(
    (image: number, cell: GridCell) => {
      if (!anchors || !images[image]) return;
      const anchor = chooseAnchor(anchors, cell, images[image].boxes);
      if (anchor >= 0) onSelectAnchor({ run, image, anchor });
    },
    [anchors, images, onSelectAnchor, run],
  );

  const focusText = (() => {
    if (!focus || !anchors || !lv || !images[focus.image]) return '';
    const scores = cellMaxScores(anchors, level, dets?.[focus.image]?.levelScores?.[level]);
    const a = templateAt(anchors, focus, images[focus.image].boxes);
    const t = anchors.templates[a];
    const s = lv.stride;
    return `Image ${focus.image + 1}, ${levelName(lv)}: cell x ${focus.x}, y ${focus.y} (pixels ${focus.x * s}–${
      (focus.x + 1) * s
    } × ${focus.y * s}–${(focus.y + 1) * s})${
      scores ? `, highest score ${fmt(scores[focus.y * lv.width + focus.x], 3)}` : ''
    }. Enter inspects anchor ${fmtCount(anchorIndexAt(anchors, level, focus.y, focus.x, a))} (scale ${fmt(
      t?.scale,
      3,
    )}, aspect ratio ${fmt(t?.aspectRatio, 3)}).`;
  })();

  const summary =
    images.length === 0
      ? 'No sample images yet: they appear once the playground has loaded.'
      : `${samples ? `Step ${fmtCount(samples.step)}, ${runName(meta ?? undefined)}` : 'Before the first update'}: ${images
          .map((img, i) => {
            const idx = shown(dets?.[i], threshold);
            return `image ${i + 1} has ${img.labels.length} object${img.labels.length === 1 ? '' : 's'} (${Array.from(
              img.labels,
              (k) => className(classNames, k),
            ).join(
              ', ',
            )}) and ${samples ? `${idx.length} detection${idx.length === 1 ? '' : 's'} with score ≥ ${fmtFixed(threshold, 2)}` : 'no detections yet'}`;
          })
          .join('; ')}.`;

  const tableRows = (): string[][] =>
    images.flatMap((img, i) => {
      const gt = Array.from(img.labels, (k, j) => [
        fmtCount(i + 1),
        'ground truth',
        className(classNames, k),
        '—',
        boxText(img.boxes, j),
      ]);
      const d = dets?.[i];
      const pred = shown(d, threshold).map((j) => [
        fmtCount(i + 1),
        'detection',
        className(classNames, d!.labels[j]),
        fmt(d!.scores[j], 3),
        boxText(d!.boxes, j),
      ]);
      return [...gt, ...pred];
    });

  return (
    <ViewSection
      id="samples"
      title="Sample images and detections"
      headingLevel={headingLevel}
      summary={summary}
      controls={
        <>
          <RunSelect runs={runs} value={run} onChange={changeRun} />
          <div className="control control--slider pg-threshold">
            <label htmlFor={`${ids}-thr`} className="control__label">
              Score threshold
            </label>
            <input
              id={`${ids}-thr`}
              type="range"
              min={0.05}
              max={0.95}
              step={0.05}
              value={threshold}
              data-control="threshold"
              aria-valuetext={fmtFixed(threshold, 2)}
              onChange={(e) => setThreshold(Number(e.currentTarget.value))}
            />
            <output htmlFor={`${ids}-thr`} className="control__value">
              {fmtFixed(threshold, 2)}
            </output>
          </div>
          {anchors && (
            <>
              <div className="control pg-select">
                <label htmlFor={`${ids}-lvl`} className="control__label">
                  Pyramid level
                </label>
                <select
                  id={`${ids}-lvl`}
                  value={level}
                  data-control="level"
                  onChange={(e) => changeLevel(Number(e.currentTarget.value))}
                >
                  {anchors.levels.map((l, i) => (
                    <option key={i} value={i}>
                      {levelName(l)}
                    </option>
                  ))}
                </select>
              </div>
              <Toggle label="Anchor scores (heatmap)" checked={heat} onChange={setHeat} name="heatmap" />
            </>
          )}
        </>
      }
      tables={[
        {
          caption: `Ground truth and ${runName(meta ?? undefined)} detections with score ≥ ${fmtFixed(threshold, 2)} (boxes in px: x1, y1, x2, y2)`,
          columns: [
            { key: 'image', label: 'Image' },
            { key: 'kind', label: 'Kind' },
            { key: 'class', label: 'Class' },
            { key: 'score', label: 'Score' },
            { key: 'box', label: 'Box' },
          ],
          rows: tableRows,
        },
      ]}
    >
      {images.length === 0 ? (
        <p className="pg-empty">
          Sample images appear here once the playground has loaded. Press Play to start.
        </p>
      ) : (
        <>
          <div className="pg-samples">
            {images.map((img, i) => (
              <SampleCanvas
                key={i}
                index={i}
                image={img}
                det={dets?.[i]}
                layout={anchors}
                level={level}
                heat={heat && scoreMode !== 'none'}
                threshold={threshold}
                classNames={classNames}
                color={runStyle(run).color}
                focus={focus && focus.image === i ? focus : null}
                selectedAnchor={selection && selection.image === i ? selection.anchor : null}
                onPick={pick}
                onFocusCell={setFocus}
                describedBy={`${ids}-status`}
              />
            ))}
          </div>
          <ul className="legend pg-sample-legend" aria-label="Boxes">
            <li className="legend__item">
              <span className="pg-key pg-key--gt" aria-hidden="true" /> ground truth
            </li>
            <li className="legend__item">
              <span className="pg-key" style={{ borderColor: runStyle(run).color }} aria-hidden="true" />
              {runName(meta ?? undefined)} detections (score ≥ {fmtFixed(threshold, 2)})
            </li>
            <li className="legend__item">
              <span className="pg-key pg-key--sel" aria-hidden="true" /> selected anchor
            </li>
            {heat && scoreMode !== 'none' && (
              <li className="legend__item pg-heat-legend">
                <HeatLegend /> highest class score per location (log colour scale)
              </li>
            )}
          </ul>
          {heat && scoreMode === 'none' && (
            <p className="pg-note">The worker is not sending per-anchor scores (anchor scores: none).</p>
          )}
          {!samples && (
            <p className="pg-note">Detections appear after the first update (press Play or Step).</p>
          )}
          <p id={`${ids}-status`} className="pg-note pg-sample-status" aria-live="polite">
            {focusText ||
              'Click a location in an image, or focus an image and use the arrow keys and Enter, to inspect its anchor.'}
          </p>
        </>
      )}
    </ViewSection>
  );
}

function boxText(b: ArrayLike<number>, j: number): string {
  return [0, 1, 2, 3].map((c) => fmtFixed(b[4 * j + c], 1)).join(', ');
}

function anchorBox(layout: AnchorLayout, anchor: number): number[] | null {
  if (!(anchor >= 0 && anchor < layout.numAnchors)) return null;
  return Array.from(layout.boxes.subarray(4 * anchor, 4 * anchor + 4));
}

interface SampleCanvasProps {
  index: number;
  image: SampleImage;
  det: SampleDetections | undefined;
  layout: AnchorLayout | null;
  level: number;
  heat: boolean;
  threshold: number;
  classNames: string[];
  color: string;
  focus: GridCell | null;
  /** Index of the selected anchor when it lies in this image. */
  selectedAnchor: number | null;
  onPick: (image: number, cell: GridCell) => void;
  onFocusCell: (cell: (GridCell & { image: number }) | null) => void;
  describedBy: string;
}

/** One image: the pixels (and heatmap) on a canvas, boxes on an SVG overlay, a keyboard-driven focus cell. */
const SampleCanvas = memo(function SampleCanvas({
  index,
  image,
  det,
  layout,
  level,
  heat,
  threshold,
  classNames,
  color,
  focus,
  selectedAnchor,
  onPick,
  onFocusCell,
  describedBy,
}: SampleCanvasProps) {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const W = image.width;
  const H = image.height;
  const levelScores = det?.levelScores?.[level];
  const heatScores = useMemo(
    () => (heat && layout ? cellMaxScores(layout, level, levelScores) : null),
    [heat, layout, level, levelScores],
  );
  const lv = layout?.levels[level];
  const selectedBox = layout && selectedAnchor !== null ? anchorBox(layout, selectedAnchor) : null;

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    c.width = W * SAMPLE_SCALE;
    c.height = H * SAMPLE_SCALE;
    const src = document.createElement('canvas');
    src.width = W;
    src.height = H;
    const sctx = src.getContext('2d');
    if (!sctx) return;
    const data = sctx.createImageData(W, H);
    data.data.set(image.rgba.subarray(0, data.data.length));
    sctx.putImageData(data, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.drawImage(src, 0, 0, W * SAMPLE_SCALE, H * SAMPLE_SCALE);
    if (heatScores && lv) {
      const s = lv.stride * SAMPLE_SCALE;
      for (let y = 0; y < lv.height; y++) {
        for (let x = 0; x < lv.width; x++) {
          const v = heatPosition(heatScores[y * lv.width + x]);
          ctx.globalAlpha = 0.1 + 0.75 * v;
          ctx.fillStyle = interpolateViridis(v);
          ctx.fillRect(x * s, y * s, s, s);
        }
      }
      ctx.globalAlpha = 1;
    }
  }, [image, W, H, heatScores, lv]);

  const cellAt = (e: MouseEvent<HTMLDivElement>): GridCell | null => {
    if (!layout) return null;
    const r = e.currentTarget.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return null;
    return locationAt(
      layout,
      level,
      ((e.clientX - r.left) / r.width) * W,
      ((e.clientY - r.top) / r.height) * H,
    );
  };
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const c = cellAt(e);
    if (!c) return;
    onFocusCell({ ...c, image: index });
    onPick(index, c);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!layout) return;
    const cur = focus ?? centreCell(layout, level);
    if (!cur) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onFocusCell({ ...cur, image: index });
      onPick(index, cur);
      return;
    }
    if (e.key === 'Escape') {
      onFocusCell(null);
      return;
    }
    const next = moveCell(layout, cur, e.key);
    if (!next) return;
    e.preventDefault();
    onFocusCell({ ...next, image: index });
  };

  const idx = shown(det, threshold);
  const names = Array.from(image.labels, (k) => className(classNames, k));
  const detText = idx
    .slice(0, CAPTION_DETS)
    .map((j) => `${className(classNames, det!.labels[j])} ${fmtFixed(det!.scores[j], 2)}`)
    .join(', ');
  const more = idx.length > CAPTION_DETS ? ` +${idx.length - CAPTION_DETS} more` : '';
  const fs = Math.max(3, W / 18);

  return (
    <figure className="pg-sample" data-sample={index}>
      <div
        className="pg-sample__image"
        style={{ aspectRatio: `${W} / ${H}` }}
        tabIndex={layout ? 0 : -1}
        role="application"
        aria-roledescription="anchor grid"
        aria-label={`Sample image ${index + 1}: ${names.join(', ') || 'no objects'}. Arrow keys move over the anchor grid, Enter inspects the anchor.`}
        aria-describedby={describedBy}
        onClick={onClick}
        onKeyDown={onKeyDown}
        onFocus={() => {
          if (!focus && layout) {
            const c = centreCell(layout, level);
            if (c) onFocusCell({ ...c, image: index });
          }
        }}
      >
        <canvas ref={canvas} width={W * SAMPLE_SCALE} height={H * SAMPLE_SCALE} aria-hidden="true" />
        <svg
          viewBox={`0 0 ${W} ${H}`}
          preserveAspectRatio="none"
          aria-hidden="true"
          className="pg-sample__svg"
        >
          {Array.from(image.labels, (_, j) => (
            <g key={`gt-${j}`} data-box="gt">
              <rect {...boxRect(image.boxes, j)} className="pg-box pg-box--halo" />
              <rect {...boxRect(image.boxes, j)} className="pg-box pg-box--gt" />
            </g>
          ))}
          {idx.map((j) => {
            const r = boxRect(det!.boxes, j);
            const above = r.y > fs + 0.5;
            return (
              <g key={`det-${j}`} data-box="det">
                <rect {...r} className="pg-box pg-box--halo" />
                <rect {...r} className="pg-box pg-box--det" stroke={color} />
                <text className="pg-box__label" x={r.x + 0.5} y={above ? r.y - 0.8 : r.y + fs} fontSize={fs}>
                  {`${className(classNames, det!.labels[j])} ${fmtFixed(det!.scores[j], 2)}`}
                </text>
              </g>
            );
          })}
          {selectedBox && (
            <rect
              x={selectedBox[0]}
              y={selectedBox[1]}
              width={Math.max(0, selectedBox[2] - selectedBox[0])}
              height={Math.max(0, selectedBox[3] - selectedBox[1])}
              className="pg-box pg-box--sel"
              data-box="selected"
            />
          )}
          {focus && lv && (
            <rect
              x={focus.x * lv.stride}
              y={focus.y * lv.stride}
              width={lv.stride}
              height={lv.stride}
              className="pg-box pg-box--focus"
              data-box="focus"
            />
          )}
        </svg>
      </div>
      <figcaption className="pg-sample__caption">
        Image {index + 1}: {names.length} object{names.length === 1 ? '' : 's'}
        {det ? (
          <>
            ; {idx.length} detection{idx.length === 1 ? '' : 's'}
            {detText ? `: ${detText}${more}` : ''}
          </>
        ) : null}
      </figcaption>
    </figure>
  );
});

/** The colour ramp of the heatmap, 0 → 1. */
function HeatLegend() {
  const id = `heat-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const stops = [0, 0.25, 0.5, 0.75, 1];
  // Tick positions on the log scale: 0.001 (left end), 0.03 (half way), 1 (right end).
  return (
    <svg width={136} height={24} aria-hidden="true" className="legend__swatch">
      <defs>
        <linearGradient id={id}>
          {stops.map((s) => (
            <stop key={s} offset={`${s * 100}%`} stopColor={interpolateViridis(s)} />
          ))}
        </linearGradient>
      </defs>
      <rect x={8} y={1} width={120} height={9} fill={`url(#${id})`} />
      <text x={0} y={22} className="axis__label" fontSize={10}>
        ≤0.001
      </text>
      <text x={68} y={22} className="axis__label" fontSize={10} textAnchor="middle">
        0.03
      </text>
      <text x={136} y={22} className="axis__label" fontSize={10} textAnchor="end">
        1
      </text>
    </svg>
  );
}

export default memo(SampleView);
