'use client';
import { memo, useMemo, useState } from 'react';
import { scaleLinear } from 'd3-scale';
import type { Fig4Message, Fig4RunCurves } from '@/lib/playground/protocol';
import { fmt, fmtCount, fmtFixed, fmtPercent } from '@/lib/params/format';
import Legend from '../../chart/Legend';
import LineChart from '../../chart/LineChart';
import { useChartSize } from '../../chart/useChartSize';
import { MARGIN, plotHeight } from '../../figures/styles';
import type { RunMeta } from '@/lib/playground/model';
import RunSelect, { pickRun, runName } from './RunSelect';
import ViewSection from './ViewSection';
import './views.css';

export interface Fig4LiveViewProps {
  runs: RunMeta[];
  fig4: Fig4Message | null;
  headingLevel?: 2 | 3 | 4;
}

/**
 * γ curves are an ordered parameter, not runs: a grey ramp from light (γ = 0) to the text colour (γ = 2), each with
 * its own dash, so they never borrow a run's colour (views.css defines --pg-gamma-0…3 for both themes).
 */
const GAMMA_STYLES = [
  { color: 'var(--pg-gamma-0)', dash: '2 3' },
  { color: 'var(--pg-gamma-1)', dash: '7 4' },
  { color: 'var(--pg-gamma-2)', dash: '10 3 2 3' },
  { color: 'var(--pg-gamma-3)', dash: undefined },
] as const;
const TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];
const gammaLabel = (g: number) => (g === 0 ? 'γ = 0 (CE)' : `γ = ${fmt(g, 2)}`);

/** The γ the readout talks about: the run's own when it is one of the curves, else 2 (the paper's). */
function readGamma(run: RunMeta | null, curves: Fig4RunCurves['curves']): number {
  if (run && curves.some((c) => c.gamma === run.gamma)) return run.gamma;
  return curves.some((c) => c.gamma === 2) ? 2 : (curves[curves.length - 1]?.gamma ?? NaN);
}

