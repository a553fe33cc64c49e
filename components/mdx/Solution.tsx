import type { ReactNode } from 'react';

/** The hidden answer of a <Challenge>, revealed by a native <details> (keyboard and screen-reader friendly). */
export default function Solution({
  label = 'Show solution',
  children,
}: {
  label?: string;
  children: ReactNode;
}) {
  return (
    <details className="mdx-solution">
      <summary>{label}</summary>
      <div className="mdx-solution-body">{children}</div>
    </details>
  );
}
