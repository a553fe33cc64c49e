'use client';
import { useEffect } from 'react';

const BASE_PATH = process.env.NEXT_PUBLIC_BASE_PATH ?? '';

/**
 * Registers the offline service worker (out/sw.js, written by scripts/build-sw.mjs) once the page has loaded and
 * the browser is idle, so its precaching never competes with the first paint. Production builds only: in
 * `next dev` a cached page would hide the edit you just made.
 */
export default function ServiceWorker() {
  useEffect(() => {
    if (process.env.NODE_ENV !== 'production' || !('serviceWorker' in navigator)) return;
    const register = () => {
      navigator.serviceWorker.register(`${BASE_PATH}/sw.js`, { scope: `${BASE_PATH}/` }).catch(() => {
        // No offline copy (private mode, blocked by policy): the site works online as before.
      });
    };
    const idle = () =>
      'requestIdleCallback' in window
        ? window.requestIdleCallback(register, { timeout: 5000 })
        : setTimeout(register, 2000);
    if (document.readyState === 'complete') idle();
    else window.addEventListener('load', idle, { once: true });
  }, []);
  return null;
}
