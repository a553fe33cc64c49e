'use client';
import { memo, useMemo, useState } from 'react';
import { scaleLinear } from 'd3-scale';
import type { AnchorDetailMessage, AnchorLayout } from '@/lib/playground/protocol';
import { fmt, fmtCount, fmtFixed, fmtPercent } from '@/lib/params/format';
import LineChart from '../../chart/LineChart';
import { useChartSize } from '../../chart/useChartSize';
import { runStyle } from '../colors';
import type { RunMeta } from '@/lib/playground/model';
import { runName } from './RunSelect';
import ViewSection from './ViewSection';
import { sampleIndices, thinEvery } from './series';
import './views.css';

export interface AnchorInspectorProps {
  /** The selected anchor's latest details, or null when none is selected. */
  detail: AnchorDetailMessage | null;
  runs: RunMeta[];
  classNames: string[];
  /** For the template (scale, aspect ratio) and level size of the anchor; optional. */
  anchors?: AnchorLayout | null;
  headingLevel?: 2 | 3 | 4;
}

export const INSPECTOR_EMPTY =
  'Click an anchor in a sample image (or focus the image and use the arrow keys) to inspect it.';

const KIND_TEXT = {
  fg: 'foreground: matched to an object',
  bg: 'background',
  ignored: 'ignored: IoU between the thresholds, so not in the loss',
} as const;
const SPARK_MARGIN = { top: 10, right: 12, bottom: 44, left: 52 };
const MAX_POINTS = 400;
const MAX_ROWS = 200;

/**
 * p_t to 3 significant digits, except close to 1, where that would read "1": there it is written 1 − (1 − p_t), with
 * 1 − p_t taken from the score (exact for a negative, where 1 − p_t = p) rather than from the rounded p_t.
 */
export function ptText(pt: number, oneMinusPt: number): string {
  return pt >= 0.9995 && oneMinusPt > 0 ? `1 − ${fmt(oneMinusPt, 3)}` : fmt(pt, 3);
}

