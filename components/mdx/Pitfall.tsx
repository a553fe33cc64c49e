import type { ReactNode } from 'react';
import Callout from './Callout';

/** A mistake people really make (in code or in reasoning), and how to avoid it. */
export default function Pitfall({ title = 'Pitfall', children }: { title?: string; children: ReactNode }) {
  return (
    <Callout kind="pitfall" title={title}>
      {children}
    </Callout>
  );
}
