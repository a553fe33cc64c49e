'use client';
import { useEffect } from 'react';

const BASE_PATH = process.env.NEXT_PUBLIC_BASE_PATH ?? '';

/** The reader has not touched the page for this long: a good moment to start the offline download. */
const QUIET_MS = 3000;
/** …but not later than this after load, so that a busy classroom still gets its offline copy. */
const LATEST_MS = 60_000;
const ACTIVITY = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart', 'scroll'] as const;
/** Set (per tab) before the one reload that makes the page cross-origin isolated, so it never happens twice. */
const RELOADED_KEY = 'focal-lab-isolation-reload';

/**
 * Whether to reload so that the service worker's response makes the page cross-origin isolated (the worker adds
 * COOP + COEP, which GitHub Pages cannot send; workers/service-worker.ts), letting the playground's WASM backend
 * use threads: 'never' unless this is a top-level page (a frame is isolated only if its embedder is), with a
 * playground that was never started (nothing to lose), controlled by the worker, not yet isolated and not
 * reloaded before in this tab (no loop, whatever happens); then 'reload' once the reader has paused for
 * {@link QUIET_MS}, 'wait' until then.
 */
export function isolationReload(s: {
  isolated: boolean;
  controlled: boolean;
  topLevel: boolean;
  reloadedBefore: boolean;
  playgroundPhases: string[];
  quietFor: number;
}): 'reload' | 'wait' | 'never' {
  const worthIt =
    !s.isolated &&
    s.controlled &&
    s.topLevel &&
    !s.reloadedBefore &&
    s.playgroundPhases.length > 0 &&
    s.playgroundPhases.every((p) => p === 'idle');
  if (!worthIt) return 'never';
  return s.quietFor >= QUIET_MS ? 'reload' : 'wait';
}

/**
 * Registers the offline service worker (out/sw.js, written by scripts/build-sw.mjs) once the page has loaded, the
 * reader has paused for {@link QUIET_MS} and the browser is idle. A first install downloads the whole site
 * (~7 MB, ~100 files): started while a reader drags a slider, it doubled the figures' repaint time on a 2-core
 * machine (`npm run bench:render -- --cold`), so it waits for a pause. Production builds only: in `next dev`
 * a cached page would hide the edit you just made.
 *
 * Once the worker controls a page with an idle playground that is not cross-origin isolated, the page reloads
 * once, at the next pause ({@link isolationReload}); other pages become isolated at their next load.
 */
export default function ServiceWorker() {
  useEffect(() => {
    if (process.env.NODE_ENV !== 'production' || !('serviceWorker' in navigator)) return;
    let lastActivity = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    const onActivity = () => {
      lastActivity = performance.now();
    };
    const stopWatching = () => {
      for (const type of ACTIVITY) window.removeEventListener(type, onActivity, true);
      if (timer !== undefined) clearTimeout(timer);
    };
    const reloadedBefore = () => {
      try {
        return sessionStorage.getItem(RELOADED_KEY) !== null;
      } catch {
        return true; // no storage: no way to know, so never risk a loop
      }
    };
    // After registration: reload once at a pause if that makes the playground's page isolated, else stop watching.
    const reloadWhenPaused = () => {
      if (done) return;
      const quietFor = performance.now() - lastActivity;
      const decision = isolationReload({
        isolated: window.crossOriginIsolated === true,
        controlled: navigator.serviceWorker.controller !== null,
        topLevel: window.self === window.top,
        reloadedBefore: reloadedBefore(),
        playgroundPhases: Array.from(document.querySelectorAll<HTMLElement>('[data-playground]'), (e) =>
          String(e.dataset.phase),
        ),
        quietFor,
      });
      if (decision === 'never') {
        stopWatching();
      } else if (decision === 'wait') {
        timer = setTimeout(reloadWhenPaused, QUIET_MS - quietFor);
      } else {
        sessionStorage.setItem(RELOADED_KEY, '1');
        window.location.reload();
      }
    };
    let registered = false;
    const register = () => {
      if (done || registered) return;
      registered = true;
      navigator.serviceWorker
        .register(`${BASE_PATH}/sw.js`, { scope: `${BASE_PATH}/` })
        .then(() => {
          if (navigator.serviceWorker.controller) reloadWhenPaused();
          else navigator.serviceWorker.addEventListener('controllerchange', reloadWhenPaused, { once: true });
        })
        .catch(() => {
          // No offline copy (private mode, blocked by policy): the site works online as before.
          stopWatching();
        });
    };
    const whenIdle = () =>
      'requestIdleCallback' in window
        ? window.requestIdleCallback(register, { timeout: 5000 })
        : setTimeout(register, 200);
    const start = () => {
      const loadedAt = performance.now();
      lastActivity = Math.max(lastActivity, loadedAt);
      const check = () => {
        const now = performance.now();
        const quietFor = now - lastActivity;
        if (quietFor >= QUIET_MS || now - loadedAt >= LATEST_MS) whenIdle();
        else timer = setTimeout(check, QUIET_MS - quietFor);
      };
      timer = setTimeout(check, QUIET_MS);
    };
    for (const type of ACTIVITY) window.addEventListener(type, onActivity, { capture: true, passive: true });
    if (document.readyState === 'complete') start();
    else window.addEventListener('load', start, { once: true });
    return () => {
      done = true;
      stopWatching();
      window.removeEventListener('load', start);
    };
  }, []);
  return null;
}
