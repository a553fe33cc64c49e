import { MAIN_GROUPS, type AblationGroup } from '@/lib/detector/ablation';
import { clearBest } from '@/lib/detector/ablationResults';
import {
  ABLATION,
  ablationFact,
  ablationRow,
  formatMetric,
  listText,
  metricMean,
  metricStd,
  pct,
} from './ablationData';
import TableFigure from './TableFigure';

/**
 * This site's own ablation study as a table, rendered from content/data/ablation.json (`npm run ablate`): one row
 * per configuration with AP, AP50 and AP75 as mean ± sample standard deviation over seeds, and the AP of each seed.
 * The line above the table states the seeds, steps, batch size and held-out set size from the JSON's own
 * metadata.
 *
 * `groups` picks configurations by their group (default: the main ones, MAIN_GROUPS; the imbalance sweep and the
 * γ × α grid have <AblationSweepTable> and <AblationGridTable>); `runs` picks them by name, in the order given. The row with the best mean AP is bold only
 * when its mean ± std overlaps no other row's (lib/detector/ablation.ts `clearBest`): no single winner is crowned
 * where the seeds cannot tell the configurations apart.
 */
export default function AblationTable({
  groups = MAIN_GROUPS,
  runs,
  id = 'ablation',
  label = 'Toy ablation',
}: {
  groups?: readonly AblationGroup[];
  runs?: readonly string[];
  /** Base for the caption's id (several tables on one page need different ids). */
  id?: string;
  label?: string;
}) {
  const rows = runs ? runs.map(ablationRow) : ABLATION.results.filter((r) => groups.includes(r.group));
  if (rows.length === 0) throw new Error('<AblationTable>: no rows selected');
  const bestIndex = clearBest(rows.map((r) => ({ mean: metricMean(r, 'ap'), std: metricStd(r, 'ap') })));
  const d = ABLATION.design;
  const seedsShown = rows[0].seeds;
  const captionId = `${id}-caption`;

  return (
    <TableFigure
      ablation={id}
      captionId={captionId}
      label={label}
      caption="AP by configuration, in percent."
      intro={
        <>
          AP of a toy RetinaNet on synthetic images, mean ± sample standard deviation over seeds{' '}
          {listText(d.seeds)}; {ablationFact('steps')} steps × batch {ablationFact('batch')}, evaluated on the
          same {ablationFact('eval-images')} held-out images.
        </>
      }
      source={
        <>
          Source: this site&apos;s own study, <code>{ABLATION.command}</code> ({ablationFact('date')}):{' '}
          {d.model.parameters.toLocaleString('en-US')}-parameter model, {ablationFact('image-size')} images,{' '}
          {ablationFact('anchors-per-image')} anchors per image, {ablationFact('optimizer')}; AP is COCO
          AP@[.5:.95] in percent.{' '}
          {bestIndex === null
            ? 'No row is bold: the highest mean AP lies within the spread of another row.'
            : 'Bold: the highest mean AP, whose mean ± std overlaps no other row.'}{' '}
          Spread = sample standard deviation (n − 1) over the {ablationFact('seed-count')} seeds.
        </>
      }
    >
      <thead>
        <tr>
          <th scope="col">configuration</th>
          <th scope="col" className="num">
            AP
          </th>
          <th scope="col" className="num">
            AP<sub>50</sub>
          </th>
          <th scope="col" className="num">
            AP<sub>75</sub>
          </th>
          <th scope="col" className="num">
            AP per seed ({seedsShown.join(', ')})
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => {
          const isBest = i === bestIndex;
          const notes = [
            r.diverged_seeds.length ? `diverged: seed ${r.diverged_seeds.join(', ')}` : '',
            r.failed_seeds.length ? `failed: seed ${r.failed_seeds.join(', ')}` : '',
          ].filter(Boolean);
          const ap = formatMetric(r, 'ap');
          return (
            <tr key={r.name} className={isBest ? 'mdx-row-best' : undefined} data-run={r.name}>
              <th scope="row">
                {r.label}
                {notes.length ? ` (${notes.join('; ')})` : ''}
              </th>
              <td className="num" data-metric="ap">
                {isBest ? <strong>{ap}</strong> : ap}
              </td>
              <td className="num">{formatMetric(r, 'ap50')}</td>
              <td className="num">{formatMetric(r, 'ap75')}</td>
              <td className="num">{r.ap.map((v) => pct(v)).join(', ')}</td>
            </tr>
          );
        })}
      </tbody>
    </TableFigure>
  );
}
