'use client';
import { useMemo, useState, type ReactNode } from 'react';
import { scaleLinear, scaleLog } from 'd3-scale';
import { anchorCensus } from '@/lib/detector/census';
import { initialLossVsPrior, priorGrid, type PriorLossCounts, type PriorLossPoint } from '@/lib/loss/prior';
import { fmt, fmtCount, fmtFixed, fmtPercent, fmtPow10, fmtTimes } from '@/lib/params/format';
import { PRIOR_INIT_PREFIX, priorInitSchema } from '@/lib/params/retinanet';
import Choice from '../chart/Choice';
import Legend from '../chart/Legend';
import LineChart from '../chart/LineChart';
import Slider from '../chart/Slider';
import CrosshairReadout from './CrosshairReadout';
import FigureFrame from './FigureFrame';
import { useFigure } from './useFigure';
import { HIGHLIGHT, MARGIN, nearestIndex, once, plotHeight, STYLES, timed } from './shared';
import './retinanet.css';

const S = priorInitSchema;
/** The π sweep: 1e-4 to 0.5, 20 points per decade; every π the slider can take is on it. */
const GRID = priorGrid(20);
const PAPER_PI = 0.01;
const NO_PRIOR_PI = 0.5;

/** Toy images counted for the measured layout: the first 32 training images of seed 0 (the trainer's default). */
const CENSUS_IMAGES = 32;
const toyCensus = once(() => timed(() => anchorCensus({ images: CENSUS_IMAGES })));

/**
 * The real RetinaNet's layout, cited: "~100k anchors per image" (paper §1/§4, see the chapter). K = 80 is the
 * number of COCO object categories the paper trains on. P is the reader's knob (the paper gives no per-image count).
 */
const PAPER_ANCHORS = 100_000;
const PAPER_CLASSES = 80;

type Key = 'ceNeg' | 'cePos' | 'flNeg' | 'flPos';
const LOSS_SERIES: { key: Key; label: string; pick: (p: PriorLossPoint) => number }[] = [
  { key: 'ceNeg', label: 'CE, from negatives', pick: (p) => p.ce.negatives / Math.max(1, p.positiveEntries) },
  { key: 'cePos', label: 'CE, from positives', pick: (p) => p.ce.positives / Math.max(1, p.positiveEntries) },
  { key: 'flNeg', label: 'FL, from negatives', pick: (p) => p.fl.negatives / Math.max(1, p.positiveEntries) },
  { key: 'flPos', label: 'FL, from positives', pick: (p) => p.fl.positives / Math.max(1, p.positiveEntries) },
];
const SHARE_SERIES = [
  { key: 'ceShare', label: 'CE', pick: (p: PriorLossPoint) => p.ce.negativeShare },
  { key: 'flShare', label: 'FL', pick: (p: PriorLossPoint) => p.fl.negativeShare },
];
const Y_FLOOR = 1e-4;
const PI_TICKS = [1e-4, 1e-3, 1e-2, 1e-1, 0.5];
const piTick = (v: number) => (v === 0.5 ? '0.5' : fmtPow10(v));

export interface PriorInitFigureProps {
  /** URL key prefix (default `pi`): `pi.pi=0.5&pi.gamma=0&pi.setting=paper`. */
  prefix?: string;
  title?: ReactNode;
}

