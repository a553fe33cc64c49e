'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  coercePlaygroundState,
  defaultPlaygroundState,
  mergePlaygroundQuery,
  parsePlayground,
  type PlaygroundState,
} from '@/lib/playground/schema';
import { useThrottledUrlWrite } from '@/components/hooks/useThrottledUrlWrite';

/**
 * The playground's settings mirrored in the URL (`pg.*`), like the figures' `useUrlState` but for the nested
 * race state of lib/playground/schema. The static HTML renders the defaults; an effect then reads the URL,
 * validates it (`parsePlayground` never throws, clamps, and explains every correction in a notice).
 *
 * @param initial used when the URL has no `pg.*` key (e.g. the preset of a chapter's embedded playground).
 * @returns [state, setState, notices, dismissNotices, loadedFromUrl]
 */
export function usePlaygroundUrl(
  initial?: PlaygroundState,
): [PlaygroundState, (next: PlaygroundState) => void, string[], () => void, boolean] {
  const [state, setStateRaw] = useState<PlaygroundState>(() => initial ?? defaultPlaygroundState());
  const [notices, setNotices] = useState<string[]>([]);
  const [loaded, setLoaded] = useState(false);
  const latest = useRef(state);
  const initialRef = useRef(initial);

  useEffect(() => {
    const read = () => {
      const search = window.location.search;
      const hasKeys = [...new URLSearchParams(search).keys()].some((k) => k === 'pg' || k.startsWith('pg.'));
      if (!hasKeys && initialRef.current) {
        latest.current = initialRef.current;
        setStateRaw(initialRef.current);
        setNotices([]);
      } else {
        const parsed = parsePlayground(search);
        latest.current = parsed.state;
        setStateRaw(parsed.state);
        setNotices(parsed.notices);
      }
      setLoaded(true);
    };
    read();
    window.addEventListener('popstate', read);
    return () => window.removeEventListener('popstate', read);
  }, []);

  const schedule = useThrottledUrlWrite(() => {
    const { pathname, search, hash } = window.location;
    const query = mergePlaygroundQuery(search, latest.current);
    return `${pathname}${query ? `?${query}` : ''}${hash}`;
  });

  const setState = useCallback(
    (next: PlaygroundState) => {
      latest.current = coercePlaygroundState(next);
      setStateRaw(latest.current);
      schedule();
    },
    [schedule],
  );

  const dismiss = useCallback(() => setNotices([]), []);
  return [state, setState, notices, dismiss, loaded];
}
