'use client';
import { useMemo, useState, type ReactNode } from 'react';
import { scaleLinear, scaleLog } from 'd3-scale';
import { imbalanceBreakdown, logit, type ImbalanceGroup, type ImbalanceLossKind } from '@/lib/loss';
import { fmt, fmtCount, fmtFixed, fmtPercent, fmtPow10 } from '@/lib/params/format';
import { IMBALANCE_PREFIX, imbalanceSchema } from '@/lib/params/figures';
import Choice from '../chart/Choice';
import Legend from '../chart/Legend';
import LineChart from '../chart/LineChart';
import Slider from '../chart/Slider';
import StackedBars from '../chart/StackedBars';
import CrosshairReadout from './CrosshairReadout';
import FigureFrame from './FigureFrame';
import { groupBars } from './groupBars';
import { useFigure } from './useFigure';
import { EXAMPLE_GROUPS, LOSS_KINDS, MARGIN, plotHeight, timed } from './shared';

const KINDS = LOSS_KINDS;
const GROUPS = EXAMPLE_GROUPS;
type Metric = 'loss' | 'grad';

/** p_t values labelled on the logit-scaled x axis of the distribution plot. */
const PT_TICKS = [0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999];
const PT_TICK_POS = PT_TICKS.map(logit);
/** Fewer labelled ticks on a phone, where 0.99 / 0.999 / 0.9999 would collide. */
const PT_TICK_POS_NARROW = [0.001, 0.1, 0.5, 0.9, 0.999].map(logit);
const ptTickLabel = (v: number) => {
  const k = PT_TICK_POS.findIndex((t) => Math.abs(t - v) < 1e-9);
  return k < 0 ? '' : String(PT_TICKS[k]);
};
const Y_FLOOR = 0.01;

export interface ImbalanceFigureProps {
  /** URL key prefix (default `im`): `im.neg=100000&im.hard=0.01&im.gamma=2&im.view=total`. */
  prefix?: string;
  title?: ReactNode;
}

