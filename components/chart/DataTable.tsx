'use client';
import { useId, useState } from 'react';
import { MISSING } from '@/lib/params/format';

export interface DataColumn {
  key: string;
  label: string;
}

export interface DataTableProps {
  caption: string;
  columns: DataColumn[];
  /**
   * Cells already formatted as text (use the safe formatters: never NaN), or a function that makes them, called
   * only while the table is open: a live view re-renders ~10×/s while training, and formatting hundreds of cells
   * each time would cost milliseconds for a table that is nearly always closed.
   */
  rows: string[][] | (() => string[][]);
  /** Distinguishes several tables in one figure: the button reads "Show data: <name>". */
  name?: string;
}

/** A "Show data" button revealing the plotted numbers as an HTML table (rendered only when open). */
export default function DataTable({ caption, columns, rows, name }: DataTableProps) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const body = open ? (typeof rows === 'function' ? rows() : rows) : [];
  return (
    <div className="data-table">
      <button
        type="button"
        className="data-table__toggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        {open ? 'Hide data' : 'Show data'}
        {name ? `: ${name}` : ''}
      </button>
      <div
        id={id}
        className="data-table__scroll"
        hidden={!open}
        tabIndex={open ? 0 : undefined}
        role="region"
        aria-label={caption}
      >
        {open && (
          <table>
            <caption>{caption}</caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.key} scope="col">
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {body.map((r, i) => (
                <tr key={i}>
                  {columns.map((c, j) =>
                    j === 0 ? (
                      <th key={c.key} scope="row">
                        {r[j] ?? MISSING}
                      </th>
                    ) : (
                      <td key={c.key}>{r[j] ?? MISSING}</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
