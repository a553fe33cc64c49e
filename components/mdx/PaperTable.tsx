import type { ReactNode } from 'react';
import data from '@/content/data/paper-table1.json';
import { REFERENCES, referenceId } from './references';
import TableFigure from './TableFigure';

type Cell = number | string | null;
interface TableData {
  caption: string;
  columns: string[];
  rows: Cell[][];
}

const TABLES = {
  table1a: data.table1a,
  table1b: data.table1b,
  table1c: data.table1c,
  table1d: data.table1d,
  table1e: data.table1e,
  table3: data.table3,
} satisfies Record<string, TableData>;

export type PaperTableKey = keyof typeof TABLES;

/** Column headers as the paper prints them. */
const HEADERS: Record<string, ReactNode> = {
  alpha: 'α',
  gamma: 'γ',
  beta: 'β',
  AP: 'AP',
  AP50: (
    <>
      AP<sub>50</sub>
    </>
  ),
  AP75: (
    <>
      AP<sub>75</sub>
    </>
  ),
  APS: (
    <>
      AP<sub>S</sub>
    </>
  ),
  APM: (
    <>
      AP<sub>M</sub>
    </>
  ),
  APL: (
    <>
      AP<sub>L</sub>
    </>
  ),
  scales: '#scales',
  aspects: '#aspect ratios',
  method: 'method',
  batch: 'batch size',
  nms: 'NMS threshold',
  loss: 'loss',
  depth: 'ResNet depth',
  scale: 'image scale (px)',
  time_ms: 'time (ms)',
};

/** Settings the JSON captions leave implicit (the paper's ablations use ResNet-50-FPN at 600 px unless noted). */
const SETTING: Partial<Record<PaperTableKey, string>> = {
  table1b: 'RetinaNet, ResNet-50-FPN, 600 px',
  table1c: 'RetinaNet, ResNet-50-FPN, 600 px',
  table3: 'RetinaNet, ResNet-50-FPN, 600 px; α = 0.25 for FL*',
};

const isApColumn = (c: string) => /^AP/.test(c);

function label(key: PaperTableKey): string {
  return key.replace(/^table(\d)([a-z]?)$/, (_, n: string, l: string) => `Table ${n}${l}`);
}

function greek(s: string): string {
  return s
    .replace(/\balpha\b/g, 'α')
    .replace(/\bgamma\b/g, 'γ')
    .replace(/\bbeta\b/g, 'β');
}

function formatCell(column: string, v: Cell): string {
  if (v === null) return '—';
  if (typeof v === 'string') return v;
  return isApColumn(column) ? v.toFixed(1) : String(v);
}

/**
 * One table of Lin et al. (2017), rendered from content/data/paper-table1.json (the paper's numbers, never
 * recomputed), with its caption and a source line linking to the chapter's reference list.
 *
 * `highlight`: 'best' (default) bolds the row(s) with the highest AP, as the paper bolds its best results;
 * an array of row indices bolds those rows; 'none' bolds nothing.
 */
export default function PaperTable({
  table,
  highlight = 'best',
}: {
  table: PaperTableKey;
  highlight?: 'best' | 'none' | readonly number[];
}) {
  const t: TableData | undefined = TABLES[table];
  if (!t) throw new Error(`<PaperTable table="${table}">: no such table in paper-table1.json`);
  const apIndex = t.columns.indexOf('AP');
  let bold = new Set<number>();
  if (highlight === 'best' && apIndex >= 0) {
    const best = Math.max(...t.rows.map((r) => Number(r[apIndex])));
    bold = new Set(t.rows.flatMap((r, i) => (Number(r[apIndex]) === best ? [i] : [])));
  } else if (Array.isArray(highlight)) {
    bold = new Set(highlight);
  }
  const captionId = `paper-${table}-caption`;
  const dataset = table === 'table1e' ? 'COCO test-dev' : 'COCO minival';
  const setting = SETTING[table];

  return (
    <TableFigure
      captionId={captionId}
      label={label(table)}
      caption={greek(t.caption) + (setting ? ` (${setting})` : '')}
      source={
        <>
          Source: <a href={`#${referenceId('lin2017')}`}>{REFERENCES.lin2017.label}</a>, {label(table)}.{' '}
          {dataset}; AP in percent (higher is better).
          {bold.size > 0
            ? highlight === 'best'
              ? ' Bold: highest AP in the table.'
              : ' Bold: the rows discussed in the text.'
            : ''}
        </>
      }
    >
      <thead>
        <tr>
          {t.columns.map((c) => (
            <th
              key={c}
              scope="col"
              className={typeof t.rows[0]?.[t.columns.indexOf(c)] === 'number' ? 'num' : undefined}
            >
              {HEADERS[c] ?? c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {t.rows.map((row, i) => (
          <tr key={i} className={bold.has(i) ? 'mdx-row-best' : undefined}>
            {row.map((v, j) => {
              const text = formatCell(t.columns[j], v);
              return (
                <td key={j} className={typeof v === 'number' ? 'num' : undefined}>
                  {v === null ? (
                    <span aria-label="not applicable">{text}</span>
                  ) : bold.has(i) ? (
                    <strong>{text}</strong>
                  ) : (
                    text
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </TableFigure>
  );
}
