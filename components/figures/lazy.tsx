'use client';
/**
 * The figures as chapters load them: each in its own chunk, fetched once the page is interactive — at once (on
 * an idle moment) for a figure near the viewport, a few seconds later in the background for the others — never
 * before. A figure needs the TensorFlow.js loss core (about 100 kB gzip with
 * its CPU backend) and its own D3 code; loading them after hydration keeps a chapter's JavaScript before
 * interactive within budget (tests/e2e/budgets.test.ts) and its main thread free while the page first paints.
 * Until then a placeholder of about a figure's height holds the place, so nothing jumps.
 *
 * Adding a figure: export it from ./index.ts and add it here (a unit test checks the two lists agree).
 */
import dynamic from 'next/dynamic';
import { forwardRef, useEffect, useRef, useState, type ComponentType } from 'react';
import { figureIdOf } from './figureIds';

/** Figures away from the viewport start loading this long after the page mounts, one per idle moment. */
const BACKGROUND_DELAY_MS = 3000;

const FigureLoading = forwardRef<HTMLDivElement, { id?: string }>(function FigureLoading({ id }, ref) {
  return (
    <div ref={ref} className="figure figure--loading" aria-busy="true" data-figure-placeholder={id}>
      <p className="figure__title">Loading the live figure…</p>
    </div>
  );
});

function whenIdle(fn: () => void): void {
  const w = window as Window & typeof globalThis;
  if ('requestIdleCallback' in w) w.requestIdleCallback(fn, { timeout: 2000 });
  else setTimeout(fn, 50);
}

/** Background loads run one after another, each on its own idle moment, so they never pile into one long task. */
let backgroundQueue: Promise<void> = Promise.resolve();

/**
 * `name` is the figure's export name; its id (./figureIds) marks the placeholder, so a link or a test can find a
 * figure that has not loaded yet and scroll it near the viewport, which loads it at once.
 */
function deferred<P extends object>(
  name: string,
  load: () => Promise<{ default: ComponentType<P> }>,
): ComponentType<P> {
  const id = figureIdOf(name);
  const Loaded = dynamic(load, { ssr: false, loading: () => <FigureLoading id={id} /> });
  function DeferredFigure(props: P) {
    const [ready, setReady] = useState(false);
    const placeholder = useRef<HTMLDivElement>(null);
    useEffect(() => {
      if (ready) return;
      let done = false;
      const go = () => {
        if (!done) whenIdle(() => setReady(true));
        done = true;
      };
      // Near the viewport (or about to be): load now.
      const el = placeholder.current;
      const io =
        el && 'IntersectionObserver' in window
          ? new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && go(), {
              rootMargin: '600px 0px',
            })
          : null;
      if (el && io) io.observe(el);
      else go();
      // Elsewhere on the page: a little later, in the background, so printing and find-in-page see every figure.
      const timer = window.setTimeout(() => {
        backgroundQueue = backgroundQueue.then(
          () =>
            new Promise<void>((resolve) => {
              if (done) return resolve();
              done = true;
              whenIdle(() => {
                setReady(true);
                resolve();
              });
            }),
        );
      }, BACKGROUND_DELAY_MS);
      return () => {
        io?.disconnect();
        window.clearTimeout(timer);
        done = true;
      };
    }, [ready]);
    return ready ? <Loaded {...props} /> : <FigureLoading ref={placeholder} id={id} />;
  }
  return DeferredFigure;
}

export const LossVsPtFigure = deferred('LossVsPtFigure', () => import('./LossVsPtFigure'));
export const AlphaBalanceFigure = deferred('AlphaBalanceFigure', () => import('./AlphaBalanceFigure'));
export const ModulatingFactorFigure = deferred(
  'ModulatingFactorFigure',
  () => import('./ModulatingFactorFigure'),
);
export const GradientFigure = deferred('GradientFigure', () => import('./GradientFigure'));
export const ImbalanceFigure = deferred('ImbalanceFigure', () => import('./ImbalanceFigure'));
export const LaterLossesFigure = deferred('LaterLossesFigure', () => import('./LaterLossesFigure'));
export const AnchorExplorerFigure = deferred('AnchorExplorerFigure', () => import('./AnchorExplorerFigure'));
export const PriorInitFigure = deferred('PriorInitFigure', () => import('./PriorInitFigure'));
export const ApFigure = deferred('ApFigure', () => import('./ApFigure'));
export const AblationSeedsFigure = deferred('AblationSeedsFigure', () => import('./AblationSeedsFigure'));
export const BridgeFigure = deferred('BridgeFigure', () => import('./BridgeFigure'));
export const SoftmaxFocalFigure = deferred('SoftmaxFocalFigure', () => import('./SoftmaxFocalFigure'));
export const ReliabilityFigure = deferred('ReliabilityFigure', () => import('./ReliabilityFigure'));
// The playground's UI is light and tfjs-free (training loads in a worker on Play), so it renders with the page.
export { default as PlaygroundFigure } from '../playground/LazyPlayground';
