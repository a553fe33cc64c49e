/**
 * How fast the active tfjs backend trains the current design: the yardstick `startBackend` (./backend-plan) uses to
 * pick among the backends that can start (issue 13: "time a few training steps of the current design on each").
 * One trainer of the config's first run, one warm-up step (shader compilation, kernel set-up, first allocations),
 * then `steps` timed steps on the session's own batches. Every tensor it made is disposed.
 */
import { createTrainer, trainingBatch } from '../detector/train';
import type { WarmStart } from '../detector/warmStart';
import { trainConfigOfRun } from './config';
import type { SessionConfig } from './protocol';

/**
 * Milliseconds per training step (batch `config.batchSize`) on the active backend, over `steps` steps; each step
 * reads its statistics as the session does (`stepAsync`), so a GPU backend is timed with its readback.
 */
export async function msPerTrainingStep(
  config: SessionConfig,
  warmStart: WarmStart | null,
  steps = 2,
): Promise<number> {
  const trainer = createTrainer(trainConfigOfRun(config, config.runs[0], warmStart));
  const data = { ...config.data, imageSize: config.imageSize };
  try {
    await trainer.stepAsync(trainingBatch(config.seed, 0, config.batchSize, data));
    const batches = Array.from({ length: steps }, (_, i) =>
      trainingBatch(config.seed, i + 1, config.batchSize, data),
    );
    const t0 = performance.now();
    for (const b of batches) await trainer.stepAsync(b);
    return (performance.now() - t0) / steps;
  } finally {
    trainer.dispose();
  }
}
