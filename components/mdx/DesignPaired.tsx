import { formatPaired, signedPoints } from './ablationData';
import { designPaired } from './designData';

/**
 * A paired difference of one candidate design (content/data/design.json), inline in prose:
 *
 *   <DesignPaired candidate="warm-a21" run="fl-g2" baseline="ce" />  → +3.4 ± 0.5 points (per seed +3.0 and +3.8)
 *
 * Unknown candidates or pairs throw at build time.
 */
export default function DesignPaired({
  candidate,
  run,
  baseline,
  show = 'full',
}: {
  candidate: string;
  run: string;
  baseline: string;
  show?: 'full' | 'mean';
}) {
  const d = designPaired(candidate, run, baseline);
  return (
    <span className="mdx-ablation-paired" data-design={candidate} data-run={run} data-baseline={baseline}>
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
