import type { ReactNode } from 'react';
import type { PairedDifference } from '../../lib/detector/ablationResults';
import { formatPaired, signedPoints } from './ablationData';

/**
 * A paired difference inline in prose — the one rendering of "mean ± sd points (per seed …)" that the study's,
 * the design investigation's and the presets' components share:
 *
 *   +3.3 ± 0.8 points (per seed +3.2, +4.2, +3.2, +2.1 and +3.7)      show="full"
 *   +3.3 ± 0.8                                                         show="mean"
 *
 * `data` goes onto the wrapping span as data-* attributes (the claims tests and the browser tests find values by
 * them). Each number stays on one line (.mdx-ablation-value is nowrap); the sentence around them wraps, so a
 * phone's narrow column is never pushed wider than the screen.
 */
export default function PairedText({
  d,
  show = 'full',
  title,
  data,
}: {
  d: PairedDifference;
  show?: 'full' | 'mean';
  title?: string;
  data: Record<string, string>;
}) {
  const attrs = Object.fromEntries(Object.entries(data).map(([k, v]) => [`data-${k}`, v]));
  let perSeed: ReactNode = null;
  if (show === 'full') {
    perSeed = (
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
    );
  }
  return (
    <span className="mdx-ablation-paired" title={title} {...attrs}>
      <span className="mdx-ablation-value">{formatPaired(d)}</span>
      {perSeed}
    </span>
  );
}
