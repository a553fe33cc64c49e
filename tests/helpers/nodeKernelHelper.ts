/**
 * lib/tf/wasm-helper.ts's helper in a Node worker thread, for tests: the browser source (HELPER_SOURCE) behind
 * `postMessage`/`onmessage` shims over worker_threads' parentPort.
 */
import { Worker } from 'node:worker_threads';
import { HELPER_SOURCE, type HelperWorker } from '../../lib/tf/wasm-helper';

export function spawnNodeHelper(): HelperWorker {
  const w = new Worker(
    `const { parentPort } = require('node:worker_threads');
     globalThis.postMessage = (m) => parentPort.postMessage(m);
     ${HELPER_SOURCE}
     parentPort.on('message', (data) => onmessage({ data }));`,
    { eval: true },
  );
  return {
    postMessage: (m) => w.postMessage(m),
    addEventListener: (type, fn) =>
      type === 'message' ? w.on('message', (data) => fn({ data })) : w.on('error', () => fn({})),
    terminate: () => void w.terminate(),
  };
}
