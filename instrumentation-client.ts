/**
 * Runs in the browser before any page code (Next.js loads `instrumentation-client` ahead of hydration), and
 * makes the page's query string safe for tfjs-core before tfjs-core loads.
 *
 * Why: when tfjs-core's module is first evaluated, its Environment reads `location.search` for a debug switch,
 * `?tfjsflags=NAME:value,…`, decoding every parameter with decodeURIComponent (tfjs-core
 * dist/environment.js, `getQueryParams`). So
 * - one malformed percent-escape anywhere in the URL (`?x=%`, `?fl.gamma=%E0%A4%A`) throws a URIError during
 *   module evaluation, and every page with a live figure loses all of its JavaScript;
 * - `?tfjsflags=DEBUG:true` (or any other flag) lets a link change how tfjs computes: DEBUG logs and checks every
 *   kernel, which makes the figures crawl.
 * `safeQuery` turns each malformed escape into literal text (the figures' URL parser then rejects it with a
 * notice like any other bad value) and drops `tfjsflags`; the address bar is updated only when that changed
 * something.
 */

/**
 * The query string with every `&`/`=`-separated part that decodeURIComponent rejects made literal (`%` → `%25`),
 * and every `tfjsflags` parameter removed. Parts that decode are kept byte for byte. Returns '' or '?…'.
 */
export function safeQuery(search: string): string {
  const body = search.replace(/^\?/, '');
  if (body === '') return search;
  const repaired = body
    .split('&')
    .map((part) =>
      part
        .split('=')
        .map((piece) => (decodes(piece) ? piece : piece.replace(/%/g, '%25')))
        .join('='),
    )
    .join('&');
  // Remove what tfjs would read as `tfjsflags`, with tfjs's own pattern, until nothing is left to remove.
  let query = `?${repaired}`;
  for (let before = ''; before !== query;) {
    before = query;
    query = query.replace(TFJS_PARAM, (m, name: string) =>
      decodes(name) && decodeURIComponent(name) === 'tfjsflags' ? '' : m,
    );
  }
  if (query === `?${repaired}`) return query;
  const rest = query.replace(/^[?&]+/, '');
  return rest === '' ? '' : `?${rest}`;
}

/** tfjs-core's query-parameter pattern (dist/environment.js `getQueryParams`): name, then optional `=value`. */
const TFJS_PARAM = /[?&]([^=?&]+)(?:=([^&]*))?/g;

function decodes(s: string): boolean {
  try {
    decodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
}

if (typeof window !== 'undefined') {
  const { pathname, search, hash } = window.location;
  const safe = safeQuery(search);
  if (safe !== search) window.history.replaceState(window.history.state, '', `${pathname}${safe}${hash}`);
}
