'use client';
import { useMemo, useState, type ReactNode } from 'react';
import { scaleLinear } from 'd3-scale';
import { lossVsLogitCurves, softmaxMarginCurve, softmaxMarginForPt, softmaxPtAtMargin } from '@/lib/loss';
import { fmt, fmtFixed, fmtTimes } from '@/lib/params/format';
import { SOFTMAX_PREFIX, softmaxSchema } from '@/lib/params/figures';
import LineChart from '../chart/LineChart';
import Legend from '../chart/Legend';
import Slider from '../chart/Slider';
import CrosshairReadout from './CrosshairReadout';
import FigureFrame from './FigureFrame';
import { useFigure } from './useFigure';
import { evenGrid, HIGHLIGHT, MARGIN, plotHeight, STYLES, timed } from './shared';

/** Logit margins plotted: the true class's logit minus each other class's (all others equal). */
const MARGINS = evenGrid(-3, 12, 0.2, 1);
const I0 = MARGINS.indexOf(0);
/** The paper's example of a well-classified example (§3.2). */
const PT_EASY = 0.9;

export interface SoftmaxFocalFigureProps {
  /** URL key prefix (default `sm`): `sm.gamma=2&sm.k=80`. */
  prefix?: string;
  title?: ReactNode;
}

export default function SoftmaxFocalFigure({
  prefix = SOFTMAX_PREFIX,
  title = 'Softmax focal loss for K classes, and the sigmoid form',
}: SoftmaxFocalFigureProps) {
  const { state, setState, notices, dismiss, hydrated, ref, width } = useFigure(softmaxSchema, prefix);
  const [index, setIndex] = useState<number | null>(null);
  const { gamma, k } = state;

  // Softmax CE depends on K only; the γ curves are recomputed when γ or K moves. Each is one pass of
  // softmaxFocalLoss over [margins, K] logits (no gradient), about 6k elements at K = 80.
  const ce = useMemo(
    () =>
      hydrated ? timed(() => softmaxMarginCurve([...MARGINS, softmaxMarginForPt(PT_EASY, k)], k, 0)) : null,
    [k, hydrated],
  );
  const fl = useMemo(
    () =>
      hydrated
        ? timed(() => {
            const mEasyK = softmaxMarginForPt(PT_EASY, k);
            const mEasy2 = softmaxMarginForPt(PT_EASY, 2);
            // The last entries of each curve are the readout's points, p_t = 0.9 for K and for 2 classes.
            const flK = softmaxMarginCurve([...MARGINS, mEasyK], k, gamma);
            const ms2 = [...MARGINS, mEasy2];
            const fl2 = softmaxMarginCurve(ms2, 2, gamma);
            // RetinaNet's form for the same example's true class: one sigmoid on the margin, FL with y = 1, no α.
            const [sig] = lossVsLogitCurves(ms2, [{ gamma, alpha: null, target: 1 }]);
            return { flK, fl2, sig, mEasyK, mEasy2 };
          })
        : null,
    [gamma, k, hydrated],
  );
  const n = MARGINS.length;
  const res = ce && fl ? { ms: ce.ms + fl.ms, error: ce.error ?? fl.error } : null;
  const r =
    ce?.value && fl?.value
      ? {
          ceK: ce.value.slice(0, n),
          flK: fl.value.flK.slice(0, n),
          fl2: fl.value.fl2.slice(0, n),
          sig: fl.value.sig.slice(0, n),
          easy: {
            mK: fl.value.mEasyK,
            m2: fl.value.mEasy2,
            ceK: ce.value[n],
            flK: fl.value.flK[n],
            fl2: fl.value.fl2[n],
            sig: fl.value.sig[n],
          },
        }
      : null;

  const height = plotHeight(width);
  const iw = width - MARGIN.left - MARGIN.right;
  const ih = height - MARGIN.top - MARGIN.bottom;
  const x = useMemo(() => scaleLinear().domain([-3, 12]).range([0, iw]), [iw]);
  const y = useMemo(() => scaleLinear().domain([0, 6]).range([ih, 0]), [ih]);
  const narrow = iw < 420;

  const series = [
    {
      name: 'softmax-ce',
      label: `softmax CE, K = ${k}`,
      ys: r?.ceK ?? [],
      ...STYLES[0],
      width: 2,
    },
    {
      name: 'softmax-fl-2',
      label: `softmax FL γ = ${fmtFixed(gamma, 1)}, K = 2`,
      ys: r?.fl2 ?? [],
      ...STYLES[1],
      width: 4,
    },
    {
      name: 'sigmoid-fl',
      label: `sigmoid FL γ = ${fmtFixed(gamma, 1)} (RetinaNet's form, true class)`,
      ys: r?.sig ?? [],
      ...STYLES[2],
      width: 2,
    },
    {
      name: 'selected',
      label: `softmax FL γ = ${fmtFixed(gamma, 1)}, K = ${k}`,
      ys: r?.flK ?? [],
      ...HIGHLIGHT,
    },
  ].map((s) => ({ ...s, xs: MARGINS, crossYs: s.ys.length ? s.ys : undefined }));

  const at = index ?? I0;
  const ptAt = softmaxPtAtMargin(MARGINS[at], k);
  const valueText = `margin ${fmtFixed(MARGINS[at], 1)} (p_t = ${fmt(ptAt, 3)} with K = ${k}): ${series
    .map((s) => `${s.label} ${fmt(s.crossYs?.[at])}`)
    .join('; ')}`;
  const e = r?.easy;

  return (
    <FigureFrame
      id="softmax-focal"
      reveal={['selected']}
      title={title}
      computeMs={res?.ms}
      error={res?.error}
      notices={notices}
      onDismiss={dismiss}
      controls={
        <>
          <Slider
            spec={softmaxSchema[0]}
            value={gamma}
            onChange={(v) => setState({ gamma: v })}
            format={(v) => `γ = ${fmtFixed(v, 1)}`}
          />
          <Slider
            spec={softmaxSchema[1]}
            value={k}
            onChange={(v) => setState({ k: v })}
            format={(v) => `K = ${v} classes`}
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
            heading={`At margin ${fmtFixed(MARGINS[at], 1)} (p_t = ${fmt(ptAt, 3)} among ${k} classes)`}
            rows={series.map((s) => ({ key: s.name, label: s.label, value: s.crossYs?.[at] }))}
          />
          <p className="readout" data-readout="easy">
            Among <strong>K = {k}</strong> classes the true class needs a margin of{' '}
            <strong>{fmtFixed(e?.mK, 2)}</strong> to reach p_t = {PT_EASY} (with 2 classes:{' '}
            {fmtFixed(e?.m2, 2)}). There softmax FL is {fmt(e?.flK)} against softmax CE&apos;s {fmt(e?.ceK)}:{' '}
            <strong>{fmtTimes(e ? e.ceK / e.flK : NaN)} less</strong>, the same factor 1/(1 − p_t)
            <sup>γ</sup> as in the binary case. With K = 2, softmax FL ({fmt(e?.fl2)}) and the sigmoid FL on
            the margin ({fmt(e?.sig)}) agree.
          </p>
        </>
      }
      caption={
        <>
          One example of K classes whose true class has a logit {`"margin"`} m above each of the K − 1 others,
          so its softmax probability is p_t = 1 / (1 + (K − 1)e<sup>−m</sup>). The softmax focal loss is −(1 −
          p_t)<sup>γ</sup> log p_t with that p_t (footnote 1 of §3: the multi-class extension); γ = 0 is
          softmax cross-entropy. Thick curve: K and γ from the sliders, now K = {k}, γ = {fmtFixed(gamma, 1)}.
          With more classes the same loss needs a larger margin, so the curves shift right; as a function of
          p_t they are all the paper&apos;s Figure 1. With K = 2, softmax FL on the margin equals the sigmoid
          FL RetinaNet uses for each class (§4: K sigmoid outputs per anchor, no softmax). Computed live by
          the site&apos;s TensorFlow.js loss core (softmaxFocalLoss and sigmoidFocalLoss); hover or focus the
          plot and use ← → to read values.
        </>
      }
      table={{
        caption: 'Loss values plotted (nats), by logit margin',
        columns: [
          { key: 'm', label: 'margin m' },
          { key: 'pt', label: `p_t (K = ${k})` },
          ...series.map((s) => ({ key: s.name, label: s.label })),
        ],
        rows: () =>
          MARGINS.map((m, i) => [
            fmtFixed(m, 1),
            fmt(softmaxPtAtMargin(m, k), 4),
            ...series.map((s) => fmt(s.ys[i], 4)),
          ]),
      }}
    >
      <div className="figure__plot" ref={ref}>
        <LineChart
          title="Loss against the logit margin of the true class"
          width={width}
          height={height}
          margin={MARGIN}
          xScale={x}
          yScale={y}
          series={series}
          xLabel={
            narrow
              ? 'logit margin m of the true class'
              : "margin m of the true class's logit over each other class"
          }
          yLabel="loss"
          xTicks={narrow ? [0, 4, 8, 12] : [-2, 0, 2, 4, 6, 8, 10, 12]}
          yTicks={[0, 1, 2, 3, 4, 5, 6]}
          crossXs={MARGINS}
          index={index}
          onIndex={setIndex}
          startIndex={I0}
          focusLabel="Softmax loss curves: use ← and → to move along the margin"
          focusValueText={valueText}
          underlay={
            e && (
              <>
                <line
                  className="plot__marker"
                  x1={x(e.mK)}
                  x2={x(e.mK)}
                  y1={0}
                  y2={ih}
                  stroke="var(--muted)"
                  strokeDasharray="3 3"
                />
                <text
                  className="plot__shade-label"
                  x={x(e.mK) + (x(e.mK) > iw - 110 ? -4 : 4)}
                  y={16}
                  textAnchor={x(e.mK) > iw - 110 ? 'end' : 'start'}
                >
                  p_t = {PT_EASY}, K = {k}
                </text>
              </>
            )
          }
        />
      </div>
    </FigureFrame>
  );
}
