'use client';
import type { ReactNode, SyntheticEvent } from 'react';
import { figureAnchor } from './slides';

const BASE = process.env.NEXT_PUBLIC_BASE_PATH ?? '';

/**
 * The embed's link back to the chapter. It carries the figure's current settings: the query is copied
 * from the embed's URL just before the link is used (click, middle click, context menu, focus, hover),
 * since the static HTML cannot know it. Opens a new tab: inside an LMS or slide iframe, replacing the
 * frame with the whole site would be unhelpful.
 */
export default function EmbedBackLink({
  path,
  id,
  children,
}: {
  /** Site path of the chapter, e.g. /learn/focal-loss/. */
  path: string;
  id: string;
  children: ReactNode;
}) {
  const href = `${BASE}${path}#${figureAnchor(id)}`;
  const sync = (e: SyntheticEvent<HTMLAnchorElement>) => {
    e.currentTarget.href = `${BASE}${path}${window.location.search}#${figureAnchor(id)}`;
  };
  return (
    <a
      href={href}
      target="_blank"
      rel="noopener"
      className="embed__back"
      onClick={sync}
      onAuxClick={sync}
      onContextMenu={sync}
      onFocus={sync}
      onMouseEnter={sync}
    >
      {children}
      <span className="sr-only"> (opens in a new tab)</span>
    </a>
  );
}
