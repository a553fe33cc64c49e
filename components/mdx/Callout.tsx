import type { ReactNode } from 'react';

export type CalloutKind = 'note' | 'pitfall' | 'recap' | 'learn';

/**
 * The box behind <Note>, <Pitfall>, <Recap> and <YouWillLearn>: an <aside> labelled by its title, so
 * screen readers announce "Pitfall: …" as a complementary region, not as part of the running text.
 */
export default function Callout({
  kind,
  title,
  children,
}: {
  kind: CalloutKind;
  /** Shown at the top of the box; omitted when the heading before the box already names it. */
  title?: string;
  children: ReactNode;
}) {
  return (
    <aside className={`mdx-callout mdx-callout-${kind}`} aria-label={title ?? kind}>
      {title ? (
        <p className="mdx-callout-title">
          <span className="mdx-callout-icon" aria-hidden="true" />
          {title}
        </p>
      ) : null}
      <div className="mdx-callout-body">{children}</div>
    </aside>
  );
}
