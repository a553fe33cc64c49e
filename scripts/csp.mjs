// Post-build step (`npm run build` runs it as `postbuild`): gives every exported page a strict Content Security
// Policy. Next.js's static export puts its React Server Component payload in inline scripts
// (`self.__next_f.push(…)`), so "no inline scripts" is not an option; instead each page allows exactly its own
// inline scripts by their SHA-256 hashes, and nothing else inline. No 'unsafe-inline', no 'unsafe-eval' for
// scripts.
//
// For each out/**/*.html it
//   1. hashes every inline <script> (one without src) the way the browser does: SHA-256 over the UTF-8 bytes of
//      the element's text, after the HTML parser's newline normalisation (CRLF and CR become LF);
//   2. puts <meta http-equiv="Content-Security-Policy" content="…"> at the top of <head> (see `insertMeta`);
//   3. writes out/_headers (Netlify / Cloudflare Pages format): the same policy per page as a real HTTP header,
//      plus frame-ancestors and the other headers a <meta> cannot carry.
//
// Usage: node scripts/csp.mjs [dir=out]   (NEXT_PUBLIC_BASE_PATH prefixes the paths in _headers)
// Idempotent: running it twice replaces the meta tag it wrote before.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISOLATION_HEADERS } from './serve.mjs';

/**
 * The policy, directive by directive, without the per-page script hashes. Each entry says why.
 * `header: true` marks directives browsers ignore in a <meta> policy (CSP3 §6.1: frame-ancestors, report-uri,
 * sandbox); they go only into the HTTP header.
 */
export const DIRECTIVES = [
  // Anything not listed below (manifests, media, prefetch…) only from our own origin.
  { name: 'default-src', value: "'self'" },
  // Our own bundles, the page's own inline scripts by hash (added per page), and WebAssembly compilation:
  // tfjs-backend-wasm compiles its .wasm with WebAssembly.instantiate(Streaming), which CSP3 treats as code
  // generation and blocks unless 'wasm-unsafe-eval' (or 'unsafe-eval') is given. 'wasm-unsafe-eval' allows
  // WebAssembly only: eval() and new Function stay blocked. Nothing in the client bundle needs eval (see README,
  // Security).
  { name: 'script-src', value: "'self' 'wasm-unsafe-eval'", hashes: true },
  // The training worker is a module script from our origin ('self'). blob: is for tfjs-backend-wasm's threaded
  // build, which starts its pthread workers from a Blob URL; it is only chosen on cross-origin-isolated pages
  // (COOP + COEP), so today it is a safety margin for hosts that add those headers.
  { name: 'worker-src', value: "'self' blob:" },
  // 'unsafe-inline' for styles is required: the HTML carries hundreds of style="…" attributes (KaTeX sizes every
  // formula with inline heights and vertical-align; React server-renders `style` props). Without it Chromium
  // reports one violation per attribute and formulas collapse (measured: README, Security). Styles cannot run
  // code; the script policy above is what stops injection. React's client-side style updates use the CSSOM,
  // which CSP does not restrict.
  { name: 'style-src', value: "'self' 'unsafe-inline'" },
  // blob: is needed: the figures' PNG export draws the SVG into a canvas through a blob: image
  // (components/figures/exportFigure.ts). data: is unused today; it is kept as harmless headroom (an image
  // cannot run script). No remote images.
  { name: 'img-src', value: "'self' data: blob:" },
  // KaTeX fonts are bundled by Next into /_next/static/media.
  { name: 'font-src', value: "'self'" },
  // fetch() of the RSC payloads (client navigation), the .wasm binaries and JSON data: all same-origin.
  { name: 'connect-src', value: "'self'" },
  // No plugins (<object>, <embed>).
  { name: 'object-src', value: "'none'" },
  // An injected <base href> could re-point every relative script URL; forbid any other base.
  { name: 'base-uri', value: "'self'" },
  // The site has no forms; if one appears it posts only to us.
  { name: 'form-action', value: "'self'" },
  // Clickjacking: nobody may frame the site. Ignored in <meta>, so header only.
  { name: 'frame-ancestors', value: "'none'", header: true },
];

/** Headers for every path in _headers (see README, Security). A <meta> cannot set any of these. */
export const GLOBAL_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  // Older browsers' equivalent of frame-ancestors 'none'.
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  // Cross-origin isolation, so the playground's WASM backend may use threads (SharedArrayBuffer); every file the
  // site loads is its own, so require-corp blocks nothing. The same pair as scripts/serve.mjs ISOLATION_HEADERS.
  ...ISOLATION_HEADERS,
};

/** Cloudflare Pages rejects a header value over 2,000 characters and a _headers file with over 100 rules. */
const CLOUDFLARE_MAX_HEADER = 2000;
const CLOUDFLARE_MAX_RULES = 100;

const SCRIPT_RE = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const META_RE = /<meta http-equiv="Content-Security-Policy" content="[^"]*"\/?>/g;

/**
 * The source hashes ('sha256-…') of every inline script in an HTML document, in document order, deduplicated.
 * A script with a src attribute is external (its text is ignored by the browser) and covered by 'self'.
 * The regex is exact for this input: inside a script element only `</script` ends it, and React escapes `<` in
 * text and attributes, so no `<script` appears elsewhere.
 */
