'use client';
import { useDeferredValue, useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False while rendering on the server and during hydration, true afterwards. Figures compute their
 * curves (tfjs, CPU backend) only in the browser, so the static HTML shows the frame without running tf.
 *
 * The switch to true is a deferred (transition-priority) render: React renders it in slices and yields to
 * the browser between components, so the figures of a chapter compute one after another in separate tasks
 * instead of in one long task right after hydration (Lighthouse's Total Blocking Time), and a reader's
 * first click or keypress is handled before the remaining figures finish.
 */
export function useHydrated(): boolean {
  const hydrated = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  return useDeferredValue(hydrated, false);
}
