/**
 * How the training loop (./session) paces itself: after each step it waits until the next step is due at the
 * capped rate, or just yields to the event loop so pause/step/reset messages are handled between steps.
 */

/** Replaceable clocks and yields (tests). */
export interface PacingDeps {
  now?: () => number;
  /** Resolves after the event loop had a chance to run other tasks. */
  yieldNow?: () => Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The pace of one training loop at a time: `start()` when a loop starts, `next()` after each step. With a cap of
 * r steps per second, step i is due at t₀ + i/r; there are no catch-up bursts (a late step moves the schedule
 * instead of shortening later waits).
 */
export class Pacer {
  readonly now: () => number;
  private readonly yielder: { yieldNow: () => Promise<void>; close: () => void };
  private readonly sleep: (ms: number) => Promise<void>;
  private speed: number | null = null;
  private nextAt = 0;

  constructor(deps: PacingDeps = {}) {
    this.now = deps.now ?? (() => performance.now());
    this.yielder = deps.yieldNow ? { yieldNow: deps.yieldNow, close: () => undefined } : createYield();
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Caps the training rate (steps per second); null (or not a positive finite number) = as fast as possible. */
  setSpeed(stepsPerSecond: number | null): void {
    this.speed =
      stepsPerSecond !== null && stepsPerSecond > 0 && Number.isFinite(stepsPerSecond)
        ? stepsPerSecond
        : null;
  }

  /** A loop starts now. */
  start(): void {
    this.nextAt = this.now();
  }

  /** Resolves when the next step is due, after other tasks had a chance to run. */
  async next(): Promise<void> {
    if (this.speed !== null) {
      this.nextAt = Math.max(this.nextAt + 1000 / this.speed, this.now());
      const wait = this.nextAt - this.now();
      if (wait > 0) return this.sleep(wait);
    }
    return this.yielder.yieldNow();
  }

  close(): void {
    this.yielder.close();
  }
}

/**
 * A yield to the event loop: usually a MessageChannel round trip (no 4-ms timer clamping), but at least every
 * `timerEveryMs` a setTimeout(0), because a stream of channel messages can starve timers (Node does; browsers
 * may deprioritise them), and timers are how the page and tests schedule work.
 */
function createYield(timerEveryMs = 50): { yieldNow: () => Promise<void>; close: () => void } {
  const timer = () => new Promise<void>((r) => setTimeout(r, 0));
  if (typeof MessageChannel === 'undefined') return { yieldNow: timer, close: () => undefined };
  const ch = new MessageChannel();
  const queue: (() => void)[] = [];
  let closed = false;
  let lastTimer = performance.now();
  ch.port1.onmessage = () => queue.shift()?.();
  return {
    yieldNow: () => {
      if (closed) return Promise.resolve();
      const now = performance.now();
      if (now - lastTimer >= timerEveryMs) {
        lastTimer = now;
        return timer();
      }
      return new Promise<void>((r) => {
        queue.push(r);
        ch.port2.postMessage(null);
      });
    },
    close: () => {
      closed = true;
      for (const r of queue.splice(0)) r();
      ch.port1.close();
      ch.port2.close();
    },
  };
}
