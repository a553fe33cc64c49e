import { STYLES } from '../figures/styles';

/** The colour and dash pattern of one run, the same in every view (Okabe–Ito, see components/figures/shared). */
export interface RunStyle {
  /** CSS colour, a `var(--series-n)` themed for light and dark in components/figures/figures.css. */
  color: string;
  /** SVG stroke-dasharray; undefined draws a solid line. */
  dash: string | undefined;
}

/**
 * Style of run `run` (0…3; larger indices wrap around the six house styles). Run i always gets STYLES[i], so a
 * run keeps its colour and dash in the loss chart, the AP chart, the legends and the selectors.
 */
export function runStyle(run: number): RunStyle {
  const i = Number.isInteger(run) && run >= 0 ? run % STYLES.length : 0;
  const s = STYLES[i];
  return { color: s.color, dash: s.dash };
}
