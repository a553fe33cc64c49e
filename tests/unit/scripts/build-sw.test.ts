/**
 * scripts/build-sw.mjs (issue 12, item 7): the service worker's precache manifest lists every precached file once
 * with its own revision, so a deploy that changes one file makes returning readers download that file only.
 * Files with a content hash in their name (_next/static/) may carry none, as Workbox does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { buildServiceWorker } from '../../../scripts/build-sw.mjs';

interface Entry {
  url: string;
  revision: string | null;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A miniature export: the kinds of files out/ holds, each with distinct content. */
function site(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-sw-test-'));
  dirs.push(dir);
  const all: Record<string, string> = {
    'index.html': '<p>home</p>',
    'learn/focal-loss/index.html': '<p>focal</p>',
    'learn/gradients/index.html': '<p>gradients</p>',
    'playground/index.html': '<p>playground</p>',
    'embed/imbalance/index.html': '<p>embed</p>',
    'present/focal-loss/index.html': '<p>present</p>',
    '404/index.html': '<p>404</p>',
    '404.html': '<p>404</p>',
    '_next/static/chunks/main-1a2b3c4d5e6f.js': 'main()',
    '_next/static/chunks/page-9f8e7d6c.js': 'page()',
    '_next/static/css/app-0a1b2c3d.css': 'body{}',
    '_next/static/media/KaTeX_Main-Regular.0a1b2c3d.woff2': 'font',
    '_next/static/media/KaTeX_Main-Regular.0a1b2c3d.ttf': 'ttf',
    'workers/trainer.worker.js': 'onmessage = () => {}',
    'tfjs/tfjs-backend-wasm.wasm': 'wasm',
    'tfjs/tfjs-backend-wasm-simd.wasm': 'wasm simd',
    'tfjs/tfjs-backend-wasm-threaded-simd.wasm': 'wasm threaded simd',
    'icon.svg': '<svg/>',
    'learn/focal-loss/index.txt': 'rsc payload',
    _headers: '/*\n  X: y\n',
    ...files,
  };
  for (const [f, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

async function manifestOf(dir: string, basePath = ''): Promise<Entry[]> {
  const { manifest } = (await buildServiceWorker({ site: dir, basePath })) as { manifest: Entry[] };
  return manifest;
}

describe('build-sw', () => {
  it('lists one revision per precached file; content-hashed files may carry none', async () => {
    const dir = site();
    const manifest = await manifestOf(dir);
    const urls = manifest.map((e) => e.url).sort();
    expect(urls).toEqual(
      [
        '/',
        '/_next/static/chunks/main-1a2b3c4d5e6f.js',
        '/_next/static/chunks/page-9f8e7d6c.js',
        '/_next/static/css/app-0a1b2c3d.css',
        '/_next/static/media/KaTeX_Main-Regular.0a1b2c3d.woff2',
        '/icon.svg',
        '/learn/focal-loss/',
        '/learn/gradients/',
        '/playground/',
        '/tfjs/tfjs-backend-wasm-simd.wasm',
        '/tfjs/tfjs-backend-wasm-threaded-simd.wasm',
        '/tfjs/tfjs-backend-wasm.wasm',
        '/workers/trainer.worker.js',
      ].sort(),
    );
    for (const e of manifest) {
      if (e.url.startsWith('/_next/static/')) expect(e.revision, e.url).toBeNull();
      else expect(e.revision, e.url).toMatch(/^[0-9a-f]{32}$/);
    }
    // Distinct contents, distinct revisions: no shared version stamp.
    const revisions = manifest.flatMap((e) => (e.revision ? [e.revision] : []));
    expect(new Set(revisions).size).toBe(revisions.length);

    // The manifest is in the worker as written, and the worker asks nothing of any other origin.
    const sw = fs.readFileSync(path.join(dir, 'sw.js'), 'utf8');
    expect(sw).not.toContain('__WB_MANIFEST');
    for (const e of manifest) expect(sw).toContain(JSON.stringify(e.url));
    // The one absolute URL is in the text of a Workbox warning; nothing is loaded with importScripts.
    expect(sw.match(/https?:\/\/[^\s"'`]+/g) ?? []).toEqual(['https://bit.ly/wb-precache']);
    expect(sw).not.toContain('importScripts');
  });

  it('a changed file changes its own revision and no other', async () => {
    const before = await manifestOf(site());
    const after = await manifestOf(site({ 'learn/gradients/index.html': '<p>gradients, edited</p>' }));
    const changed = after.filter((e) => before.find((b) => b.url === e.url)?.revision !== e.revision);
    expect(changed.map((e) => e.url)).toEqual(['/learn/gradients/']);
  });

  it('puts the base path in front of every URL', async () => {
    const manifest = await manifestOf(site(), '/focal-lab');
    expect(manifest.map((e) => e.url)).toContain('/focal-lab/');
    expect(manifest.map((e) => e.url)).toContain('/focal-lab/learn/focal-loss/');
    for (const e of manifest) expect(e.url.startsWith('/focal-lab/')).toBe(true);
  });
});