export default function ImbalanceFigure({
  prefix = IMBALANCE_PREFIX,
  title = 'How easy negatives swamp the loss',
}: ImbalanceFigureProps) {
  const { state, setState, notices, dismiss, hydrated, ref, width } = useFigure(imbalanceSchema, prefix);
  const [index, setIndex] = useState<number | null>(null);
  const { neg, hard, easy, pos, gamma, alpha, view } = state;
  const share = view === 'share';

  const res = useMemo(
    () =>
      hydrated
        ? timed(() =>
            imbalanceBreakdown({
              numNegatives: neg,
              numPositives: pos,
              hardNegativeFraction: hard,
              easyNegativePt: easy,
              gamma,
              alpha,
            }),
          )
        : null,
    [neg, pos, hard, easy, gamma, alpha, hydrated],
  );
  const r = res?.value ?? null;

  // Two bar panels side by side when there is room, stacked on phones.
  const twoUp = width >= 640;
  const barWidth = twoUp ? Math.floor((width - 16) / 2) : width;
  const barMax = (m: Metric) => (share ? 1 : Math.max(...KINDS.map((k) => r?.losses[k.key].total[m] ?? 0)));
  const barFormat = share ? (v: number) => fmtPercent(v, 2) : (v: number) => fmt(v, 3);

  const height = plotHeight(width, 0.45, 220, 360);
  const iw = width - MARGIN.left - MARGIN.right;
  const ih = height - MARGIN.top - MARGIN.bottom;
  const dist = r?.ptDistribution;
  const xt = dist?.xt ?? [0];
  const x = useMemo(
    () =>
      scaleLinear()
        .domain([logit(PT_TICKS[0]), logit(PT_TICKS[PT_TICKS.length - 1])])
        .range([0, iw]),
    [iw],
  );
  const yMax = Math.max(10, ...(dist?.easyNeg ?? [0]), ...(dist?.hardNeg ?? [0]), ...(dist?.pos ?? [0]));
  const y = useMemo(() => scaleLog().domain([Y_FLOOR, yMax]).range([ih, 0]).nice(), [ih, yMax]);
  const yTicks = y.ticks().filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9);

  const series = GROUPS.map((g) => ({
    name: `dist-${g.key}`,
    label: g.label,
    xs: xt,
    ys: dist?.[g.key] ?? [],
    crossYs: dist?.[g.key],
    color: g.color,
    dash: g.dash,
    width: 2.5,
  }));
  // ~900 formatted numbers for the "Show data" table: formatted only while the table is open (DataTable calls
  // the function then), so a slider drag does not pay for a closed table.
  const distRows = useMemo(
    () => () => (dist?.pt ?? []).map((p, i) => [fmt(p, 6), ...GROUPS.map((g) => fmt(dist?.[g.key][i], 4))]),
    [dist],
  );
  const startIndex = dist ? dist.pt.findIndex((p) => p >= easy) : 0;
  const at = index ?? Math.max(0, startIndex);
  const valueText = dist
    ? `p_t ≈ ${fmt(dist.pt[at], 4)}: ${series.map((s) => `${s.label} ${fmt(s.crossYs?.[at], 3)} per bin`).join('; ')}`
    : '';
  const fl = r?.losses.focal;
  const ce = r?.losses.ce;
  const pct = (m: Metric, k: ImbalanceLossKind, g: ImbalanceGroup) =>
    r ? r.losses[k][g][m] / r.losses[k].total[m] : NaN;

  return (
    <FigureFrame
      id="imbalance"
      reveal={['easyNeg', 'hardNeg', 'pos'].flatMap((g) => [`loss-focal-${g}`, `grad-focal-${g}`])}
      title={title}
      computeMs={res?.ms}
      error={res?.error}
      notices={notices}
      onDismiss={dismiss}
      controls={
        <>
          <Slider
            spec={imbalanceSchema[0]}
            value={neg}
            onChange={(v) => setState({ neg: v })}
            format={(v) => `${fmtCount(v)} negatives`}
          />
          <Slider
            spec={imbalanceSchema[1]}
            value={hard}
            onChange={(v) => setState({ hard: v })}
            format={(v) => `${fmtPercent(v, 3)} hard (${fmtCount(Math.round(v * neg))})`}
          />
          <Slider
            spec={imbalanceSchema[2]}
            value={easy}
            onChange={(v) => setState({ easy: v })}
            format={(v) => `p_t = ${fmtFixed(v, 4)}`}
          />
          <Slider
            spec={imbalanceSchema[3]}
            value={pos}
            onChange={(v) => setState({ pos: v })}
            format={(v) => `${fmtCount(v)} positives`}
          />
          <Slider
            spec={imbalanceSchema[4]}
            value={gamma}
            onChange={(v) => setState({ gamma: v })}
            format={(v) => `γ = ${fmtFixed(v, 1)}`}
          />
          <Slider
            spec={imbalanceSchema[5]}
            value={alpha}
            onChange={(v) => setState({ alpha: v })}
            format={(v) => `α = ${fmtFixed(v, 2)}`}
          />
          <Choice
            spec={imbalanceSchema[6]}
            value={view}
            onChange={(v) => setState({ view: v as 'share' | 'total' })}
          />
        </>
      }
      legend={
        <Legend
          items={GROUPS.map((g) => ({
            key: g.key,
            label: g.label,
            color: g.color,
            dash: g.dash,
            width: 2.5,
          }))}
          label="Distribution curves"
        />
      }
      readouts={
        <>
          <p className="readout readout--wide" data-readout="summary">
            Under plain CE the {fmtCount(ce?.easyNeg.count)} easy negatives carry{' '}
            <strong>{fmtPercent(pct('loss', 'ce', 'easyNeg'))} of the loss</strong> and{' '}
            {fmtPercent(pct('grad', 'ce', 'easyNeg'))} of the gradient, although each one contributes little.
            Under FL (γ = {fmtFixed(gamma, 1)}, α = {fmtFixed(alpha, 2)}) their share is{' '}
            <strong>{fmtPercent(pct('loss', 'focal', 'easyNeg'))}</strong> of the loss and{' '}
            {fmtPercent(pct('grad', 'focal', 'easyNeg'))} of the gradient; the {fmtCount(fl?.pos.count)}{' '}
            positives get {fmtPercent(pct('loss', 'focal', 'pos'))} of the loss instead of{' '}
            {fmtPercent(pct('loss', 'ce', 'pos'))}.
          </p>
          <div
            className="readout readout--wide readout--scroll"
            data-readout="totals"
            tabIndex={0}
            role="region"
            aria-label="Totals and shares by loss and group"
          >
            <table className="readout__table">
              <caption className="sr-only">Totals and shares by loss and group</caption>
              <thead>
                <tr>
                  <th scope="col">Loss</th>
                  {GROUPS.map((g) => (
                    <th key={g.key} scope="col">
                      {g.label}
                    </th>
                  ))}
                  <th scope="col">total loss</th>
                  <th scope="col">total |dL/dx|</th>
                </tr>
              </thead>
              <tbody>
                {KINDS.map((k) => (
                  <tr key={k.key}>
                    <th scope="row">{k.label}</th>
                    {GROUPS.map((g) => (
                      <td key={g.key}>{fmtPercent(pct('loss', k.key, g.key), 3)}</td>
                    ))}
                    <td>{fmt(r?.losses[k.key].total.loss, 4)}</td>
                    <td>{fmt(r?.losses[k.key].total.grad, 4)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {dist && (
            <CrosshairReadout
              heading={`Examples per bin at p_t ≈ ${fmt(dist.pt[at], 4)}`}
              rows={series.map((s) => ({ key: s.name, label: s.label, value: s.crossYs?.[at] }))}
              digits={3}
            />
          )}
        </>
      }
      caption={
        <>
          One image with {fmtCount(neg)} negative anchors ({fmtPercent(hard, 3)} of them hard) and{' '}
          {fmtCount(pos)} positives. Bars: how the total loss and the total gradient magnitude Σ|dL/dx| split
          between easy negatives, hard negatives (hatched) and positives under cross-entropy, α-balanced CE
          and focal loss ({share ? 'as shares of each total' : 'absolute sums'}). Below: the modelled p_t
          distribution of each group (expected examples per bin, log scale; p_t on a logit axis). A one-stage
          detector scores 10<sup>4</sup>–10
          <sup>5</sup> candidate locations per image (paper §2); with CE the many easy negatives dominate the
          sums, and the focal term removes nearly all of their share. Computed live by the loss core (a
          deterministic model, not measured detector outputs).
        </>
      }
      table={[
        {
          caption: 'Loss and gradient by loss and group',
          name: 'bars',
          columns: [
            { key: 'kind', label: 'Loss' },
            { key: 'group', label: 'Group' },
            { key: 'count', label: 'Examples' },
            { key: 'loss', label: 'Σ loss' },
            { key: 'lshare', label: 'loss share' },
            { key: 'grad', label: 'Σ |dL/dx|' },
            { key: 'gshare', label: 'gradient share' },
          ],
          rows: KINDS.flatMap((k) =>
            GROUPS.map((g) => [
              k.label,
              g.label,
              fmt(r?.losses[k.key][g.key].count, 6),
              fmt(r?.losses[k.key][g.key].loss, 4),
              fmtPercent(pct('loss', k.key, g.key), 4),
              fmt(r?.losses[k.key][g.key].grad, 4),
              fmtPercent(pct('grad', k.key, g.key), 4),
            ]),
          ),
        },
        {
          caption: 'p_t distribution plotted: expected examples per bin',
          name: 'p_t distribution',
          columns: [
            { key: 'pt', label: 'p_t (bin centre)' },
            ...series.map((s) => ({ key: s.name, label: s.label })),
          ],
          rows: distRows,
        },
      ]}
    >
      <div className="figure__plot" ref={ref}>
        <div className="figure__plots">
          {(['loss', 'grad'] as const).map((m) => (
            <div key={m}>
              <p className="figure__subtitle">
                {m === 'loss' ? 'Total loss' : 'Total gradient magnitude Σ|dL/dx|'}
              </p>
              <StackedBars
                width={barWidth}
                rows={r ? groupBars(m, (k, g) => r.losses[k][g][m], share) : []}
                max={barMax(m)}
                format={barFormat}
                segmentText={share ? (s) => fmtPercent(s.value, 2) : undefined}
                endText={share ? undefined : (row) => fmt(row.total, 3)}
                xLabel={
                  share
                    ? `share of the total ${m === 'loss' ? 'loss' : 'gradient'}`
                    : m === 'loss'
                      ? 'Σ loss (nats)'
                      : 'Σ |dL/dx|'
                }
                title={m === 'loss' ? 'Total loss by group' : 'Total gradient by group'}
              />
            </div>
          ))}
        </div>
        <Legend
          items={GROUPS.map((g) => ({
            key: g.key,
            label: g.label,
            color: g.color,
            kind: 'swatch' as const,
            hatch: g.hatch,
          }))}
          label="Bar segments"
        />
        <p className="figure__subtitle">Modelled p_t distribution</p>
        <LineChart
          title="Expected number of examples per p_t bin"
          width={width}
          height={height}
          margin={MARGIN}
          xScale={x}
          yScale={y}
          series={series}
          xLabel="p_t (logit scale)"
          yLabel="examples per bin"
          xTicks={iw < 480 ? PT_TICK_POS_NARROW : PT_TICK_POS}
          xFormat={ptTickLabel}
          yTicks={yTicks}
          yFormat={fmtPow10}
          crossXs={xt}
          index={index}
          onIndex={setIndex}
          startIndex={Math.max(0, startIndex)}
          focusLabel="p_t distribution: use ← and → to move along p_t"
          focusValueText={valueText}
        />
      </div>
    </FigureFrame>
  );
}
