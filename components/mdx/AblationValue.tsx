import {
  ablationRow,
  formatMetric,
  metricMean,
  pct,
  signedPoints,
  type AblationMetric,
} from './ablationData';

/**
 * One number of this site's ablation study, inline in prose, read from content/data/ablation.json:
 *
 *   <AblationValue run="fl-g2" />                     → 41.7 ± 2.6   (AP, mean ± sample std over seeds)
 *   <AblationValue run="fl-g2" metric="ap50" show="mean" />  → 61.2
 *   <AblationValue run="fl-g0.5" minus="ce-a0.75" />  → +9.8   (difference of mean AP, percentage points)
 *
 * An unknown run throws at build time.
 */
export default function AblationValue({
  run,
  metric = 'ap',
  show = 'mean±std',
  minus,
}: {
  run: string;
  metric?: AblationMetric;
  show?: 'mean±std' | 'mean';
  /** Another run: print mean(run) − mean(minus) in points instead. */
  minus?: string;
}) {
  const row = ablationRow(run);
  const text =
    minus !== undefined
      ? signedPoints(metricMean(row, metric) - metricMean(ablationRow(minus), metric))
      : show === 'mean'
        ? pct(metricMean(row, metric))
        : formatMetric(row, metric);
  return (
    <span className="mdx-ablation-value" data-run={run} data-metric={metric}>
      {text}
    </span>
  );
}