export function inlineScriptHashes(html) {
  const hashes = [];
  for (const m of html.matchAll(SCRIPT_RE)) {
    if (/\ssrc\s*=/i.test(' ' + m[1])) continue;
    const text = m[2].replace(/\r\n?/g, '\n');
    const h = `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;
    if (!hashes.includes(h)) hashes.push(h);
  }
  return hashes;
}

/** The policy text for a page with these script hashes; `header` adds the header-only directives. */
export function policy(hashes, { header = false } = {}) {
  return DIRECTIVES.filter((d) => header || !d.header)
    .map((d) => [d.name, d.value, ...(d.hashes ? hashes : [])].join(' '))
    .join('; ');
}

/**
 * Puts the CSP <meta> first in <head>, replacing one written earlier. A meta policy only governs what the parser
 * meets after it, so it must precede every script and stylesheet. The one exception is a leading
 * <meta charset>: it must stay within the first 1,024 bytes (the encoding prescan), which a policy with a dozen
 * hashes would push it out of on a server that sends no charset; it loads nothing, so leaving it first changes
 * nothing for the policy.
 */
export function insertMeta(html, content) {
  const clean = html.replace(META_RE, '');
  const meta = `<meta http-equiv="Content-Security-Policy" content="${content}"/>`;
  const head = /<head(\s[^>]*)?>/i.exec(clean);
  if (!head) throw new Error('no <head> element');
  let at = head.index + head[0].length;
  const charset = /^<meta charset="[^"]*"\/?>/i.exec(clean.slice(at));
  if (charset) at += charset[0].length;
  return clean.slice(0, at) + meta + clean.slice(at);
}

/** URL paths under which a host serves `rel` (a path relative to the export root, '/'-separated). */
export function urlPathsFor(rel, basePath = '') {
  if (rel === 'index.html') return [`${basePath}/`, `${basePath}/index.html`];
  if (rel.endsWith('/index.html')) {
    const dir = rel.slice(0, -'index.html'.length);
    return [`${basePath}/${dir}`, `${basePath}/${rel}`];
  }
  return [`${basePath}/${rel}`];
}

function htmlFiles(dir, root = dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...htmlFiles(p, root));
    else if (entry.name.endsWith('.html')) out.push(path.relative(root, p).split(path.sep).join('/'));
  }
  return out.sort();
}

/**
 * Applies the policy to every page in `dir` and writes `dir/_headers`.
 * @returns {{ pages: { file: string, hashes: number }[], headersFile: string, warnings: string[] }}
 */
export function applyCsp(dir, { basePath = '' } = {}) {
  const pages = [];
  const warnings = [];
  const rules = [['/*', Object.entries(GLOBAL_HEADERS)]];
  for (const rel of htmlFiles(dir)) {
    const file = path.join(dir, rel);
    const html = fs.readFileSync(file, 'utf8');
    const hashes = inlineScriptHashes(html.replace(META_RE, ''));
    fs.writeFileSync(file, insertMeta(html, policy(hashes)));
    pages.push({ file: rel, hashes: hashes.length });
    const value = policy(hashes, { header: true });
    if (value.length > CLOUDFLARE_MAX_HEADER) {
      warnings.push(`${rel}: CSP header is ${value.length} characters (Cloudflare Pages allows 2,000)`);
    }
    for (const p of urlPathsFor(rel, basePath)) rules.push([p, [['Content-Security-Policy', value]]]);
  }
  if (rules.length > CLOUDFLARE_MAX_RULES) {
    warnings.push(`_headers has ${rules.length} rules (Cloudflare Pages allows 100)`);
  }
  const text =
    '# Written by scripts/csp.mjs after each build: security headers for Netlify / Cloudflare Pages.\n' +
    '# Each page also carries the same Content-Security-Policy in a <meta> tag; frame-ancestors works only here.\n' +
    rules.map(([p, hs]) => [p, ...hs.map(([k, v]) => `  ${k}: ${v}`)].join('\n')).join('\n\n') +
    '\n';
  const headersFile = path.join(dir, '_headers');
  fs.writeFileSync(headersFile, text);
  return { pages, headersFile, warnings };
}

/**
 * Reads a _headers file back: [{ path, headers }] in file order (used by the browser tests to send the same
 * headers a host would).
 */
export function parseHeadersFile(text) {
  const rules = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (!/^\s/.test(line)) rules.push({ path: line.trim(), headers: {} });
    else {
      const i = line.indexOf(':');
      rules.at(-1).headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
  }
  return rules;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? 'out';
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    console.error(`csp: no ${dir}/index.html; run the build first.`);
    process.exit(1);
  }
  const basePath = (process.env.NEXT_PUBLIC_BASE_PATH ?? '').replace(/\/+$/, '');
  const { pages, headersFile, warnings } = applyCsp(dir, { basePath });
  const counts = pages.map((p) => p.hashes);
  console.log(
    `csp: ${pages.length} pages, ${Math.min(...counts)}–${Math.max(...counts)} inline-script hashes each; wrote ${headersFile}`,
  );
  for (const w of warnings) console.warn(`csp: warning: ${w}`);
}
