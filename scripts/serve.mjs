// A dependency-free static file server for the exported site (out/). Used by `npm start` and the
// browser tests; any static host works the same way. Supports a base path (NEXT_PUBLIC_BASE_PATH).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.webmanifest': 'application/manifest+json',
};

/** Types worth compressing (text); images other than SVG, fonts and .wasm are already compact or binary. */
const COMPRESSIBLE = /^(text\/|application\/(json|manifest\+json)|image\/svg\+xml)/;
/**
 * Cross-origin isolation (COOP + COEP): with them `crossOriginIsolated` is true, SharedArrayBuffer exists and the
 * tfjs WASM backend runs its threaded build (lib/tf/backend.ts). Every file the site loads is its own, so
 * require-corp blocks nothing. scripts/csp.mjs puts the same pair in out/_headers; hosts that cannot send headers
 * get them from the service worker (workers/service-worker.ts).
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
/** Next's content-hashed build output: a changed file gets a new name, so it may be cached for good. */
const HASHED = /^\/_next\/static\//;

/**
 * The file `pathname` (decoded, '/'-separated) names under `absRoot`, or null when it would leave the root: a
 * `..` segment, an absolute path, or a symbolic link whose real path is outside. Compared with path.relative,
 * not as string prefixes: "/srv/out-x" starts with "/srv/out" but is not inside it.
 */
function insideRoot(absRoot, realRoot, pathname) {
  const file = path.join(absRoot, pathname);
  if (!isWithin(absRoot, file)) return null;
  // A link inside the root may point anywhere; what counts is where it really leads. A missing file has no
  // real path: check its nearest existing ancestor instead (it will 404 either way).
  let probe = file;
  while (!fs.existsSync(probe) && probe !== absRoot) probe = path.dirname(probe);
  let real;
  try {
    real = fs.realpathSync(probe);
  } catch {
    return null;
  }
  return isWithin(realRoot, real) ? file : null;
}

/** Whether `file` is `root` or below it. */
function isWithin(root, file) {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function sendNotFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
}

function isDir(file) {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Starts a server for `root` on `port` (0 = any free port). Resolves to { server, url }.
 * `gzip`: compress text responses when the client accepts gzip. `cacheAssets`: let browsers keep
 * /_next/static/ files for a year (immutable); everything else is always revalidated (no-cache).
 * Both are what a production host does (`npm start`, Lighthouse); the browser tests leave them off.
 * `isolate`: send {@link ISOLATION_HEADERS} (default); off, it behaves like GitHub Pages, which sends neither.
 * @param {{ root: string, port?: number, basePath?: string, headers?: Record<string,string>,
 *   gzip?: boolean, cacheAssets?: boolean, isolate?: boolean }} opts
 */
export function serveStatic({
  root,
  port = 0,
  basePath = '',
  headers = {},
  gzip = false,
  cacheAssets = false,
  isolate = true,
}) {
  const absRoot = path.resolve(root);
  const realRoot = fs.realpathSync(absRoot);
  const notFound = path.join(absRoot, '404.html');
  const server = http.createServer((req, res) => {
    // An encoded NUL or a backslash (raw or %5C) has no business in a path of this site; on Windows a backslash
    // is a separator, so "..%5C" would be "../". Refused before anything is decoded. Only the path: the query
    // string is the page's to read (a hostile query must get the page and its polite notice, hostile-urls.test.ts).
    const rawPath = (req.url ?? '').split('?')[0];
    if (/%00|%5c|\\/i.test(rawPath)) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
      return;
    }
    if (basePath) {
      if (pathname === basePath) pathname = basePath + '/';
      if (!pathname.startsWith(basePath + '/')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      pathname = pathname.slice(basePath.length);
    }
    let file = insideRoot(absRoot, realRoot, pathname);
    if (file === null) {
      sendNotFound(res);
      return;
    }
    if (isDir(file)) {
      if (!pathname.endsWith('/')) {
        res.writeHead(308, { location: basePath + pathname + '/' }).end();
        return;
      }
      file = path.join(file, 'index.html');
    } else if (!fs.existsSync(file) && fs.existsSync(file + '.html')) {
      file += '.html';
    }
    // The index.html or .html guess may itself be a link that leads out.
    if (fs.existsSync(file) && insideRoot(absRoot, realRoot, path.relative(absRoot, file)) === null) {
      sendNotFound(res);
      return;
    }
    const exists = fs.existsSync(file) && fs.statSync(file).isFile();
    if (!exists && !fs.existsSync(notFound)) {
      sendNotFound(res);
      return;
    }
    const target = exists ? file : notFound;
    const type = TYPES[path.extname(target)] ?? 'application/octet-stream';
    const cache =
      cacheAssets && exists && HASHED.test(pathname) ? 'public, max-age=31536000, immutable' : 'no-cache';
    const zip =
      gzip && COMPRESSIBLE.test(type) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    res.writeHead(exists ? 200 : 404, {
      'content-type': type,
      'cache-control': cache,
      ...(gzip ? { vary: 'Accept-Encoding' } : {}),
      ...(zip ? { 'content-encoding': 'gzip' } : {}),
      ...(isolate ? ISOLATION_HEADERS : {}),
      ...headers,
    });
    if (req.method === 'HEAD') return res.end();
    const body = fs.createReadStream(target);
    if (zip) body.pipe(zlib.createGzip()).pipe(res);
    else body.pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address();
      const p = typeof addr === 'object' && addr ? addr.port : port;
      resolve({ server, url: `http://127.0.0.1:${p}${basePath}` });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? 'out';
  const port = Number(process.argv[3] ?? 3000);
  if (!fs.existsSync(root)) {
    console.error(`No ${root}/ folder: run \`npm run build\` first.`);
    process.exit(1);
  }
  const { url } = await serveStatic({
    root,
    port,
    basePath: process.env.NEXT_PUBLIC_BASE_PATH ?? '',
    gzip: true,
    cacheAssets: true,
  });
  console.log(`Serving ${root}/ at ${url}/`);
}
