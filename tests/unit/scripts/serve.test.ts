/**
 * scripts/serve.mjs never serves a file outside its root (issue 12, item 5): not through `..` in any spelling,
 * not from a sibling folder whose name starts with the root's name (out/ and out-x/), and not through a symbolic
 * link inside the root whose real path is outside.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { serveStatic } from '../../../scripts/serve.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-test-'));
const root = path.join(dir, 'out');
let server: http.Server;
let origin: string;

beforeAll(async () => {
  fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<p>home</p>');
  fs.writeFileSync(path.join(root, 'docs/a.txt'), 'inside');
  fs.writeFileSync(path.join(root, '404.html'), '<p>not found</p>');
  // The sibling the old string-prefix check let through: "<dir>/out-x" starts with "<dir>/out".
  fs.mkdirSync(path.join(dir, 'out-x'));
  fs.writeFileSync(path.join(dir, 'out-x/f'), 'SECRET sibling');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'SECRET parent');
  // Links inside the root: one to a file outside, one to a folder outside, one to a file inside.
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'leak.txt'));
  fs.symlinkSync(path.join(dir, 'out-x'), path.join(root, 'leakdir'));
  fs.symlinkSync(path.join(root, 'docs/a.txt'), path.join(root, 'alias.txt'));
  const started = (await serveStatic({ root, port: 0 })) as { server: http.Server; url: string };
  server = started.server;
  origin = started.url;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** GET with the path sent byte for byte (fetch() would normalise `..` and `\` away, as curl does without --path-as-is). */
function get(rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    http
      .get({ hostname, port, path: rawPath }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('serveStatic', () => {
  it('serves files inside the root, including through a link that stays inside', async () => {
    expect(await get('/docs/a.txt')).toEqual({ status: 200, body: 'inside' });
    expect(await get('/alias.txt')).toEqual({ status: 200, body: 'inside' });
    expect((await get('/')).body).toBe('<p>home</p>');
  });

  it.each([
    ['a literal ..', '/../secret.txt'],
    ['.. inside a path', '/docs/../../secret.txt'],
    ['%2e%2e', '/%2e%2e/secret.txt'],
    ['%2e%2e with %2f', '/%2e%2e%2fsecret.txt'],
    ['.. with an encoded slash', '/..%2Fsecret.txt'],
    ['a sibling folder with the same prefix', '/..%2Fout-x%2Ff'],
    ['a sibling folder, doubly nested', '/docs/..%2F..%2Fout-x/f'],
  ])('never serves a file outside the root: %s', async (_why, p) => {
    const r = await get(p);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('SECRET');
  });

  it.each([
    ['%5c', '/..%5csecret.txt'],
    ['%5C', '/..%5C..%5Csecret.txt'],
    ['a raw backslash', '/..\\secret.txt'],
    ['an encoded NUL', '/docs/a.txt%00.html'],
  ])('refuses %s as a bad request', async (_why, p) => {
    const r = await get(p);
    expect(r.status).toBe(400);
    expect(r.body).not.toContain('SECRET');
  });

  it('serves the page whatever its query string holds (the page reads and sanitises it)', async () => {
    expect(await get('/docs/a.txt?x=%00%5c%E0%A4%A&%=%')).toEqual({ status: 200, body: 'inside' });
  });

  it('sends the cross-origin isolation headers by default (WASM threads need them)', async () => {
    const res = await fetch(`${origin}/docs/a.txt`);
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  });

  it('sends none with isolate: false, like a host that cannot set headers', async () => {
    const plain = (await serveStatic({ root, port: 0, isolate: false })) as {
      server: http.Server;
      url: string;
    };
    try {
      const res = await fetch(`${plain.url}/docs/a.txt`);
      expect(await res.text()).toBe('inside');
      expect(res.headers.get('cross-origin-opener-policy')).toBeNull();
      expect(res.headers.get('cross-origin-embedder-policy')).toBeNull();
    } finally {
      await new Promise<void>((resolve) => plain.server.close(() => resolve()));
    }
  });

  it('answers 404 for a link inside the root whose real path is outside', async () => {
    for (const p of ['/leak.txt', '/leakdir/f', '/leakdir/', '/leakdir']) {
      const r = await get(p);
      expect(r.status, p).toBe(404);
      expect(r.body, p).not.toContain('SECRET');
    }
  });
});
