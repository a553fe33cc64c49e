/**
 * The offline service worker. scripts/build-sw.mjs bundles this file with esbuild and lets Workbox's
 * `injectManifest` replace `self.__WB_MANIFEST` with the precache list: one entry per file with its own revision
 * (an MD5 of the file), so a new deploy re-downloads only the files that changed. Files under /_next/static/
 * carry a content hash in their name and no revision (the name changes when the content does).
 *
 * Strategy: pages network-first (a reader online always gets the current page), falling back to the precache,
 * then to pages cached when visited; precached files cache-first; other content-hashed files cache-first; anything
 * else of our own origin network-first with the last copy kept for offline use.
 *
 * Cross-origin isolation (issue 13): every response it serves carries `Cross-Origin-Opener-Policy: same-origin`
 * and `Cross-Origin-Embedder-Policy: require-corp`, the headers a static host such as GitHub Pages cannot send.
 * With them a page is `crossOriginIsolated` and the WASM backend can use its threaded build
 * (components/site/ServiceWorker.tsx reloads the playground once, when the reader is idle, to get there).
 */
import { PrecacheController, type PrecacheEntry } from 'workbox-precaching';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

const SCOPE = self.registration.scope;
const PRECACHE = `focal-lab-precache-${SCOPE}`;
/** Pages and files cached when first fetched; emptied when a new version activates (they are re-fetched). */
const RUNTIME = `focal-lab-runtime-${SCOPE}`;
/** Content-hashed build output: a changed file gets a new name, so a cached copy never goes stale. */
const HASHED = new RegExp(`^${new URL(SCOPE).pathname}_next/static/`);

/** The headers that make a page cross-origin isolated (scripts/serve.mjs and out/_headers send the same). */
const ISOLATION: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const precache = new PrecacheController({ cacheName: PRECACHE });
precache.precache(self.__WB_MANIFEST);

self.addEventListener('install', () => {
  // Activate as soon as the precache is complete (Workbox's own install listener holds the event until then).
  void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      // The caches of the worker before Workbox (focal-lab-<hash>) and the previous version's runtime cache.
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith('focal-lab-') && k !== PRECACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

/** `response` with the isolation headers added; opaque responses and redirects pass unchanged. */
function isolated(response: Response): Response {
  if (response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect')
    return response;
  if (response.headers.get('Cross-Origin-Embedder-Policy') === 'require-corp') return response;
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(ISOLATION)) headers.set(k, v);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function keepCopy(key: Request | string, response: Response): Response {
  if (response.ok && response.type === 'basic') {
    const copy = response.clone();
    void caches.open(RUNTIME).then((cache) => cache.put(key, copy));
  }
  return response;
}

async function fromPrecache(url: string): Promise<Response | undefined> {
  const key = precache.getCacheKeyForURL(url);
  if (!key) return undefined;
  return (await caches.open(PRECACHE)).match(key);
}

async function page(request: Request, url: URL): Promise<Response> {
  const clean = url.origin + url.pathname;
  try {
    return keepCopy(clean, await fetch(request));
  } catch {
    // Offline: the precached page (query strings carry figure state only), a page saved when visited, or home.
    const hit =
      (await fromPrecache(clean)) ??
      (await caches.match(clean, { cacheName: RUNTIME })) ??
      (await fromPrecache(SCOPE));
    return (
      hit ??
      new Response('Offline, and this page was not saved yet.', {
        status: 503,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      })
    );
  }
}

async function asset(request: Request, url: URL): Promise<Response> {
  const pre = await fromPrecache(request.url);
  if (pre) return pre;
  if (HASHED.test(url.pathname)) {
    const hit = await caches.match(request, { cacheName: RUNTIME });
    return hit ?? keepCopy(request, await fetch(request));
  }
  try {
    return keepCopy(request, await fetch(request));
  } catch (e) {
    const hit = await caches.match(request, { cacheName: RUNTIME });
    if (hit) return hit;
    throw e;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const answer = request.mode === 'navigate' ? page(request, url) : asset(request, url);
  event.respondWith(answer.then(isolated));
});
