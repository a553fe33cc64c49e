import type { ReactNode } from 'react';
import Callout from './Callout';

/**
 * The chapter's summary, usually a list. Chapters put a `## Recap` heading before it (so it is in the table of
 * contents), hence no title by default.
 */
export default function Recap({ title, children }: { title?: string; children: ReactNode }) {
  return (
    <Callout kind="recap" title={title}>
      {children}
    </Callout>
  );
}
