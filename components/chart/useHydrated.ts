'use client';
import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False while rendering on the server and during hydration, true afterwards. Figures compute their
 * curves (tfjs, CPU backend) only in the browser, so the static HTML shows the frame without running tf.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
