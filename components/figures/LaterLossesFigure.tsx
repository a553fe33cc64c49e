'use client';
import { useMemo, useState, type ReactNode } from 'react';
import { scaleLinear } from 'd3-scale';
import { LATER_LOSSES, laterLossRows, logitsForPt, ptGrid } from '@/lib/loss';
import { fmt, fmtFixed } from '@/lib/params/format';
import { LATER_LOSSES_PREFIX, laterLossesSchema } from '@/lib/params/later';
import Choice from '../chart/Choice';
import LineChart from '../chart/LineChart';
import Legend from '../chart/Legend';
import Slider from '../chart/Slider';
import CrosshairReadout from './CrosshairReadout';
import FigureFrame from './FigureFrame';
import { useFigure } from './useFigure';
import { evenGrid, MARGIN, plotHeight, STYLES, timed } from './shared';

type Axis = 'p' | 'logit';
type Side = 'positive' | 'negative';

/** Plot grids (dense where curves bend) and round crosshair grids, per horizontal axis. */
const GRIDS: Record<Axis, { plot: number[]; cross: number[]; logits: number[] }> = (() => {
  const pPlot = ptGrid(241, 1e-3, 1 - 1e-3);
  const pCross = evenGrid(0.01, 0.99, 0.01, 2);
  const xPlot = evenGrid(-6, 6, 0.05, 2);
  const xCross = evenGrid(-6, 6, 0.1, 1);
  return {
    p: { plot: pPlot, cross: pCross, logits: logitsForPt([...pPlot, ...pCross], 1) },
    logit: { plot: xPlot, cross: xCross, logits: [...xPlot, ...xCross] },
  };
})();

const START: Record<Axis, number> = { p: GRIDS.p.cross.indexOf(0.5), logit: GRIDS.logit.cross.indexOf(0) };

const ALL = LATER_LOSSES.map((l) => l.name);
const HARD = LATER_LOSSES.filter((l) => !l.softTarget).map((l) => l.name);
const SOFT = LATER_LOSSES.filter((l) => l.softTarget).map((l) => l.name);

/** CE, FL, FL* thin; QFL and VFL, the subject of the figure, thicker. */
const STYLE = LATER_LOSSES.map((l, k) => ({ ...STYLES[k], width: l.softTarget ? 3 : 2 }));

export interface LaterLossesFigureProps {
  /** URL key prefix (default `ll`): `ll.q=0.7&ll.x=logit&ll.show=grad`. */
  prefix?: string;
  title?: ReactNode;
}

