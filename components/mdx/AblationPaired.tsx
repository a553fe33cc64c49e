import {
  ablationRow,
  formatPaired,
  formatPairedSeeds,
  pairedRows,
  type AblationMetric,
} from './ablationData';

/**
 * A paired difference of this site's ablation study, inline in prose, read from content/data/ablation.json:
 *
 *   <AblationPaired run="fl-g2" baseline="ce" />               → −2.3 ± 1.8 points (seeds 0, 1, 2: −4.2, −0.7, −1.9)
 *   <AblationPaired run="fl-g2" baseline="ce" show="mean" />   → −2.3 ± 1.8
 *
 * The difference is taken seed by seed (same seed = same initial weights and training images), then summarised
 * as mean ± sample std (lib/detector/ablation.ts `pairedDifference`). An unknown run throws at build time.
 */
export default function AblationPaired({
  run,
  baseline,
  metric = 'ap',
  show = 'full',
}: {
  run: string;
  baseline: string;
  metric?: AblationMetric;
  show?: 'full' | 'mean';
}) {
  const d = pairedRows(run, baseline, metric);
  const text =
    show === 'mean' ? formatPaired(d) : `${formatPaired(d)} points (per seed ${formatPairedSeeds(d)})`;
  return (
    <span
      className="mdx-ablation-value"
      data-run={run}
      data-baseline={baseline}
      data-metric={metric}
      title={`${ablationRow(run).label} minus ${ablationRow(baseline).label}, seed by seed`}
    >
      {text}
    </span>
  );
}
