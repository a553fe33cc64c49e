import { describe, expect, it } from 'vitest';
import { GuessStore, guessKey, parseGuess, type GuessStorage } from '@/lib/predict/guesses';

function fakeStorage(): GuessStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

describe('parseGuess', () => {
  it('reads a stored guess', () => {
    expect(parseGuess('{"guess":2,"revealed":true}', 3)).toEqual({ guess: 2, revealed: true });
    expect(parseGuess('{"guess":0}', 3)).toEqual({ guess: 0, revealed: false });
  });
  it('ignores anything that is not a valid guess for the question', () => {
    for (const raw of [
      null,
      '',
      'x',
      '[]',
      'null',
      '{"guess":3}',
      '{"guess":-1}',
      '{"guess":1.5}',
      '{"guess":"1"}',
    ])
      expect(parseGuess(raw, 3)).toBeNull();
  });
});

describe('GuessStore', () => {
  it('goes none → guessed → revealed → none, in localStorage under the question id', () => {
    const storage = fakeStorage();
    const store = new GuessStore(storage);
    let calls = 0;
    store.subscribe(() => calls++);
    expect(store.get('q', 3)).toBeNull();
    store.reveal('q', 3);
    expect(store.get('q', 3)).toBeNull(); // no reveal before a guess
    store.choose('q', 3, 1);
    store.choose('q', 3, 2);
    expect(store.get('q', 3)).toEqual({ guess: 2, revealed: false });
    store.reveal('q', 3);
    expect(JSON.parse(storage.map.get(guessKey('q'))!)).toEqual({ guess: 2, revealed: true });
    store.choose('q', 3, 0); // locked after the reveal
    expect(store.get('q', 3)).toEqual({ guess: 2, revealed: true });
    store.reset('q');
    expect(store.get('q', 3)).toBeNull();
    expect(storage.map.size).toBe(0);
    expect(calls).toBeGreaterThanOrEqual(4);
  });

  it('returns the same snapshot object until the entry changes (as useSyncExternalStore requires)', () => {
    const store = new GuessStore(fakeStorage());
    store.choose('q', 2, 1);
    expect(store.get('q', 2)).toBe(store.get('q', 2));
  });

  it('keeps guesses in memory when storage throws (private mode)', () => {
    const throwing: GuessStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    const store = new GuessStore(throwing);
    store.choose('q', 2, 1);
    expect(store.get('q', 2)).toEqual({ guess: 1, revealed: false });
    store.reset('q');
    expect(store.get('q', 2)).toBeNull();
  });
});
