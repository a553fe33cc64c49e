/** The live figures, for MDX chapters and pages. Each is a client component with its own URL prefix. */
export { default as LossVsPtFigure } from './LossVsPtFigure';
export { default as AlphaBalanceFigure } from './AlphaBalanceFigure';
export { default as ModulatingFactorFigure } from './ModulatingFactorFigure';
export { default as GradientFigure } from './GradientFigure';
export { default as ImbalanceFigure } from './ImbalanceFigure';
export { default as LaterLossesFigure } from './LaterLossesFigure';
export { default as AnchorExplorerFigure } from './AnchorExplorerFigure';
export { default as PriorInitFigure } from './PriorInitFigure';
export { default as ApFigure } from './ApFigure';
export { default as AblationSeedsFigure } from './AblationSeedsFigure';
export { default as BridgeFigure } from './BridgeFigure';
export { default as SoftmaxFocalFigure } from './SoftmaxFocalFigure';
export { default as ReliabilityFigure } from './ReliabilityFigure';
// The live playground (its own lazily loaded chunk), so chapters, embeds and the presenter can show it too.
export { default as PlaygroundFigure } from '../playground/LazyPlayground';
