import { scaleLog } from 'd3-scale';

/** Lowest score the heatmap tells apart: scores span 10⁻⁶…1, so colour follows log10(score) on [HEAT_FLOOR, 1]. */
export const HEAT_FLOOR = 1e-3;

/** The heatmap's colour position: log scale [HEAT_FLOOR, 1] → [0, 1], clamped; its ticks label the legend. */
export const heatScale = scaleLog().domain([HEAT_FLOOR, 1]).range([0, 1]).clamp(true);

/** Position 0…1 of a score on the heatmap's colour scale (scores ≤ HEAT_FLOOR, and non-positive or NaN ones, → 0). */
export function heatPosition(score: number): number {
  return score > 0 ? heatScale(score) : 0;
}
