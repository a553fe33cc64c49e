'use client';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import PageLink from '@/components/site/PageLink';
import type { ResolvedQuestion } from '@/lib/predict/questions';
import { figureByName } from '../figures/registry';
import PredictQuestion from '../mdx/PredictQuestion';
import { PresenterContext, type PresenterContextValue, type PresenterHandlers } from './PresenterContext';
import { figureAnchor, slideIndexFromHash, withoutFigureParams, type Slide } from './slides';
import './present.css';

/** The slide lives in the URL hash (#figure-<id>), so a reload or a shared link opens the same figure. */
const HASH_EVENT = 'focal-present-hash';
function subscribeHash(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  window.addEventListener(HASH_EVENT, onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener(HASH_EVENT, onChange);
  };
}

function setHash(hash: string) {
  const { pathname, search } = window.location;
  // Keep history.state: Next's router keeps its own entry there.
  window.history.replaceState(window.history.state, '', `${pathname}${search}#${hash}`);
  window.dispatchEvent(new Event(HASH_EVENT));
}

/** Focus is in a control that uses the key itself (sliders, radios, text fields, the plot's crosshair). */
function keyIsTaken(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof Element)) return false;
  if (
    target.closest('input, select, textarea, [contenteditable=""], [contenteditable="true"], [role="slider"]')
  )
    return true;
  // Space activates buttons, links and summaries: leave it to them.
  return key === ' ' && !!target.closest('button, a[href], summary, [role="button"]');
}

