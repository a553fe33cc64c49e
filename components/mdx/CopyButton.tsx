'use client';

import { useEffect, useState } from 'react';

/**
 * Copies `text` to the clipboard. Rendered inside server components (e.g. <References>), hence 'use client'.
 * The result is announced through a polite live region; if the Clipboard API is unavailable (insecure
 * origin, old browser) the button says so and the text stays selectable in its <pre>.
 */
export default function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const t = window.setTimeout(() => setState('idle'), 2000);
    return () => window.clearTimeout(t);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  }

  return (
    <button type="button" className="mdx-copy" onClick={copy}>
      <span aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy by hand' : label}
      </span>
    </button>
  );
}
