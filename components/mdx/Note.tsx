import type { ReactNode } from 'react';
import Callout from './Callout';

/** A side remark the reader can skip: a definition, a caveat, a simplification made explicit. */
export default function Note({ title = 'Note', children }: { title?: string; children: ReactNode }) {
  return (
    <Callout kind="note" title={title}>
      {children}
    </Callout>
  );
}
