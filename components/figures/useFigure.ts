'use client';
import type { Schema } from '@/lib/params/schema';
import { useChartSize } from '../chart/useChartSize';
import { useHydrated } from '../chart/useHydrated';
import { useUrlState } from '../hooks/useUrlState';

/**
 * What every live figure starts with: its settings from the URL (validated by `schema` under `prefix`, with the
 * notices of what was corrected), whether the page has hydrated (curves are computed only then, so the static
 * HTML and the first client render agree), and the plot's width from the element `ref` is attached to.
 */
export function useFigure<S extends Schema>(schema: S, prefix: string) {
  const [state, setState, notices, dismiss] = useUrlState(schema, prefix);
  const hydrated = useHydrated();
  const [ref, width] = useChartSize<HTMLDivElement>();
  return { state, setState, notices, dismiss, hydrated, ref, width };
}
