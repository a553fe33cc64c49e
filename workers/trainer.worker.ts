/**
 * Entry of the playground's training worker. scripts/build-worker.mjs bundles it (with tfjs and lib/) into
 * public/workers/trainer.worker.js; the page starts it with `createTrainerWorker()` of lib/playground/client.
 * Everything else lives in lib/playground/worker.ts.
 */
import { attachTrainerWorker, type WorkerScopeLike } from '../lib/playground/worker';

attachTrainerWorker(self as unknown as WorkerScopeLike);
