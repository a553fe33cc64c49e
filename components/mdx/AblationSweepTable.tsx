import { clearBest, spreadsOverlap } from '@/lib/detector/ablationResults';
import { ABLATION, formatMetric, ablationRow, listText } from './ablationData';
import TableFigure from './TableFigure';

/**
 * The imbalance sweep of this site's ablation study (content/data/ablation.json): per level of
 * foreground:background imbalance, the measured anchors per image, the AP of α-balanced CE (γ = 0) and FL for each
 * γ (mean ± sample std over seeds, all at the same α), and the γ with the best mean AP, bold only when its
 * mean ± std overlaps no other γ of the level (`clearBest`).
 */
export default function AblationSweepTable() {
  const levels = ABLATION.imbalance_sweep;
  const gammas = levels[0]?.points.map((p) => p.gamma) ?? [];
  const alpha = levels[0]?.points[0]?.alpha;
  const captionId = 'ablation-sweep-caption';
  return (
    <TableFigure
      ablation="sweep"
      captionId={captionId}
      label="Toy imbalance sweep"
      caption="AP by γ and imbalance level, in percent."
      intro={
        <>
          AP (mean ± sample std over seeds {listText(ABLATION.design.seeds)}) for γ = {listText(gammas)} at α
          = {alpha}, at three levels of anchor imbalance, from least to most imbalanced.
        </>
      }
      source={
        <>
          Source: this site&apos;s own study, <code>{ABLATION.command}</code>. Anchor counts are those
          measured during training with the toy&apos;s matcher: IoU ≥ 0.5 foreground, &lt; 0.4 background, and
          each object&apos;s best-overlapping anchors foreground even below 0.5 (low-quality matches, which
          the paper&apos;s rule does not keep). Bold: the best γ of a level when its mean ± std overlaps no
          other γ; “within the spread of” names the γ values a best mean cannot be told apart from.{' '}
          {levels.map((l) => `${l.label}: ${l.description}`).join(' ')}
        </>
      }
    >
      <thead>
        <tr>
          <th scope="col">level</th>
          <th scope="col" className="num">
            anchors per image, foreground : background
          </th>
          {gammas.map((g) => (
            <th key={g} scope="col" className="num">
              {g === 0 ? 'α-CE (γ = 0)' : `FL γ = ${g}`}
            </th>
          ))}
          <th scope="col" className="num">
            highest mean
          </th>
        </tr>
      </thead>
      <tbody>
        {levels.map((l) => {
          const clear = clearBest(l.points.map((p) => ({ mean: p.ap_mean, std: p.ap_std })));
          const best = l.points.find((p) => p.gamma === l.best_gamma);
          const near = best
            ? l.points.filter(
                (p) =>
                  p !== best &&
                  spreadsOverlap(
                    { mean: p.ap_mean, std: p.ap_std },
                    { mean: best.ap_mean, std: best.ap_std },
                  ),
              )
            : [];
          return (
            <tr key={l.id} data-level={l.id}>
              <th scope="row">{l.label}</th>
              <td className="num">
                {l.fg_per_image.toFixed(1)} : {Math.round(l.bg_per_image).toLocaleString('en-US')} (1 :{' '}
                {Math.round(l.bg_per_fg).toLocaleString('en-US')})
              </td>
              {l.points.map((p, i) => {
                const text = formatMetric(ablationRow(p.name), 'ap');
                return (
                  <td key={p.gamma} className="num">
                    {i === clear ? <strong>{text}</strong> : text}
                  </td>
                );
              })}
              <td className="num">
                {l.best_gamma ?? '—'}
                {near.length ? ` (within the spread of γ = ${listText(near.map((p) => p.gamma))})` : ''}
              </td>
            </tr>
          );
        })}
      </tbody>
    </TableFigure>
  );
}
