import { memo } from 'react';
import { line } from 'd3-shape';
import type { NumScale } from './types';

export interface LinePathProps {
  /** Series name, written to `data-series` (tests and readers of the DOM rely on it). */
  series: string;
  xs: readonly number[];
  ys: readonly number[];
  xScale: NumScale;
  yScale: NumScale;
  /** CSS colour (usually a `var(--series-n)`). */
  color: string;
  dash?: string;
  width?: number;
  className?: string;
}

/** Path string for (xs[i], ys[i]); points whose value or position is not finite break the line. */
export function linePathD(
  xs: readonly number[],
  ys: readonly number[],
  xScale: NumScale,
  yScale: NumScale,
): string {
  const gen = line<number>()
    .defined((i) => Number.isFinite(xScale(xs[i])) && Number.isFinite(yScale(ys[i])))
    .x((i) => xScale(xs[i]))
    .y((i) => yScale(ys[i]));
  const idx = Array.from({ length: Math.min(xs.length, ys.length) }, (_, i) => i);
  return gen(idx) ?? '';
}

/** A data curve: d3-shape computes the path, React draws it. */
function LinePath({ series, xs, ys, xScale, yScale, color, dash, width = 2, className }: LinePathProps) {
  return (
    <path
      data-series={series}
      className={className ? `line ${className}` : 'line'}
      d={linePathD(xs, ys, xScale, yScale)}
      fill="none"
      stroke={color}
      strokeWidth={width}
      strokeDasharray={dash}
      strokeLinejoin="round"
      strokeLinecap="round"
    />
  );
}

/**
 * Memoised: reference curves keep the same arrays and scales between slider moves, so only the curves
 * whose data changed rebuild their path strings.
 */
export default memo(LinePath);
