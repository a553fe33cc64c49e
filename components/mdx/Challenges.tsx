import type { ReactNode } from 'react';

/** A numbered list of <Challenge> items. Chapters put a `## Challenges` heading before it. */
export default function Challenges({ children }: { children: ReactNode }) {
  return <ol className="mdx-challenges">{children}</ol>;
}
