import { DESIGN_COLUMNS } from '@/lib/detector/designStudy';
import { formatMeanStd } from '@/lib/detector/ablationResults';
import { DESIGN } from './designData';
import { formatPaired, signedPoints } from './ablationData';
import TableFigure from './TableFigure';

const COLUMN_LABELS: Record<(typeof DESIGN_COLUMNS)[number], string> = {
  ce: 'CE',
  'ce-a0.25': 'α-CE .25',
  'ce-a0.75': 'α-CE .75',
  'fl-g0.5': 'FL γ=0.5',
  'fl-g2': 'FL γ=2',
};

/** The paired columns: FL γ = 2 (the paper's setting) minus each baseline, seed by seed. */
const PAIRS = [
  { baseline: 'ce', label: 'FL γ=2 − CE' },
  { baseline: 'ce-a0.75', label: 'FL γ=2 − α-CE .75' },
  { baseline: 'fl-g0.5', label: 'FL γ=2 − FL γ=0.5' },
] as const;

/**
 * "How the toy was designed" (content/training.mdx): every candidate design tried on the validation split, from
 * content/data/design.json (`npm run design`). One row per candidate: AP per loss (mean ± sample std over its
 * seeds; — where that loss was not run) and FL γ = 2 minus each baseline, seed by seed, with the per-seed values
 * in the cell's title and text.
 */
export default function DesignTable() {
  const captionId = 'design-caption';
  return (
    <TableFigure
      ablation="design"
      captionId={captionId}
      label="Toy design"
      caption="Candidate designs on the validation split: AP by loss, and FL γ = 2 minus each baseline seed by seed, in points."
      intro={
        <>
          Each row is a design of the toy tried before choosing one; every number comes from the validation
          images, none from the test images that chapter 8 reports on. FL uses α = 0.25 and every run the
          prior init π = 0.01.
        </>
      }
      source={
        <>
          Source: <code>content/data/design.json</code> (<code>{DESIGN.command}</code>), from the{' '}
          <code>npm run ablate -- --split val …</code> outputs in <code>content/data/design/</code>. Spread =
          sample standard deviation over seeds; a paired difference is taken seed by seed (same seed = same
          training images and initial weights).
        </>
      }
    >
      <thead>
        <tr>
          <th scope="col">design</th>
          <th scope="col" className="num">
            seeds
          </th>
          {DESIGN_COLUMNS.map((c) => (
            <th key={c} scope="col" className="num">
              {COLUMN_LABELS[c]}
            </th>
          ))}
          {PAIRS.map((p) => (
            <th key={p.baseline} scope="col" className="num">
              {p.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {DESIGN.candidates.map((c) => {
          const n = Math.max(0, ...Object.values(c.cells).map((x) => x?.n ?? 0));
          return (
            <tr key={c.id} data-design={c.id}>
              <th scope="row" title={c.description}>
                {c.label}
              </th>
              <td className="num">{n}</td>
              {DESIGN_COLUMNS.map((col) => {
                const cell = c.cells[col];
                return (
                  <td key={col} className="num" data-column={col}>
                    {cell ? formatMeanStd(cell.mean, cell.std, cell.n) : '—'}
                  </td>
                );
              })}
              {PAIRS.map((p) => {
                const d = c.paired.find((x) => x.run === 'fl-g2' && x.baseline === p.baseline);
                return (
                  <td
                    key={p.baseline}
                    className="num"
                    data-paired={p.baseline}
                    title={d ? `per seed ${d.diffs.map(signedPoints).join(', ')}` : undefined}
                  >
                    {d ? formatPaired(d) : '—'}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </TableFigure>
  );
}
