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

/** URL writes are throttled to at most one per this many ms (history.replaceState is rate-limited). */
const WRITE_INTERVAL_MS = 200;

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
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const dirty = useRef(false);

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

  const write = useCallback(() => {
    dirty.current = false;
    const { pathname, search, hash } = window.location;
    const query = mergeQuery(schema, search, prefix, serializeState(schema, latest.current, prefix));
    const next = `${pathname}${query ? `?${query}` : ''}${hash}`;
    if (next !== `${pathname}${search}${hash}`) {
      try {
        // Keep history.state: Next's router stores its own entry there.
        window.history.replaceState(window.history.state, '', next);
      } catch {
        // Some browsers throw when called too often; the next write catches up.
        dirty.current = true;
      }
    }
  }, [schema, prefix]);

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

  const setState = useCallback(
    (patch: Partial<StateOf<S>>) => {
      const next = { ...latest.current } as Record<string, unknown>;
      const p = patch as Record<string, unknown>;
      for (const spec of schema) {
        if (spec.name in p) next[spec.name] = coerceValue(spec, p[spec.name]);
      }
      latest.current = next as StateOf<S>;
      setStateRaw(latest.current);
      if (timer.current === null) {
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
      } else {
        dirty.current = true;
      }
    },
    [schema, write],
  );

  const dismiss = useCallback(() => setNotices([]), []);
  return [state, setState, notices, dismiss];
}

export default useUrlState;
