'use client';
import { memo, useMemo, useState } from 'react';
import { scaleLinear } from 'd3-scale';
import type { EvalPoint } from '@/lib/playground/protocol';
import { fmtCount, fmtFixed } from '@/lib/params/format';
import Legend from '../../chart/Legend';
import LineChart from '../../chart/LineChart';
import { useChartSize } from '../../chart/useChartSize';
import { MARGIN, plotHeight } from '../../figures/styles';
import { runStyle } from '../colors';
import type { EvalHistory, RunMeta } from '@/lib/playground/model';
import { runName } from './RunSelect';
import ViewSection from './ViewSection';
import './views.css';

export interface ApChartProps {
  runs: RunMeta[];
  /** evals.runs[e][i]: evaluation e of run i (null: that run was not evaluated then). */
  evals: EvalHistory;
  /** Planned steps: the x axis spans 0…steps (or the last evaluated step, if larger). */
  steps?: number;
  headingLevel?: 2 | 3 | 4;
}

const METRICS = [
  { key: 'ap', label: 'COCO AP (AP@[.5:.95])', short: 'AP' },
  { key: 'ap50', label: 'AP50 (IoU ≥ 0.5)', short: 'AP50' },
] as const;
type MetricKey = (typeof METRICS)[number]['key'];
const Y_TICKS = [0, 20, 40, 60, 80, 100];
/** Dots at every evaluation while there are few of them (a single evaluation has no line to draw). */
const MAX_DOTS = 40;

/** Evaluation e of run `run`, or null. */
function point(evals: EvalHistory, e: number, run: number): EvalPoint | null {
  return evals.runs[e]?.[run] ?? null;
}

