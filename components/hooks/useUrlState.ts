'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  coerceValue,
  defaultState,
  mergeQuery,
  parseState,
  serializeState,
  type Schema,
  type StateOf,
} from '@/lib/params/schema';
import { useThrottledUrlWrite } from './useThrottledUrlWrite';

/**
 * A figure's state, mirrored in the URL under `prefix.`:
 * - the first render uses the schema defaults (the static HTML has no URL), then an effect reads
 *   `window.location.search`, validates it with {@link parseState} and reports corrections as notices;
 * - `setState(patch)` coerces the patch, re-renders at once, and writes the URL with
 *   `history.replaceState` (throttled; keeps other figures' keys, other parameters and the hash);
 * - back/forward (popstate) re-reads the URL.
 *
 * @returns [state, setState, notices, dismissNotices]
 */
export function useUrlState<S extends Schema>(
  schema: S,
  prefix: string,
): [StateOf<S>, (patch: Partial<StateOf<S>>) => void, string[], () => void] {
  const [state, setStateRaw] = useState<StateOf<S>>(() => defaultState(schema));
  const [notices, setNotices] = useState<string[]>([]);
  const latest = useRef(state);

  useEffect(() => {
    const read = () => {
      const parsed = parseState(schema, window.location.search, prefix);
      latest.current = parsed.state;
      setStateRaw(parsed.state);
      setNotices(parsed.notices);
    };
    read();
    window.addEventListener('popstate', read);
    return () => window.removeEventListener('popstate', read);
  }, [schema, prefix]);

  const schedule = useThrottledUrlWrite(() => {
    const { pathname, search, hash } = window.location;
    const query = mergeQuery(schema, search, prefix, serializeState(schema, latest.current, prefix));
    return `${pathname}${query ? `?${query}` : ''}${hash}`;
  });

  const setState = useCallback(
    (patch: Partial<StateOf<S>>) => {
      const next = { ...latest.current } as Record<string, unknown>;
      const p = patch as Record<string, unknown>;
      for (const spec of schema) {
        if (spec.name in p) next[spec.name] = coerceValue(spec, p[spec.name]);
      }
      latest.current = next as StateOf<S>;
      setStateRaw(latest.current);
      schedule();
    },
    [schema, schedule],
  );

  const dismiss = useCallback(() => setNotices([]), []);
  return [state, setState, notices, dismiss];
}

export default useUrlState;
