import type { ReactNode } from 'react';
import './course-extra.css';

/**
 * One glossary entry with a stable anchor, so chapters can link to `/learn/glossary/#<id>`:
 *
 *   <Term id="iou" name="IoU (intersection over union)">The area of overlap …</Term>
 *
 * The id is the link target; `name` is the defined term (a <dfn>); `also` lists other spellings readers meet.
 */
export default function Term({
  id,
  name,
  also,
  children,
}: {
  id: string;
  name: ReactNode;
  also?: string;
  children: ReactNode;
}) {
  if (!/^[a-z][a-z0-9-]*$/.test(id)) throw new Error(`<Term id="${id}">: ids are lower-case kebab-case`);
  return (
    <div className="mdx-term" id={id}>
      <p className="mdx-term-name">
        <dfn>{name}</dfn>
        {also ? <span className="mdx-term-also"> (also: {also})</span> : null}{' '}
        <a className="mdx-term-link" href={`#${id}`} aria-label={`Link to this entry (${id})`}>
          #
        </a>
      </p>
      <div className="mdx-term-body">{children}</div>
    </div>
  );
}