/** The held-out AP of every run over steps: COCO AP and AP50 in percent, on two panels with a shared crosshair. */
function ApChart({ runs, evals, steps, headingLevel = 3 }: ApChartProps) {
  const [ref, width] = useChartSize<HTMLDivElement>();
  const [index, setIndex] = useState<number | null>(null);
  const twoUp = width >= 640;
  const panelWidth = twoUp ? Math.floor((width - 16) / 2) : width;
  const height = plotHeight(panelWidth, 0.7, 220, 320);
  const iw = Math.max(10, panelWidth - MARGIN.left - MARGIN.right);
  const ih = Math.max(10, height - MARGIN.top - MARGIN.bottom);
  const n = evals.step.length;
  const lastStep = n ? evals.step[n - 1] : 0;
  const xMax = Math.max(1, steps ?? 0, lastStep);
  const x = useMemo(() => scaleLinear().domain([0, xMax]).range([0, iw]), [xMax, iw]);
  const y = useMemo(() => scaleLinear().domain([0, 100]).range([ih, 0]), [ih]);

  // Per run and metric: the evaluated steps and values in percent; crossYs aligned with evals.step.
  const lines = useMemo(
    () =>
      runs.map((meta) => {
        const per = (key: MetricKey) => {
          const xs: number[] = [];
          const ys: number[] = [];
          const cross = evals.step.map((s, e) => {
            const p = point(evals, e, meta.run);
            if (!p) return NaN;
            xs.push(s);
            ys.push(100 * p[key]);
            return 100 * p[key];
          });
          return { xs, ys, cross };
        };
        return { meta, ap: per('ap'), ap50: per('ap50') };
      }),
    [runs, evals],
  );

  const at = index !== null && index < n ? index : null;
  const readIdx = at ?? n - 1;
  const latest = (run: number): { p: EvalPoint | null; step: number } => {
    for (let e = n - 1; e >= 0; e--) {
      const p = point(evals, e, run);
      if (p) return { p, step: evals.step[e] };
    }
    return { p: null, step: NaN };
  };
  const pct = (v: number | undefined) => fmtFixed(v === undefined ? NaN : 100 * v, 1);

  const valueText =
    readIdx >= 0
      ? `Step ${fmtCount(evals.step[readIdx])}: ${runs
          .map((r) => {
            const p = point(evals, readIdx, r.run);
            return `${runName(r)} AP ${pct(p?.ap)}, AP50 ${pct(p?.ap50)}`;
          })
          .join('; ')}`
      : 'No evaluations yet';

  const summary =
    n === 0
      ? 'No evaluation yet. The runs are evaluated on held-out images at step 0 and every few steps while training.'
      : `Latest evaluation on ${fmtCount(evals.numImages)} held-out images: ${runs
          .map((r) => {
            const { p, step } = latest(r.run);
            return `${runName(r)} AP ${pct(p?.ap)}%, AP50 ${pct(p?.ap50)}% (step ${fmtCount(step)})`;
          })
          .join('; ')}.`;

  return (
    <ViewSection
      id="ap-chart"
      title="Detection accuracy (AP)"
      headingLevel={headingLevel}
      summary={summary}
      tables={[
        {
          caption: `AP on ${fmtCount(evals.numImages)} held-out images (percent), per evaluation`,
          columns: [
            { key: 'step', label: 'Step' },
            ...runs.flatMap((r) => [
              { key: `ap-${r.run}`, label: `${runName(r)} AP` },
              { key: `ap50-${r.run}`, label: `${runName(r)} AP50` },
            ]),
          ],
          rows: () =>
            evals.step.map((s, e) => [
              fmtCount(s),
              ...runs.flatMap((r) => {
                const p = point(evals, e, r.run);
                return [pct(p?.ap), pct(p?.ap50)];
              }),
            ]),
        },
      ]}
    >
      <div className="figure__plot" ref={ref}>
        <div className="figure__plots">
          {METRICS.map((m) => (
            <div key={m.key} data-panel={m.key}>
              <p className="figure__subtitle">{m.label}</p>
              <LineChart
                title={`${m.label} in percent against step, one line per run`}
                width={panelWidth}
                height={height}
                margin={MARGIN}
                xScale={x}
                yScale={y}
                series={lines.map((l) => ({
                  name: `run-${l.meta.run}`,
                  xs: l[m.key].xs,
                  ys: l[m.key].ys,
                  crossYs: l[m.key].cross,
                  ...runStyle(l.meta.run),
                  width: 2,
                }))}
                xLabel="training step"
                yLabel={`${m.short} (%)`}
                xTicks={x.ticks(Math.max(2, Math.floor(iw / 80)))}
                xFormat={fmtCount}
                yTicks={Y_TICKS}
                yFormat={(v) => fmtFixed(v, 0)}
                crossXs={evals.step}
                index={at}
                onIndex={setIndex}
                startIndex={Math.max(0, n - 1)}
                focusLabel={`${m.short} curves: use ← and → to move between evaluations`}
                focusValueText={valueText}
                overlay={
                  n === 0 ? (
                    <text className="plot__annotation" x={iw / 2} y={ih / 2} textAnchor="middle">
                      No evaluation yet
                    </text>
                  ) : (
                    <g className="pg-dots" aria-hidden="true">
                      {lines.map((l) => {
                        const { xs, ys } = l[m.key];
                        const from = xs.length > MAX_DOTS ? xs.length - 1 : 0;
                        const { color } = runStyle(l.meta.run);
                        return xs
                          .slice(from)
                          .map((sx, k) => (
                            <circle
                              key={`${l.meta.run}-${sx}`}
                              cx={x(sx)}
                              cy={y(ys[from + k])}
                              r={3}
                              fill={color}
                              className="pg-dot"
                            />
                          ));
                      })}
                    </g>
                  )
                }
              />
            </div>
          ))}
        </div>
      </div>
      <Legend
        label="Runs"
        items={runs.map((r) => ({ key: `run-${r.run}`, label: runName(r), ...runStyle(r.run), width: 2 }))}
      />
      {n > 0 && (
        <div className="readouts">
          <div className="readout readout--wide readout--scroll" data-readout="ap">
            <strong>
              {at === null ? 'Latest evaluation' : `At step ${fmtCount(evals.step[at])}`} (percent)
            </strong>
            <table className="readout__table">
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">AP</th>
                  <th scope="col">AP50</th>
                  <th scope="col">AP75</th>
                  <th scope="col">AR@100</th>
                  <th scope="col">step</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => {
                  const { p, step } =
                    at === null ? latest(r.run) : { p: point(evals, at, r.run), step: evals.step[at] };
                  return (
                    <tr key={r.run}>
                      <th scope="row">{runName(r)}</th>
                      <td>{pct(p?.ap)}</td>
                      <td>{pct(p?.ap50)}</td>
                      <td>{pct(p?.ap75)}</td>
                      <td>{pct(p?.ar100)}</td>
                      <td>{p ? fmtCount(step) : fmtCount(NaN)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </ViewSection>
  );
}

export default memo(ApChart);
