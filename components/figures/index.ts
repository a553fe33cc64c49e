/** The live figures, for MDX chapters and pages. Each is a client component with its own URL prefix. */
export { default as LossVsPtFigure } from './LossVsPtFigure';
export { default as AlphaBalanceFigure } from './AlphaBalanceFigure';
export { default as ModulatingFactorFigure } from './ModulatingFactorFigure';
export { default as GradientFigure } from './GradientFigure';
export { default as ImbalanceFigure } from './ImbalanceFigure';
