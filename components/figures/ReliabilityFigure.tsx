'use client';
import { useMemo, useState, type ReactNode } from 'react';
import { MIN_BIN_COUNT, type SeedMeanBin } from '@/lib/metrics/reliability';
import { fmtCount, fmtFixed, MISSING } from '@/lib/params/format';
import { RELIABILITY_PREFIX, reliabilitySchema } from '@/lib/params/figures';
import {
  formatSpread,
  lossAp50,
  lossBins,
  lossCalibration,
  RELIABILITY,
  RELIABILITY_LOSSES,
  type ReliabilityKind,
} from '../mdx/reliabilityData';
import Choice from '../chart/Choice';
import Legend from '../chart/Legend';
import FigureFrame from './FigureFrame';
import ReliabilityPlot, { type ReliabilitySeries } from './ReliabilityPlot';
import { STYLES } from './styles';
import { useFigure } from './useFigure';
import './reliability.css';

const S = reliabilitySchema;
const SEEDS = RELIABILITY.seeds;
const binText = (b: SeedMeanBin) => `${fmtFixed(b.lo, 1)}–${fmtFixed(b.hi, 1)}`;
/** What the per-seed signed gaps (mean score − precision) say: one direction on every seed, or both. */
const direction = (gaps: readonly number[]) =>
  gaps.every((g) => g > 0)
    ? 'net over-confident on every seed'
    : gaps.every((g) => g < 0)
      ? 'net under-confident on every seed'
      : 'of both signs across seeds';

export interface ReliabilityFigureProps {
  /** URL key prefix (default `rl`): `rl.table=anchors`. */
  prefix?: string;
  title?: ReactNode;
}

/**
 * Calibration of the toy detector trained with cross-entropy and with focal loss (content/data/reliability.json,
 * scripts/reliability.ts): a reliability diagram per loss with one dot per seed, and ECE over seeds computed here by
 * lib/metrics/reliability.ts from the stored bins. Nothing is trained in the page.
 */
