'use client';
import { useMemo, useState, type ReactNode } from 'react';
import { scaleLinear, scaleLog } from 'd3-scale';
import { modulatingFactorCurve, ptGrid } from '@/lib/loss';
import { fmt, fmtExp, fmtFixed, fmtPow10, fmtTimes } from '@/lib/params/format';
import { MODULATING_FACTOR_PREFIX, modulatingFactorSchema } from '@/lib/params/figures';
import LineChart from '../chart/LineChart';
import Legend from '../chart/Legend';
import Slider from '../chart/Slider';
import Toggle from '../chart/Toggle';
import type { NumScale } from '../chart/types';
import CrosshairReadout from './CrosshairReadout';
import FigureFrame from './FigureFrame';
import { useFigure } from './useFigure';
import { evenGrid, HIGHLIGHT, MARGIN, once, plotHeight, STYLES, timed } from './shared';

const GAMMAS = [0, 0.5, 1, 2, 5] as const;
const PLOT_PT = ptGrid();
const CROSS_PT = evenGrid(0.01, 0.99, 0.01, 2);
/** Fine grid on which the first p_t reaching a 100× / 1000× reduction is looked up. */
const FINE_PT = evenGrid(0.5, 0.9999, 0.0001, 4);
const N_PLOT = PLOT_PT.length;
const N_CROSS = CROSS_PT.length;
const LOG_FLOOR = 1e-6;

type Curve = { plot: number[]; cross: number[]; fine: number[] };

/** One core call per γ: plot grid, crosshair grid and fine grid in one tensor. */
function factorCurve(gamma: number): Curve {
  const all = modulatingFactorCurve({ pt: [...PLOT_PT, ...CROSS_PT, ...FINE_PT], gamma });
  return {
    plot: all.slice(0, N_PLOT),
    cross: all.slice(N_PLOT, N_PLOT + N_CROSS),
    fine: all.slice(N_PLOT + N_CROSS),
  };
}
const reference = once(() => timed(() => GAMMAS.map((g) => factorCurve(g))));

/** First p_t on the fine grid where the factor is at most 1/times, or NaN if it never gets there. */
function firstReaching(fine: readonly number[] | undefined, times: number): number {
  if (!fine) return NaN;
  const k = fine.findIndex((f) => f <= 1 / times);
  return k < 0 ? NaN : FINE_PT[k];
}

export interface ModulatingFactorFigureProps {
  /** URL key prefix (default `mf`): `mf.pt=0.9&mf.gamma=2&mf.logy=1`. */
  prefix?: string;
  title?: ReactNode;
}

