'use client';
import { useEffect } from 'react';

/** The User Timing mark set when the page has hydrated (is interactive); the JS budget test counts up to it. */
export const INTERACTIVE_MARK = 'focal-lab:interactive';

/**
 * Marks the moment React has hydrated the page: from here on controls respond. Figures load their chunks after
 * this (components/figures/lazy.tsx), so tests/e2e/budgets.test.ts can tell "before interactive" JavaScript from
 * what loads later.
 */
export default function InteractiveMark() {
  useEffect(() => {
    performance.mark(INTERACTIVE_MARK);
    document.documentElement.dataset.interactive = '';
  }, []);
  return null;
}
