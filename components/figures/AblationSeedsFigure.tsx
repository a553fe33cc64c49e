'use client';
import { useMemo, type ReactNode } from 'react';
import { MAIN_GROUPS } from '@/lib/detector/ablation';
import { ABLATION_SEEDS_PREFIX, ablationSeedsSchema } from '@/lib/params/figures';
import {
  ABLATION,
  ablationRow,
  formatMetric,
  formatPaired,
  listText,
  pairedRows,
  pct,
  signedPoints,
} from '../mdx/ablationData';
import Choice from '../chart/Choice';
import SeedDotPlot, { seedMarker, type SeedDotRow } from '../chart/SeedDotPlot';
import FigureFrame from './FigureFrame';
import { useFigure } from './useFigure';

/** The study's main configurations (the imbalance sweep and the γ × α grid have tables of their own), in table order. */
const MAIN = ABLATION.results.filter((r) => MAIN_GROUPS.includes(r.group));
const SEEDS = ABLATION.design.seeds;
const valuesBySeed = (seeds: readonly number[], values: readonly number[]) =>
  SEEDS.map((s) => {
    const i = seeds.indexOf(s);
    return i < 0 ? NaN : 100 * values[i];
  });

export interface AblationSeedsFigureProps {
  /** URL key prefix (default `as`): `as.baseline=ce-a0.75`. */
  prefix?: string;
  title?: ReactNode;
}

/**
 * The toy study (content/data/ablation.json) seed by seed: the AP of every seed of every main configuration,
 * and each configuration's paired difference against a chosen baseline (same seed, same data and initial
 * weights), with the mean ± sample std of the differences. Nothing is trained here; every number is read
 * from the study's output through components/mdx/ablationData.ts.
 */
