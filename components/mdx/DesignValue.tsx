import { formatMeanStd } from '@/lib/detector/ablationResults';
import type { DesignColumn } from '@/lib/detector/designStudy';
import { designCell } from './designData';

/**
 * One AP of a candidate design (content/data/design.json), inline in prose, mean ± sample std over its seeds:
 *
 *   <DesignValue candidate="warm-a21" run="fl-g2" />  → 76.3 ± 0.7
 *
 * A configuration the candidate did not run throws at build time.
 */
export default function DesignValue({ candidate, run }: { candidate: string; run: DesignColumn }) {
  const cell = designCell(candidate, run);
  if (!cell) throw new Error(`design.json: candidate "${candidate}" did not run ${run}`);
  return (
    <span className="mdx-ablation-value" data-design={candidate} data-run={run}>
      {formatMeanStd(cell.mean, cell.std, cell.n)}
    </span>
  );
}
