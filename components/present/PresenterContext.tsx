'use client';
import { createContext, useContext, useEffect, useRef } from 'react';

/**
 * How a figure (or the live playground) talks to presenter mode.
 *
 * The presenter (`/present/<chapter>/`) shows one figure at a time and maps keys to actions:
 * - Space: if part of the figure is hidden for "predict, then reveal", reveal it; otherwise toggle
 *   play/pause when the figure registered `play` and `pause`; otherwise hide the predicted part again.
 * - R: call the figure's `reset` if it registered one, else reset the figure's URL parameters to their
 *   defaults; either way the prediction step starts again.
 * - ← / →, PageUp / PageDown (presentation clickers): previous / next figure.
 *
 * A figure opts in with one hook call; outside presenter mode the hook does nothing, so figures can call
 * it unconditionally:
 *
 * ```tsx
 * usePresenterControls({
 *   play: () => session.start(),      // start or resume training
 *   pause: () => session.stop(),
 *   playing: () => session.running,   // optional: lets Space pick play or pause from the real state
 *   reset: () => session.reset(),     // back to step 0 / the defaults
 *   reveal: () => setShowTruth(true), // optional: called after the presenter reveals the hidden part
 * });
 * ```
 *
 * Handlers may change on every render; the latest ones are called. Only the figure on screen is mounted,
 * so only its handlers are registered. Static figures need no hook: FigureFrame's `reveal` prop names the
 * series that the prediction step hides (`data-reveal="main"` is set on them). A component that hides
 * something of its own uses `const hidden = usePredictStep(true)` and hides it while `hidden` is true.
 */
export interface PresenterHandlers {
  play?: () => void;
  pause?: () => void;
  /** Whether the figure is playing now; without it the presenter remembers what Space last did. */
  playing?: () => boolean;
  reset?: () => void;
  reveal?: () => void;
}

export interface PresenterContextValue {
  /** True while the current figure's predicted part should be hidden. */
  hidden: boolean;
  /** Registers a getter for the current handlers; returns the unregister function. */
  register: (get: () => PresenterHandlers) => () => void;
  /** Declares that the figure on screen hides something until revealed; returns the undo function. */
  declareRevealable: () => () => void;
}

export const PresenterContext = createContext<PresenterContextValue | null>(null);

/** The presenter around this component, or null outside presenter mode. */
export function usePresenter(): PresenterContextValue | null {
  return useContext(PresenterContext);
}

/** Registers play / pause / reset / reveal handlers with the presenter (no-op outside presenter mode). */
export function usePresenterControls(handlers: PresenterHandlers): void {
  const ctx = usePresenter();
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => ctx?.register(() => latest.current), [ctx]);
}

/**
 * Takes part in "predict, then reveal": tells the presenter this figure hides something (so it offers
 * Reveal and Space reveals) and returns whether it is hidden now. Always false outside presenter mode.
 */
export function usePredictStep(enabled: boolean): boolean {
  const ctx = usePresenter();
  const declare = ctx?.declareRevealable;
  useEffect(() => (enabled && declare ? declare() : undefined), [enabled, declare]);
  return enabled && !!ctx?.hidden;
}