/** The paper's Figure 4 from the live model: cumulative normalised loss of positives and negatives for several γ. */
function Fig4LiveView({ runs, fig4, headingLevel = 3 }: Fig4LiveViewProps) {
  const [wanted, setRun] = useState(runs[0]?.run ?? 0);
  const [index, setIndex] = useState<number | null>(null);
  const [ref, width] = useChartSize<HTMLDivElement>();
  const meta = pickRun(runs, wanted);
  const data = fig4?.runs.find((r) => r.run === meta?.run) ?? fig4?.runs[0] ?? null;
  const shownMeta = data ? (runs.find((r) => r.run === data.run) ?? meta) : meta;
  const fractions = useMemo(() => (fig4 ? Array.from(fig4.fractions) : []), [fig4]);

  const twoUp = width >= 600;
  const panelWidth = twoUp ? Math.floor((width - 16) / 2) : width;
  const height = plotHeight(panelWidth, 0.8, 220, 320);
  const iw = Math.max(10, panelWidth - MARGIN.left - MARGIN.right);
  const ih = Math.max(10, height - MARGIN.top - MARGIN.bottom);
  const x = useMemo(() => scaleLinear().domain([0, 1]).range([0, iw]), [iw]);
  const y = useMemo(() => scaleLinear().domain([0, 1]).range([ih, 0]), [ih]);

  const curves = useMemo(() => data?.curves ?? [], [data]);
  const g = readGamma(shownMeta, curves);
  const gc = curves.find((c) => c.gamma === g);
  const ce = curves.find((c) => c.gamma === 0);
  const series = (which: 'positive' | 'negative') =>
    curves.map((c, k) => {
      const ys = Array.from(c[which]);
      return {
        name: `gamma-${c.gamma}`,
        label: gammaLabel(c.gamma),
        xs: fractions,
        ys,
        crossYs: ys,
        ...GAMMA_STYLES[Math.min(k, GAMMA_STYLES.length - 1)],
        width: c.gamma === g ? 3 : 2,
      };
    });
  const pos = series('positive');
  const neg = series('negative');
  const at = index !== null && index < fractions.length ? index : null;
  const readIdx = at ?? Math.max(0, Math.round(0.9 * (fractions.length - 1)));
  const valueText = (s: typeof pos, what: string) =>
    `${fmtPercent(fractions[readIdx], 3)} of ${what}: ${s
      .map((c) => `${c.label} ${fmtPercent(c.ys[readIdx], 3)}`)
      .join('; ')}`;

  const headline = gc
    ? `At ${gammaLabel(g)}, the hardest 10% of negatives carry ${fmtPercent(gc.negHardest10, 3)} of the negative loss${
        ce && g !== 0 ? ` (${fmtPercent(ce.negHardest10, 3)} at γ = 0)` : ''
      }, the hardest 1% carry ${fmtPercent(gc.negHardest1, 3)}, and the hardest 20% of positives carry ${fmtPercent(
        gc.posHardest20,
        3,
      )} of the positive loss.`
    : '';
  const summary = !fig4
    ? 'No Figure 4 data yet: it is computed on held-out probe images every few training steps.'
    : !data
      ? 'No Figure 4 data for this run.'
      : `Step ${fmtCount(fig4.step)}, ${runName(shownMeta ?? undefined)} (${fmtCount(data.numPositive)} positive and ${fmtCount(
          data.numNegative,
        )} negative elements): ${headline}`;

  const panels = [
    { key: 'positive', title: 'Positives', series: pos, what: 'positives' },
    { key: 'negative', title: 'Negatives', series: neg, what: 'negatives' },
  ] as const;

  return (
    <ViewSection
      id="fig4"
      title="Cumulative loss of positives and negatives (paper Figure 4, live)"
      headingLevel={headingLevel}
      summary={summary}
      controls={<RunSelect runs={runs} value={shownMeta?.run ?? 0} onChange={setRun} label="Model of run" />}
      tables={[
        {
          caption: `Cumulative normalised loss of ${runName(shownMeta ?? undefined)} (elements sorted from lowest to highest loss)`,
          columns: [
            { key: 'f', label: 'fraction of elements' },
            ...curves.flatMap((c) => [
              { key: `p-${c.gamma}`, label: `positives, ${gammaLabel(c.gamma)}` },
              { key: `n-${c.gamma}`, label: `negatives, ${gammaLabel(c.gamma)}` },
            ]),
          ],
          rows: () =>
            fractions.map((f, i) => [
              fmt(f, 3),
              ...curves.flatMap((c) => [fmt(c.positive[i], 4), fmt(c.negative[i], 4)]),
            ]),
        },
      ]}
    >
      <div className="figure__plot" ref={ref}>
        {!data ? (
          <p className="pg-empty">Press Play or Step: the curves appear after the first update.</p>
        ) : (
          <div className="figure__plots">
            {panels.map((p) => (
              <div key={p.key} data-panel={p.key}>
                <p className="figure__subtitle">{p.title}</p>
                <LineChart
                  title={`Cumulative normalised loss of ${p.what} against the fraction of ${p.what}, one curve per γ`}
                  width={panelWidth}
                  height={height}
                  margin={MARGIN}
                  xScale={x}
                  yScale={y}
                  series={p.series}
                  xLabel={`fraction of ${p.what}`}
                  yLabel="cumulative normalised loss"
                  xTicks={TICKS}
                  yTicks={TICKS}
                  xFormat={(v) => fmtFixed(v, 1)}
                  yFormat={(v) => fmtFixed(v, 1)}
                  crossXs={fractions}
                  index={at}
                  onIndex={setIndex}
                  startIndex={readIdx}
                  focusLabel={`${p.title}: use ← and → to move along the fraction of ${p.what}`}
                  focusValueText={valueText(p.series, p.what)}
                />
              </div>
            ))}
          </div>
        )}
      </div>
      {data && (
        <>
          <Legend
            label="Focusing parameter"
            items={pos.map((s) => ({
              key: s.name,
              label: s.label,
              color: s.color,
              dash: s.dash,
              width: s.width,
            }))}
          />
          <div className="readouts">
            <p className="readout readout--wide" data-readout="fig4">
              {headline}
            </p>
            <div className="readout readout--wide readout--scroll" data-readout="fig4-table">
              <table className="readout__table">
                <thead>
                  <tr>
                    <th scope="col">γ</th>
                    <th scope="col">hardest 1% of negatives</th>
                    <th scope="col">hardest 10% of negatives</th>
                    <th scope="col">hardest 20% of positives</th>
                  </tr>
                </thead>
                <tbody>
                  {curves.map((c) => (
                    <tr key={c.gamma}>
                      <th scope="row">{gammaLabel(c.gamma)}</th>
                      <td>{fmtPercent(c.negHardest1, 3)}</td>
                      <td>{fmtPercent(c.negHardest10, 3)}</td>
                      <td>{fmtPercent(c.posHardest20, 3)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          <p className="pg-note">
            Each curve applies focal loss with that γ (no α) to the same model&apos;s predictions on the probe
            images; elements are sorted from lowest to highest loss, so the steep end on the right is the
            hardest examples. A larger γ concentrates the negatives&apos; loss on a few hard ones, while the
            positives&apos; curves change little (paper §5.1, Figure 4).
          </p>
        </>
      )}
    </ViewSection>
  );
}

export default memo(Fig4LiveView);
