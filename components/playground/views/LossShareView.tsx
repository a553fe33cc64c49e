'use client';
import { memo, useId, useMemo, useState } from 'react';
import { scaleLinear, scaleLog } from 'd3-scale';
import type { LossShareMessage, LossShareRun } from '@/lib/playground/protocol';
import { fmt, fmtCount, fmtFixed, fmtPercent, fmtPow10 } from '@/lib/params/format';
import Axis from '../../chart/Axis';
import FocusArea from '../../chart/FocusArea';
import Legend from '../../chart/Legend';
import LinePath from '../../chart/LinePath';
import StackedBars, { type BarRow } from '../../chart/StackedBars';
import { useChartSize } from '../../chart/useChartSize';
import { plotHeight } from '../../figures/styles';
import { runStyle } from '../colors';
import type { RunMeta } from '@/lib/playground/model';
import RunSelect, { pickRun, runName } from './RunSelect';
import ViewSection from './ViewSection';
import { logTicks } from './series';
import './views.css';

export interface LossShareViewProps {
  runs: RunMeta[];
  lossShare: LossShareMessage | null;
  headingLevel?: 2 | 3 | 4;
}

/** The three groups of the classification loss, as in the imbalance figure (same colours and hatching). */
const GROUPS = [
  { key: 'easyNeg', label: 'easy negatives', color: 'var(--series-6)', hatch: false },
  { key: 'hardNeg', label: 'hard negatives', color: 'var(--series-2)', hatch: true },
  { key: 'pos', label: 'positives', color: 'var(--series-3)', hatch: false },
] as const;
const NEG_FILL = 'var(--series-6)';
const POS_FILL = 'var(--series-3)';
/** A dashed curve for positives, a solid one for negatives (both in the run's colour). */
const POS_DASH = '6 3';
const M = { top: 14, right: 56, bottom: 52, left: 60 };

type BarMode = 'count' | 'loss';

const rectPath = (x: number, y: number, w: number, h: number) =>
  `M${x.toFixed(2)},${y.toFixed(2)}h${Math.max(0, w).toFixed(2)}v${Math.max(0, h).toFixed(2)}h${(-Math.max(0, w)).toFixed(2)}Z`;

function barRows(data: LossShareRun[], runs: RunMeta[]): BarRow[] {
  return data.map((d) => {
    const meta = runs.find((r) => r.run === d.run);
    const name = runName(meta ?? { run: d.run, label: '' });
    return {
      key: `run-${d.run}`,
      label: `Run ${d.run + 1}`,
      segments: GROUPS.map((g) => ({
        key: g.key,
        label: g.label,
        value: d.shares[g.key],
        color: g.color,
        hatch: g.hatch,
      })),
      total: 1,
      description: `${name}: ${GROUPS.map((g) => `${g.label} ${fmtPercent(d.shares[g.key], 3)}`).join(', ')}`,
    };
  });
}

