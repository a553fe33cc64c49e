'use client';
import { useEffect } from 'react';

const BASE_PATH = process.env.NEXT_PUBLIC_BASE_PATH ?? '';

/** The reader has not touched the page for this long: a good moment to start the offline download. */
const QUIET_MS = 3000;
/** …but not later than this after load, so that a busy classroom still gets its offline copy. */
const LATEST_MS = 60_000;
const ACTIVITY = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart', 'scroll'] as const;

/**
 * Registers the offline service worker (out/sw.js, written by scripts/build-sw.mjs) once the page has loaded, the
 * reader has paused for {@link QUIET_MS} and the browser is idle. A first install downloads the whole site
 * (~7 MB, ~100 files): started while a reader drags a slider, it doubled the figures' repaint time on a 2-core
 * machine (`npm run bench:render -- --cold`), so it waits for a pause. Production builds only: in `next dev`
 * a cached page would hide the edit you just made.
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
    const register = () => {
      if (done) return;
      done = true;
      stopWatching();
      navigator.serviceWorker.register(`${BASE_PATH}/sw.js`, { scope: `${BASE_PATH}/` }).catch(() => {
        // No offline copy (private mode, blocked by policy): the site works online as before.
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
