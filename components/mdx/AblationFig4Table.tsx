import { ABLATION, pct } from './ablationData';
import TableFigure from './TableFigure';

/**
 * The Figure-4 statistic of this site's toy study (content/data/ablation.json, `fig4`): for the model trained with
 * FL γ = 2 and the one trained with CE, how concentrated the loss of the held-out (anchor, class) elements is when
 * it is re-scored with FL at several γ — the share carried by the hardest 1 % and 10 % of negatives and by the
 * hardest 20 % of positives.
 */
export default function AblationFig4Table() {
  const models = [
    { key: 'focal', name: 'FL γ = 2', m: ABLATION.fig4.focal },
    { key: 'ce', name: 'CE', m: ABLATION.fig4.ce },
  ] as const;
  const f = ABLATION.fig4.focal;
  const captionId = 'ablation-fig4-caption';
  return (
    <TableFigure
      ablation="fig4"
      captionId={captionId}
      label="Toy Figure 4"
      caption="Share of the loss carried by the hardest examples."
      intro={
        <>
          The held-out predictions of two trained models (seed {f.seed}), each scored with FL at several γ:{' '}
          {f.numNegative.toLocaleString('en-US')} negative and {f.numPositive.toLocaleString('en-US')}{' '}
          positive (anchor, class) elements.
        </>
      }
      source={
        <>
          Source: this site&apos;s own study, <code>{ABLATION.command}</code>; the analysed runs are{' '}
          <code>{ABLATION.fig4.focal.config}</code> and <code>{ABLATION.fig4.ce.config}</code>. The
          paper&apos;s Figure 4 does the same with a ResNet-101 RetinaNet on COCO (about 10<sup>7</sup>{' '}
          negative and 10
          <sup>5</sup> positive windows).
        </>
      }
    >
      <thead>
        <tr>
          <th scope="col">model trained with</th>
          <th scope="col" className="num">
            γ used to score
          </th>
          <th scope="col" className="num">
            hardest 1% of negatives
          </th>
          <th scope="col" className="num">
            hardest 10% of negatives
          </th>
          <th scope="col" className="num">
            hardest 20% of positives
          </th>
        </tr>
      </thead>
      <tbody>
        {models.flatMap(({ key, name, m }) =>
          m.curves.map((c) => (
            <tr key={`${key}-${c.gamma}`} data-model={key} data-gamma={c.gamma}>
              <th scope="row">{name}</th>
              <td className="num">{c.gamma}</td>
              <td className="num">{pct(c.negHardest1)}%</td>
              <td className="num">{pct(c.negHardest10)}%</td>
              <td className="num">{pct(c.posHardest20)}%</td>
            </tr>
          )),
        )}
      </tbody>
    </TableFigure>
  );
}
