/**
 * The session's reports as messages (./protocol), built from its runs and probe outputs: `setup` (what the page
 * needs to draw), `eval` (held-out AP), `samples` + `lossShare` + `fig4` (the live views) and the worker's memory
 * for `status`. The session (./session) decides when; these decide what.
 */
import * as tf from '@tensorflow/tfjs-core';
import { CLASS_NAMES, NUM_CLASSES } from '../data/synthetic';
import type { AnchorSet } from '../detector/anchors';
import { evaluateAsync, type EvalSet } from '../detector/infer';
import { countParams } from '../detector/model';
import type {
  AnchorLayout,
  EvalMessage,
  EvalPoint,
  Fig4Message,
  LossShareMessage,
  SamplesMessage,
  SessionConfig,
  SetupMessage,
  StatusMessage,
  ViewOptions,
} from './protocol';
import type { RunState } from './race';
import {
  fig4View,
  histogramEdges,
  lossShareView,
  sampleImageOf,
  samplesView,
  type ProbeOutputs,
  type ProbeSet,
} from './views';

/** `setup`: the runs, the sample images (first `sampleImages` probe images) and the anchor layout. */
export function setupMessage(
  runs: readonly RunState[],
  cfg: SessionConfig,
  views: ViewOptions,
  probe: ProbeSet,
): SetupMessage {
  return {
    type: 'setup',
    runs: runs.map((r) => ({ run: r.index, label: r.config.label, config: { ...r.config } })),
    steps: cfg.steps,
    batchSize: cfg.batchSize,
    numParams: countParams(runs[0].trainer.model),
    classNames: [...CLASS_NAMES],
    images: Array.from({ length: Math.min(views.sampleImages, views.probeImages) }, (_, i) =>
      sampleImageOf(probe.batch, i),
    ),
    probeImages: views.probeImages,
    anchors: anchorLayoutOf(probe.anchors, NUM_CLASSES),
    views: { ...views },
  };
}

/** The anchor layout the page draws (copies: the message's buffers are transferred, the anchors are kept). */
export function anchorLayoutOf(a: AnchorSet, numClasses: number): AnchorLayout {
  return {
    numAnchors: a.numAnchors,
    anchorsPerLocation: a.anchorsPerLocation,
    numClasses,
    boxes: a.boxes.slice(),
    levels: a.perLevel.map((l) => ({
      stride: l.stride,
      height: l.size[0],
      width: l.size[1],
      offset: l.offset,
      count: l.count,
    })),
    templates: a.templates.map((t) => ({ ...t })),
  };
}

/** `eval`: COCO AP of every active run on the held-out set at `step`; null when no run gave a valid result. */
export async function evalMessage(
  runs: readonly RunState[],
  evalSet: EvalSet,
  views: ViewOptions,
  step: number,
): Promise<EvalMessage | null> {
  const points: EvalPoint[] = [];
  for (const r of runs) {
    if (!r.active) continue;
    const e = await evaluateAsync(r.trainer.model, evalSet, {
      anchors: r.trainer.anchors,
      topK: views.topK,
      maxDetections: views.maxDetections,
    });
    const p = {
      run: r.index,
      ap: e.ap,
      ap50: e.ap50,
      ap75: e.ap75,
      ar100: e.ar100,
      numDetections: e.numDetections,
    };
    // pycocotools reports −1 for "no ground truth"; the eval set always has objects, but be safe.
    if (Object.values(p).every((x) => Number.isFinite(x) && x >= 0)) points.push(p);
  }
  return points.length > 0 ? { type: 'eval', step, numImages: evalSet.boxes.length, runs: points } : null;
}

/** `samples` and `lossShare` of the runs with valid probe outputs at `step`. */
export function liveViewMessages(
  probe: ProbeSet,
  live: readonly { run: RunState; out: ProbeOutputs }[],
  views: ViewOptions,
  step: number,
): [SamplesMessage, LossShareMessage] {
  return [
    {
      type: 'samples',
      step,
      scoreMode: views.anchorScores,
      runs: live.map(({ run, out }) => ({ run: run.index, images: samplesView(probe, out, views) })),
    },
    {
      type: 'lossShare',
      step,
      edges: histogramEdges(views.histogramBins),
      runs: live.map(({ run, out }) => lossShareView(probe, out, run.config, run.index, views.histogramBins)),
    },
  ];
}

/** `fig4`: the cumulative loss curves (paper Figure 4) of the runs with valid probe outputs; null when none. */
export function fig4Message(
  probe: ProbeSet,
  live: readonly { run: RunState; out: ProbeOutputs }[],
  views: ViewOptions,
  step: number,
): Fig4Message | null {
  if (live.length === 0) return null;
  const curves = live.map(({ run, out }) => fig4View(probe, out, run.index, views.fig4Points));
  return {
    type: 'fig4',
    step,
    fractions: curves[curves.length - 1].fractions,
    runs: curves.map((c) => c.run),
  };
}

/** tfjs's live tensors and their bytes, and the JS heap where the browser reports it (Chromium). */
export function workerMemory(): StatusMessage['memory'] {
  const m = tf.memory();
  const perf = (globalThis as { performance?: { memory?: { usedJSHeapSize?: number } } }).performance;
  const heap = perf?.memory?.usedJSHeapSize;
  return {
    numTensors: m.numTensors,
    numBytes: m.numBytes,
    jsHeapBytes: typeof heap === 'number' && Number.isFinite(heap) ? heap : null,
  };
}