export default function LaterLossesFigure({
  prefix = LATER_LOSSES_PREFIX,
  title = 'CE, FL and FL* against the quality-aware losses QFL and VFL',
}: LaterLossesFigureProps) {
  const { state, setState, notices, dismiss, hydrated, ref, width } = useFigure(laterLossesSchema, prefix);
  const [index, setIndex] = useState<number | null>(null);
  const { q, show } = state;
  const axis: Axis = state.x;
  const grid = GRIDS[axis];
  const nPlot = grid.plot.length;

  // Loss always (the readout's minima come from it), the gradient as well when it is plotted. q moves only the
  // soft-target positives (QFL, VFL), so the negatives and the hard-target positives are kept across q changes
  // and a q slider recomputes 2 curves of 10 (the repaint budget of `npm run bench:render`: p95 under 16 ms).
  const fixed = useMemo(
    () =>
      hydrated
        ? timed(() => {
            const of = (w: 'loss' | 'grad') => ({
              positive: laterLossRows(grid.logits, 1, HARD, w),
              negative: laterLossRows(grid.logits, 'negative', ALL, w),
            });
            return { loss: of('loss'), shown: show === 'grad' ? of('grad') : null };
          })
        : null,
    [grid, show, hydrated],
  );
  const soft = useMemo(
    () =>
      hydrated
        ? timed(() => ({
            loss: laterLossRows(grid.logits, q, SOFT, 'loss'),
            shown: show === 'grad' ? laterLossRows(grid.logits, q, SOFT, 'grad') : null,
          }))
        : null,
    [grid, q, show, hydrated],
  );
  const res = useMemo(() => {
    if (!fixed || !soft) return null;
    const error = fixed.error ?? soft.error;
    const f = fixed.value;
    const s = soft.value;
    const merge = (hard: number[][], softRows: number[][]): number[][] =>
      LATER_LOSSES.map((l) => (l.softTarget ? softRows[SOFT.indexOf(l.name)] : hard[HARD.indexOf(l.name)]));
    const value =
      f && s
        ? {
            loss: { positive: merge(f.loss.positive, s.loss), negative: f.loss.negative },
            shown:
              f.shown && s.shown
                ? { positive: merge(f.shown.positive, s.shown), negative: f.shown.negative }
                : null,
          }
        : null;
    return { value, ms: soft.ms, error };
  }, [fixed, soft]);
  const curves = res?.value ? (res.value.shown ?? res.value.loss) : null;

  const twoUp = width >= 656;
  const panelWidth = twoUp ? Math.floor((width - 16) / 2) : width;
  const height = plotHeight(panelWidth, 0.75, 240, 380);
  const iw = panelWidth - MARGIN.left - MARGIN.right;
  const ih = height - MARGIN.top - MARGIN.bottom;
  const x = useMemo(
    () =>
      scaleLinear()
        .domain(axis === 'p' ? [0, 1] : [-6, 6])
        .range([0, iw]),
    [iw, axis],
  );
  const y = useMemo(
    () =>
      scaleLinear()
        .domain(show === 'loss' ? [0, 3] : [-1, 1])
        .range([ih, 0]),
    [ih, show],
  );
  const xTicks = axis === 'p' ? [0, 0.2, 0.4, 0.6, 0.8, 1] : [-6, -4, -2, 0, 2, 4, 6];
  const yTicks = show === 'loss' ? [0, 0.5, 1, 1.5, 2, 2.5, 3] : [-1, -0.5, 0, 0.5, 1];
  const xName = axis === 'p' ? 'p' : 'x';
  const xDigits = axis === 'p' ? 2 : 1;

  const seriesOf = (side: Side) =>
    LATER_LOSSES.map((l, k) => ({
      name: `${side}-${l.name}`,
      label: l.label,
      xs: grid.plot,
      ys: curves?.[side][k].slice(0, nPlot) ?? [],
      crossYs: curves?.[side][k].slice(nPlot),
      ...STYLE[k],
    }));
  const pos = seriesOf('positive');
  const neg = seriesOf('negative');

  // Where each loss puts the positive's minimum on the plotted grid (the last point means "towards p = 1").
  const minima = LATER_LOSSES.map((l, k) => {
    const row = res?.value?.loss.positive[k].slice(0, nPlot);
    if (!row || row.length === 0) return { label: l.label, text: '—' };
    let best = 0;
    for (let i = 1; i < row.length; i++) if (row[i] < row[best]) best = i;
    const edge = best === row.length - 1;
    return {
      label: l.label,
      text: edge
        ? `${xName} → ${axis === 'p' ? '1' : '∞'}`
        : `${xName} ≈ ${fmtFixed(grid.plot[best], xDigits)}`,
    };
  });

  // The positive's target q on the horizontal axis (none in logit mode when q = 1: its logit is +∞).
  const qPos = axis === 'p' ? q : q < 1 ? logitsForPt([q], 1)[0] : null;

  const at = index ?? START[axis];
  const atLabel = `${xName} = ${fmtFixed(grid.cross[at], xDigits)}`;
  const valueText = (label: string, s: typeof pos) =>
    `${label}, ${atLabel}: ${s.map((c) => `${c.label} ${fmt(c.crossYs?.[at])}`).join('; ')}`;
  const yLabel = show === 'loss' ? 'loss' : 'dL/dx';
  const xLabel = axis === 'p' ? 'predicted score p = σ(x)' : 'logit x';
  const what = show === 'loss' ? 'Loss' : 'Gradient dL/dx';

  const panel = (side: Side, s: typeof pos) => (
    <div>
      <p className="figure__subtitle">
        {side === 'positive'
          ? `Positive, quality q = ${fmtFixed(q, 2)}`
          : 'Negative (target 0 for every loss)'}
      </p>
      <LineChart
        title={`${what} of a ${side} example against ${xLabel}`}
        width={panelWidth}
        height={height}
        margin={MARGIN}
        xScale={x}
        yScale={y}
        series={s}
        xLabel={xLabel}
        yLabel={yLabel}
        xTicks={xTicks}
        yTicks={yTicks}
        crossXs={grid.cross}
        index={index}
        onIndex={setIndex}
        startIndex={START[axis]}
        focusLabel={`${side === 'positive' ? 'Positive' : 'Negative'} example: use ← and → to move along ${xName}`}
        focusValueText={valueText(side === 'positive' ? 'Positive' : 'Negative', s)}
        underlay={
          side === 'positive' && qPos !== null ? (
            <line className="plot__ref" x1={x(qPos)} x2={x(qPos)} y1={0} y2={ih} />
          ) : undefined
        }
        overlay={
          side === 'positive' && qPos !== null ? (
            <text
              className="plot__annotation"
              x={x(qPos) + (x(qPos) > iw - 60 ? -6 : 6)}
              y={14}
              textAnchor={x(qPos) > iw - 60 ? 'end' : 'start'}
            >
              target q
            </text>
          ) : undefined
        }
      />
    </div>
  );

  const tableOf = (side: Side, s: typeof pos) => ({
    caption: `${what} plotted for the ${side} example${side === 'positive' ? ` (q = ${fmtFixed(q, 2)})` : ''}, by ${xName}`,
    name: side === 'positive' ? 'positive' : 'negative',
    columns: [{ key: 'x', label: xName }, ...s.map((c) => ({ key: c.name, label: c.label }))],
    rows: () => grid.plot.map((v, i) => [fmt(v, 4), ...s.map((c) => fmt(c.ys[i], 4))]),
  });

  return (
    <FigureFrame
      id="later-losses"
      title={title}
      computeMs={res?.ms}
      error={res?.error}
      notices={notices}
      onDismiss={dismiss}
      controls={
        <>
          <Slider
            spec={laterLossesSchema[0]}
            value={q}
            onChange={(v) => setState({ q: v })}
            format={(v) => `q = ${fmtFixed(v, 2)}`}
          />
          <Choice spec={laterLossesSchema[1]} value={axis} onChange={(v) => setState({ x: v as Axis })} />
          <Choice
            spec={laterLossesSchema[2]}
            value={show}
            onChange={(v) => setState({ show: v as 'loss' | 'grad' })}
          />
        </>
      }
      legend={
        <Legend
          items={pos.map((s) => ({
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
            heading={`Positive (q = ${fmtFixed(q, 2)}) at ${atLabel}`}
            rows={pos.map((s) => ({ key: s.name, label: s.label, value: s.crossYs?.[at] }))}
          />
          <CrosshairReadout
            heading={`Negative at ${atLabel}`}
            rows={neg.map((s) => ({ key: s.name, label: s.label, value: s.crossYs?.[at] }))}
          />
          <div className="readout" data-readout="minima">
            <strong>Where the positive&apos;s loss is lowest</strong> (→: still falling at the edge of the
            plot)
            <table className="readout__table">
              <tbody>
                {minima.map((m) => (
                  <tr key={m.label}>
                    <th scope="row">{m.label}</th>
                    <td>{m.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      }
      caption={
        <>
          {what} of one positive example (left or top) and one negative example (right or below) under
          cross-entropy, focal loss (γ = 2), FL* (γ = 2, β = 1), quality focal loss (QFL, β = 2) and varifocal
          loss (VFL, α = 0.75, γ = 2), against {axis === 'p' ? 'the predicted score p' : 'the logit x'}. CE,
          FL and FL* are shown without class weights and train every positive towards p = 1, whatever its box
          quality. QFL and VFL train it towards p = q, the IoU of its box (dotted line, now q ={' '}
          {fmtFixed(q, 2)}): QFL&apos;s loss is zero there, VFL&apos;s is smallest there, and past it both
          push the score back down. For the negative, QFL coincides with FL and VFL is FL scaled by α = 0.75.
          Values are computed live by the site&apos;s TensorFlow.js loss core; hover or focus a plot and use ←
          → to read them.
        </>
      }
      table={[tableOf('positive', pos), tableOf('negative', neg)]}
    >
      <div className="figure__plot" ref={ref}>
        <div className="figure__plots">
          {panel('positive', pos)}
          {panel('negative', neg)}
        </div>
      </div>
    </FigureFrame>
  );
}
