/**
 * The reader's guesses for "predict, then reveal" (lib/predict/questions.ts), kept in the browser's localStorage
 * only: never in the URL (a shared link must not give the answer away) and never sent anywhere.
 *
 * One entry per question, key `focal-lab.predict.<id>`, value JSON `{"guess": <choice index>, "revealed": <bool>}`.
 * A plain store (no React) with explicit states per question: none → guessed → revealed, and `reset` back to
 * none. Components read it through `useSyncExternalStore`; a change in another tab arrives as a `storage` event
 * and is passed on by `notifyAll`.
 */

/** A saved guess: the chosen choice index and whether the answer has been revealed. */
export interface SavedGuess {
  guess: number;
  revealed: boolean;
}

/** The part of the Web Storage API the store uses (localStorage in the browser, a Map-backed fake in tests). */
export interface GuessStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const GUESS_KEY_PREFIX = 'focal-lab.predict.';

export function guessKey(id: string): string {
  return `${GUESS_KEY_PREFIX}${id}`;
}

/**
 * A stored value back to a guess, or null when it is missing or not a valid guess for `numChoices` choices (a
 * hand-edited or stale entry is ignored, never trusted).
 */
export function parseGuess(raw: string | null, numChoices: number): SavedGuess | null {
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as Partial<SavedGuess> | null;
    if (!v || typeof v !== 'object') return null;
    const { guess, revealed } = v;
    if (typeof guess !== 'number' || !Number.isInteger(guess) || guess < 0 || guess >= numChoices)
      return null;
    return { guess, revealed: revealed === true };
  } catch {
    return null;
  }
}

/** The guesses of every question on a page, over one storage; storage errors (private mode, quota) are ignored. */
export class GuessStore {
  private listeners = new Set<() => void>();
  /** Snapshots by key, so `get` returns the same object until the entry changes (useSyncExternalStore needs it). */
  private cache = new Map<string, { raw: string | null; value: SavedGuess | null }>();

  constructor(private readonly storage: GuessStorage | null) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Tells every subscriber to re-read (another tab changed the storage). */
  notifyAll(): void {
    for (const l of this.listeners) l();
  }

  get(id: string, numChoices: number): SavedGuess | null {
    const key = guessKey(id);
    const raw = this.read(key);
    const hit = this.cache.get(key);
    if (hit && hit.raw === raw) return hit.value;
    const value = parseGuess(raw, numChoices);
    this.cache.set(key, { raw, value });
    return value;
  }

  /** Chooses (or changes) a guess; allowed only before the reveal. */
  choose(id: string, numChoices: number, guess: number): void {
    const now = this.get(id, numChoices);
    if (now?.revealed) return;
    this.write(id, { guess, revealed: false });
  }

  /** Reveals the answer; needs a guess first (the point is to commit before seeing). */
  reveal(id: string, numChoices: number): void {
    const now = this.get(id, numChoices);
    if (!now || now.revealed) return;
    this.write(id, { guess: now.guess, revealed: true });
  }

  /** Forgets the guess: the question is asked afresh. */
  reset(id: string): void {
    this.memory.delete(guessKey(id));
    try {
      this.storage?.removeItem(guessKey(id));
    } catch {
      // Storage unavailable: only the memory copy existed.
    }
    this.notifyAll();
  }

  /** Storage unavailable or refusing (private mode, quota): guesses live in memory until the page closes. */
  private memory = new Map<string, string>();

  private read(key: string): string | null {
    try {
      const v = this.storage?.getItem(key);
      if (v !== null && v !== undefined) return v;
    } catch {
      // Fall through to the memory copy.
    }
    return this.memory.get(key) ?? null;
  }

  private write(id: string, g: SavedGuess): void {
    const key = guessKey(id);
    const raw = JSON.stringify(g);
    this.memory.set(key, raw);
    try {
      this.storage?.setItem(key, raw);
    } catch {
      // The memory copy above serves.
    }
    this.notifyAll();
  }
}
