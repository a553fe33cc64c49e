'use client';
import { memo, useEffect, useMemo, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { interpolateViridis } from 'd3-scale-chromatic';
import type { AnchorLayout, SampleDetections, SampleImage } from '@/lib/playground/protocol';
import { fmtFixed } from '@/lib/params/format';
import { rgbaCanvas } from '../../chart/rgbaCanvas';
import { boxRect } from '../../figures/sampleImage';
import { cellMaxScores, centreCell, locationAt, moveCell, type GridCell } from './anchorGrid';
import { heatPosition } from './heatScale';
import { className, shown } from './samples';

/** Canvas pixels per image pixel: 64×64 images are drawn at 256×256, crisp (no smoothing). */
export const SAMPLE_SCALE = 4;

/** Detections listed per image in its caption. */
const CAPTION_DETS = 3;

function anchorBox(layout: AnchorLayout, anchor: number): number[] | null {
  if (!(anchor >= 0 && anchor < layout.numAnchors)) return null;
  return Array.from(layout.boxes.subarray(4 * anchor, 4 * anchor + 4));
}

export interface SampleCanvasProps {
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
export default memo(function SampleCanvas({
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
    const src = rgbaCanvas(image.rgba, W, H);
    if (!src) return;
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
