'use client';
import { memo, useId, useMemo, useState } from 'react';
import { scaleLinear, scaleLog } from 'd3-scale';
import { fmt, fmtCount, fmtPow10 } from '@/lib/params/format';
import Legend from '../../chart/Legend';
import LineChart, { type ChartSeries } from '../../chart/LineChart';
import Toggle from '../../chart/Toggle';
import { useChartSize } from '../../chart/useChartSize';
import { MARGIN, plotHeight } from '../../figures/styles';
import { runStyle } from '../colors';
import type { LossHistory, RunMeta } from '@/lib/playground/model';
import { runName } from './RunSelect';
import ViewSection from './ViewSection';
import './views.css';
import { emaSmooth, extent, floorIndex, logTicks, sampleIndices, thinEvery, thinMinMax } from './series';

export type LossSeriesKey = 'total' | 'cls' | 'clsPos' | 'clsHardNeg' | 'clsEasyNeg' | 'box';

export const LOSS_SERIES: { key: LossSeriesKey; label: string; short: string }[] = [
  { key: 'total', label: 'Total (classification + box)', short: 'total loss' },
  { key: 'cls', label: 'Classification', short: 'classification loss' },
  { key: 'clsPos', label: 'Classification: positives', short: 'classification loss of positives' },
  {
    key: 'clsHardNeg',
    label: 'Classification: hard negatives (p_t < 0.5)',
    short: 'classification loss of hard negatives',
  },
  {
    key: 'clsEasyNeg',
    label: 'Classification: easy negatives (p_t ≥ 0.5)',
    short: 'classification loss of easy negatives',
  },
  { key: 'box', label: 'Box regression', short: 'box regression loss' },
];

/** Weight of the exponential moving average when smoothing is on (TensorBoard's default is 0.6–0.9). */
export const SMOOTHING = 0.9;
/** Most crosshair stops and data-table rows, whatever the history length. */
const MAX_CROSS = 300;
const MAX_ROWS = 200;

export interface LossChartProps {
  runs: RunMeta[];
  /** losses[i] is the history of run i (RunMeta.run). */
  losses: LossHistory[];
  /** Planned steps: the x axis spans 0…steps (or the last step taken, if larger). */
  steps?: number;
  /** Which series is shown first (default 'total'). */
  initialSeries?: LossSeriesKey;
  /** Start on a log y axis (default true: losses fall over orders of magnitude). */
  initialLog?: boolean;
  headingLevel?: 2 | 3 | 4;
}

interface Drawn {
  meta: RunMeta;
  steps: number[];
  raw: number[];
  ys: number[];
  xsDraw: number[];
  ysDraw: number[];
}

