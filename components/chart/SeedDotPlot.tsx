'use client';
import { useMemo } from 'react';
import { scaleLinear } from 'd3-scale';
import { symbol, symbolCircle, symbolDiamond, symbolSquare, symbolTriangle, type SymbolType } from 'd3-shape';
import Axis from './Axis';

export interface SeedDotRow {
  key: string;
  label: string;
  /** One value per seed, aligned with the plot's `seeds`; NaN for a seed without a value. */
  values: readonly number[];
  /** Mean ± spread drawn as a tick and a bar behind the dots. */
  mean: number;
  sd: number;
  /** Accessible description of the row, e.g. "FL γ=2: 41.7 ± 2.6; seeds 44.4, 39.2, 41.5". */
  description: string;
  /** Draw the row's label in bold (the baseline of a comparison). */
  strong?: boolean;
}

export interface SeedDotPlotProps {
  width: number;
  rows: SeedDotRow[];
  /** Seed labels, one per value column; each seed has its own marker shape and colour. */
  seeds: readonly (string | number)[];
  /** The x domain [lo, hi] before `.nice()`. */
  domain: [number, number];
  format: (v: number) => string;
  xLabel: string;
  title: string;
  /** A vertical reference line (0 for differences). */
  reference?: number;
}

const ROW = 26;
/**
 * Room per character of a row label (px): enough for the presenter's 15 px axis labels (present.css), so the
 * longest label fits there too; at most 45 % of the width goes to labels.
 */
const CHAR_PX = 8.5;
const M = { top: 8, right: 16, bottom: 46 };
const SHAPES: readonly SymbolType[] = [symbolCircle, symbolSquare, symbolTriangle, symbolDiamond];
const COLORS = ['var(--series-1)', 'var(--series-2)', 'var(--series-3)', 'var(--series-4)'];

/** The marker of seed column `i`: its own shape and colour (shape alone tells the seeds apart in greyscale). */
export function seedMarker(i: number): { d: string; color: string } {
  return {
    d: symbol(SHAPES[i % SHAPES.length], 52)() ?? '',
    color: COLORS[i % COLORS.length],
  };
}

/**
 * A dot plot with one row per configuration and one marker per seed, over a mean ± spread bar: the spread a
 * mean hides stays visible. d3 computes the scale and the marker paths; every row is focusable and described.
 */
export default function SeedDotPlot({
  width,
  rows,
  seeds,
  domain,
  format,
  xLabel,
  title,
  reference,
}: SeedDotPlotProps) {
  const longest = Math.max(0, ...rows.map((r) => r.label.length));
  const left = Math.min(width * 0.45, longest * CHAR_PX + 14);
  const iw = Math.max(20, width - left - M.right);
  const ih = rows.length * ROW;
  const height = ih + M.top + M.bottom;
  const x = useMemo(() => {
    const [lo, hi] = domain;
    const ok = Number.isFinite(lo) && Number.isFinite(hi) && hi > lo;
    return scaleLinear()
      .domain(ok ? [lo, hi] : [0, 1])
      .range([0, iw])
      .nice();
  }, [domain, iw]);
  const markers = useMemo(() => seeds.map((_, i) => seedMarker(i)), [seeds]);
  const spread = Math.min(6, (ROW - 10) / Math.max(1, seeds.length - 1));

  return (
    <svg className="seed-dots" width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      <title>{title}</title>
      <g transform={`translate(${left},${M.top})`}>
        <Axis
          scale={x}
          orient="bottom"
          offset={ih}
          ticks={Math.max(2, Math.floor(iw / 60))}
          format={format}
          label={xLabel}
          grid={ih}
        />
        {reference !== undefined && x(reference) >= 0 && x(reference) <= iw && (
          <line className="seed-dots__reference" x1={x(reference)} x2={x(reference)} y1={0} y2={ih} />
        )}
        {rows.map((row, r) => {
          const cy = r * ROW + ROW / 2;
          const lo = x(row.mean - row.sd);
          const hi = x(row.mean + row.sd);
          const hasSpread = Number.isFinite(lo) && Number.isFinite(hi);
          return (
            <g
              key={row.key}
              className="seed-dots__row"
              data-row={row.key}
              tabIndex={0}
              role="img"
              aria-label={row.description}
            >
              <title>{row.description}</title>
              <text
                className={row.strong ? 'axis__label seed-dots__label--strong' : 'axis__label'}
                x={-8}
                y={cy}
                dy="0.32em"
                textAnchor="end"
              >
                {row.label}
              </text>
              {hasSpread && (
                <line className="seed-dots__spread" x1={lo} x2={hi} y1={cy} y2={cy} data-series="spread" />
              )}
              {Number.isFinite(row.mean) && (
                <line
                  className="seed-dots__mean"
                  x1={x(row.mean)}
                  x2={x(row.mean)}
                  y1={cy - ROW / 2 + 3}
                  y2={cy + ROW / 2 - 3}
                />
              )}
              {row.values.map((v, i) =>
                Number.isFinite(v) ? (
                  <path
                    key={i}
                    className="seed-dots__dot"
                    data-seed={seeds[i]}
                    d={markers[i].d}
                    fill={markers[i].color}
                    transform={`translate(${x(v).toFixed(2)},${(cy + (i - (seeds.length - 1) / 2) * spread).toFixed(2)})`}
                  />
                ) : null,
              )}
            </g>
          );
        })}
      </g>
    </svg>
  );
}
