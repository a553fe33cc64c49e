import { ablationRow, formatPaired, signedPoints, pairedRows, type AblationMetric } from './ablationData';

/**
 * A paired difference of this site's ablation study, inline in prose, read from content/data/ablation.json:
 *
 *   <AblationPaired run="fl-g2" baseline="ce" />               → −2.3 ± 1.8 points (per seed −4.2, −0.7 and −1.9)
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
  // Each number stays on one line (.mdx-ablation-value is nowrap); the sentence around them wraps, so a phone's
  // narrow column is never pushed wider than the screen.
  return (
    <span
      className="mdx-ablation-paired"
      data-run={run}
      data-baseline={baseline}
      data-metric={metric}
      title={`${ablationRow(run).label} minus ${ablationRow(baseline).label}, seed by seed`}
    >
      <span className="mdx-ablation-value">{formatPaired(d)}</span>
      {show === 'full' && (
        <>
          {' '}
          points (per seed{' '}
          {d.diffs.map((x, i) => (
            <span key={d.seeds[i]}>
              {i === 0 ? '' : i === d.diffs.length - 1 ? ' and ' : ', '}
              <span className="mdx-ablation-value">{signedPoints(x)}</span>
            </span>
          ))}
          )
        </>
      )}
    </span>
  );
}