export default function Presenter({
  chapter,
  slides,
  questions = {},
}: {
  chapter: { slug: string; title: string };
  slides: Slide[];
  /** The chapter's prediction questions by id (a slide's `question`), answers computed at build time. */
  questions?: Record<string, ResolvedQuestion>;
}) {
  const hash = useSyncExternalStore(
    subscribeHash,
    () => window.location.hash,
    () => '',
  );
  const index = slideIndexFromHash(hash, slides);
  const slide = slides[index];
  const [predictFirst, setPredictFirst] = useState(true);
  const [revealed, setRevealed] = useState<Record<string, boolean>>({});
  const [announce, setAnnounce] = useState('');
  const handlers = useRef<(() => PresenterHandlers)[]>([]);
  const playingGuess = useRef(false);
  const [resetKey, setResetKey] = useState(0);

  const current = useCallback((): PresenterHandlers => {
    const hs = handlers.current.map((get) => get());
    return Object.assign({}, ...hs) as PresenterHandlers;
  }, []);

  // Figures on screen that hide something (FigureFrame's `reveal`, usePredictStep): counted, not
  // looked up, so the prediction step works for any figure that opts in.
  const [revealables, setRevealables] = useState(0);
  const declareRevealable = useCallback(() => {
    setRevealables((n) => n + 1);
    return () => setRevealables((n) => n - 1);
  }, []);
  // Decided before the figure mounts, so the hidden part is never drawn for a frame first.
  const hidden = !!slide && predictFirst && !revealed[slide.id];
  const canReveal = predictFirst && revealables > 0;

  const ctx = useMemo<PresenterContextValue>(
    () => ({
      hidden,
      register: (get) => {
        handlers.current = [...handlers.current, get];
        return () => {
          handlers.current = handlers.current.filter((g) => g !== get);
        };
      },
      declareRevealable,
    }),
    [hidden, declareRevealable],
  );

  const go = useCallback(
    (to: number) => {
      const i = Math.max(0, Math.min(slides.length - 1, to));
      if (i === index || !slides[i]) return;
      playingGuess.current = false;
      setHash(figureAnchor(slides[i].id));
      setAnnounce(`Figure ${i + 1} of ${slides.length}`);
    },
    [index, slides],
  );

  const reveal = useCallback(
    (show: boolean) => {
      if (!slide) return;
      setRevealed((r) => ({ ...r, [slide.id]: show }));
      setAnnounce(show ? 'Revealed' : 'Hidden again: predict first');
      if (show) current().reveal?.();
    },
    [slide, current],
  );

  const space = useCallback(() => {
    if (hidden && canReveal) return reveal(true);
    const h = current();
    if (h.play && h.pause) {
      const playing = h.playing ? h.playing() : playingGuess.current;
      if (playing) h.pause();
      else h.play();
      playingGuess.current = !playing;
      setAnnounce(playing ? 'Paused' : 'Playing');
      return;
    }
    if (canReveal) reveal(false);
  }, [hidden, canReveal, reveal, current]);

  const reset = useCallback(() => {
    if (!slide) return;
    const h = current();
    if (h.reset) {
      h.reset();
    } else {
      // Back to the defaults: drop the figure parameters from the URL and remount the figure, whose
      // useUrlState then reads the (now empty) query.
      const { pathname, search, hash: h0 } = window.location;
      window.history.replaceState(window.history.state, '', `${pathname}${withoutFigureParams(search)}${h0}`);
      setResetKey((k) => k + 1);
    }
    playingGuess.current = false;
    setRevealed((r) => ({ ...r, [slide.id]: false }));
    setAnnounce('Reset');
  }, [slide, current]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (keyIsTaken(e.target, e.key)) return;
      switch (e.key) {
        case 'ArrowRight':
        case 'PageDown':
          go(index + 1);
          break;
        case 'ArrowLeft':
        case 'PageUp':
          go(index - 1);
          break;
        case 'Home':
          go(0);
          break;
        case 'End':
          go(slides.length - 1);
          break;
        case ' ':
          space();
          break;
        case 'r':
        case 'R':
          reset();
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, index, slides.length, space, reset]);

  const entry = slide ? figureByName(slide.name) : undefined;
  const Figure = entry?.Component;

  return (
    <div className="presenter" data-presenter="">
      <header className="presenter__bar">
        <PageLink href={`/learn/${chapter.slug}/`} className="presenter__exit">
          <span aria-hidden="true">←</span> Exit
        </PageLink>
        <h1 className="presenter__title">{chapter.title}</h1>
        <p className="presenter__progress" aria-label={`Figure ${index + 1} of ${slides.length}`}>
          {slides.length ? `${index + 1} / ${slides.length}` : '0 / 0'}
        </p>
        <nav className="presenter__nav" aria-label="Figures">
          <button type="button" onClick={() => go(index - 1)} disabled={index <= 0}>
            <span aria-hidden="true">←</span> Previous
          </button>
          <button type="button" onClick={() => go(index + 1)} disabled={index >= slides.length - 1}>
            Next <span aria-hidden="true">→</span>
          </button>
        </nav>
        <div className="presenter__actions" role="group" aria-label="Presenter actions">
          {canReveal && (
            <button type="button" onClick={() => reveal(hidden)} aria-keyshortcuts="Space">
              {hidden ? 'Reveal' : 'Hide again'}
            </button>
          )}
          <button type="button" onClick={reset} aria-keyshortcuts="R">
            Reset
          </button>
          <label className="presenter__check">
            <input
              type="checkbox"
              checked={predictFirst}
              onChange={(e) => setPredictFirst(e.currentTarget.checked)}
            />
            Predict first
          </label>
        </div>
      </header>
      <p className="sr-only" role="status" aria-live="polite">
        {announce}
      </p>
      <main className="presenter__stage">
        {Figure && slide ? (
          <section
            key={`${slide.id}-${resetKey}`}
            className="presenter__slide"
            aria-roledescription="slide"
            aria-label={`Figure ${index + 1} of ${slides.length}`}
          >
            {slide.question && questions[slide.question] && <PredictQuestion q={questions[slide.question]} />}
            <PresenterContext.Provider value={ctx}>
              <Figure {...slide.props} />
            </PresenterContext.Provider>
          </section>
        ) : (
          <p>This chapter has no live figures to present.</p>
        )}
      </main>
      <footer className="presenter__help">
        <kbd>←</kbd> <kbd>→</kbd> figures · <kbd>Space</kbd> reveal / play · <kbd>R</kbd> reset
      </footer>
    </div>
  );
}
