import { ensureCpuBackendSync } from '@/lib/tf/backend';

// The tfjs-free helpers live in ./styles; re-exported so figures import everything from one place.
export * from './styles';

/**
 * Runs a computation through the loss core on the CPU backend and times it (performance.now()).
 * Any error (the core throws RangeError on invalid input; the schemas should prevent that) is caught so
 * a figure shows '—' instead of crashing the page.
 */
export function timed<T>(fn: () => T): { value: T | null; ms: number; error: string | null } {
  const t0 = performance.now();
  try {
    ensureCpuBackendSync();
    const value = fn();
    return { value, ms: performance.now() - t0, error: null };
  } catch (e) {
    return { value: null, ms: performance.now() - t0, error: e instanceof Error ? e.message : String(e) };
  }
}