/** The training losses of every run over steps, on shared axes. */
function LossChart({
  runs,
  losses,
  steps,
  initialSeries = 'total',
  initialLog = true,
  headingLevel = 3,
}: LossChartProps) {
  const [key, setKey] = useState<LossSeriesKey>(initialSeries);
  const [log, setLog] = useState(initialLog);
  const [smooth, setSmooth] = useState(true);
  const [index, setIndex] = useState<number | null>(null);
  const [ref, width] = useChartSize<HTMLDivElement>();
  const selectId = useId();
  const spec = LOSS_SERIES.find((s) => s.key === key) ?? LOSS_SERIES[0];

  const height = plotHeight(width, 0.5, 240, 380);
  const iw = Math.max(10, width - MARGIN.left - MARGIN.right);
  const ih = Math.max(10, height - MARGIN.top - MARGIN.bottom);
  const buckets = Math.max(40, Math.floor(iw / 2));
  // Histories are replaced (not mutated) on each update; the lengths guard against in-place appends too.
  const lengths = losses.map((h) => h?.step.length ?? 0).join(',');

  const drawn = useMemo<Drawn[]>(
    () =>
      runs.flatMap((meta) => {
        const h = losses[meta.run];
        if (!h) return [];
        const raw = h[key];
        const ys = smooth ? emaSmooth(raw, SMOOTHING) : raw;
        const t = smooth ? thinEvery(h.step, ys, buckets) : thinMinMax(h.step, ys, buckets);
        return [{ meta, steps: h.step, raw, ys, xsDraw: t.xs, ysDraw: t.ys }];
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `lengths` catches in-place appends
    [runs, losses, lengths, key, smooth, buckets],
  );

  const longest = useMemo(
    () => drawn.reduce<number[]>((a, d) => (d.steps.length > a.length ? d.steps : a), []),
    [drawn],
  );
  const lastStep = longest.length ? longest[longest.length - 1] : 0;
  const xMax = Math.max(1, steps ?? 0, lastStep);
  const ext = extent(
    drawn.map((d) => d.ysDraw),
    log,
  );

  const x = useMemo(() => scaleLinear().domain([0, xMax]).range([0, iw]), [xMax, iw]);
  const [lo, hi] = ext ?? (log ? [0.01, 10] : [0, 1]);
  const y = useMemo(() => {
    if (log) {
      const a = lo / 1.15;
      const b = hi > lo ? hi * 1.15 : lo * 10;
      return scaleLog().domain([a, b]).range([ih, 0]).clamp(false);
    }
    return scaleLinear()
      .domain([0, hi > 0 ? hi * 1.05 : 1])
      .range([ih, 0])
      .nice();
  }, [log, lo, hi, ih]);
  const yDomain = y.domain();
  const yTicks = log ? logTicks(yDomain[0], yDomain[1]) : undefined;

  const crossIdx = useMemo(() => sampleIndices(longest.length, MAX_CROSS), [longest]);
  const crossXs = useMemo(() => crossIdx.map((i) => longest[i]), [crossIdx, longest]);
  const series: (ChartSeries & { label: string })[] = useMemo(
    () =>
      drawn.map((d) => ({
        name: `run-${d.meta.run}`,
        label: runName(d.meta),
        xs: d.xsDraw,
        ys: d.ysDraw,
        crossYs: crossXs.map((s) => valueAtStep(d.steps, d.ys, s)),
        ...runStyle(d.meta.run),
        width: 2,
      })),
    [drawn, crossXs],
  );

  const at = index !== null && index < crossXs.length ? index : null;
  const readStep = at === null ? lastStep : crossXs[at];
  const readouts = drawn.map((d) => ({
    d,
    value: at === null ? d.ys[d.ys.length - 1] : valueAtStep(d.steps, d.ys, readStep),
  }));
  const valueText = `Step ${fmtCount(readStep)}: ${readouts
    .map((r) => `${runName(r.d.meta)} ${fmt(r.value, 3)}`)
    .join('; ')}`;

  const tableRows = () =>
    sampleIndices(longest.length, MAX_ROWS).map((i) => {
      const s = longest[i];
      return [fmtCount(s), ...drawn.map((d) => fmt(valueAtStep(d.steps, d.raw, s), 4))];
    });
  const every = Math.ceil(longest.length / MAX_ROWS);

  const diverged = drawn.filter((d) => d.meta.diverged);
  const noData = longest.length === 0;
  const summary = noData
    ? 'No training steps yet. Press Play or Step to train; the loss of every run appears here.'
    : `After ${fmtCount(lastStep)} steps: ${drawn
        .map((d) => {
          const s = d.steps[d.steps.length - 1];
          const v = d.raw[d.raw.length - 1];
          return d.meta.diverged
            ? `${runName(d.meta)} diverged at step ${fmtCount(s)} (last ${spec.short} ${fmt(v)})`
            : `${runName(d.meta)} has ${spec.short} ${fmt(v)}`;
        })
        .join(
          '; ',
        )}. Plotted ${smooth ? `smoothed (moving average, weight ${SMOOTHING})` : 'raw per step'} on a ${
        log ? 'log' : 'linear'
      } axis.`;

  return (
    <ViewSection
      id="loss-chart"
      title="Training loss"
      headingLevel={headingLevel}
      summary={summary}
      controls={
        <>
          <div className="control pg-select">
            <label htmlFor={selectId} className="control__label">
              Series
            </label>
            <select
              id={selectId}
              value={key}
              data-control="series"
              onChange={(e) => setKey(e.currentTarget.value as LossSeriesKey)}
            >
              {LOSS_SERIES.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
          <Toggle label="Log scale" checked={log} onChange={setLog} name="log" />
          <Toggle label="Smooth" checked={smooth} onChange={setSmooth} name="smooth" />
        </>
      }
      tables={[
        {
          caption: `Training loss, ${spec.short}, raw per-step values${
            every > 1 ? ` (every ${every}th step and the last)` : ''
          }`,
          columns: [
            { key: 'step', label: 'Step' },
            ...drawn.map((d) => ({ key: `run-${d.meta.run}`, label: runName(d.meta) })),
          ],
          rows: tableRows,
        },
      ]}
    >
      <div className="figure__plot" ref={ref}>
        <LineChart
          title={`Training loss (${spec.short}) against step, one line per run`}
          width={width}
          height={height}
          margin={MARGIN}
          xScale={x}
          yScale={y}
          series={series}
          xLabel="training step"
          yLabel={log ? 'loss (log scale)' : 'loss'}
          xTicks={x.ticks(Math.max(2, Math.floor(iw / 90)))}
          xFormat={fmtCount}
          yTicks={yTicks}
          yFormat={log ? fmtPow10 : fmt}
          crossXs={crossXs}
          index={at}
          onIndex={setIndex}
          startIndex={Math.max(0, crossXs.length - 1)}
          focusLabel="Loss curves: use ← and → to move along the steps"
          focusValueText={noData ? 'No steps yet' : valueText}
          overlay={
            noData ? (
              <text className="plot__annotation" x={iw / 2} y={ih / 2} textAnchor="middle">
                No steps yet
              </text>
            ) : (
              diverged.map((d) => {
                const n = d.xsDraw.length;
                if (n === 0) return null;
                const px = x(d.xsDraw[n - 1]);
                const py0 = y(d.ysDraw[n - 1]);
                const py = Number.isFinite(py0) ? Math.max(0, Math.min(ih, py0)) : 0;
                const { color } = runStyle(d.meta.run);
                return (
                  <g
                    key={d.meta.run}
                    className="pg-diverged"
                    data-diverged={d.meta.run}
                    transform={`translate(${px},${py})`}
                  >
                    <path d="M-5,-5L5,5M-5,5L5,-5" stroke={color} strokeWidth={3} />
                    <text className="plot__annotation" x={-8} y={-8} textAnchor="end">
                      diverged
                    </text>
                  </g>
                );
              })
            )
          }
        />
      </div>
      <Legend
        label="Runs"
        items={series.map((s) => ({ key: s.name, label: s.label, color: s.color, dash: s.dash, width: 2 }))}
      />
      {drawn.length > 0 && (
        <div className="readouts">
          <div className="readout" data-readout="loss">
            <strong>
              {at === null ? 'Latest' : 'At'} step {fmtCount(readStep)}
              {smooth ? ' (smoothed)' : ''}
            </strong>
            <table className="readout__table">
              <tbody>
                {readouts.map((r) => (
                  <tr key={r.d.meta.run}>
                    <th scope="row">{runName(r.d.meta)}</th>
                    <td>{fmt(r.value, 4)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {diverged.length > 0 && (
            <div className="readout" data-readout="diverged">
              {diverged.map((d) => (
                <p key={d.meta.run} className="pg-diverged-reason">
                  <strong>
                    {runName(d.meta)} stopped at step {fmtCount(d.steps[d.steps.length - 1])}:
                  </strong>{' '}
                  {d.meta.diverged}
                </p>
              ))}
            </div>
          )}
        </div>
      )}
    </ViewSection>
  );
}

/** The value of a run at step s (NaN when the run has no point at exactly that step). */
function valueAtStep(steps: readonly number[], ys: readonly number[], s: number): number {
  const j = floorIndex(steps, s);
  return j >= 0 && steps[j] === s ? ys[j] : NaN;
}

export default memo(LossChart);
