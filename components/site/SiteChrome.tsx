'use client';
import type { ReactNode } from 'react';
import { usePathname } from 'next/navigation';
import { isBareRoute } from '../present/slides';

/**
 * The site's header, skip link and footer around every page, except the routes that show one figure
 * alone (/embed/…, /present/…): those are framed by an iframe or a projector and bring their own minimal
 * chrome. Deciding by path keeps every URL where it is (no route groups needed).
 */
export default function SiteChrome({
  header,
  footer,
  children,
}: {
  header: ReactNode;
  footer: ReactNode;
  children: ReactNode;
}) {
  if (isBareRoute(usePathname())) return <>{children}</>;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {header}
      <div id="main" tabIndex={-1}>
        {children}
      </div>
      {footer}
    </>
  );
}
