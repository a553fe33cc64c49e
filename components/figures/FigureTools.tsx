'use client';
import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import { figureStateLink } from '../present/slides';
import { downloadBlob, figureToSvg, svgToPng } from './exportFigure';
import { exportFileName } from './svgExport';

/**
 * Export and share buttons under a figure: the figure as SVG or PNG (colours resolved, so the file looks
 * the same outside the site), and a link to this figure in its current state. Status messages go to a
 * polite live region; where the Clipboard API is missing or refused, the link is shown selected in a
 * text field to copy by hand.
 */
export default function FigureTools({ id, figure }: { id: string; figure: RefObject<HTMLElement | null> }) {
  const [status, setStatus] = useState('');
  const [fallback, setFallback] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const fieldId = useId();

  useEffect(() => {
    if (!status) return;
    const t = window.setTimeout(() => setStatus(''), 4000);
    return () => window.clearTimeout(t);
  }, [status]);

  useEffect(() => {
    if (fallback === null) return;
    field.current?.focus();
    field.current?.select();
  }, [fallback]);

  const exportAs = async (ext: 'svg' | 'png') => {
    const el = figure.current;
    if (!el) return;
    try {
      const { svg, width, height } = figureToSvg(el);
      const blob =
        ext === 'svg'
          ? new Blob([svg], { type: 'image/svg+xml;charset=utf-8' })
          : await svgToPng(svg, width, height, 2);
      downloadBlob(blob, exportFileName(id, ext));
      setStatus(`${ext.toUpperCase()} downloaded`);
    } catch (e) {
      setStatus(`Could not export: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const copyLink = async () => {
    const link = figureStateLink(window.location.href, id);
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(link);
      setFallback(null);
      setStatus('Link copied');
    } catch {
      setFallback(link);
      setStatus('Copy the selected link with Ctrl+C or ⌘C');
    }
  };

  return (
    <div className="figure__tools" role="group" aria-label="Export and share this figure">
      <div className="figure__tool-buttons">
        <button type="button" className="figure__tool" onClick={() => exportAs('svg')}>
          Download SVG
        </button>
        <button type="button" className="figure__tool" onClick={() => exportAs('png')}>
          Download PNG
        </button>
        <button type="button" className="figure__tool" onClick={copyLink}>
          Copy link to this state
        </button>
      </div>
      {fallback !== null && (
        <p className="figure__link-field">
          <label htmlFor={fieldId}>Link to this state</label>
          <input
            id={fieldId}
            ref={field}
            type="text"
            readOnly
            value={fallback}
            onFocus={(e) => e.currentTarget.select()}
          />
        </p>
      )}
      <p className="figure__status" role="status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}
