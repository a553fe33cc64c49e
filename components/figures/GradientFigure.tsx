'use client';
import { useMemo, useState, type ReactNode } from 'react';
import { scaleLinear } from 'd3-scale';
import { gradientCurves, type CurveSetting } from '@/lib/loss';
import { fmt, fmtFixed, fmtTimes } from '@/lib/params/format';
import { GRADIENT_PREFIX, gradientSchema } from '@/lib/params/figures';
import Choice from '../chart/Choice';
import LineChart from '../chart/LineChart';
import Legend from '../chart/Legend';
import Slider from '../chart/Slider';
import Toggle from '../chart/Toggle';
import CrosshairReadout from './CrosshairReadout';
import FigureFrame from './FigureFrame';
import { useFigure } from './useFigure';
import { evenGrid, HIGHLIGHT, MARGIN, plotHeight, STYLES, timed } from './shared';

const X_MAX = 6;
const PLOT_X = evenGrid(-X_MAX, X_MAX, 0.05, 2);
const CROSS_X = evenGrid(-X_MAX, X_MAX, 0.1, 1);
const ALL_X = [...PLOT_X, ...CROSS_X];
const N_PLOT = PLOT_X.length;

/** The paper's Figure 6 set: CE, FL γ = 2, FL* (γ = 2, β = 1), FL* (γ = 4, β = 0). */
const FIXED = [
  { name: 'ce', label: 'CE', setting: { gamma: 0, alpha: null }, style: STYLES[0], star: false },
  { name: 'fl-2', label: 'FL γ = 2', setting: { gamma: 2, alpha: null }, style: STYLES[1], star: false },
  {
    name: 'fl-star-2-1',
    label: 'FL* γ = 2, β = 1',
    setting: { gamma: 2, beta: 1, alpha: null, kind: 'focal_star' },
    style: STYLES[2],
    star: true,
  },
  {
    name: 'fl-star-4-0',
    label: 'FL* γ = 4, β = 0',
    setting: { gamma: 4, beta: 0, alpha: null, kind: 'focal_star' },
    style: STYLES[3],
    star: true,
  },
] as const;

type Split = { plot: number[]; cross: number[] };
const split = (rows: number[][]): Split[] =>
  rows.map((r) => ({ plot: r.slice(0, N_PLOT), cross: r.slice(N_PLOT) }));

/** Fixed curves per target, computed once each (module cache: they never change). */
const fixedCache = new Map<0 | 1, ReturnType<typeof timed<Split[]>>>();
function fixedCurves(target: 0 | 1) {
  let r = fixedCache.get(target);
  if (!r) {
    r = timed(() =>
      split(
        gradientCurves(
          ALL_X,
          FIXED.map((f) => ({ ...f.setting, target }) as CurveSetting),
        ),
      ),
    );
    fixedCache.set(target, r);
  }
  return r;
}

export interface GradientFigureProps {
  /** URL key prefix (default `gr`): `gr.gamma=2&gr.target=neg&gr.star=0`. */
  prefix?: string;
  title?: ReactNode;
}

