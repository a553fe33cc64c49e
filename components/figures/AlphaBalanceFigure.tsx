'use client';
import { useMemo, useState, type ReactNode } from 'react';
import { scaleLinear } from 'd3-scale';
import { lossCurves, ptGrid, type CurveSetting } from '@/lib/loss';
import { fmt, fmtFixed, fmtTimes } from '@/lib/params/format';
import { ALPHA_BALANCE_PREFIX, alphaBalanceSchema } from '@/lib/params/figures';
import LineChart from '../chart/LineChart';
import Legend from '../chart/Legend';
import Slider from '../chart/Slider';
import CrosshairReadout from './CrosshairReadout';
import FigureFrame from './FigureFrame';
import { useFigure } from './useFigure';
import { evenGrid, MARGIN, once, plotHeight, timed } from './shared';

const PLOT_PT = ptGrid();
const CROSS_PT = evenGrid(0.01, 0.99, 0.01, 2);
const ALL_PT = [...PLOT_PT, ...CROSS_PT];
const I10 = CROSS_PT.indexOf(0.1);
const I50 = CROSS_PT.indexOf(0.5);
const I90 = CROSS_PT.indexOf(0.9);

/** Colour says which loss (CE blue, FL vermillion), dash says which class (solid positive, dashed negative). */
const SERIES = [
  { name: 'ce-pos', label: 'α-CE, positive (weight α)', color: 'var(--series-1)', dash: undefined, width: 2 },
  { name: 'ce-neg', label: 'α-CE, negative (weight 1 − α)', color: 'var(--series-1)', dash: '7 4', width: 2 },
  { name: 'fl-pos', label: 'α-FL, positive', color: 'var(--series-2)', dash: undefined, width: 3 },
  { name: 'fl-neg', label: 'α-FL, negative', color: 'var(--series-2)', dash: '7 4', width: 3 },
  { name: 'ce', label: 'CE, unweighted', color: 'var(--muted)', dash: '2 3', width: 1.5 },
] as const;

function settings(alpha: number, gamma: number): CurveSetting[] {
  return [
    { gamma: 0, alpha, target: 1 },
    { gamma: 0, alpha, target: 0 },
    { gamma, alpha, target: 1 },
    { gamma, alpha, target: 0 },
  ];
}
const split = (rows: number[][]) =>
  rows.map((r) => ({ plot: r.slice(0, PLOT_PT.length), cross: r.slice(PLOT_PT.length) }));
const unweighted = once(() =>
  timed(() => split(lossCurves(ALL_PT, [{ gamma: 0, alpha: null, target: 1 }]))[0]),
);

export interface AlphaBalanceFigureProps {
  /** URL key prefix (default `ab`): `ab.alpha=0.25&ab.gamma=2`. */
  prefix?: string;
  title?: ReactNode;
}

