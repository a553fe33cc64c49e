'use client';
import { useMemo, useState, type ReactNode } from 'react';
import { scaleLinear } from 'd3-scale';
import { lossCurves, ptGrid, type CurveSetting } from '@/lib/loss';
import { fmt, fmtFixed, fmtTimes } from '@/lib/params/format';
import { LOSS_VS_PT_PREFIX, lossVsPtSchema } from '@/lib/params/figures';
import LineChart from '../chart/LineChart';
import Legend from '../chart/Legend';
import Slider from '../chart/Slider';
import CrosshairReadout from './CrosshairReadout';
import FigureFrame from './FigureFrame';
import { useFigure } from './useFigure';
import { evenGrid, HIGHLIGHT, MARGIN, once, plotHeight, STYLES, timed } from './shared';

/** Figure 1 of the paper: CE (γ = 0) and FL for γ ∈ {0.5, 1, 2, 5}. */
const GAMMAS = [0, 0.5, 1, 2, 5] as const;
const SETTINGS: CurveSetting[] = GAMMAS.map((gamma) => ({ gamma, alpha: null, target: 1 }));
const seriesName = (g: number) => `gamma-${g}`;
const seriesLabel = (g: number) => (g === 0 ? 'CE (γ = 0)' : `FL γ = ${g}`);

/** Logit-spaced plotting grid (dense where the curves bend) and a round grid for the crosshair. */
const PLOT_PT = ptGrid();
const CROSS_PT = evenGrid(0.01, 0.99, 0.01, 2);
const ALL_PT = [...PLOT_PT, ...CROSS_PT];
const I90 = CROSS_PT.indexOf(0.9);
const I50 = CROSS_PT.indexOf(0.5);

function split(rows: number[][]) {
  return rows.map((r) => ({ plot: r.slice(0, PLOT_PT.length), cross: r.slice(PLOT_PT.length) }));
}
const reference = once(() => timed(() => split(lossCurves(ALL_PT, SETTINGS))));

export interface LossVsPtFigureProps {
  /** URL key prefix (default `fl`): `fl.gamma=2`. */
  prefix?: string;
  title?: ReactNode;
}

