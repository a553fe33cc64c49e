/**
 * JavaScript work this thread does while helper threads compute (./wasm-helper.ts): a queue of {@link SlicedTask}s
 * that `shareRows` advances, one slice at a time, for as long as a job's queue still holds chunks for the helpers,
 * before this thread joins them. So the worker's own preparation of the next training step (its targets,
 * lib/detector/train.ts `prefetch`) runs on one core while the helpers run the convs on the other, instead of
 * before them with the second core idle.
 *
 * A slice must be plain JavaScript on its own arrays: it runs inside a tfjs kernel, so it may not call tfjs or
 * touch tfjs's memory. A task not finished when its result is wanted finishes then, on the spot ({@link
 * SlicedTask.result}); where no helper runs, that is where all of it runs, as before.
 */

/** A computation cut into slices: a generator that yields between slices and returns its result. */
export class SlicedTask<T> {
  private finished = false;
  private value: T | undefined;
  private error: unknown = null;

  constructor(private readonly slices: Iterator<unknown, T>) {}

  /** Whether every slice has run. */
  get done(): boolean {
    return this.finished;
  }

  /** Runs the next slice; true once the task is finished (a throw finishes it: {@link result} rethrows). */
  step(): boolean {
    if (this.finished) return true;
    try {
      const r = this.slices.next();
      if (r.done) {
        this.finished = true;
        this.value = r.value;
      }
    } catch (e) {
      this.finished = true;
      this.error = e ?? new Error('a sliced task threw');
    }
    return this.finished;
  }

  /** The result, after running whatever slices remain; the task leaves the queue. */
  result(): T {
    this.cancel();
    while (!this.step());
    if (this.error !== null) throw this.error;
    return this.value as T;
  }

  /** Takes the task off the queue (its slices run only through {@link result} from now on). */
  cancel(): void {
    const i = queue.indexOf(this as SlicedTask<unknown>);
    if (i >= 0) queue.splice(i, 1);
  }
}

/** The queued tasks, oldest first; at most {@link MAX_QUEUED} (a task nobody takes is dropped, not kept). */
const queue: SlicedTask<unknown>[] = [];
const MAX_QUEUED = 8;

/** Queues `task` for the idle moments of this thread (see the module comment); returns it. */
export function whileHelpersWork<T>(task: SlicedTask<T>): SlicedTask<T> {
  queue.push(task as SlicedTask<unknown>);
  if (queue.length > MAX_QUEUED) queue.shift();
  return task;
}

/** Runs one slice of the oldest unfinished queued task; false when there was none. */
export function runIdleSlice(): boolean {
  while (queue.length > 0 && queue[0].done) queue.shift();
  if (queue.length === 0) return false;
  queue[0].step();
  return true;
}
