'use client';
/**
 * The figures as chapters load them: each in its own chunk, fetched once the page is interactive (on the first
 * idle moment after hydration), not before. A figure needs the TensorFlow.js loss core (about 100 kB gzip with
 * its CPU backend) and its own D3 code; loading them after hydration keeps a chapter's JavaScript before
 * interactive within budget (tests/e2e/budgets.test.ts) and its main thread free while the page first paints.
 * Until then a placeholder of about a figure's height holds the place, so nothing jumps.
 *
 * Adding a figure: export it from ./index.ts and add it here (a unit test checks the two lists agree).
 */
import dynamic from 'next/dynamic';
import { useEffect, useState, type ComponentType } from 'react';

function FigureLoading() {
  return (
    <div className="figure figure--loading" aria-busy="true">
      <p className="figure__title">Loading the live figure…</p>
    </div>
  );
}

function deferred<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): ComponentType<P> {
  const Loaded = dynamic(load, { ssr: false, loading: FigureLoading });
  function DeferredFigure(props: P) {
    const [ready, setReady] = useState(false);
    useEffect(() => {
      const w = window as Window & typeof globalThis;
      if ('requestIdleCallback' in w) {
        const id = w.requestIdleCallback(() => setReady(true), { timeout: 1500 });
        return () => w.cancelIdleCallback(id);
      }
      const id = setTimeout(() => setReady(true), 200);
      return () => clearTimeout(id);
    }, []);
    return ready ? <Loaded {...props} /> : <FigureLoading />;
  }
  return DeferredFigure;
}

export const LossVsPtFigure = deferred(() => import('./LossVsPtFigure'));
export const AlphaBalanceFigure = deferred(() => import('./AlphaBalanceFigure'));
export const ModulatingFactorFigure = deferred(() => import('./ModulatingFactorFigure'));
export const GradientFigure = deferred(() => import('./GradientFigure'));
export const ImbalanceFigure = deferred(() => import('./ImbalanceFigure'));
export const LaterLossesFigure = deferred(() => import('./LaterLossesFigure'));
export const AnchorExplorerFigure = deferred(() => import('./AnchorExplorerFigure'));
export const PriorInitFigure = deferred(() => import('./PriorInitFigure'));
// The playground's UI is light and tfjs-free (training loads in a worker on Play), so it renders with the page.
export { default as PlaygroundFigure } from '../playground/LazyPlayground';