export default function ModulatingFactorFigure({
  prefix = MODULATING_FACTOR_PREFIX,
  title = (
    <>
      The modulating factor (1 − p_t)<sup>γ</sup>
    </>
  ),
}: ModulatingFactorFigureProps) {
  const { state, setState, notices, dismiss, hydrated, ref, width } = useFigure(
    modulatingFactorSchema,
    prefix,
  );
  const [index, setIndex] = useState<number | null>(null);
  const { pt, gamma, logy } = state;

  const ref0 = hydrated ? reference() : null;
  const sel = useMemo(() => (hydrated ? timed(() => factorCurve(gamma)) : null), [gamma, hydrated]);
  // The p_t slider only needs one more value: a separate one-element call keeps the curves memoised.
  const point = useMemo(
    () => (hydrated ? timed(() => modulatingFactorCurve({ pt: [pt], gamma })[0]) : null),
    [gamma, pt, hydrated],
  );
  const refCurves = ref0?.value ?? null;
  const selCurve = sel?.value ?? null;

  const height = plotHeight(width);
  const iw = width - MARGIN.left - MARGIN.right;
  const ih = height - MARGIN.top - MARGIN.bottom;
  const x = useMemo(() => scaleLinear().domain([0, 1]).range([0, iw]), [iw]);
  const y: NumScale = useMemo(
    () =>
      logy ? scaleLog().domain([LOG_FLOOR, 1]).range([ih, 0]) : scaleLinear().domain([0, 1]).range([ih, 0]),
    [ih, logy],
  );

  const series = [
    ...GAMMAS.map((g, k) => ({
      name: `gamma-${g}`,
      label: g === 0 ? 'γ = 0 (CE: factor 1)' : `γ = ${g}`,
      xs: PLOT_PT,
      ys: refCurves?.[k].plot ?? [],
      crossYs: refCurves?.[k].cross,
      ...STYLES[k],
      width: 2,
    })),
    {
      name: 'selected',
      label: `γ = ${fmtFixed(gamma, 1)} (slider)`,
      xs: PLOT_PT,
      ys: selCurve?.plot ?? [],
      crossYs: selCurve?.cross,
      ...HIGHLIGHT,
    },
  ];
  const at = index ?? CROSS_PT.indexOf(0.9);
  const valueText = `p_t = ${fmtFixed(CROSS_PT[at], 2)}: ${series.map((s) => `${s.label} ${fmt(s.crossYs?.[at])}`).join('; ')}`;
  const factor = point?.value ?? undefined;
  const at100 = firstReaching(selCurve?.fine, 100);
  const at1000 = firstReaching(selCurve?.fine, 1000);
  const fmtPt = (p: number) => (Number.isFinite(p) ? `p_t ≈ ${fmt(p, 4)}` : 'not before p_t = 0.9999');
  const markerY = factor === undefined ? NaN : y(logy ? Math.max(factor, LOG_FLOOR) : factor);

  return (
    <FigureFrame
      id="modulating-factor"
      reveal={['selected']}
      title={title}
      computeMs={(sel?.ms ?? 0) + (point?.ms ?? 0)}
      error={sel?.error ?? point?.error ?? ref0?.error}
      notices={notices}
      onDismiss={dismiss}
      controls={
        <>
          <Slider
            spec={modulatingFactorSchema[0]}
            value={pt}
            onChange={(p) => setState({ pt: p })}
            format={(p) => `p_t = ${fmtFixed(p, 3)}`}
          />
          <Slider
            spec={modulatingFactorSchema[1]}
            value={gamma}
            onChange={(g) => setState({ gamma: g })}
            format={(g) => `γ = ${fmtFixed(g, 1)}`}
          />
          <Toggle
            name="logy"
            label={modulatingFactorSchema[2].label}
            checked={logy}
            onChange={(b) => setState({ logy: b })}
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
          <p className="readout" data-readout="reduction">
            At <strong>p_t = {fmtFixed(pt, 3)}</strong>, γ = {fmtFixed(gamma, 1)} multiplies the loss by{' '}
            {factor !== undefined && factor < 1e-3 ? fmtExp(factor, 3) : fmt(factor, 3)}: it{' '}
            <strong>scales the loss down {fmtTimes(factor === undefined ? NaN : 1 / factor)}</strong> compared
            with cross-entropy.
          </p>
          <p className="readout" data-readout="thresholds">
            With γ = {fmtFixed(gamma, 1)} the reduction reaches 100× from {fmtPt(at100)} and 1000× from{' '}
            {fmtPt(at1000)}. The paper (§3.2) quotes γ = 2: 100× at p_t = 0.9 and 1000× at p_t ≈ 0.968.
          </p>
          <CrosshairReadout
            heading={`At p_t = ${fmtFixed(CROSS_PT[at], 2)}`}
            rows={series.map((s) => ({ key: s.name, label: s.label, value: s.crossYs?.[at] }))}
          />
        </>
      }
      caption={
        <>
          The factor (1 − p_t)<sup>γ</sup> by which the focal loss multiplies cross-entropy, against p_t, for
          γ = 0, 0.5, 1, 2 and 5 and (thick) the slider&apos;s γ = {fmtFixed(gamma, 1)}, on a{' '}
          {logy ? 'logarithmic' : 'linear'} y axis. The marker shows the slider&apos;s p_t = {fmtFixed(pt, 3)}
          . The factor is close to 1 for misclassified examples (small p_t) and falls towards 0 as examples
          become easy, faster for larger γ. Computed live by the TensorFlow.js loss core.
        </>
      }
      table={{
        caption: 'Modulating factor plotted, by p_t',
        columns: [{ key: 'pt', label: 'p_t' }, ...series.map((s) => ({ key: s.name, label: s.label }))],
        rows: () => PLOT_PT.map((p, i) => [fmt(p, 4), ...series.map((s) => fmt(s.ys[i], 4))]),
      }}
    >
      <div className="figure__plot" ref={ref}>
        <LineChart
          title="Modulating factor against p_t"
          width={width}
          height={height}
          margin={MARGIN}
          xScale={x}
          yScale={y}
          series={series}
          xLabel="probability of the true class, p_t"
          yLabel={logy ? 'factor (log scale)' : 'modulating factor'}
          xTicks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
          yTicks={logy ? [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1] : [0, 0.2, 0.4, 0.6, 0.8, 1]}
          yFormat={logy ? fmtPow10 : undefined}
          crossXs={CROSS_PT}
          index={index}
          onIndex={setIndex}
          startIndex={CROSS_PT.indexOf(0.9)}
          focusLabel="Modulating factor curves: use ← and → to move along p_t"
          focusValueText={valueText}
          underlay={
            <path
              className="plot__ref"
              data-series="pt-marker"
              d={`M${x(pt).toFixed(2)},0V${ih}`}
              fill="none"
            />
          }
          overlay={
            Number.isFinite(markerY) ? (
              <circle
                data-reveal="main"
                cx={x(pt)}
                cy={markerY}
                r={5.5}
                fill="var(--series-hl)"
                stroke="var(--bg)"
                strokeWidth={2}
              />
            ) : null
          }
        />
      </div>
    </FigureFrame>
  );
}
