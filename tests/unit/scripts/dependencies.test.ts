/**
 * package.json says what the code uses (issue 12, item 6): every bare import specifier in the source is a
 * package declared in dependencies or devDependencies, so nothing works only because npm hoisted another
 * package's dependency (the umbrella `d3` once supplied d3-scale and friends this way).
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const DIRS = ['app', 'components', 'lib', 'scripts', 'tests', 'workers'];
const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|mdx)$/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    // Golden data and other JSON hold no imports; node_modules never sits inside these folders.
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (SOURCE.test(e.name)) out.push(p);
  }
  return out;
}

/** The root's own config and entry files (next.config.mjs, eslint.config.mjs, mdx-components.tsx, …). */
function rootFiles(): string[] {
  return fs
    .readdirSync(ROOT, { withFileTypes: true })
    .filter((e) => e.isFile() && SOURCE.test(e.name))
    .map((e) => path.join(ROOT, e.name));
}

/**
 * Module specifiers in `code`: static imports and re-exports, side-effect imports, dynamic import(), require()
 * and vi.mock(). Comments are removed first (doc comments say things like "import from 'lib/loss'").
 */
export function specifiers(code: string): string[] {
  const text = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found = new Set<string>();
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require|vi\.mock|vi\.doMock)\s*\(\s*['"]([^'"]+)['"]/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) found.add(m[1]);
  return [...found];
}

/** The package a bare specifier names ('@scope/pkg/sub' → '@scope/pkg', 'pkg/sub' → 'pkg'); null otherwise. */
export function packageOf(spec: string): string | null {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('@/')) return null;
  if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])) return null;
  // Query-suffixed and virtual ids (vite's 'x?raw', 'virtual:…') are not packages.
  if (spec.includes(':')) return null;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);

/** A package is declared itself, or (for type-only packages such as 'mdx/types') through its @types/ package. */
function isDeclared(name: string): boolean {
  const types = `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
  return declared.has(name) || declared.has(types);
}

describe('package.json', () => {
  it('finds specifiers in every form the source uses, and not in comments', () => {
    const code = [
      "import * as tf from '@tensorflow/tfjs-core';",
      "import type { ScaleLinear } from 'd3-scale';",
      'import {\n  line,\n  area,\n} from "d3-shape";',
      "import 'katex/dist/katex.min.css';",
      "export { x } from './local';",
      "const w = await import('@tensorflow/tfjs-backend-wasm');",
      "const fs = require('node:fs');",
      "vi.mock('next/navigation', () => ({}));",
      "/** Import from 'lib/loss'. */",
      "// import nothing from 'nowhere'",
    ].join('\n');
    expect(specifiers(code).map(packageOf).filter(Boolean).sort()).toEqual([
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-core',
      'd3-scale',
      'd3-shape',
      'katex',
      'next',
    ]);
  });

  it('declares every package the source imports (node builtins aside)', () => {
    // This file's own fixtures above are strings, not imports.
    const files = [...DIRS.flatMap((d) => sourceFiles(path.join(ROOT, d))), ...rootFiles()].filter(
      (f) => f !== __filename,
    );
    expect(files.length).toBeGreaterThan(50);
    const missing: string[] = [];
    for (const file of files) {
      for (const spec of specifiers(fs.readFileSync(file, 'utf8'))) {
        const name = packageOf(spec);
        if (name && !isDeclared(name)) missing.push(`${path.relative(ROOT, file)}: ${spec}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('does not declare the umbrella packages the source no longer imports', () => {
    expect(declared.has('d3')).toBe(false);
    expect(declared.has('@tensorflow/tfjs')).toBe(false);
  });
});
