import { afterAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { makeImage, sampleFingerprint } from '@/lib/data/synthetic';
import { closeBrowser, openPage } from './harness';

afterAll(closeBrowser);

/**
 * The same lib/data code, bundled for the browser, must draw bit-identical images in Chromium and in Node:
 * the playground trains on images generated in the browser, the CLI and the ablation on images generated
 * in Node, and a seed in a shared link has to mean the same data in both.
 */
describe('synthetic data', () => {
  it('gives identical images for the same seed in Node and in Chromium', async () => {
    const bundle = await build({
      stdin: {
        contents: `import { makeImage, sampleFingerprint } from './lib/data/synthetic';
          globalThis.__fingerprints = (cases) => cases.map(([seed, index, split, opts]) =>
            sampleFingerprint(makeImage(seed, index, opts, split)));`,
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      write: false,
    });
    const code = bundle.outputFiles[0].text;

    const cases: [number | string, number, 'train' | 'eval', object][] = [
      [0, 0, 'train', {}],
      [0, 1, 'train', {}],
      [7, 3, 'eval', {}],
      ['classroom', 12, 'train', { objectsPerImage: [2, 3] }],
      [42, 5, 'train', { imageSize: 96, noise: 0.08 }],
    ];
    const inNode = cases.map(([seed, index, split, opts]) =>
      sampleFingerprint(makeImage(seed, index, opts, split)),
    );

    const p = await openPage('/');
    try {
      // Evaluated by the DevTools protocol, which the site's CSP (rightly) does not let an inline <script> do.
      await p.page.evaluate(code);
      const inBrowser = await p.page.evaluate(
        (cs) =>
          (globalThis as unknown as { __fingerprints: (c: unknown) => string[] }).__fingerprints(
            cs.map(([s, i, sp, o]) => [s, i, sp, { ...(o as object) }]),
          ),
        cases,
      );
      expect(new Set(inNode).size).toBe(cases.length);
      expect(inBrowser).toEqual(inNode);
    } finally {
      await p.close();
    }
  });
});
