/**
 * The anchors the page inspects (components/playground/views/AnchorInspector): each watched anchor follows one
 * (anchor, class) element of one run and records its p_t and loss at every view update, so the inspector can draw
 * its history. Kept by the session (./session); the numbers come from the probe outputs of ./views.
 */
import type { AnchorDetailMessage, RunConfig } from './protocol';
import { anchorDetailView, followedClass, type ProbeOutputs, type ProbeSet } from './views';

/** Most anchors watched at once (their history is reported at every view update). */
export const MAX_WATCHED_ANCHORS = 8;
/** History points kept per watched anchor. */
const MAX_HISTORY = 2000;

/** One watched anchor of probe image `image` in run `run`, and the history of its followed element. */
export interface Watch {
  run: number;
  image: number;
  anchor: number;
  /** The class followed: the true class of a foreground anchor, else the highest-scoring one (`followedClass`). */
  classIndex: number;
  steps: number[];
  pt: number[];
  loss: number[];
}

/** Which watches `unwatch` drops: those matching every given field (none given: all). */
export interface WatchFilter {
  run?: number;
  image?: number;
  anchor?: number;
}

export class AnchorWatches {
  private list: Watch[] = [];

  /** Every watch, oldest first. */
  get all(): readonly Watch[] {
    return this.list;
  }

  clear(): void {
    this.list = [];
  }

  /**
   * The watch of (run, image, anchor); a new one records its first point at `out.step`, and the oldest watch is
   * dropped beyond MAX_WATCHED_ANCHORS.
   */
  watch(probe: ProbeSet, out: ProbeOutputs, run: number, image: number, anchor: number): Watch {
    const found = this.list.find((x) => x.run === run && x.image === image && x.anchor === anchor);
    if (found) return found;
    const w: Watch = {
      run,
      image,
      anchor,
      classIndex: followedClass(probe, out, image, anchor),
      steps: [],
      pt: [],
      loss: [],
    };
    this.list.push(w);
    if (this.list.length > MAX_WATCHED_ANCHORS) this.list.shift();
    this.record(w, probe, out);
    return w;
  }

  unwatch(filter: WatchFilter): void {
    this.list = this.list.filter(
      (w) =>
        !(
          (filter.run === undefined || w.run === filter.run) &&
          (filter.image === undefined || w.image === filter.image) &&
          (filter.anchor === undefined || w.anchor === filter.anchor)
        ),
    );
  }

  /**
   * Appends p_t = p (y = 1) or 1 − p (y = 0) and the loss ℓ of the followed element at `out.step` (once per
   * step; the last MAX_HISTORY points are kept). Element index e = (image·N + anchor)·K + class.
   */
  record(w: Watch, probe: ProbeSet, out: ProbeOutputs): void {
    if (w.steps[w.steps.length - 1] === out.step) return;
    const K = probe.numClasses;
    const e = (w.image * probe.anchors.numAnchors + w.anchor) * K + w.classIndex;
    const y = probe.targets[e];
    w.steps.push(out.step);
    w.pt.push(y === 1 ? out.scores[e] : 1 - out.scores[e]);
    w.loss.push(out.loss[e]);
    if (w.steps.length > MAX_HISTORY) {
      w.steps.shift();
      w.pt.shift();
      w.loss.shift();
    }
  }

  /** The `anchorDetail` message of watch `w` in run `run` (requestId −1: a periodic update). */
  message(
    requestId: number,
    probe: ProbeSet,
    out: ProbeOutputs,
    config: RunConfig,
    run: number,
    w: Watch,
  ): AnchorDetailMessage {
    return {
      ...anchorDetailView(probe, out, config, run, w.image, w.anchor),
      requestId,
      history: {
        classIndex: w.classIndex,
        steps: Int32Array.from(w.steps),
        pt: Float32Array.from(w.pt),
        loss: Float32Array.from(w.loss),
      },
    };
  }
}