/** "Where the loss goes": loss shares of every run, and one run's p_t histogram over its loss curve. */
function LossShareView({ runs, lossShare, headingLevel = 3 }: LossShareViewProps) {
  const [wanted, setRun] = useState(runs[0]?.run ?? 0);
  const [mode, setMode] = useState<BarMode>('count');
  const [index, setIndex] = useState<number | null>(null);
  const [ref, width] = useChartSize<HTMLDivElement>();
  const radioName = useId();
  const data = lossShare?.runs ?? [];
  const meta = pickRun(runs, wanted);
  const d = data.find((r) => r.run === meta?.run) ?? data[0] ?? null;
  const shownMeta = d ? (runs.find((r) => r.run === d.run) ?? meta) : meta;
  const edges = lossShare?.edges;
  const bins = d ? d.countNeg.length : 0;

  const height = plotHeight(width, 0.45, 240, 340);
  const iw = Math.max(10, width - M.left - M.right);
  const ih = Math.max(10, height - M.top - M.bottom);
  const x = useMemo(() => scaleLinear().domain([0, 1]).range([0, iw]), [iw]);

  const maxCount = d ? Math.max(1, ...d.countNeg, ...d.countPos) : 10;
  const maxShare = d ? Math.max(1e-6, ...d.lossNeg, ...d.lossPos) : 1;
  const yCount = useMemo(
    () =>
      scaleLog()
        .domain([0.5, Math.max(10, maxCount * 2)])
        .range([ih, 0]),
    [ih, maxCount],
  );
  const yShare = useMemo(
    () =>
      scaleLinear()
        .domain([0, maxShare * 100 * 1.05])
        .range([ih, 0])
        .nice(),
    [ih, maxShare],
  );
  const maxCurve = d ? Math.max(1e-6, ...d.curveNeg, ...d.curvePos) : 1;
  const yLoss = useMemo(
    () =>
      scaleLinear()
        .domain([0, maxCurve * 1.05])
        .range([ih, 0])
        .nice(),
    [ih, maxCurve],
  );
  const centres = useMemo(
    () => (edges ? Array.from({ length: edges.length - 1 }, (_, b) => (edges[b] + edges[b + 1]) / 2) : []),
    [edges],
  );

  const at = index !== null && index < bins ? index : null;
  const readBin = at ?? bins - 1;
  const binRange = (b: number) => (edges ? `${fmtFixed(edges[b], 2)}–${fmtFixed(edges[b + 1], 2)}` : '—');
  const binText = (b: number) =>
    d && b >= 0
      ? `p_t ${binRange(b)}: ${fmtCount(d.countNeg[b])} negative and ${fmtCount(d.countPos[b])} positive elements, carrying ${fmtPercent(
          d.lossNeg[b],
          3,
        )} and ${fmtPercent(d.lossPos[b], 3)} of the loss; ℓ(p_t) ${fmt(d.curveNeg[b], 3)} for a negative, ${fmt(
          d.curvePos[b],
          3,
        )} for a positive`
      : 'No data yet';

  const summary = !lossShare
    ? 'No loss breakdown yet: it is computed on held-out probe images after the first training steps.'
    : `At step ${fmtCount(lossShare.step)} on the probe images: ${data
        .map((r) => {
          const m = runs.find((q) => q.run === r.run);
          return `${runName(m ?? { run: r.run, label: '' })}: positives ${fmtPercent(r.shares.pos, 3)}, hard negatives ${fmtPercent(
            r.shares.hardNeg,
            3,
          )}, easy negatives ${fmtPercent(r.shares.easyNeg, 3)} of the classification loss (${fmtCount(
            r.numEasyNeg,
          )} easy negative elements)`;
        })
        .join(
          '; ',
        )}.${d ? ` Histogram of ${runName(shownMeta ?? undefined)}, last bin: ${binText(bins - 1)}.` : ''}`;

  const countTicks = logTicks(1, yCount.domain()[1]);
  const yL = mode === 'count' ? yCount : yShare;
  const bar = (b: number, v: number, half: 0 | 1) => {
    const x0 = x(edges![b]);
    const w = x(edges![b + 1]) - x0;
    const y0 = mode === 'count' ? (v > 0 ? yCount(v) : ih) : yShare(v * 100);
    return rectPath(x0 + 1 + (half * (w - 2)) / 2, y0, (w - 2) / 2, ih - y0);
  };
  const { color } = shownMeta ? runStyle(shownMeta.run) : runStyle(0);

  return (
    <ViewSection
      id="loss-share"
      title="Where the loss goes"
      headingLevel={headingLevel}
      summary={summary}
      controls={
        <>
          <RunSelect runs={runs} value={shownMeta?.run ?? 0} onChange={setRun} label="Histogram of run" />
          <fieldset className="control control--choice" data-control="bars">
            <legend className="control__label">Histogram bars show</legend>
            {(
              [
                ['count', 'number of elements (log)'],
                ['loss', 'share of the loss'],
              ] as const
            ).map(([v, label]) => (
              <label key={v} className="control__option">
                <input
                  type="radio"
                  name={radioName}
                  value={v}
                  checked={mode === v}
                  onChange={() => setMode(v)}
                />
                {label}
              </label>
            ))}
          </fieldset>
        </>
      }
      tables={[
        {
          caption: 'Shares of the classification loss per run (probe images)',
          name: 'shares',
          columns: [
            { key: 'run', label: 'Run' },
            ...GROUPS.map((g) => ({ key: g.key, label: `${g.label} (share)` })),
            { key: 'npos', label: 'positive elements' },
            { key: 'nhard', label: 'hard negative elements' },
            { key: 'neasy', label: 'easy negative elements' },
          ],
          rows: data.map((r) => [
            runName(runs.find((q) => q.run === r.run) ?? { run: r.run, label: '' }),
            ...GROUPS.map((g) => fmtPercent(r.shares[g.key], 4)),
            fmtCount(r.numPos),
            fmtCount(r.numHardNeg),
            fmtCount(r.numEasyNeg),
          ]),
        },
        {
          caption: `p_t histogram of ${runName(shownMeta ?? undefined)} with its loss ℓ(p_t) at the bin centres`,
          name: 'histogram',
          columns: [
            { key: 'bin', label: 'p_t bin' },
            { key: 'cneg', label: 'negatives' },
            { key: 'cpos', label: 'positives' },
            { key: 'lneg', label: 'loss share, negatives' },
            { key: 'lpos', label: 'loss share, positives' },
            { key: 'ellneg', label: 'ℓ(p_t), negative' },
            { key: 'ellpos', label: 'ℓ(p_t), positive' },
          ],
          rows: () =>
            d
              ? Array.from({ length: bins }, (_, b) => [
                  binRange(b),
                  fmtCount(d.countNeg[b]),
                  fmtCount(d.countPos[b]),
                  fmtPercent(d.lossNeg[b], 4),
                  fmtPercent(d.lossPos[b], 4),
                  fmt(d.curveNeg[b], 4),
                  fmt(d.curvePos[b], 4),
                ])
              : [],
        },
      ]}
    >
      <div className="figure__plot" ref={ref}>
        {!lossShare ? (
          <p className="pg-empty">Press Play or Step: the breakdown appears after the first update.</p>
        ) : (
          <>
            <p className="figure__subtitle">Shares of the classification loss, per run</p>
            <StackedBars
              width={width}
              rows={barRows(data, runs)}
              max={1}
              format={(v) => fmtPercent(v, 2)}
              segmentText={(s) => fmtPercent(s.value, 2)}
              xLabel="share of the classification loss"
              title="Shares of the classification loss from positives, hard and easy negatives"
            />
            <Legend
              label="Bar segments"
              items={GROUPS.map((g) => ({
                key: g.key,
                label: g.label === 'hard negatives' ? 'hard negatives (p_t < 0.5)' : g.label,
                color: g.color,
                kind: 'swatch' as const,
                hatch: g.hatch,
              }))}
            />
            {d && edges && (
              <>
                <p className="figure__subtitle">
                  p_t of every element of {runName(shownMeta ?? undefined)}, over its loss ℓ(p_t)
                </p>
                <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} data-chart="histogram">
                  <title>
                    {mode === 'count'
                      ? 'Number of elements per p_t bin (log scale), with the loss curve'
                      : 'Share of the loss per p_t bin, with the loss curve'}
                  </title>
                  <g transform={`translate(${M.left},${M.top})`}>
                    <rect className="plot__shade" x={x(0.5)} y={0} width={x(1) - x(0.5)} height={ih} />
                    <text className="plot__shade-label" x={(x(0.5) + x(1)) / 2} y={12} textAnchor="middle">
                      {iw < 360 ? 'p_t ≥ 0.5' : 'well classified (p_t ≥ 0.5)'}
                    </text>
                    <Axis
                      scale={yL}
                      orient="left"
                      offset={0}
                      tickValues={mode === 'count' ? countTicks : undefined}
                      format={mode === 'count' ? fmtPow10 : (v) => `${fmt(v, 3)}%`}
                      label={mode === 'count' ? 'elements per bin (log)' : 'share of the loss (%)'}
                      grid={iw}
                    />
                    <Axis
                      scale={x}
                      orient="bottom"
                      offset={ih}
                      tickValues={iw < 300 ? [0, 0.5, 1] : [0, 0.2, 0.4, 0.6, 0.8, 1]}
                      label="p_t, the probability of the true label"
                    />
                    <g className="pg-hist" data-mode={mode}>
                      {Array.from({ length: bins }, (_, b) => (
                        <g key={b}>
                          <path
                            className="bar"
                            data-series="neg"
                            d={bar(b, mode === 'count' ? d.countNeg[b] : d.lossNeg[b], 0)}
                            fill={NEG_FILL}
                          />
                          <path
                            className="bar"
                            data-series="pos"
                            d={bar(b, mode === 'count' ? d.countPos[b] : d.lossPos[b], 1)}
                            fill={POS_FILL}
                          />
                        </g>
                      ))}
                    </g>
                    <LinePath
                      series="curve-neg"
                      xs={centres}
                      ys={Array.from(d.curveNeg)}
                      xScale={x}
                      yScale={yLoss}
                      color={color}
                      width={2.5}
                    />
                    <LinePath
                      series="curve-pos"
                      xs={centres}
                      ys={Array.from(d.curvePos)}
                      xScale={x}
                      yScale={yLoss}
                      color={color}
                      dash={POS_DASH}
                      width={2.5}
                    />
                    <g className="axis axis--y-right" aria-hidden="true">
                      {yLoss.ticks(4).map((v) => (
                        <g key={v} transform={`translate(${iw},${yLoss(v)})`}>
                          <line className="axis__tick" x2={6} />
                          <text className="axis__label" x={9} dy="0.32em">
                            {fmt(v)}
                          </text>
                        </g>
                      ))}
                      <line className="axis__domain" x1={iw} x2={iw} y1={0} y2={ih} />
                      <text
                        className="axis__title"
                        transform={`translate(${iw + 38},${ih / 2}) rotate(90)`}
                        textAnchor="middle"
                      >
                        loss ℓ(p_t)
                      </text>
                    </g>
                    {at !== null && (
                      <rect
                        className="pg-bin-focus"
                        x={x(edges[at])}
                        y={0}
                        width={x(edges[at + 1]) - x(edges[at])}
                        height={ih}
                        pointerEvents="none"
                      />
                    )}
                    <FocusArea
                      width={iw}
                      height={ih}
                      count={bins}
                      index={at}
                      onIndex={setIndex}
                      indexAt={(px) => Math.floor((px / iw) * bins)}
                      startIndex={bins - 1}
                      label="p_t histogram: use ← and → to move between bins"
                      valueText={binText(readBin)}
                    />
                  </g>
                </svg>
                <Legend
                  label="Histogram"
                  items={[
                    { key: 'neg', label: 'negatives', color: NEG_FILL, kind: 'swatch' },
                    { key: 'pos', label: 'positives', color: POS_FILL, kind: 'swatch' },
                    { key: 'curve-neg', label: 'ℓ(p_t) of a negative', color, width: 2.5 },
                    { key: 'curve-pos', label: 'ℓ(p_t) of a positive', color, dash: POS_DASH, width: 2.5 },
                  ]}
                />
                <div className="readouts">
                  <p className="readout readout--wide" data-readout="bin">
                    <strong>{at === null ? 'Last bin' : 'Bin'}</strong> {binText(readBin)}.
                  </p>
                </div>
              </>
            )}
          </>
        )}
      </div>
    </ViewSection>
  );
}

export default memo(LossShareView);
