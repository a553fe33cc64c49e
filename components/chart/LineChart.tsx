'use client';
import { useId, type ReactNode } from 'react';
import Axis from './Axis';
import Crosshair from './Crosshair';
import FocusArea from './FocusArea';
import LinePath from './LinePath';
import type { Margin, NumScale } from './types';

export interface ChartSeries {
  name: string;
  xs: readonly number[];
  ys: readonly number[];
  color: string;
  dash?: string;
  width?: number;
  /** Values on the crosshair grid (same length as `crosshair.xs`), for the hover/focus markers. */
  crossYs?: readonly number[];
}

export interface LineChartProps {
  width: number;
  height: number;
  margin: Margin;
  /** Scales whose ranges are [0, innerWidth] and [innerHeight, 0]. */
  xScale: NumScale;
  yScale: NumScale;
  series: ChartSeries[];
  xLabel: ReactNode;
  yLabel: ReactNode;
  xTicks?: number[];
  yTicks?: number[];
  yFormat?: (v: number) => string;
  xFormat?: (v: number) => string;
  /** x positions the crosshair can stop at (sorted). */
  crossXs: readonly number[];
  index: number | null;
  onIndex: (i: number | null) => void;
  startIndex?: number;
  focusLabel: string;
  focusValueText: string;
  /** Drawn under the curves inside the plot area (shading, reference lines), in inner coordinates. */
  underlay?: ReactNode;
  /** Drawn over the curves (labels). */
  overlay?: ReactNode;
  /** Accessible title of the SVG. */
  title: string;
}

/** Axes, clipped curves, a crosshair and the focusable surface that drives it. */
export default function LineChart(p: LineChartProps) {
  const clip = `clip-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const iw = Math.max(10, p.width - p.margin.left - p.margin.right);
  const ih = Math.max(10, p.height - p.margin.top - p.margin.bottom);
  const i = p.index;
  const x = i === null ? NaN : p.xScale(p.crossXs[i]);
  return (
    <svg width={p.width} height={p.height} viewBox={`0 0 ${p.width} ${p.height}`}>
      <title>{p.title}</title>
      <defs>
        <clipPath id={clip}>
          <rect x={-2} y={-2} width={iw + 4} height={ih + 4} />
        </clipPath>
      </defs>
      <g transform={`translate(${p.margin.left},${p.margin.top})`}>
        <Axis
          scale={p.yScale}
          orient="left"
          offset={0}
          tickValues={p.yTicks}
          format={p.yFormat}
          label={p.yLabel}
          grid={iw}
        />
        <Axis
          scale={p.xScale}
          orient="bottom"
          offset={ih}
          tickValues={p.xTicks}
          format={p.xFormat}
          label={p.xLabel}
        />
        <g clipPath={`url(#${clip})`}>
          {p.underlay}
          {p.series.map((s) => (
            <LinePath
              key={s.name}
              series={s.name}
              xs={s.xs}
              ys={s.ys}
              xScale={p.xScale}
              yScale={p.yScale}
              color={s.color}
              dash={s.dash}
              width={s.width}
            />
          ))}
        </g>
        {p.overlay}
        {i !== null && (
          <Crosshair
            x={x}
            height={ih}
            points={p.series
              .filter((s) => s.crossYs)
              .map((s) => ({ key: s.name, y: p.yScale(s.crossYs![i]), color: s.color }))}
          />
        )}
        <FocusArea
          width={iw}
          height={ih}
          count={p.crossXs.length}
          index={p.index}
          onIndex={p.onIndex}
          indexAt={(px) => nearest(p.crossXs, p.xScale.invert(px))}
          startIndex={p.startIndex}
          label={p.focusLabel}
          valueText={p.focusValueText}
        />
      </g>
    </svg>
  );
}

function nearest(values: readonly number[], v: number): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (Math.abs(values[k] - v) < Math.abs(values[best] - v)) best = k;
  return best;
}
