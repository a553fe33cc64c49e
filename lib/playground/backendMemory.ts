/**
 * The backend 'auto' measured fastest on this device, remembered in localStorage so later visits start it at once
 * (issue 13 item 2: "remember the choice per device, with a re-measure button"). The browser's storage is per
 * device and profile, which is the scope wanted: another laptop measures for itself. tfjs-free; every read is
 * validated, and storage that throws (private mode, disabled, full) just means nothing is remembered.
 */
import { BACKEND_NAMES, type BackendName, type BackendTiming } from './protocol';

export const BACKEND_MEMORY_KEY = 'focal-lab:backend';

export interface RememberedBackend {
  backend: BackendName;
  /** The measurement that chose it, fastest first. */
  measured: BackendTiming[];
  /** When (ISO date-time). */
  at: string;
}

/** Where the choice is kept (localStorage in the browser; a Map-backed fake in tests). */
export interface BackendMemory {
  read(): RememberedBackend | null;
  write(r: RememberedBackend): void;
  forget(): void;
}

const isBackend = (x: unknown): x is BackendName => BACKEND_NAMES.includes(x as BackendName);

/** A stored value, checked: null unless it is a well-formed RememberedBackend. */
export function parseRemembered(text: string | null): RememberedBackend | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as Partial<RememberedBackend>;
    if (!v || !isBackend(v.backend) || typeof v.at !== 'string' || !Array.isArray(v.measured)) return null;
    const measured = v.measured.filter(
      (m): m is BackendTiming =>
        typeof m === 'object' &&
        m !== null &&
        isBackend(m.backend) &&
        typeof m.msPerStep === 'number' &&
        Number.isFinite(m.msPerStep) &&
        m.msPerStep > 0,
    );
    return { backend: v.backend, measured, at: v.at.slice(0, 40) };
  } catch {
    return null;
  }
}

/** The memory in `storage` (default: window.localStorage where it exists and works). */
export function storageBackendMemory(
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
): BackendMemory {
  const store = () => {
    try {
      return storage ?? (typeof localStorage === 'undefined' ? null : localStorage);
    } catch {
      return null;
    }
  };
  return {
    read() {
      try {
        return parseRemembered(store()?.getItem(BACKEND_MEMORY_KEY) ?? null);
      } catch {
        return null;
      }
    },
    write(r) {
      try {
        store()?.setItem(BACKEND_MEMORY_KEY, JSON.stringify(r));
      } catch {
        // Nothing remembered; the next visit measures again.
      }
    },
    forget() {
      try {
        store()?.removeItem(BACKEND_MEMORY_KEY);
      } catch {
        // Nothing to forget.
      }
    },
  };
}
