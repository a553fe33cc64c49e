'use client';
/**
 * "Predict, then reveal" for one resolved question (./Predict computes it; the presenter passes it too).
 *
 * The flow: choose an answer (a native radio group), press "Show the answer"; the answer appears beside the
 * guess, which stays checked and marked, focus moves to the answer and a polite live region says whether the
 * guess was right. "Ask me again" forgets the guess. Guesses live in localStorage only (lib/predict/guesses.ts).
 *
 * Without JavaScript (and before hydration) the question and its choices are plain text and the answer sits in
 * a closed <details>, so nothing is lost and nothing is given away; after hydration the button replaces it. (The
 * button does not say "Reveal": that word is the presenter's own Reveal button, components/present/Presenter.tsx.)
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { GUESS_KEY_PREFIX, GuessStore, type GuessStorage } from '@/lib/predict/guesses';
import type { ResolvedQuestion } from '@/lib/predict/questions';
import { useHydrated } from '../chart/useHydrated';
import PredictChoices from './PredictChoices';

let shared: GuessStore | null = null;

/** One store per page over localStorage (null storage where it is blocked), listening to other tabs. */
function guessStore(): GuessStore {
  if (shared) return shared;
  let storage: GuessStorage | null = null;
  try {
    storage = window.localStorage;
  } catch {
    storage = null;
  }
  const store = new GuessStore(storage);
  window.addEventListener('storage', (e) => {
    if (e.key === null || e.key.startsWith(GUESS_KEY_PREFIX)) store.notifyAll();
  });
  shared = store;
  return store;
}

const noSubscribe = () => () => {};

function Answer({ q }: { q: ResolvedQuestion }) {
  return (
    <>
      <p>
        Answer: <strong>{q.choices[q.correct]}</strong>
      </p>
      <p>{q.explanation}</p>
      <p className="predict__source">Source: {q.source}</p>
    </>
  );
}

export default function PredictQuestion({ q }: { q: ResolvedQuestion }) {
  const hydrated = useHydrated();
  const n = q.choices.length;
  const store = typeof window === 'undefined' ? null : guessStore();
  const saved = useSyncExternalStore(
    store ? store.subscribe : noSubscribe,
    () => store?.get(q.id, n) ?? null,
    () => null,
  );
  const [announce, setAnnounce] = useState('');
  const answerRef = useRef<HTMLDivElement>(null);
  const sectionRef = useRef<HTMLElement>(null);
  // Focus moves only after the reader's own action, never when a stored guess is restored on load.
  const focusNext = useRef<'answer' | 'choices' | null>(null);

  const revealed = !!saved?.revealed;
  useEffect(() => {
    if (focusNext.current === 'answer' && revealed) answerRef.current?.focus();
    if (focusNext.current === 'choices' && !revealed)
      sectionRef.current?.querySelector<HTMLInputElement>('input[type=radio]')?.focus();
    focusNext.current = null;
  }, [revealed]);

  const reveal = useCallback(() => {
    if (!store || !saved) return;
    focusNext.current = 'answer';
    store.reveal(q.id, n);
    setAnnounce(
      saved.guess === q.correct
        ? `Your guess was right: ${q.choices[q.correct]}.`
        : `The answer is: ${q.choices[q.correct]}. Your guess was: ${q.choices[saved.guess]}.`,
    );
  }, [store, saved, q, n]);

  const reset = useCallback(() => {
    if (!store) return;
    focusNext.current = 'choices';
    store.reset(q.id);
    setAnnounce('Guess cleared: choose again.');
  }, [store, q.id]);

  const titleId = `predict-${q.id}`;
  return (
    // Not a named region: a chapter has several questions, and landmarks must have unique names.
    <section
      ref={sectionRef}
      className="predict"
      data-predict-question={q.id}
      data-revealed={revealed ? '' : undefined}
    >
      <p className="predict__title">Predict first</p>
      <PredictChoices
        legend={q.prompt}
        choices={q.choices}
        value={saved?.guess ?? null}
        onChange={(i) => store?.choose(q.id, n, i)}
        disabled={revealed}
        correct={revealed ? q.correct : undefined}
      />
      {!hydrated ? (
        <details className="predict__fallback">
          <summary>Show the answer</summary>
          <Answer q={q} />
        </details>
      ) : revealed && saved ? (
        <div className="predict__answer" ref={answerRef} tabIndex={-1} aria-label="Answer">
          <p className="predict__verdict" data-verdict={saved.guess === q.correct ? 'right' : 'wrong'}>
            {saved.guess === q.correct ? 'Your guess was right.' : 'Not this time.'} You guessed:{' '}
            <em>{q.choices[saved.guess]}</em>.
          </p>
          <Answer q={q} />
          <button type="button" className="predict__button predict__button--quiet" onClick={reset}>
            Ask me again
          </button>
        </div>
      ) : (
        <p className="predict__actions">
          <button
            type="button"
            className="predict__button"
            onClick={reveal}
            disabled={!saved}
            aria-describedby={saved ? undefined : `${titleId}-hint`}
            data-action="reveal"
          >
            Show the answer
          </button>
          {!saved && (
            <span className="predict__hint" id={`${titleId}-hint`}>
              Choose an answer first.
            </span>
          )}
        </p>
      )}
      <p className="sr-only" role="status" aria-live="polite">
        {announce}
      </p>
    </section>
  );
}
