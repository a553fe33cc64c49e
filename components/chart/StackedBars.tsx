'use client';
import { useId, useMemo } from 'react';
import { scaleLinear } from 'd3-scale';
import Axis from './Axis';

export interface BarSegment {
  key: string;
  label: string;
  value: number;
  color: string;
  /** Draw diagonal hatching over the colour (a second cue besides colour). */
  hatch?: boolean;
}

export interface BarRow {
  key: string;
  label: string;
  segments: BarSegment[];
  /** The bar's total as computed upstream (shown by `endText`). */
  total?: number;
  /** Accessible description of the whole bar, e.g. "CE: easy negatives 60%, …". */
  description: string;
}

export interface StackedBarsProps {
  width: number;
  rows: BarRow[];
  /** Upper end of the value axis (the axis starts at 0). */
  max: number;
  format: (v: number) => string;
  /** Text written inside a segment when it is wide enough. */
  segmentText?: (s: BarSegment, row: BarRow) => string;
  /** Text after the end of each bar (e.g. its total). */
  endText?: (row: BarRow) => string;
  xLabel: string;
  title: string;
}

const BAR = 28;
const GAP = 12;
const M = { top: 6, right: 14, bottom: 46, left: 52 };

/** Path of an axis-aligned rectangle (bars are paths so tests can compare `d` like any curve). */
const rectPath = (x: number, y: number, w: number, h: number) =>
  `M${x.toFixed(2)},${y}h${Math.max(0, w).toFixed(2)}v${h}h${(-Math.max(0, w)).toFixed(2)}Z`;

/** Horizontal stacked bars, one per row; each bar is focusable and described for screen readers. */
export default function StackedBars({
  width,
  rows,
  max,
  format,
  segmentText,
  endText,
  xLabel,
  title,
}: StackedBarsProps) {
  const hatchId = `hatch-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  // Room on the right for the end labels, so they never sit on top of a bar.
  const right = endText ? 70 : M.right;
  const iw = Math.max(10, width - M.left - right);
  const ih = rows.length * (BAR + GAP) - GAP;
  const height = ih + M.top + M.bottom;
  const x = useMemo(
    () =>
      scaleLinear()
        .domain([0, Number.isFinite(max) && max > 0 ? max : 1])
        .range([0, iw])
        .nice(),
    [iw, max],
  );
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      <title>{title}</title>
      <defs>
        <pattern
          id={hatchId}
          width={6}
          height={6}
          patternUnits="userSpaceOnUse"
          patternTransform="rotate(45)"
        >
          <line x1={0} y1={0} x2={0} y2={6} stroke="var(--bg)" strokeWidth={2} opacity={0.7} />
        </pattern>
      </defs>
      <g transform={`translate(${M.left},${M.top})`}>
        <Axis
          scale={x}
          orient="bottom"
          offset={ih}
          ticks={Math.max(2, Math.floor(iw / 70))}
          format={format}
          label={xLabel}
          grid={ih}
        />
        {rows.map((row, r) => {
          const y0 = r * (BAR + GAP);
          let acc = 0;
          return (
            <g key={row.key} className="bar-row" tabIndex={0} role="img" aria-label={row.description}>
              <title>{row.description}</title>
              <text className="axis__label" x={-8} y={y0 + BAR / 2} dy="0.32em" textAnchor="end">
                {row.label}
              </text>
              {row.segments.map((s) => {
                const v = Number.isFinite(s.value) && s.value > 0 ? s.value : 0;
                const x0 = x(acc);
                acc += v;
                const w = x(acc) - x0;
                const text = segmentText?.(s, row);
                return (
                  <g key={s.key}>
                    <path
                      className="bar"
                      data-series={`${row.key}-${s.key}`}
                      d={rectPath(x0, y0, w, BAR)}
                      fill={s.color}
                    />
                    {s.hatch && w > 0 && (
                      <path d={rectPath(x0, y0, w, BAR)} fill={`url(#${hatchId})`} pointerEvents="none" />
                    )}
                    {text && w > text.length * 7 + 8 && (
                      <text
                        className="bar__text"
                        x={x0 + w / 2}
                        y={y0 + BAR / 2}
                        dy="0.32em"
                        textAnchor="middle"
                      >
                        {text}
                      </text>
                    )}
                  </g>
                );
              })}
              {endText && (
                <text className="bar__end" x={x(acc) + 6} y={y0 + BAR / 2} dy="0.32em">
                  {endText(row)}
                </text>
              )}
            </g>
          );
        })}
      </g>
    </svg>
  );
}
