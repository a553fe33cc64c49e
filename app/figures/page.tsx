import type { Metadata } from 'next';
import PageLink from '@/components/site/PageLink';
import {
  AlphaBalanceFigure,
  ApFigure,
  BridgeFigure,
  SoftmaxFocalFigure,
  AnchorExplorerFigure,
  PriorInitFigure,
  LaterLossesFigure,
  GradientFigure,
  ImbalanceFigure,
  LossVsPtFigure,
  ModulatingFactorFigure,
  AblationSeedsFigure,
  ReliabilityFigure,
} from '@/components/figures';

export const metadata: Metadata = {
  title: 'All figures',
  description: 'Every live figure of Focal Lab on one page, for teaching and for sharing a state by link.',
};

const FIGURES = [
  { Figure: LossVsPtFigure, chapter: 'focal-loss', label: 'Chapter 3, Focal loss' },
  { Figure: AlphaBalanceFigure, chapter: 'cross-entropy', label: 'Chapter 2, Cross-entropy' },
  { Figure: BridgeFigure, chapter: 'cross-entropy', label: 'Chapter 2, Cross-entropy' },
  { Figure: SoftmaxFocalFigure, chapter: 'focal-loss', label: 'Chapter 3, Focal loss' },
  { Figure: ModulatingFactorFigure, chapter: 'focal-loss', label: 'Chapter 3, Focal loss' },
  { Figure: GradientFigure, chapter: 'gradients', label: 'Chapter 5, Gradients' },
  { Figure: ImbalanceFigure, chapter: 'class-imbalance', label: 'Chapter 1, Class imbalance' },
  { Figure: ApFigure, chapter: 'class-imbalance', label: 'Chapter 1, Class imbalance' },
  { Figure: AnchorExplorerFigure, chapter: 'retinanet', label: 'Chapter 6, RetinaNet' },
  { Figure: PriorInitFigure, chapter: 'retinanet', label: 'Chapter 6, RetinaNet' },
  { Figure: AblationSeedsFigure, chapter: 'results', label: 'Chapter 8, Results' },
  { Figure: LaterLossesFigure, chapter: 'beyond-the-paper', label: 'Chapter 9, Beyond the paper' },
  { Figure: ReliabilityFigure, chapter: 'beyond-the-paper', label: 'Chapter 9, Beyond the paper' },
];

/** Every figure on one page: all of their settings live in this page's URL, so one link restores them all. */
export default function FiguresPage() {
  return (
    <main className="figures-page">
      <h1>All figures</h1>
      <p className="lede">
        Every live figure of the course on one page. Each keeps its settings in the address bar, so copying
        the link shares exactly what you see.
      </p>
      {FIGURES.map(({ Figure, chapter, label }, i) => (
        <section key={i}>
          <Figure />
          <p className="figure-source">
            Explained in <PageLink href={`/learn/${chapter}/`}>{label}</PageLink>.
          </p>
        </section>
      ))}
    </main>
  );
}
