import paper from '@/content/data/paper-table1.json';
import { clearBest, formatMeanStd } from '@/lib/detector/ablationResults';
import { ABLATION, listText } from './ablationData';
import TableFigure from './TableFigure';

/**
 * The toy's Table 1b analogue (content/data/ablation.json `grid`, `npm run ablate -- --grid`): AP for every
 * γ × α cell, mean ± sample std over seeds, a cell bold only when its mean ± std overlaps no other α of its γ
 * (`clearBest`), next to the paper's best α and AP for the same γ (Table 1b, content/data/paper-table1.json).
 * A cell not yet run reads "not run"; one with fewer seeds than the study says how many.
 */
export default function AblationGridTable() {
  const grid = ABLATION.grid;
  if (!grid)
    throw new Error('<AblationGridTable>: ablation.json has no grid (npm run ablate -- --grid --resume)');
  const seeds = ABLATION.design.seeds.length;
  const paperRow = (gamma: number) => paper.table1b.rows.find((r) => r[0] === gamma);
  const captionId = 'ablation-grid-caption';
  return (
    <TableFigure
      ablation="grid"
      captionId={captionId}
      label="Toy Table 1b"
      caption="AP by γ and α, in percent."
      intro={
        <>
          Focal loss for γ = {listText(grid.gammas)} (γ = 0 is α-balanced cross-entropy) and α ={' '}
          {listText(grid.alphas)}: AP on the test images, mean ± sample std over seeds{' '}
          {listText(ABLATION.design.seeds)}; the last column is the paper&apos;s best α for that γ and its AP.
        </>
      }
      source={
        <>
          Source: this site&apos;s own study (<code>npm run ablate -- --grid --resume</code>, the same budget
          as every other row of chapter 8), and Table 1b of the paper for the last column (COCO minival; the
          paper reports one run per cell and only its best α). Bold: the best α of a γ when its mean ± std
          overlaps no other α of that γ.
        </>
      }
    >
      <thead>
        <tr>
          <th scope="col">γ</th>
          {grid.alphas.map((a) => (
            <th key={a} scope="col" className="num">
              α = {a}
            </th>
          ))}
          <th scope="col" className="num">
            paper: best α, AP
          </th>
        </tr>
      </thead>
      <tbody>
        {grid.gammas.map((g) => {
          const cells = grid.cells.filter((c) => c.gamma === g);
          const clear = clearBest(
            cells.map((c) => ({ mean: c.n > 0 ? c.ap_mean : NaN, std: c.n > 0 ? c.ap_std : NaN })),
          );
          const p = paperRow(g);
          return (
            <tr key={g} data-gamma={g}>
              <th scope="row">{g === 0 ? '0 (α-CE)' : g}</th>
              {cells.map((c, i) => {
                const text =
                  c.n === 0
                    ? 'not run'
                    : formatMeanStd(c.ap_mean, c.ap_std, c.n) + (c.n < seeds ? ` (${c.n} seeds)` : '');
                return (
                  <td key={c.alpha} className="num" data-cell={c.name}>
                    {i === clear ? <strong>{text}</strong> : text}
                  </td>
                );
              })}
              <td className="num">{p ? `α = ${p[1]}: ${Number(p[2]).toFixed(1)}` : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </TableFigure>
  );
}
