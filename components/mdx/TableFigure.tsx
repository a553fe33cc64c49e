import type { ReactNode } from 'react';

/**
 * The frame every table in the chapters shares: an optional line above (what the numbers are), a keyboard-
 * scrollable region labelled by the caption (wide tables scroll on a phone instead of overflowing the page),
 * the table with its numbered caption, and the source line below. `children` are the table's thead and tbody.
 */
export default function TableFigure({
  captionId,
  label,
  caption,
  intro,
  source,
  ablation,
  children,
}: {
  /** Id of the caption, which names the scroll region (unique on the page). */
  captionId: string;
  /** "Table 1a", "Toy ablation": printed bold before the caption, followed by a period. */
  label: ReactNode;
  caption: ReactNode;
  /** The line above the table, which also describes the scroll region. */
  intro?: ReactNode;
  source: ReactNode;
  /** Marks a table of this site's own study (`data-ablation-table`, styled and tested as such). */
  ablation?: string;
  children: ReactNode;
}) {
  const introId = intro === undefined ? undefined : `${captionId}-intro`;
  return (
    <figure
      className={ablation === undefined ? 'mdx-paper-table' : 'mdx-paper-table mdx-ablation-table'}
      data-ablation-table={ablation}
    >
      {intro === undefined ? null : (
        <p className="mdx-table-intro" id={introId}>
          {intro}
        </p>
      )}
      <div
        className="mdx-table-scroll"
        role="region"
        aria-labelledby={captionId}
        aria-describedby={introId}
        tabIndex={0}
      >
        <table>
          <caption id={captionId}>
            <span className="mdx-table-label">{label}.</span> {caption}
          </caption>
          {children}
        </table>
      </div>
      <figcaption className="mdx-table-source">{source}</figcaption>
    </figure>
  );
}
