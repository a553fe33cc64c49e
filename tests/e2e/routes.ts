import fs from 'node:fs';
import path from 'node:path';

/** The exported site's folder: E2E_SITE_DIR (as in global-setup.ts) or out/. */
export function siteDir(): string {
  return path.resolve(process.env.E2E_SITE_DIR ?? 'out');
}

/** Next's own error pages; they are exported but are no routes of the site. */
const NOT_ROUTES = new Set(['404/', '_not-found/']);

/**
 * Every page route of a built site, read from its index.html files ('/', '/figures/', '/learn/focal-loss/', …),
 * so a new page is covered by the tests that use this list without editing them.
 */
export function builtRoutes(dir = siteDir()): string[] {
  const routes: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && e.name !== '_next') walk(r);
      else if (e.name === 'index.html') {
        const route = rel ? `${rel}/` : '';
        if (!NOT_ROUTES.has(route)) routes.push(`/${route}`);
      }
    }
  };
  walk('');
  return routes.sort();
}
