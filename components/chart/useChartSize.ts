'use client';
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/**
 * Width (px) of the element the returned ref is attached to, kept current with a ResizeObserver.
 * The first render (and the static HTML) uses `initialWidth`, so server and client markup agree.
 */
export function useChartSize<T extends HTMLElement = HTMLDivElement>(
  initialWidth = 640,
): [RefObject<T | null>, number] {
  const ref = useRef<T | null>(null);
  const [width, setWidth] = useState(initialWidth);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = (w: number) => {
      const next = Math.max(240, Math.floor(w));
      setWidth((prev) => (prev === next ? prev : next));
    };
    measure(el.getBoundingClientRect().width);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver((entries) => {
      for (const e of entries) measure(e.contentRect.width);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}