export default function ReliabilityFigure({
  prefix = RELIABILITY_PREFIX,
  title = 'Does a score of 0.8 come true 80 % of the time? Calibration of the toy detector',
}: ReliabilityFigureProps) {
  const { state, setState, notices, dismiss, ref, width } = useFigure(S, prefix);
  const [index, setIndex] = useState<number | null>(null);
  const kind = state.table as ReliabilityKind;
  const what = kind === 'anchors' ? '(anchor, class) scores' : 'detections';

  const losses = useMemo(
    () =>
      RELIABILITY_LOSSES.map((l, i) => ({
        ...l,
        name: l.label,
        style: STYLES[i],
        bins: lossBins(l.id, kind),
        cal: lossCalibration(l.id, kind),
        ap50: lossAp50(l.id),
      })),
    [kind],
  );
  const series: ReliabilitySeries[] = losses.map((l) => ({
    key: l.id,
    label: l.name,
    color: l.style.color,
    dash: l.style.dash,
    bins: l.bins,
    seedCount: SEEDS.length,
  }));
  const at = index ?? Math.floor(RELIABILITY.bins / 2);
  const binReading = (l: (typeof losses)[number]) => {
    const b = l.bins[at];
    return b.precision === null
      ? `${l.name}: ${fmtCount(b.count)} ${what}, too few for a precision`
      : `${l.name}: precision ${fmtFixed(b.precision, 3)} at mean score ${fmtFixed(b.meanScore, 3)} ` +
          `(${fmtCount(b.count)} ${what}, ${b.seedsUsed} of ${SEEDS.length} seeds)`;
  };
  const valueText = `score ${binText(losses[0].bins[at])}: ${losses.map(binReading).join('; ')}`;

  return (
    <FigureFrame
      id="reliability"
      title={title}
      notices={notices}
      onDismiss={dismiss}
      controls={
        <Choice
          spec={S[0]}
          value={state.table}
          onChange={(v) => setState({ table: v as typeof state.table })}
        />
      }
      legend={
        <Legend
          items={[
            ...losses.map((l) => ({
              key: l.id,
              label: `${l.name}: mean over ${SEEDS.length} seeds (faint dots: each seed)`,
              color: l.style.color,
              dash: l.style.dash,
              width: 2.5,
            })),
            { key: 'diag', label: 'calibrated: precision = score', color: 'var(--muted)', dash: '4 3' },
          ]}
        />
      }
      readouts={
        <>
          <p className="readout" data-readout="ece">
            Expected calibration error of the {what}, mean ± sample std over seeds {SEEDS.join(', ')}:{' '}
            {losses.map((l, i) => (
              <span key={l.id} data-ece={l.id}>
                {i > 0 && '; '}
                {l.name} <strong>{formatSpread(l.cal.eceSummary.mean, l.cal.eceSummary.std)}</strong>
              </span>
            ))}
            .
          </p>
          <p className="readout" data-readout="gap">
            Mean score minus precision, over all the {what}:{' '}
            {losses.map((l, i) => (
              <span key={l.id} data-gap={l.id}>
                {i > 0 && '; '}
                {l.name} {formatSpread(l.cal.gapSummary.mean, l.cal.gapSummary.std, true)} (
                {direction(l.cal.gap)})
              </span>
            ))}
            .
          </p>
          <p className="readout" data-readout="bin">
            Score {binText(losses[0].bins[at])}: {losses.map(binReading).join('; ')}.
          </p>
        </>
      }
      caption={
        <>
          Each point is one score bin: across the x axis, the mean score the detector gave; up the y axis, the
          share of those that were right. A calibrated score lies on the diagonal; below it, scores promise
          more than comes true (over-confident); above it, less (under-confident). “Detections” are the
          paper’s detections (score above 0.05, NMS at 0.5), right when they find an object at IoU 0.5; “every
          anchor × class” bins every score of every anchor the matcher assigns (ignored anchors left out),
          right when the anchor belongs to an object of that class. Models: {RELIABILITY.model}; each was
          scored on {fmtCount(RELIABILITY.split.count)} test images it never saw, once per seed. Faint dots
          are single seeds; hollow ones had fewer than {MIN_BIN_COUNT} samples in the bin and are left out of
          the mean, and a hollow mean marker averages fewer than all {SEEDS.length} seeds. The bars below
          count the samples per bin over all seeds, on a log scale. Read from{' '}
          <code>content/data/reliability.json</code> ({RELIABILITY.command}); the ECE is recomputed here from
          its bins.
        </>
      }
      table={[
        {
          name: 'bins',
          caption: `Reliability per score bin (${what}, all seeds)`,
          columns: [
            { key: 'bin', label: 'score bin' },
            ...losses.flatMap((l) => [
              { key: `${l.id}-n`, label: `${l.name}: samples` },
              { key: `${l.id}-s`, label: `${l.name}: mean score` },
              { key: `${l.id}-p`, label: `${l.name}: precision` },
              { key: `${l.id}-k`, label: `${l.name}: seeds averaged` },
            ]),
          ],
          rows: () =>
            losses[0].bins.map((b, i) => [
              binText(b),
              ...losses.flatMap((l) => [
                fmtCount(l.bins[i].count),
                fmtFixed(l.bins[i].meanScore, 3),
                fmtFixed(l.bins[i].precision, 3),
                String(l.bins[i].seedsUsed),
              ]),
            ]),
        },
        {
          name: 'per seed',
          caption: `ECE, mean score minus precision, and AP50 per seed (${what})`,
          columns: [
            { key: 'loss', label: 'loss' },
            { key: 'seed', label: 'seed' },
            { key: 'ece', label: 'ECE' },
            { key: 'gap', label: 'mean score − precision' },
            { key: 'ap50', label: 'AP50 (test)' },
          ],
          rows: () =>
            losses.flatMap((l) =>
              SEEDS.map((s, i) => [
                l.name,
                String(s),
                Number.isFinite(l.cal.ece[i]) ? fmtFixed(l.cal.ece[i], 4) : MISSING,
                Number.isFinite(l.cal.gap[i]) ? fmtFixed(l.cal.gap[i], 4) : MISSING,
                fmtFixed(l.ap50[i], 3),
              ]),
            ),
        },
      ]}
    >
      <div className="figure__plot" ref={ref}>
        <ReliabilityPlot
          title={`Reliability diagram of the toy detector's ${what}, CE and FL, ${SEEDS.length} seeds`}
          width={width}
          series={series}
          index={index}
          onIndex={setIndex}
          focusValueText={valueText}
        />
      </div>
    </FigureFrame>
  );
}