export default function AblationSeedsFigure({
  prefix = ABLATION_SEEDS_PREFIX,
  title = 'The toy study, seed by seed',
}: AblationSeedsFigureProps) {
  const { state, setState, notices, dismiss, ref, width } = useFigure(ablationSeedsSchema, prefix);
  const baseline = state.baseline;
  const baseLabel = ablationRow(baseline).label;

  const apRows: SeedDotRow[] = useMemo(
    () =>
      MAIN.map((r) => ({
        key: r.name,
        label: r.label,
        values: valuesBySeed(r.seeds, r.ap),
        mean: 100 * r.ap_mean,
        sd: 100 * r.ap_std,
        strong: r.name === baseline,
        description: `${r.label}: AP ${formatMetric(r, 'ap')}; per seed ${r.ap.map((v) => pct(v)).join(', ')}`,
      })),
    [baseline],
  );
  const diffs = useMemo(
    () => MAIN.filter((r) => r.name !== baseline).map((r) => ({ row: r, d: pairedRows(r.name, baseline) })),
    [baseline],
  );
  const diffRows: SeedDotRow[] = diffs.map(({ row, d }) => ({
    key: row.name,
    label: row.label,
    values: valuesBySeed(d.seeds, d.diffs),
    mean: 100 * d.mean,
    sd: 100 * d.std,
    description: `${row.label} minus ${baseLabel}: ${formatPaired(d)} points; per seed ${d.diffs.map(signedPoints).join(', ')}`,
  }));
  const allDiffs = diffRows.flatMap((r) => r.values.filter(Number.isFinite));
  const above = diffs.filter(({ d }) => d.sameSign && d.mean > 0).map(({ row }) => row.label);
  const below = diffs.filter(({ d }) => d.sameSign && d.mean < 0).map(({ row }) => row.label);
  const mixed = diffs.filter(({ d }) => !d.sameSign).map(({ row }) => row.label);

  return (
    <FigureFrame
      id="ablation-seeds"
      title={title}
      notices={notices}
      onDismiss={dismiss}
      controls={
        <Choice
          spec={ablationSeedsSchema[0]}
          value={baseline}
          onChange={(b) => setState({ baseline: b as typeof baseline })}
        />
      }
      legend={
        <ul className="legend" aria-label="Seeds">
          {SEEDS.map((s, i) => {
            const m = seedMarker(i);
            return (
              <li key={s} className="legend__item">
                <svg width={14} height={14} aria-hidden="true" className="legend__swatch">
                  <path d={m.d} fill={m.color} transform="translate(7,7)" className="seed-dots__dot" />
                </svg>
                seed {s}
              </li>
            );
          })}
          <li className="legend__item">
            <svg width={28} height={14} aria-hidden="true" className="legend__swatch">
              <line className="seed-dots__spread" x1={2} x2={26} y1={7} y2={7} />
              <line className="seed-dots__mean" x1={14} x2={14} y1={1} y2={13} />
            </svg>
            mean ± sample std
          </li>
        </ul>
      }
      readouts={
        <p className="readout" data-readout="paired">
          Against {baseLabel}, seed by seed. Above on every seed: {above.length ? above.join('; ') : 'none'}.
          Below on every seed: {below.length ? below.join('; ') : 'none'}. Above on some seeds and below on
          others: {mixed.length ? mixed.join('; ') : 'none'}. With {SEEDS.length} seeds, even a difference of
          one sign on every seed is weak evidence.
        </p>
      }
      caption={
        <>
          Top: AP of every seed (markers) of each configuration of this site&apos;s toy study, with the mean
          (tick) ± sample standard deviation (bar) over seeds {listText(SEEDS)}. Bottom: the paired difference
          against {baseLabel}: for each seed, the configuration&apos;s AP minus the baseline&apos;s AP with
          the same seed, which shares its initial weights and training images. Pairing removes what a seed
          shares, so a difference can be consistent across seeds while the two means lie within each
          other&apos;s spread. Read from <code>content/data/ablation.json</code> ({ABLATION.command}); AP is
          COCO AP@[.5:.95] in percent on the same {ABLATION.design.eval_images} held-out images.
        </>
      }
      table={[
        {
          name: 'AP per seed',
          caption: 'AP per seed of each configuration (percent)',
          columns: [
            { key: 'run', label: 'configuration' },
            ...SEEDS.map((s) => ({ key: `s${s}`, label: `seed ${s}` })),
            { key: 'mean', label: 'mean ± std' },
          ],
          rows: () =>
            MAIN.map((r) => [
              r.label,
              ...valuesBySeed(r.seeds, r.ap).map((v) => (Number.isFinite(v) ? v.toFixed(1) : '—')),
              formatMetric(r, 'ap'),
            ]),
        },
        {
          name: 'paired differences',
          caption: `AP minus the AP of ${baseLabel} with the same seed (points)`,
          columns: [
            { key: 'run', label: 'configuration' },
            ...SEEDS.map((s) => ({ key: `s${s}`, label: `seed ${s}` })),
            { key: 'mean', label: 'mean ± std' },
            { key: 'sign', label: 'same sign on every seed' },
          ],
          rows: () =>
            diffs.map(({ row, d }) => [
              row.label,
              ...valuesBySeed(d.seeds, d.diffs).map((v) =>
                Number.isFinite(v) ? signedPoints(v / 100) : '—',
              ),
              formatPaired(d),
              d.sameSign ? 'yes' : 'no',
            ]),
        },
      ]}
    >
      <div className="figure__plot" ref={ref}>
        <SeedDotPlot
          title="AP of each seed, by configuration"
          width={width}
          rows={apRows}
          seeds={SEEDS}
          domain={[0, Math.max(...apRows.flatMap((r) => r.values.filter(Number.isFinite)))]}
          format={(v) => v.toFixed(0)}
          xLabel="AP (percent), one marker per seed"
        />
        <SeedDotPlot
          title={`Paired difference against ${baseLabel}, by configuration`}
          width={width}
          rows={diffRows}
          seeds={SEEDS}
          domain={[Math.min(0, ...allDiffs), Math.max(0, ...allDiffs)]}
          format={(v) => (v > 0 ? `+${v.toFixed(0)}` : v < 0 ? `−${(-v).toFixed(0)}` : '0')}
          xLabel={`AP minus ${baseLabel}, same seed (points)`}
          reference={0}
        />
      </div>
    </FigureFrame>
  );
}
