'use client';
import { useMemo } from 'react';
import { scaleLinear } from 'd3-scale';
import { line, symbol, symbolCircle, symbolSquare, type SymbolType } from 'd3-shape';
import type { SeedMeanBin } from '@/lib/metrics/reliability';
import { fmtPow10 } from '@/lib/params/format';
import Axis from '../chart/Axis';
import FocusArea from '../chart/FocusArea';
import { MARGIN } from './styles';

/** One loss's curve: its bins over seeds and how it is drawn. */
export interface ReliabilitySeries {
  key: string;
  label: string;
  color: string;
  dash?: string;
  bins: SeedMeanBin[];
  /** Seeds in the file; a mean over fewer of them is drawn hollow. */
  seedCount: number;
}

export interface ReliabilityPlotProps {
  width: number;
  series: ReliabilitySeries[];
  index: number | null;
  onIndex: (i: number | null) => void;
  focusValueText: string;
  title: string;
}

const SHAPES: readonly SymbolType[] = [symbolCircle, symbolSquare];
const HIST = 84;
const GAP = 34;
const TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];
const pct = (v: number) => `${Math.round(v * 100)}%`;

/**
 * The reliability diagram: observed precision against mean predicted score per bin, the diagonal y = x of a
 * calibrated score, each loss's mean over seeds (line and markers) over one faint dot per seed, and below it the
 * samples per bin on a log scale. Hollow markers: a seed's bin with fewer than the minimum samples, or a mean
 * over fewer than all seeds (lib/metrics/reliability `seedMeanTable`).
 */
export default function ReliabilityPlot({
  width,
  series,
  index,
  onIndex,
  focusValueText,
  title,
}: ReliabilityPlotProps) {
  const iw = Math.max(10, width - MARGIN.left - MARGIN.right);
  const ih = Math.round(Math.max(180, Math.min(380, iw * 0.8)));
  const height = MARGIN.top + ih + GAP + HIST + MARGIN.bottom;
  const B = series[0]?.bins.length ?? 10;
  const x = useMemo(() => scaleLinear().domain([0, 1]).range([0, iw]), [iw]);
  const y = useMemo(() => scaleLinear().domain([0, 1]).range([ih, 0]), [ih]);
  const maxCount = Math.max(1, ...series.flatMap((s) => s.bins.map((b) => b.count)));
  const decades = Math.max(1, Math.ceil(Math.log10(maxCount + 1)));
  const h = useMemo(() => scaleLinear().domain([0, decades]).range([HIST, 0]), [decades]);
  const bw = iw / B / (series.length + 1);
  const path = line<SeedMeanBin>()
    .defined((b) => b.precision !== null && b.meanScore !== null)
    .x((b) => x(b.meanScore ?? 0))
    .y((b) => y(b.precision ?? 0));

  return (
    <svg
      className="reliability"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      data-bins={B}
    >
      <title>{title}</title>
      <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
        <Axis
          scale={y}
          orient="left"
          offset={0}
          tickValues={TICKS}
          format={pct}
          label="precision"
          grid={iw}
        />
        <Axis scale={x} orient="bottom" offset={ih} tickValues={TICKS} format={(v) => v.toFixed(1)} />
        {index !== null && (
          <rect
            className="reliability__band"
            x={x(index / B)}
            width={x(1 / B) - x(0)}
            y={0}
            height={ih + GAP + HIST}
          />
        )}
        <line className="reliability__diagonal" x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} />
        {series.map((s, si) => (
          <g key={s.key} data-loss={s.key}>
            {s.bins.flatMap((b) =>
              b.seeds.map((p) => (
                <circle
                  key={`${b.bin}-${p.seed}`}
                  className={`reliability__seed${p.sparse ? ' reliability__seed--sparse' : ''}`}
                  cx={x(p.meanScore)}
                  cy={y(p.precision)}
                  r={2.6}
                  stroke={s.color}
                  fill={p.sparse ? 'none' : s.color}
                  data-seed={p.seed}
                  data-sparse={p.sparse ? 'true' : undefined}
                />
              )),
            )}
            <path
              className="reliability__line"
              data-series={s.key}
              d={path(s.bins) ?? ''}
              stroke={s.color}
              strokeDasharray={s.dash}
            />
            {s.bins.map((b) =>
              b.precision === null || b.meanScore === null ? null : (
                <path
                  key={b.bin}
                  className="reliability__mean"
                  d={symbol(SHAPES[si % SHAPES.length], 60)() ?? ''}
                  transform={`translate(${x(b.meanScore).toFixed(2)},${y(b.precision).toFixed(2)})`}
                  stroke={s.color}
                  fill={b.seedsUsed < s.seedCount ? 'var(--bg)' : s.color}
                  data-bin={b.bin}
                  data-partial={b.seedsUsed < s.seedCount ? 'true' : undefined}
                />
              ),
            )}
          </g>
        ))}
        <g transform={`translate(0,${ih + GAP})`} data-part="counts">
          <Axis
            scale={h}
            orient="left"
            offset={0}
            tickValues={Array.from({ length: decades + 1 }, (_, i) => i).filter(
              (_, i, a) => a.length <= 4 || i % 2 === 0,
            )}
            format={(v) => fmtPow10(10 ** v)}
            label="samples"
          />
          <Axis
            scale={x}
            orient="bottom"
            offset={HIST}
            tickValues={TICKS}
            format={(v) => v.toFixed(1)}
            label="predicted score (bin)"
          />
          {series.map((s, si) =>
            s.bins.map((b) => {
              const top = h(Math.log10(b.count + 1));
              return (
                <rect
                  key={`${s.key}-${b.bin}`}
                  className="reliability__count"
                  x={x(b.lo) + bw * (si + 0.5)}
                  width={Math.max(1, bw - 1)}
                  y={top}
                  height={HIST - top}
                  fill={s.color}
                  data-count={b.count}
                />
              );
            }),
          )}
        </g>
        <FocusArea
          width={iw}
          height={ih}
          count={B}
          index={index}
          onIndex={onIndex}
          indexAt={(px) => Math.min(B - 1, Math.max(0, Math.floor((x.invert(px) * B) as number)))}
          startIndex={Math.floor(B / 2)}
          label="Reliability diagram: use ← and → to read the score bins"
          valueText={focusValueText}
        />
      </g>
    </svg>
  );
}
