'use client';
import { useId, type ReactNode } from 'react';
import DataTable, { type DataTableProps } from '../../chart/DataTable';

export interface ViewSectionProps {
  /** Kebab-case id, written to data-view (browser tests find a view by it). */
  id: string;
  title: ReactNode;
  /** One or two sentences on what the view shows now; the section's aria-describedby text alternative. */
  summary: ReactNode;
  controls?: ReactNode;
  children: ReactNode;
  /** "Show data" tables with the plotted numbers (rows may be a function, called only when open). */
  tables?: DataTableProps[];
  /** Heading level of the title (default 3). */
  headingLevel?: 2 | 3 | 4;
}

/**
 * The frame of every live view: a labelled section (the figure styles of components/figures/figures.css apply),
 * its heading, controls, the plot, a visible summary that doubles as the text alternative, and data tables.
 */
export default function ViewSection({
  id,
  title,
  summary,
  controls,
  children,
  tables = [],
  headingLevel = 3,
}: ViewSectionProps) {
  const uid = useId();
  const H = `h${headingLevel}` as const;
  return (
    <section
      className="figure pg-view"
      data-view={id}
      aria-labelledby={`${uid}-title`}
      aria-describedby={`${uid}-summary`}
    >
      <H id={`${uid}-title`} className="pg-view__title">
        {title}
      </H>
      {controls && <div className="figure__controls pg-view__controls">{controls}</div>}
      {children}
      <p id={`${uid}-summary`} className="pg-view__summary" data-summary="">
        {summary}
      </p>
      {tables.map((t) => (
        <DataTable key={t.caption} {...t} />
      ))}
    </section>
  );
}
