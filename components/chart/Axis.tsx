import type { ReactNode } from 'react';
import { fmt } from '@/lib/params/format';
import type { NumScale } from './types';

export interface AxisProps {
  scale: NumScale;
  orient: 'bottom' | 'left';
  /** Where the axis line sits: the y (px) of a bottom axis or the x (px) of a left axis. */
  offset: number;
  /** Approximate tick count (passed to scale.ticks) when `tickValues` is not given. */
  ticks?: number;
  tickValues?: number[];
  format?: (v: number) => string;
  label?: ReactNode;
  /** Length of grid lines across the plot (px); 0 for none. */
  grid?: number;
}

/** An axis drawn in JSX from `scale.ticks()`: a domain line, ticks, labels, optional grid lines. */
export default function Axis({
  scale,
  orient,
  offset,
  ticks = 5,
  tickValues,
  format = fmt,
  label,
  grid = 0,
}: AxisProps) {
  const values = tickValues ?? scale.ticks(ticks);
  const [r0, r1] = scale.range();
  const lo = Math.min(r0, r1);
  const hi = Math.max(r0, r1);
  if (orient === 'bottom') {
    return (
      <g className="axis axis--x" aria-hidden="true">
        {values.map((v) => {
          const x = scale(v);
          if (!Number.isFinite(x)) return null;
          return (
            <g key={v} transform={`translate(${x},${offset})`}>
              {grid > 0 && <line className="axis__grid" y1={0} y2={-grid} />}
              <line className="axis__tick" y2={6} />
              <text className="axis__label" y={9} dy="0.71em" textAnchor="middle">
                {format(v)}
              </text>
            </g>
          );
        })}
        <line className="axis__domain" x1={lo} x2={hi} y1={offset} y2={offset} />
        {label && (
          <text className="axis__title" x={(lo + hi) / 2} y={offset + 40} textAnchor="middle">
            {label}
          </text>
        )}
      </g>
    );
  }
  return (
    <g className="axis axis--y" aria-hidden="true">
      {values.map((v) => {
        const y = scale(v);
        if (!Number.isFinite(y)) return null;
        return (
          <g key={v} transform={`translate(${offset},${y})`}>
            {grid > 0 && <line className="axis__grid" x1={0} x2={grid} />}
            <line className="axis__tick" x2={-6} />
            <text className="axis__label" x={-9} dy="0.32em" textAnchor="end">
              {format(v)}
            </text>
          </g>
        );
      })}
      <line className="axis__domain" x1={offset} x2={offset} y1={lo} y2={hi} />
      {label && (
        <text
          className="axis__title"
          transform={`translate(${offset - 44},${(lo + hi) / 2}) rotate(-90)`}
          textAnchor="middle"
        >
          {label}
        </text>
      )}
    </g>
  );
}
