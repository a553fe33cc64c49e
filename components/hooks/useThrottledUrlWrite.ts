'use client';
import { useCallback, useEffect, useRef } from 'react';

/** URL writes are throttled to at most one per this many ms (history.replaceState is rate-limited by browsers). */
export const WRITE_INTERVAL_MS = 200;

/**
 * Mirrors state into the address bar without flooding history: returns `schedule()`, which writes
 * `nextUrl()` (path + query + hash) with `history.replaceState` at once, then at most every WRITE_INTERVAL_MS
 * while calls keep coming, and once more on unmount if a write is pending. `history.state` is kept (Next's
 * router stores its entry there); a browser that throws on a too-frequent write is retried on the next tick.
 */
export function useThrottledUrlWrite(nextUrl: () => string): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const dirty = useRef(false);
  const next = useRef(nextUrl);
  useEffect(() => {
    next.current = nextUrl;
  });

  const write = useCallback(() => {
    dirty.current = false;
    const { pathname, search, hash } = window.location;
    const url = next.current();
    if (url === `${pathname}${search}${hash}`) return;
    try {
      window.history.replaceState(window.history.state, '', url);
    } catch {
      dirty.current = true;
    }
  }, []);

  useEffect(
    () => () => {
      if (timer.current !== null) {
        clearTimeout(timer.current);
        timer.current = null;
        if (dirty.current) write();
      }
    },
    [write],
  );

  return useCallback(() => {
    if (timer.current !== null) {
      dirty.current = true;
      return;
    }
    write();
    const tick = () => {
      if (dirty.current) {
        write();
        timer.current = setTimeout(tick, WRITE_INTERVAL_MS);
      } else {
        timer.current = null;
      }
    };
    timer.current = setTimeout(tick, WRITE_INTERVAL_MS);
  }, [write]);
}
