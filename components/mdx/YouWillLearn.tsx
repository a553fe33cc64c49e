import type { ReactNode } from 'react';
import Callout from './Callout';

/**
 * "You will learn" box at the top of a chapter. Pass the frontmatter's `learn` list as `items`
 * (`<YouWillLearn items={frontmatter.learn} />`, one source for the page and the course overview), or
 * write a Markdown list as children when the bullets need math.
 */
export default function YouWillLearn({
  items,
  title = 'You will learn',
  children,
}: {
  items?: readonly string[];
  title?: string;
  children?: ReactNode;
}) {
  return (
    <Callout kind="learn" title={title}>
      {items && items.length > 0 ? (
        <ul>
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      ) : null}
      {children}
    </Callout>
  );
}
