import PageLink from '@/components/site/PageLink';
import type { ComponentPropsWithoutRef } from 'react';

/**
 * Markdown links in chapters: a site-internal path (`/learn/…`, `/playground/`) goes through next/link, which
 * adds the deployment's base path (e.g. /focal-lab) and navigates client-side; anything else (external URLs,
 * `#anchors`, mailto:) stays a plain <a>. Without this, `[text](/learn/x/)` 404s when the site is hosted in a
 * sub-folder.
 */
export default function SiteLink({ href, ...rest }: ComponentPropsWithoutRef<'a'>) {
  if (typeof href === 'string' && href.startsWith('/') && !href.startsWith('//')) {
    return <PageLink href={href} {...rest} />;
  }
  return <a href={href} {...rest} />;
}
