/**
 * Every live figure, by kebab-case id, for the routes that show one figure at a time: `/embed/<id>/`
 * and the presenter's slides (`/present/<chapter>/`).
 *
 * Adding a figure: export it from ./index.ts as `SomethingFigure` (MDX chapters need that anyway). That is
 * all: the list below is derived from index.ts, the id is the export name in kebab case without `Figure`
 * (`LossVsPtFigure` → `loss-vs-pt`), and its home chapter (where the embed's "Open in Focal Lab" link
 * goes) is the first chapter, in course order, whose MDX uses the tag. Add a line to FIGURE_OVERRIDES (./figureIds) only when
 * the id must differ (it has to equal the `id` the figure passes to FigureFrame) or the home chapter
 * should be another one. The browser tests check that every /embed/<id>/ page shows `[data-figure=<id>]`.
 */
import type { ComponentType } from 'react';
import * as figures from './index';
import { FIGURE_OVERRIDES, figureIdOf } from './figureIds';

export interface RegisteredFigure {
  /** Kebab-case id: the URL segment of /embed/<id>/ and the figure's data-figure value. */
  id: string;
  /** Export name in ./index.ts, which is also the MDX tag. */
  name: string;
  Component: ComponentType<Record<string, string>>;
  /** Home chapter slug, when set explicitly (otherwise derived from the MDX sources at build time). */
  chapter?: string;
}

export const FIGURES: readonly RegisteredFigure[] = Object.entries(figures)
  .filter(([name]) => /^[A-Z]\w*Figure$/.test(name))
  .map(([name, Component]) => ({
    id: figureIdOf(name),
    name,
    Component: Component as ComponentType<Record<string, string>>,
    chapter: FIGURE_OVERRIDES[name]?.chapter,
  }));

export function figureById(id: string): RegisteredFigure | undefined {
  return FIGURES.find((f) => f.id === id);
}

export function figureByName(name: string): RegisteredFigure | undefined {
  return FIGURES.find((f) => f.name === name);
}
