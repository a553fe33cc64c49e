'use client';
import type { ReactNode } from 'react';
import DataTable, { type DataTableProps } from '../chart/DataTable';
import Notice from '../chart/Notice';

export interface FigureFrameProps {
  /** Kebab-case id, written to data-figure. */
  id: string;
  title: ReactNode;
  controls: ReactNode;
  notices: string[];
  onDismiss: () => void;
  /** The plot(s). */
  children: ReactNode;
  legend?: ReactNode;
  readouts?: ReactNode;
  caption: ReactNode;
  /** One or more "Show data" tables with the plotted numbers. */
  table: DataTableProps | DataTableProps[];
  /** Milliseconds the last recompute took (exposed as data-compute-ms for the browser tests). */
  computeMs?: number;
  /** Set when the loss core refused to compute; shown instead of silently empty curves. */
  error?: string | null;
}

/** The common skeleton of every live figure: title, controls, URL notice, plot, legend, readouts, caption, data. */
export default function FigureFrame(p: FigureFrameProps) {
  return (
    <figure
      className="figure"
      data-figure={p.id}
      data-compute-ms={p.computeMs === undefined ? undefined : p.computeMs.toFixed(3)}
    >
      <p className="figure__title">{p.title}</p>
      <div className="figure__controls">{p.controls}</div>
      <Notice notices={p.notices} onDismiss={p.onDismiss} />
      {p.error && (
        <p className="notice" role="alert">
          This figure could not be computed: {p.error}
        </p>
      )}
      {p.children}
      {p.legend}
      {p.readouts && <div className="readouts">{p.readouts}</div>}
      <figcaption>{p.caption}</figcaption>
      {(Array.isArray(p.table) ? p.table : [p.table]).map((t) => (
        <DataTable key={t.caption} {...t} />
      ))}
    </figure>
  );
}