/** Everything about one anchor under one run: per-class p, p_t, modulating factor, α_t, loss, and its history. */
function AnchorInspector({
  detail,
  runs,
  classNames,
  anchors = null,
  headingLevel = 3,
}: AnchorInspectorProps) {
  const [ref, width] = useChartSize<HTMLDivElement>();
  const [index, setIndex] = useState<number | null>(null);
  const meta = detail ? (runs.find((r) => r.run === detail.run) ?? null) : null;
  const cls = (k: number) => classNames[k] ?? `class ${k}`;

  const hist = detail?.history;
  const steps = useMemo(() => (hist ? Array.from(hist.steps) : []), [hist]);
  const pt = useMemo(() => (hist ? Array.from(hist.pt) : []), [hist]);
  const loss = useMemo(() => (hist ? Array.from(hist.loss) : []), [hist]);
  const drawPt = useMemo(() => thinEvery(steps, pt, MAX_POINTS), [steps, pt]);
  const drawLoss = useMemo(() => thinEvery(steps, loss, MAX_POINTS), [steps, loss]);
  const cross = useMemo(() => sampleIndices(steps.length, 200), [steps]);
  const crossXs = useMemo(() => cross.map((i) => steps[i]), [cross, steps]);

  const twoUp = width >= 560;
  const panelWidth = twoUp ? Math.floor((width - 16) / 2) : width;
  const height = 180;
  const iw = Math.max(10, panelWidth - SPARK_MARGIN.left - SPARK_MARGIN.right);
  const ih = height - SPARK_MARGIN.top - SPARK_MARGIN.bottom;
  const x0 = steps.length ? steps[0] : 0;
  const x1 = steps.length ? Math.max(steps[steps.length - 1], x0 + 1) : 1;
  const maxLoss = loss.reduce((m, v) => (Number.isFinite(v) && v > m ? v : m), 0);
  const x = useMemo(() => scaleLinear().domain([x0, x1]).range([0, iw]), [x0, x1, iw]);
  const yPt = useMemo(() => scaleLinear().domain([0, 1]).range([ih, 0]), [ih]);
  const yLoss = useMemo(
    () =>
      scaleLinear()
        .domain([0, maxLoss > 0 ? maxLoss * 1.05 : 1])
        .range([ih, 0])
        .nice(),
    [ih, maxLoss],
  );

  if (!detail) {
    return (
      <ViewSection id="anchor" title="Anchor inspector" headingLevel={headingLevel} summary={INSPECTOR_EMPTY}>
        <p className="pg-empty" data-empty="anchor">
          No anchor selected.
        </p>
      </ViewSection>
    );
  }

  const lv = anchors?.levels[detail.level];
  const t = anchors?.templates[detail.a];
  const [bx1, by1, bx2, by2] = detail.box;
  const followed = detail.elements.find((e) => e.classIndex === detail.history.classIndex);
  const style = runStyle(detail.run);
  const at = index !== null && index < crossXs.length ? index : null;
  const readI = at === null ? steps.length - 1 : cross[at];
  const readText =
    readI >= 0
      ? `Step ${fmtCount(steps[readI])}: p_t ${ptText(pt[readI], 1 - pt[readI])}, loss ${fmt(loss[readI], 3)}`
      : 'No history yet';
  const summary = `${runName(meta ?? { run: detail.run, label: '' })}, image ${detail.image + 1}, step ${fmtCount(
    detail.step,
  )}: anchor ${fmtCount(detail.anchor)} (${KIND_TEXT[detail.kind]}) carries ${fmtPercent(
    detail.share,
    3,
  )} of the image's classification loss${
    followed
      ? `; for ${cls(followed.classIndex)} (target ${followed.target}) p_t is ${ptText(followed.pt, followed.target === 1 ? 1 - followed.score : followed.score)} and its loss ${fmt(
          followed.loss,
          3,
        )}`
      : ''
  }.`;

  const charts = [
    { key: 'pt', title: 'p_t', draw: drawPt, ys: pt, y: yPt, yLabel: 'p_t' },
    { key: 'loss', title: 'loss ℓ', draw: drawLoss, ys: loss, y: yLoss, yLabel: 'loss (nats)' },
  ] as const;

  return (
    <ViewSection
      id="anchor"
      title="Anchor inspector"
      headingLevel={headingLevel}
      summary={summary}
      tables={[
        {
          caption: `History of anchor ${fmtCount(detail.anchor)}, class ${cls(detail.history.classIndex)}`,
          columns: [
            { key: 'step', label: 'Step' },
            { key: 'pt', label: 'p_t' },
            { key: 'loss', label: 'loss' },
          ],
          rows: () =>
            sampleIndices(steps.length, MAX_ROWS).map((i) => [
              fmtCount(steps[i]),
              fmt(pt[i], 4),
              fmt(loss[i], 4),
            ]),
        },
      ]}
    >
      <dl className="pg-facts" data-anchor={detail.anchor}>
        <div>
          <dt>Run</dt>
          <dd>
            <span className="pg-swatch" style={{ background: style.color }} aria-hidden="true" />
            {runName(meta ?? { run: detail.run, label: '' })}
          </dd>
        </div>
        <div>
          <dt>Image · step</dt>
          <dd>
            {fmtCount(detail.image + 1)} · {fmtCount(detail.step)}
          </dd>
        </div>
        <div>
          <dt>Anchor</dt>
          <dd>
            #{fmtCount(detail.anchor)}, level {fmtCount(detail.level)}
            {lv ? ` (stride ${fmtCount(lv.stride)})` : ''}, cell x {fmtCount(detail.x)}, y{' '}
            {fmtCount(detail.y)}, template {fmtCount(detail.a)}
            {t ? ` (scale ${fmt(t.scale, 3)}, h/w ${fmt(t.aspectRatio, 3)})` : ''}
          </dd>
        </div>
        <div>
          <dt>Box (px)</dt>
          <dd>
            [{fmtFixed(bx1, 1)}, {fmtFixed(by1, 1)}, {fmtFixed(bx2, 1)}, {fmtFixed(by2, 1)}],{' '}
            {fmtFixed(bx2 - bx1, 1)}×{fmtFixed(by2 - by1, 1)}
          </dd>
        </div>
        <div>
          <dt>Assignment</dt>
          <dd data-kind={detail.kind}>{KIND_TEXT[detail.kind]}</dd>
        </div>
        <div>
          <dt>Share of the image&apos;s loss</dt>
          <dd>{fmtPercent(detail.share, 3)}</dd>
        </div>
      </dl>
      <div
        className="readout readout--scroll pg-elements"
        tabIndex={0}
        role="region"
        aria-label="Per-class terms"
      >
        <table className="readout__table">
          <caption className="sr-only">Per-class terms of the anchor&apos;s loss</caption>
          <thead>
            <tr>
              <th scope="col">class</th>
              <th scope="col">target y</th>
              <th scope="col">p = σ(x)</th>
              <th scope="col">p_t</th>
              <th scope="col">(1−p_t)^γ, γ = {fmt(meta?.gamma, 2)}</th>
              <th scope="col">α_t</th>
              <th scope="col">loss ℓ</th>
              <th scope="col">share of image loss</th>
            </tr>
          </thead>
          <tbody>
            {detail.elements.map((e) => (
              <tr key={e.classIndex} data-followed={e.classIndex === detail.history.classIndex || undefined}>
                <th scope="row">
                  {cls(e.classIndex)}
                  {e.classIndex === detail.history.classIndex ? ' (followed)' : ''}
                </th>
                <td>{fmtCount(e.target)}</td>
                <td>{fmt(e.score, 3)}</td>
                <td>{ptText(e.pt, e.target === 1 ? 1 - e.score : e.score)}</td>
                <td>{fmt(e.modulating, 3)}</td>
                <td>{fmt(e.alphaT, 3)}</td>
                <td>{fmt(e.loss, 3)}</td>
                <td>{fmtPercent(e.share, 3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="figure__subtitle pg-history-title">
        History of the followed element ({cls(detail.history.classIndex)}) since it was selected
      </p>
      <div className="figure__plot" ref={ref}>
        {steps.length === 0 ? (
          <p className="pg-empty">The history fills in as training continues.</p>
        ) : (
          <div className="figure__plots">
            {charts.map((c) => (
              <div key={c.key} data-panel={c.key}>
                <LineChart
                  title={`${c.title} of the followed element against step`}
                  width={panelWidth}
                  height={height}
                  margin={SPARK_MARGIN}
                  xScale={x}
                  yScale={c.y}
                  series={[
                    {
                      name: `history-${c.key}`,
                      xs: c.draw.xs,
                      ys: c.draw.ys,
                      crossYs: cross.map((i) => c.ys[i]),
                      ...style,
                      width: 2,
                    },
                  ]}
                  xLabel="step"
                  yLabel={c.yLabel}
                  xTicks={x.ticks(Math.max(2, Math.floor(iw / 70)))}
                  xFormat={fmtCount}
                  yTicks={c.y.ticks(3)}
                  crossXs={crossXs}
                  index={at}
                  onIndex={setIndex}
                  startIndex={Math.max(0, crossXs.length - 1)}
                  focusLabel={`History of ${c.title}: use ← and → to move along the steps`}
                  focusValueText={readText}
                  overlay={
                    c.draw.xs.length === 1 ? (
                      <circle cx={x(c.draw.xs[0])} cy={c.y(c.draw.ys[0])} r={3} fill={style.color} />
                    ) : null
                  }
                />
              </div>
            ))}
          </div>
        )}
      </div>
      <p className="readout pg-history-read" data-readout="history">
        {readText}
      </p>
    </ViewSection>
  );
}

export default memo(AnchorInspector);
