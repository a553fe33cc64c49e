#!/usr/bin/env node
/**
 * Copies the tfjs WASM backend's binaries into public/tfjs/ so the site serves them itself (the playground's
 * worker calls setWasmPaths(`${basePath}/tfjs/`)); public/tfjs is generated, not committed.
 * Usage: node scripts/copy-tfjs-wasm.mjs [destination]   (default public/tfjs)
 */
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
// The package's "main" lives in dist/, next to the .wasm files.
const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
const dest = path.resolve(root, process.argv[2] ?? 'public/tfjs');

mkdirSync(dest, { recursive: true });
let copied = 0;
for (const name of FILES) {
  const from = path.join(dist, name);
  if (!existsSync(from)) {
    console.error(`copy-tfjs-wasm: missing ${from}`);
    process.exit(1);
  }
  copyFileSync(from, path.join(dest, name));
  copied += statSync(from).size;
}
console.log(
  `copy-tfjs-wasm: ${FILES.length} files (${(copied / 1e6).toFixed(1)} MB) → ${path.relative(root, dest)}/`,
);
