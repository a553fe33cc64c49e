'use client';
import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import DataTable, { type DataTableProps } from '../chart/DataTable';
import Notice from '../chart/Notice';
import { usePredictStep } from '../present/PresenterContext';
import { figureAnchor } from '../present/slides';
import FigureTools from './FigureTools';
import './figure-tools.css';

export interface FigureFrameProps {
  /** Kebab-case id, written to data-figure; the <figure> gets the DOM id `figure-<id>` (link target). */
  id: string;
  title: ReactNode;
  controls: ReactNode;
  notices: string[];
  onDismiss: () => void;
  /** The plot(s). */
  children: ReactNode;
  legend?: ReactNode;
  readouts?: ReactNode;
  caption: ReactNode;
  /** One or more "Show data" tables with the plotted numbers. */
  table: DataTableProps | DataTableProps[];
  /** Milliseconds the last recompute took (exposed as data-compute-ms for the browser tests). */
  computeMs?: number;
  /** Set when the loss core refused to compute; shown instead of silently empty curves. */
  error?: string | null;
  /**
   * "Predict, then reveal" in presenter mode: the `data-series` names of the figure's main result (the
   * highlighted curve, the bars the class should guess). They are marked `data-reveal="main"` and hidden,
   * with the readouts and data tables, until the presenter reveals them. Elements without a series (a
   * marker dot on the curve) can carry `data-reveal="main"` directly.
   */
  reveal?: readonly string[];
}

// Layout effects do not run on the server; the plain effect there is a no-op stand-in.
const useIsoLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

/**
 * Marks the elements drawn for the `names` series with data-reveal="main" (and clears the marks it set
 * before). A bar segment is drawn with its hatching and label in one <g>: when the series element is the
 * only one in an unclipped group, the group is marked so those hide with it. Figures may also write
 * data-reveal="main" themselves on any element (a marker on the hidden curve); those are left alone.
 */
function markRevealTargets(root: HTMLElement, names: readonly string[] | undefined): void {
  for (const el of root.querySelectorAll('[data-reveal-auto]')) {
    el.removeAttribute('data-reveal');
    el.removeAttribute('data-reveal-auto');
  }
  if (!names?.length) return;
  for (const el of root.querySelectorAll('[data-series]')) {
    if (!names.includes(el.getAttribute('data-series') ?? '')) continue;
    const g = el.parentElement;
    const lift =
      g?.tagName.toLowerCase() === 'g' &&
      !g.hasAttribute('clip-path') &&
      g.querySelectorAll('[data-series]').length === 1;
    const target = lift ? g : el;
    if (target.hasAttribute('data-reveal')) continue;
    target.setAttribute('data-reveal', 'main');
    target.setAttribute('data-reveal-auto', '');
  }
}

/** The common skeleton of every live figure: title, controls, URL notice, plot, legend, readouts, caption, data. */
export default function FigureFrame(p: FigureFrameProps) {
  const ref = useRef<HTMLElement>(null);
  const hiding = usePredictStep(!!p.reveal?.length);

  // Every render: curves are redrawn (and may be remounted) whenever the figure renders.
  useIsoLayoutEffect(() => {
    if (ref.current) markRevealTargets(ref.current, p.reveal);
  });

  return (
    <figure
      ref={ref}
      className="figure"
      id={figureAnchor(p.id)}
      data-figure={p.id}
      data-compute-ms={p.computeMs === undefined ? undefined : p.computeMs.toFixed(3)}
      data-reveal-series={p.reveal?.length ? p.reveal.join(' ') : undefined}
      data-predict={hiding ? 'hidden' : undefined}
    >
      <p className="figure__title">{p.title}</p>
      <div className="figure__controls">{p.controls}</div>
      <Notice notices={p.notices} onDismiss={p.onDismiss} />
      {p.error && (
        <p className="notice" role="alert">
          This figure could not be computed: {p.error}
        </p>
      )}
      {hiding && (
        <p className="figure__predict">
          <strong>Predict first.</strong> The highlighted result is hidden: make your guess, then press Space
          or “Reveal”.
        </p>
      )}
      {p.children}
      {p.legend}
      {p.readouts && <div className="readouts">{p.readouts}</div>}
      <figcaption>{p.caption}</figcaption>
      {(Array.isArray(p.table) ? p.table : [p.table]).map((t) => (
        <DataTable key={t.caption} {...t} />
      ))}
      <FigureTools id={p.id} figure={ref} />
    </figure>
  );
}
