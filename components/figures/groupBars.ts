import type { ImbalanceGroup, ImbalanceLossKind } from '@/lib/loss/imbalance';
import { fmt, fmtPercent } from '@/lib/params/format';
import type { BarRow } from '../chart/StackedBars';
import { EXAMPLE_GROUPS, LOSS_KINDS } from './styles';

/**
 * One stacked bar per loss (CE, α-CE, FL) split into easy negatives, hard negatives and positives, as the
 * imbalance and bridge figures draw them: `sum(kind, group)` is the group's summed loss or gradient; with
 * `share` the segments are fractions of each bar's total. Bar keys are `<metric>-<kind>`, so segment series
 * read `loss-focal-easyNeg` (the presenter's reveal names).
 */
export function groupBars(
  metric: 'loss' | 'grad',
  sum: (kind: ImbalanceLossKind, group: ImbalanceGroup) => number,
  share: boolean,
): BarRow[] {
  return LOSS_KINDS.map(({ key, label }) => {
    const total = EXAMPLE_GROUPS.reduce((a, g) => a + sum(key, g.key), 0);
    const segments = EXAMPLE_GROUPS.map((g) => ({
      key: g.key,
      label: g.label,
      color: g.color,
      hatch: g.hatch,
      value: share ? sum(key, g.key) / total : sum(key, g.key),
    }));
    const shares = EXAMPLE_GROUPS.map((g) => `${g.label} ${fmtPercent(sum(key, g.key) / total, 3)}`).join(
      ', ',
    );
    return {
      key: `${metric}-${key}`,
      label,
      segments,
      total: share ? 1 : total,
      description: `${label}: total ${metric === 'loss' ? 'loss' : 'gradient'} ${fmt(total, 4)}; ${shares}`,
    };
  });
}
