'use client';
/**
 * The playground's training session in React: one `PlaygroundController` (lib/playground/controller) per
 * component, read through `useSyncExternalStore`, fed the current settings, and held while the tab is hidden or
 * the playground is scrolled out of view. The controller publishes at most once per animation frame.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import {
  PlaygroundController,
  type PlaygroundActions,
  type PlaygroundSnapshot,
} from '@/lib/playground/controller';
import type { BackendPreference, SessionConfig } from '@/lib/playground/protocol';

export interface PlaygroundSessionOptions {
  /** The settings to train (from the URL state). */
  config: SessionConfig;
  backend: BackendPreference;
  /** Site base path, for the worker's and the wasm binaries' URLs. */
  basePath?: string;
  /** Element whose visibility gates training (paused while scrolled out of view). */
  rootRef: React.RefObject<HTMLElement | null>;
}

export type PlaygroundSessionResult = PlaygroundSnapshot & { actions: PlaygroundActions };

export function usePlaygroundSession(opts: PlaygroundSessionOptions): PlaygroundSessionResult {
  const [controller] = useState(() => new PlaygroundController());
  const snapshot = useSyncExternalStore(controller.subscribe, controller.getSnapshot, controller.getSnapshot);
  const { config, backend, basePath, rootRef } = opts;

  // The settings the next trainer starts with (a running one keeps its own until Reset).
  useEffect(
    () => controller.configure({ config, backend, basePath }),
    [controller, config, backend, basePath],
  );

  // Hold training while the tab is hidden.
  useEffect(() => {
    const onVisibility = () => controller.setHold('hidden', document.hidden);
    onVisibility();
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [controller]);

  // Hold training while the playground is scrolled out of view.
  useEffect(() => {
    const el = rootRef.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      for (const e of entries) controller.setHold('offscreen', !e.isIntersecting);
    });
    io.observe(el);
    return () => io.disconnect();
  }, [controller, rootRef]);

  // The trainer goes with the component.
  useEffect(() => () => controller.dispose(), [controller]);

  return { ...snapshot, actions: controller.actions };
}
