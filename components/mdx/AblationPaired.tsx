import { ablationRow, pairedRows, type AblationMetric } from './ablationData';
import PairedText from './PairedText';

/**
 * A paired difference of this site's ablation study, inline in prose, read from content/data/ablation.json:
 *
 *   <AblationPaired run="fl-g2" baseline="ce" />               → +3.3 ± 0.8 points (per seed +3.2, +4.2, …)
 *   <AblationPaired run="fl-g2" baseline="ce" show="mean" />   → +3.3 ± 0.8
 *
 * The difference is taken seed by seed (same seed = same initial weights and training images), then summarised
 * as mean ± sample std (lib/detector/ablationResults.ts `pairedDifference`). An unknown run throws at build time.
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
  return (
    <PairedText
      d={pairedRows(run, baseline, metric)}
      show={show}
      title={`${ablationRow(run).label} minus ${ablationRow(baseline).label}, seed by seed`}
      data={{ run, baseline, metric }}
    />
  );
}
