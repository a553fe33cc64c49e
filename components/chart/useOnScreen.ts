import { useEffect, useState, type RefObject } from 'react';

/** True while the element is on screen and the tab is visible (training pauses otherwise). */
export default function useOnScreen(ref: RefObject<HTMLElement | null>): boolean {
  const [onScreen, setOnScreen] = useState(true);
  const [tabVisible, setTabVisible] = useState(true);
  useEffect(() => {
    const el = ref.current;
    const onVis = () => setTabVisible(!document.hidden);
    onVis();
    document.addEventListener('visibilitychange', onVis);
    const io =
      el && typeof IntersectionObserver !== 'undefined'
        ? new IntersectionObserver((entries) => entries.forEach((e) => setOnScreen(e.isIntersecting)))
        : null;
    if (el && io) io.observe(el);
    return () => {
      document.removeEventListener('visibilitychange', onVis);
      io?.disconnect();
    };
  }, [ref]);
  return onScreen && tabVisible;
}
