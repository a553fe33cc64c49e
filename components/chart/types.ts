/** The part of a d3 continuous scale the chart primitives use (linear and log scales both fit). */
export interface NumScale {
  (value: number): number;
  ticks(count?: number): number[];
  range(): number[];
  domain(): number[];
  invert(value: number): number;
}

/** Plot margins in px. */
export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}
