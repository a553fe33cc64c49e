'use client';
import { useSyncExternalStore } from 'react';
import { nextTheme, THEME_STORAGE_KEY, type ThemeChoice } from './theme';

/** The theme in effect: <html data-theme> (set before paint by the head script), or 'system'. */
function current(): ThemeChoice {
  const t = document.documentElement.getAttribute('data-theme');
  return t === 'light' || t === 'dark' ? t : 'system';
}

function apply(t: ThemeChoice): void {
  if (t === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', t);
}

function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  // Another tab changed the stored choice: follow it.
  const onStorage = (e: StorageEvent) => {
    if (e.key !== THEME_STORAGE_KEY) return;
    const v = e.newValue;
    apply(v === 'light' || v === 'dark' ? v : 'system');
  };
  window.addEventListener('storage', onStorage);
  return () => {
    observer.disconnect();
    window.removeEventListener('storage', onStorage);
  };
}

const LABEL: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/**
 * One button that cycles the colour theme: system → light → dark. Its name says the theme in effect and
 * its description what a press does, so the state is never conveyed by the icon alone.
 */
export default function ThemeToggle() {
  // null on the server and during hydration: the stored choice is only known in the browser.
  const theme = useSyncExternalStore<ThemeChoice | null>(subscribe, current, () => null);

  const choose = () => {
    const next = nextTheme(current());
    apply(next);
    try {
      if (next === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
      else localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Storage can be disabled (private mode): the theme still applies to this page.
    }
  };

  const shown = theme ?? 'system';
  return (
    <button
      type="button"
      className="theme-toggle"
      onClick={choose}
      data-theme-choice={theme ?? undefined}
      title={`Theme: ${LABEL[shown]}. Press for ${LABEL[nextTheme(shown)].toLowerCase()}.`}
    >
      <ThemeIcon theme={shown} />
      <span className="theme-toggle__text">
        Theme: <span className="theme-toggle__value">{theme ? LABEL[theme] : '…'}</span>
      </span>
    </button>
  );
}

function ThemeIcon({ theme }: { theme: ThemeChoice }) {
  return (
    <svg width={20} height={20} viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      {theme === 'light' ? (
        <g fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round">
          <circle cx={10} cy={10} r={3.6} />
          <path d="M10 1.8v2.1M10 16.1v2.1M1.8 10h2.1M16.1 10h2.1M4.2 4.2l1.5 1.5M14.3 14.3l1.5 1.5M4.2 15.8l1.5-1.5M14.3 5.7l1.5-1.5" />
        </g>
      ) : theme === 'dark' ? (
        <path d="M15.8 12.6A6.8 6.8 0 0 1 7.4 4.2a6.8 6.8 0 1 0 8.4 8.4z" fill="currentColor" />
      ) : (
        <g>
          <circle cx={10} cy={10} r={7} fill="none" stroke="currentColor" strokeWidth={1.8} />
          <path d="M10 3a7 7 0 0 1 0 14z" fill="currentColor" />
        </g>
      )}
    </svg>
  );
}
