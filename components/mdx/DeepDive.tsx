import type { ReactNode } from 'react';

/**
 * Optional detail (a derivation, a side story) folded away in a native <details>, so it opens with Enter or
 * Space, is announced as a disclosure, works without JavaScript and prints when opened.
 */
export default function DeepDive({ title, children }: { title: string; children: ReactNode }) {
  return (
    <details className="mdx-deepdive">
      <summary>
        <span className="mdx-deepdive-kicker">Deep dive</span>
        <span className="mdx-deepdive-title">{title}</span>
      </summary>
      <div className="mdx-deepdive-body">{children}</div>
    </details>
  );
}