export default function PriorInitFigure({
  prefix = PRIOR_INIT_PREFIX,
  title = 'The loss at the first step, as the prior π of the classification bias varies',
}: PriorInitFigureProps) {
  const { state, setState, notices, dismiss, hydrated, ref, width } = useFigure(S, prefix);
  const [index, setIndex] = useState<number | null>(null);
  const { pi, gamma, setting, pos } = state;

  const census = hydrated ? toyCensus() : null;
  const toy = census?.value ?? null;
  const counts: PriorLossCounts | null =
    setting === 'paper'
      ? { numAnchors: PAPER_ANCHORS, numClasses: PAPER_CLASSES, numPositives: pos }
      : toy
        ? {
            numAnchors: toy.mean.foreground + toy.mean.background,
            numClasses: toy.numClasses,
            numPositives: toy.mean.foreground,
          }
        : null;

  const res = useMemo(
    () =>
      hydrated && counts
        ? timed(() => {
            const sweep = initialLossVsPrior(GRID, counts, { gamma });
            const [at, paper, none] = initialLossVsPrior([pi, PAPER_PI, NO_PRIOR_PI], counts, { gamma });
            return { sweep, at, paper, none };
          })
        : null,
    // counts is rebuilt each render; its three numbers are the dependencies.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [hydrated, gamma, pi, counts?.numAnchors, counts?.numClasses, counts?.numPositives],
  );
  const r = res?.value ?? null;

  const twoUp = width >= 640;
  const panelWidth = twoUp ? Math.floor((width - 16) / 2) : width;
  const height = plotHeight(panelWidth, 0.75, 240, 360);
  const iw = panelWidth - MARGIN.left - MARGIN.right;
  const ih = height - MARGIN.top - MARGIN.bottom;
  const x = useMemo(
    () =>
      scaleLog()
        .domain([GRID[0], GRID[GRID.length - 1]])
        .range([0, iw]),
    [iw],
  );

  const lossSeries = LOSS_SERIES.map((s, k) => {
    const ys = r?.sweep.map(s.pick) ?? [];
    return {
      name: s.key,
      label: s.label,
      xs: GRID,
      ys,
      crossYs: r ? ys : undefined,
      ...STYLES[k],
      width: 2.5,
    };
  });
  const yMax = Math.max(10, ...lossSeries.flatMap((s) => s.ys.filter(Number.isFinite)));
  const yLoss = useMemo(() => scaleLog().domain([Y_FLOOR, yMax]).range([ih, 0]).nice(), [ih, yMax]);
  const yLossTicks = yLoss.ticks().filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9);
  const yLossTicksShown = yLossTicks.filter((_, i) => yLossTicks.length <= 6 || i % 2 === 0);

  const shareSeries = SHARE_SERIES.map((s, k) => {
    const ys = r?.sweep.map(s.pick) ?? [];
    return {
      name: s.key,
      label: `${s.label}: negatives' share`,
      xs: GRID,
      ys,
      crossYs: r ? ys : undefined,
      ...STYLES[k * 2],
      width: 2.5,
    };
  });
  const yShare = useMemo(() => scaleLinear().domain([0, 1]).range([ih, 0]), [ih]);

  const markers = (
    <>
      {[PAPER_PI, NO_PRIOR_PI].map((p) => (
        <line key={p} className="plot__ref" x1={x(p)} x2={x(p)} y1={0} y2={ih} />
      ))}
      <line
        className="prior__selected"
        x1={x(pi)}
        x2={x(pi)}
        y1={0}
        y2={ih}
        stroke={HIGHLIGHT.color}
        strokeWidth={2}
        data-series-marker="pi"
      />
    </>
  );
  const markerLabels = (
    <>
      <text className="plot__annotation" x={x(PAPER_PI) + 4} y={12}>
        π = 0.01
      </text>
      <text className="plot__annotation" x={x(NO_PRIOR_PI) - 4} y={12} textAnchor="end">
        b = 0
      </text>
    </>
  );

  const at = index ?? nearestIndex(GRID, pi);
  const atPoint = r?.sweep[at];
  const valueText = atPoint
    ? `π = ${fmt(atPoint.pi, 3)}: ${lossSeries.map((s) => `${s.label} ${fmt(s.ys[at], 3)}`).join('; ')}; negatives' share CE ${fmtPercent(atPoint.ce.negativeShare, 4)}, FL ${fmtPercent(atPoint.fl.negativeShare, 4)}`
    : '';

  const nK = counts ? counts.numAnchors * counts.numClasses : NaN;
  const layoutText =
    setting === 'paper'
      ? `N = ${fmtCount(PAPER_ANCHORS)} anchors, K = ${PAPER_CLASSES} classes, P = ${fmtCount(pos)} positive anchors`
      : toy
        ? `N ≈ ${fmtCount(counts?.numAnchors)} anchors in the loss (of ${fmtCount(toy.numAnchors)}; ${fmt(toy.mean.ignored, 3)} ignored on average), K = ${toy.numClasses}, P ≈ ${fmt(toy.mean.foreground, 3)} positive anchors (mean of the first ${CENSUS_IMAGES} training images)`
        : 'counting the toy detector’s anchors…';

  return (
    <FigureFrame
      id="prior-init"
      title={title}
      computeMs={res?.ms}
      error={res?.error ?? census?.error}
      notices={notices}
      onDismiss={dismiss}
      controls={
        <>
          <Slider
            spec={S[0]}
            value={pi}
            onChange={(v) => setState({ pi: v })}
            format={(v) => `π = ${fmt(v, 3)}`}
          />
          <Slider
            spec={S[1]}
            value={gamma}
            onChange={(v) => setState({ gamma: v })}
            format={(v) => `γ = ${fmtFixed(v, 1)}`}
          />
          <Choice spec={S[2]} value={setting} onChange={(v) => setState({ setting: v as typeof setting })} />
          {setting === 'paper' && (
            <Slider
              spec={S[3]}
              value={pos}
              onChange={(v) => setState({ pos: v })}
              format={(v) => `${fmtCount(v)} positives`}
            />
          )}
          <div className="figure__buttons">
            <button type="button" className="data-table__toggle" onClick={() => setState({ pi: PAPER_PI })}>
              π = 0.01 (paper)
            </button>
            <button
              type="button"
              className="data-table__toggle"
              onClick={() => setState({ pi: NO_PRIOR_PI })}
            >
              b = 0, π = 0.5 (no prior)
            </button>
          </div>
        </>
      }
      legend={
        <Legend
          items={lossSeries.map((s) => ({
            key: s.name,
            label: s.label,
            color: s.color,
            dash: s.dash,
            width: 2.5,
          }))}
          label="Loss curves"
        />
      }
      readouts={
        <>
          <p className="readout readout--wide" data-readout="summary">
            With <strong>π = {fmt(pi, 3)}</strong> the bias is b = −log((1 − π)/π) = {fmtFixed(r?.at.bias, 2)}
            , so every one of the {fmtCount(nK)} sigmoid outputs starts at p = π. Under CE the{' '}
            {fmtCount(r?.at.negativeEntries)} negative entries contribute{' '}
            <strong>{fmtPercent(r?.at.ce.negativeShare, 4)} of the loss</strong>, and the loss divided by the
            number of positive anchors is {fmt(r?.at.ce.normalised, 4)}. Under FL (γ = {fmtFixed(gamma, 1)})
            their share is <strong>{fmtPercent(r?.at.fl.negativeShare, 4)}</strong> (normalised loss{' '}
            {fmt(r?.at.fl.normalised, 4)}).
          </p>
          <p className="readout readout--wide" data-readout="contrast">
            At π = 0.5 (b = 0, no prior) the negatives contribute{' '}
            <strong>{fmtPercent(r?.none.ce.negativeShare, 4)}</strong> of the CE loss, and the normalised CE
            loss is {fmt(r?.none.ce.normalised, 4)}:{' '}
            {fmtTimes(r ? r.none.ce.normalised / r.paper.ce.normalised : NaN)} its value at the paper&apos;s π
            = 0.01 — the flood of background loss in the first iterations that §3.3 blames for the
            instability, and §5.1 finds makes plain CE diverge.
          </p>
          {atPoint && (
            <CrosshairReadout
              heading={`Loss per positive anchor at π = ${fmt(atPoint.pi, 3)}`}
              rows={lossSeries.map((s) => ({ key: s.name, label: s.label, value: s.ys[at] }))}
              digits={4}
            />
          )}
        </>
      }
      caption={
        <>
          The classification loss of one image at the first training step, when the last layer of the class
          subnet starts with bias b = −log((1 − π)/π) and so gives every anchor and class probability π (paper
          §3.3, §4.1). Layout: {layoutText}. Left: the loss from the negative entries (every class of a
          background anchor and the other classes of a foreground anchor) and from the positive ones, for
          cross-entropy and focal loss, divided by the number of positive anchors as in the paper (log
          scales). Right: the negatives&apos; share of the total. Dotted lines mark π = 0.01 (the paper) and π
          = 0.5 (b = 0); the solid line is the slider&apos;s π. Computed live by the site&apos;s loss core
          from the logit b; hover or focus a plot and use ← → to read values.
        </>
      }
      table={{
        caption: 'Initial loss against π (loss divided by the number of positive anchors)',
        columns: [
          { key: 'pi', label: 'π' },
          { key: 'b', label: 'b' },
          ...lossSeries.map((s) => ({ key: s.name, label: s.label })),
          ...shareSeries.map((s) => ({ key: s.name, label: s.label })),
        ],
        rows: () =>
          (r?.sweep ?? []).map((p) => [
            fmt(p.pi, 4),
            fmtFixed(p.bias, 3),
            ...LOSS_SERIES.map((s) => fmt(s.pick(p), 4)),
            ...SHARE_SERIES.map((s) => fmtPercent(s.pick(p), 5)),
          ]),
      }}
    >
      <div className="figure__plot" ref={ref}>
        <div className="figure__plots">
          <div>
            <p className="figure__subtitle">Initial loss per positive anchor</p>
            <LineChart
              title="Initial loss per positive anchor against π"
              width={panelWidth}
              height={height}
              margin={MARGIN}
              xScale={x}
              yScale={yLoss}
              series={lossSeries}
              xLabel="prior π (log scale)"
              yLabel="loss / positives (nats)"
              xTicks={PI_TICKS}
              xFormat={piTick}
              yTicks={yLossTicksShown}
              yFormat={fmtPow10}
              crossXs={GRID}
              index={index}
              onIndex={setIndex}
              startIndex={at}
              focusLabel="Initial loss: use ← and → to move along π"
              focusValueText={valueText}
              underlay={markers}
              overlay={markerLabels}
            />
          </div>
          <div>
            <p className="figure__subtitle">Negatives&apos; share (CE solid, FL dotted)</p>
            <LineChart
              title="Share of the initial loss from negative entries against π"
              width={panelWidth}
              height={height}
              margin={MARGIN}
              xScale={x}
              yScale={yShare}
              series={shareSeries}
              xLabel="prior π (log scale)"
              yLabel="share of the loss"
              xTicks={PI_TICKS}
              xFormat={piTick}
              yTicks={[0, 0.25, 0.5, 0.75, 1]}
              yFormat={(v) => fmtPercent(v, 3)}
              crossXs={GRID}
              index={index}
              onIndex={setIndex}
              startIndex={at}
              focusLabel="Negatives' share: use ← and → to move along π"
              focusValueText={valueText}
              underlay={markers}
              overlay={markerLabels}
            />
          </div>
        </div>
      </div>
    </FigureFrame>
  );
}