export default function LossVsPtFigure({
  prefix = LOSS_VS_PT_PREFIX,
  title = 'Loss against p_t for several focusing parameters γ',
}: LossVsPtFigureProps) {
  const { state, setState, notices, dismiss, hydrated, ref, width } = useFigure(lossVsPtSchema, prefix);
  const [index, setIndex] = useState<number | null>(null);
  const { gamma } = state;

  const ref0 = hydrated ? reference() : null;
  const sel = useMemo(
    () => (hydrated ? timed(() => split(lossCurves(ALL_PT, [{ gamma, alpha: null, target: 1 }]))[0]) : null),
    [gamma, hydrated],
  );

  const height = plotHeight(width);
  const iw = width - MARGIN.left - MARGIN.right;
  const ih = height - MARGIN.top - MARGIN.bottom;
  const x = useMemo(() => scaleLinear().domain([0, 1]).range([0, iw]), [iw]);
  const y = useMemo(() => scaleLinear().domain([0, 5]).range([ih, 0]), [ih]);

  const refCurves = ref0?.value ?? null;
  const selCurve = sel?.value ?? null;
  const series = [
    ...GAMMAS.map((g, k) => ({
      name: seriesName(g),
      label: seriesLabel(g),
      xs: PLOT_PT,
      ys: refCurves?.[k].plot ?? [],
      crossYs: refCurves?.[k].cross,
      ...STYLES[k],
      width: 2,
    })),
    {
      name: 'selected',
      label: `FL γ = ${fmtFixed(gamma, 1)} (slider)`,
      xs: PLOT_PT,
      ys: selCurve?.plot ?? [],
      crossYs: selCurve?.cross,
      ...HIGHLIGHT,
    },
  ];

  const at = index ?? I90;
  const valueAt = (s: (typeof series)[number], i: number) => s.crossYs?.[i];
  const valueText = `p_t = ${fmtFixed(CROSS_PT[at], 2)}: ${series.map((s) => `${s.label} ${fmt(valueAt(s, at))}`).join('; ')}`;
  const ce = refCurves?.[0].cross;
  const fl = selCurve?.cross;

  return (
    <FigureFrame
      id="loss-vs-pt"
      reveal={['selected']}
      title={title}
      computeMs={sel?.ms}
      error={sel?.error ?? ref0?.error}
      notices={notices}
      onDismiss={dismiss}
      controls={
        <Slider
          spec={lossVsPtSchema[0]}
          value={gamma}
          onChange={(v) => setState({ gamma: v })}
          format={(v) => `γ = ${fmtFixed(v, 1)}`}
        />
      }
      legend={
        <Legend
          items={series.map((s) => ({
            key: s.name,
            label: s.label,
            color: s.color,
            dash: s.dash,
            width: s.width,
          }))}
        />
      }
      readouts={
        <>
          <CrosshairReadout
            heading={`At p_t = ${fmtFixed(CROSS_PT[at], 2)}`}
            rows={series.map((s) => ({ key: s.name, label: s.label, value: valueAt(s, at) }))}
          />
          <p className="readout" data-readout="ratio">
            With <strong>γ = {fmtFixed(gamma, 1)}</strong>, an example at p_t = 0.9 has loss {fmt(fl?.[I90])},{' '}
            <strong>{fmtTimes(ce && fl ? ce[I90] / fl[I90] : NaN)} less</strong> than under CE (
            {fmt(ce?.[I90])}). At p_t = 0.5 the reduction is {fmtTimes(ce && fl ? ce[I50] / fl[I50] : NaN)}.
            (The paper, §3.2: 100× at 0.9 for γ = 2, at most 4× for p_t ≤ 0.5.)
          </p>
        </>
      }
      caption={
        <>
          Loss against p_t, the probability the model gives the true class, for cross-entropy (γ = 0) and
          focal loss FL(p_t) = −(1 − p_t)<sup>γ</sup> log p_t with γ = 0.5, 1, 2 and 5 (paper Figure 1), plus
          the thick curve for the γ chosen with the slider, now {fmtFixed(gamma, 1)}. All curves are high for
          badly classified examples (p_t near 0). In the shaded region of well-classified examples (p_t &gt;
          0.5) a larger γ pushes the loss towards zero, so easy examples stop adding up. Values are computed
          live by the site&apos;s TensorFlow.js loss core; hover or focus the plot and use ← → to read them.
        </>
      }
      table={{
        caption: 'Loss values plotted (nats), by p_t',
        columns: [{ key: 'pt', label: 'p_t' }, ...series.map((s) => ({ key: s.name, label: s.label }))],
        rows: () => PLOT_PT.map((p, i) => [fmt(p, 4), ...series.map((s) => fmt(s.ys[i], 4))]),
      }}
    >
      <div className="figure__plot" ref={ref}>
        <LineChart
          title="Loss against p_t"
          width={width}
          height={height}
          margin={MARGIN}
          xScale={x}
          yScale={y}
          series={series}
          xLabel="probability of the true class, p_t"
          yLabel="loss"
          xTicks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
          yTicks={[0, 1, 2, 3, 4, 5]}
          crossXs={CROSS_PT}
          index={index}
          onIndex={setIndex}
          startIndex={I90}
          focusLabel="Loss curves: use ← and → to move along p_t"
          focusValueText={valueText}
          underlay={
            <rect className="plot__shade" x={x(0.5)} y={0} width={Math.max(0, x(1) - x(0.5))} height={ih} />
          }
          overlay={
            <text className="plot__shade-label" x={(x(0.5) + x(1)) / 2} y={16} textAnchor="middle">
              well-classified examples
            </text>
          }
        />
      </div>
    </FigureFrame>
  );
}
