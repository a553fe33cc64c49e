/**
 * Entry of the playground's training worker. Create it from the page with
 *   new Worker(new URL('../workers/trainer.worker.ts', import.meta.url), { type: 'module' })
 * (or `createTrainerWorker()` of lib/playground/client). Everything else lives in lib/playground/worker.ts.
 */
import { attachTrainerWorker, type WorkerScopeLike } from '../lib/playground/worker';

attachTrainerWorker(self as unknown as WorkerScopeLike);