export default function GradientFigure({
  prefix = GRADIENT_PREFIX,
  title = 'Gradient of the loss with respect to the logit x',
}: GradientFigureProps) {
  const { state, setState, notices, dismiss, hydrated, ref, width } = useFigure(gradientSchema, prefix);
  const [index, setIndex] = useState<number | null>(null);
  const { gamma, star } = state;
  const target: 0 | 1 = state.target === 'neg' ? 0 : 1;
  const sign = target === 1 ? 1 : -1;

  const fixed = hydrated ? fixedCurves(target) : null;
  const sel = useMemo(
    () => (hydrated ? timed(() => split(gradientCurves(ALL_X, [{ gamma, alpha: null, target }]))[0]) : null),
    [gamma, target, hydrated],
  );

  const height = plotHeight(width);
  const iw = width - MARGIN.left - MARGIN.right;
  const ih = height - MARGIN.top - MARGIN.bottom;
  const x = useMemo(() => scaleLinear().domain([-X_MAX, X_MAX]).range([0, iw]), [iw]);
  const y = useMemo(
    () =>
      scaleLinear()
        .domain(target === 1 ? [-1.4, 0.2] : [-0.2, 1.4])
        .range([ih, 0]),
    [ih, target],
  );

  const series = [
    ...FIXED.map((f, k) => ({ ...f, index: k }))
      .filter((f) => star || !f.star)
      .map((f) => ({
        name: f.name,
        label: f.label,
        xs: PLOT_X,
        ys: fixed?.value?.[f.index].plot ?? [],
        crossYs: fixed?.value?.[f.index].cross,
        ...f.style,
        width: 2,
      })),
    {
      name: 'selected',
      label: `FL γ = ${fmtFixed(gamma, 1)} (slider)`,
      xs: PLOT_X,
      ys: sel?.value?.plot ?? [],
      crossYs: sel?.value?.cross,
      ...HIGHLIGHT,
    },
  ];
  const i0 = CROSS_X.indexOf(0);
  const at = index ?? CROSS_X.indexOf(2 * sign);
  const valueText = `x = ${fmtFixed(CROSS_X[at], 1)}: ${series.map((s) => `${s.label} ${fmt(s.crossYs?.[at])}`).join('; ')}`;

  // x_t = y·x: +3 is an easy example of the chosen class, −3 a badly misclassified one.
  const iEasy = CROSS_X.indexOf(3 * sign);
  const iHard = CROSS_X.indexOf(-3 * sign);
  const ce = fixed?.value?.[0].cross;
  const fl = sel?.value?.cross;
  const ratio = (i: number) => (ce && fl ? ce[i] / fl[i] : NaN);
  const yTicks =
    target === 1
      ? [-1.4, -1.2, -1, -0.8, -0.6, -0.4, -0.2, 0, 0.2]
      : [-0.2, 0, 0.2, 0.4, 0.6, 0.8, 1, 1.2, 1.4];

  return (
    <FigureFrame
      id="gradients"
      reveal={['selected']}
      title={title}
      computeMs={sel?.ms}
      error={sel?.error ?? fixed?.error}
      notices={notices}
      onDismiss={dismiss}
      controls={
        <>
          <Slider
            spec={gradientSchema[0]}
            value={gamma}
            onChange={(g) => setState({ gamma: g })}
            format={(g) => `γ = ${fmtFixed(g, 1)}`}
          />
          <Choice
            spec={gradientSchema[1]}
            value={state.target}
            onChange={(t) => setState({ target: t as 'pos' | 'neg' })}
          />
          <Toggle
            name="star"
            label={gradientSchema[2].label}
            checked={star}
            onChange={(b) => setState({ star: b })}
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
            heading={`dL/dx at x = ${fmtFixed(CROSS_X[at], 1)} (x_t = ${fmtFixed(sign * CROSS_X[at], 1)})`}
            rows={series.map((s) => ({ key: s.name, label: s.label, value: s.crossYs?.[at] }))}
          />
          <p className="readout" data-readout="easy-hard">
            For a well-classified {target === 1 ? 'positive' : 'negative'} (x_t = 3), FL with γ ={' '}
            {fmtFixed(gamma, 1)} has a gradient <strong>{fmtTimes(ratio(iEasy))} smaller</strong> than
            CE&apos;s ({fmt(fl?.[iEasy])} vs {fmt(ce?.[iEasy])}). For a badly misclassified one (x_t = −3)
            FL&apos;s gradient stays as large as CE&apos;s: {fmt(fl?.[iHard])} vs {fmt(ce?.[iHard])}. At x = 0
            (p_t = 0.5): {fmt(fl?.[i0])} vs {fmt(ce?.[i0])}.
          </p>
        </>
      }
      caption={
        <>
          The derivative dL/dx of each loss with respect to the logit x, for a{' '}
          {target === 1 ? 'positive (y = 1)' : 'negative (y = −1)'} example, as in the paper&apos;s Figure 6
          and Appendix B: CE, FL with γ = 2{star ? ', FL* with γ = 2, β = 1 and with γ = 4, β = 0' : ''}, and
          (thick) FL with the slider&apos;s γ = {fmtFixed(gamma, 1)}. All gradients approach{' '}
          {target === 1 ? '−1' : '1'} for badly misclassified examples; for well-classified ones (x_t = y·x
          large) the focal variants fall to zero much sooner than CE. Each value is the automatic derivative
          (tf.grad) of the TensorFlow.js loss core.
        </>
      }
      table={{
        caption: 'dL/dx values plotted, by logit x',
        columns: [{ key: 'x', label: 'x' }, ...series.map((s) => ({ key: s.name, label: s.label }))],
        rows: () => PLOT_X.map((v, i) => [fmtFixed(v, 2), ...series.map((s) => fmt(s.ys[i], 4))]),
      }}
    >
      <div className="figure__plot" ref={ref}>
        <LineChart
          title="dL/dx against the logit x"
          width={width}
          height={height}
          margin={MARGIN}
          xScale={x}
          yScale={y}
          series={series}
          xLabel={`logit x (x_t = ${target === 1 ? 'x' : '−x'})`}
          yLabel="dL/dx"
          xTicks={[-6, -4, -2, 0, 2, 4, 6]}
          yTicks={yTicks}
          crossXs={CROSS_X}
          index={index}
          onIndex={setIndex}
          startIndex={CROSS_X.indexOf(2 * sign)}
          focusLabel="Gradient curves: use ← and → to move along x"
          focusValueText={valueText}
          underlay={<line className="plot__ref" x1={0} x2={iw} y1={y(0)} y2={y(0)} />}
        />
      </div>
    </FigureFrame>
  );
}
