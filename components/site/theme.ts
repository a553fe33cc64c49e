/**
 * Colour theme: 'light' or 'dark' set `data-theme` on <html>; 'system' removes it, and the
 * prefers-color-scheme rules in the stylesheets decide. The choice is remembered in localStorage.
 */
export type ThemeChoice = 'light' | 'dark' | 'system';

export const THEME_STORAGE_KEY = 'focal-lab-theme';

/**
 * Runs in <head> before the first paint, so a stored choice never flashes the other theme. A `?theme=`
 * parameter (light|dark) wins for that page view without being stored (embeds in a dark LMS, slides).
 *
 * Content-Security-Policy: this is one constant string, identical on every page, so a single
 * `'sha256-…'` source in script-src allows it. Any edit changes the hash: keep it constant (no
 * per-page or per-build values in it).
 */
export const THEME_SCRIPT = `(function(){try{var d=document.documentElement,t=localStorage.getItem('${THEME_STORAGE_KEY}'),m=/[?&]theme=(light|dark)(?:&|$)/.exec(location.search);if(m)t=m[1];if(t==='light'||t==='dark')d.setAttribute('data-theme',t)}catch(e){}})()`;

/** The next choice when the theme button is pressed: system → light → dark → system. */
export function nextTheme(t: ThemeChoice): ThemeChoice {
  return t === 'system' ? 'light' : t === 'light' ? 'dark' : 'system';
}
