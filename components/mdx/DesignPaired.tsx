import PairedText from './PairedText';
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
  return (
    <PairedText
      d={designPaired(candidate, run, baseline)}
      show={show}
      data={{ design: candidate, run, baseline }}
    />
  );
}
