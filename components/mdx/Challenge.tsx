import type { ReactNode } from 'react';
import Solution from './Solution';

/**
 * One try-it challenge inside <Challenges>: a title, the task as children, and a hidden answer, given either
 * as an `answer` prop or as a <Solution> child (better for answers with math or several paragraphs).
 */
export default function Challenge({
  title,
  answer,
  children,
}: {
  title: string;
  answer?: ReactNode;
  children: ReactNode;
}) {
  return (
    <li className="mdx-challenge">
      <p className="mdx-challenge-title">{title}</p>
      <div className="mdx-challenge-body">{children}</div>
      {answer ? <Solution>{answer}</Solution> : null}
    </li>
  );
}
