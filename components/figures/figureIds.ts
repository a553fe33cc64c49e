/**
 * A figure's kebab-case id from its export name, without importing the figures themselves: server code that
 * only needs ids (a chapter page deciding whether it has presenter slides, app/figure-index.ts) must not pull
 * every figure's client code into the page, which importing ./registry (and so ./index) would.
 *
 * The id is the export name in kebab case without `Figure` (`LossVsPtFigure` → `loss-vs-pt`); OVERRIDES holds
 * the exceptions, see ./registry.
 */
import { figureIdFromName } from '../present/slides';

export interface FigureOverride {
  /** The FigureFrame id, when it is not the kebab-case export name. */
  id?: string;
  /** Chapter slug that explains the figure best, when it is not the first chapter to use it. */
  chapter?: string;
}

export const FIGURE_OVERRIDES: Partial<Record<string, FigureOverride>> = {
  GradientFigure: { id: 'gradients' },
  LossVsPtFigure: { chapter: 'focal-loss' },
};

/** The id of the figure exported as `name` (which must be a `…Figure` export of ./index). */
export function figureIdOf(name: string): string {
  return FIGURE_OVERRIDES[name]?.id ?? figureIdFromName(name);
}
