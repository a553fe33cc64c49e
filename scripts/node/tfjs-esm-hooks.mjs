// Node module hooks that let plain Node (the CLI, benchmarks) load tfjs-core's ES-module build of
// `register_all_gradients`. Bundlers (Next, Vite/Vitest) read it natively; Node cannot, because tfjs-core
// ships those files as extension-less, directory-importing ESM in a package without "type": "module".
// tfjs keeps its engine and kernel/gradient registries on a global, so gradients registered through this
// ESM copy are seen by the CommonJS build that `import '@tensorflow/tfjs-core'` resolves to in Node.
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ESM_DIST = /\/node_modules\/@tensorflow\/tfjs-core\/dist\/(?!tf-core\.)/;

function candidates(url) {
  const file = fileURLToPath(url);
  return [file, `${file}.js`, `${file}/index.js`];
}

export async function resolve(specifier, context, nextResolve) {
  const fromTfjsEsm = context.parentURL && ESM_DIST.test(context.parentURL);
  const isGradients = specifier === '@tensorflow/tfjs-core/dist/register_all_gradients';
  if (isGradients || (fromTfjsEsm && (specifier.startsWith('./') || specifier.startsWith('../')))) {
    const base = isGradients
      ? new URL('../../node_modules/@tensorflow/tfjs-core/dist/register_all_gradients', import.meta.url)
      : new URL(specifier, context.parentURL);
    for (const c of candidates(base)) {
      if (fs.existsSync(c) && fs.statSync(c).isFile()) {
        return { url: pathToFileURL(c).href, format: 'module', shortCircuit: true };
      }
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (ESM_DIST.test(url) && url.endsWith('.js')) {
    return nextLoad(url, { ...context, format: 'module' });
  }
  return nextLoad(url, context);
}