export default function AlphaBalanceFigure({
  prefix = ALPHA_BALANCE_PREFIX,
  title = 'α balances the classes; γ separates easy from hard',
}: AlphaBalanceFigureProps) {
  const { state, setState, notices, dismiss, hydrated, ref, width } = useFigure(alphaBalanceSchema, prefix);
  const [index, setIndex] = useState<number | null>(null);
  const { alpha, gamma } = state;

  const base = hydrated ? unweighted() : null;
  const res = useMemo(
    () => (hydrated ? timed(() => split(lossCurves(ALL_PT, settings(alpha, gamma)))) : null),
    [alpha, gamma, hydrated],
  );
  const curves = [...(res?.value ?? []), ...(base?.value ? [base.value] : [])];

  const height = plotHeight(width);
  const iw = width - MARGIN.left - MARGIN.right;
  const ih = height - MARGIN.top - MARGIN.bottom;
  const x = useMemo(() => scaleLinear().domain([0, 1]).range([0, iw]), [iw]);
  const y = useMemo(() => scaleLinear().domain([0, 3]).range([ih, 0]), [ih]);

  const series = SERIES.map((s, k) => ({
    ...s,
    dash: s.dash as string | undefined,
    xs: PLOT_PT,
    ys: curves[k]?.plot ?? [],
    crossYs: curves[k]?.cross,
  }));
  const at = index ?? I90;
  const v = (k: number, i: number) => curves[k]?.cross[i];
  const hardEasy = (k: number) => (v(k, I10) ?? NaN) / (v(k, I90) ?? NaN);
  const valueText = `p_t = ${fmtFixed(CROSS_PT[at], 2)}: ${series.map((s, k) => `${s.label} ${fmt(v(k, at))}`).join('; ')}`;

  return (
    <FigureFrame
      id="alpha-balance"
      reveal={['fl-pos', 'fl-neg']}
      title={title}
      computeMs={res?.ms}
      error={res?.error ?? base?.error}
      notices={notices}
      onDismiss={dismiss}
      controls={
        <>
          <Slider
            spec={alphaBalanceSchema[0]}
            value={alpha}
            onChange={(a) => setState({ alpha: a })}
            format={(a) => `α = ${fmtFixed(a, 2)} (negatives ${fmtFixed(1 - a, 2)})`}
          />
          <Slider
            spec={alphaBalanceSchema[1]}
            value={gamma}
            onChange={(g) => setState({ gamma: g })}
            format={(g) => `γ = ${fmtFixed(g, 1)}`}
          />
        </>
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
            rows={series.map((s, k) => ({ key: s.name, label: s.label, value: v(k, at) }))}
          />
          <div className="readout" data-readout="hard-easy">
            <strong>Hard (p_t = 0.1) ÷ easy (p_t = 0.9) loss</strong>
            <table className="readout__table">
              <tbody>
                {SERIES.slice(0, 4).map((s, k) => (
                  <tr key={s.name}>
                    <th scope="row">{s.label}</th>
                    <td>{fmtTimes(hardEasy(k))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              Moving α leaves the CE ratio at {fmtTimes(hardEasy(0))} for both classes: α only rescales a
              whole curve. γ = {fmtFixed(gamma, 1)} raises it to {fmtTimes(hardEasy(2))}.
            </p>
          </div>
          <p className="readout" data-readout="class-weight">
            A positive counts {fmtTimes((v(0, I50) ?? NaN) / (v(1, I50) ?? NaN))} as much as a negative at the
            same p_t (α-CE), and the same {fmtTimes((v(2, I50) ?? NaN) / (v(3, I50) ?? NaN))} under α-FL. The
            paper&apos;s best setting is α = 0.25 with γ = 2 (Table 1b): with the focal term down-weighting
            the many easy negatives, the rare positives end up with the smaller weight.
          </p>
        </>
      }
      caption={
        <>
          α-balanced cross-entropy −α<sub>t</sub> log p_t (blue) and α-balanced focal loss −α<sub>t</sub>(1 −
          p_t)
          <sup>γ</sup> log p_t (vermillion), for a positive example (solid, weight α = {fmtFixed(alpha, 2)})
          and a negative one (dashed, weight 1 − α = {fmtFixed(1 - alpha, 2)}), against the probability p_t of
          the true class; the dotted grey curve is plain CE. Changing α moves the solid and dashed curves
          apart but never changes their shape, so easy and hard examples of one class keep the same
          proportion; only γ flattens the easy end (paper §3.1–3.2). Values computed live by the TensorFlow.js
          loss core.
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
          title="α-balanced CE and FL against p_t"
          width={width}
          height={height}
          margin={MARGIN}
          xScale={x}
          yScale={y}
          series={series}
          xLabel="probability of the true class, p_t"
          yLabel="loss"
          xTicks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
          yTicks={[0, 0.5, 1, 1.5, 2, 2.5, 3]}
          crossXs={CROSS_PT}
          index={index}
          onIndex={setIndex}
          startIndex={I90}
          focusLabel="Loss curves: use ← and → to move along p_t"
          focusValueText={valueText}
          underlay={
            <rect className="plot__shade" x={x(0.5)} y={0} width={Math.max(0, x(1) - x(0.5))} height={ih} />
          }
        />
      </div>
    </FigureFrame>
  );
}
