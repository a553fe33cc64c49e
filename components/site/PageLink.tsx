import Link from 'next/link';
import type { ComponentProps } from 'react';

/**
 * The site's link to another of its pages: next/link (base path, client-side navigation) without viewport
 * prefetching. Next prefetches every linked route as soon as its link scrolls into view, and with it each
 * route's client chunks: on the home page that was the figures page, the playground and two chapters, about
 * 0.9 MB of JavaScript compiled during load (1.46 MB in all, 0.55 MB without; Lighthouse mobile total blocking
 * time 860 ms, 390–570 ms without; `npm run bench:site`). A static page's payload is small and the service
 * worker caches it, so a click costs one request.
 */
export default function PageLink(props: ComponentProps<typeof Link>) {
  return <Link prefetch={false} {...props} />;
}
