import { useId } from 'react';
import { interpolateViridis } from 'd3-scale-chromatic';
import { fmt } from '@/lib/params/format';
import { heatScale } from './heatScale';

/** Ramp width in px: a decade every 50 px, room for each tick label. */
const WIDTH = 150;
/** Room either side of the ramp for the end labels. */
const INSET = 8;
const STOPS = [0, 0.25, 0.5, 0.75, 1];

/** The colour ramp of the heatmap with the log scale's decade ticks (≤0.001 … 1). */
export default function HeatLegend() {
  const id = `heat-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const ticks = heatScale.ticks(3);
  return (
    <svg width={WIDTH + 2 * INSET} height={24} aria-hidden="true" className="legend__swatch">
      <defs>
        <linearGradient id={id}>
          {STOPS.map((s) => (
            <stop key={s} offset={`${s * 100}%`} stopColor={interpolateViridis(s)} />
          ))}
        </linearGradient>
      </defs>
      <rect x={INSET} y={1} width={WIDTH} height={9} fill={`url(#${id})`} />
      {ticks.map((t, i) => {
        const first = i === 0;
        const last = i === ticks.length - 1;
        return (
          <text
            key={t}
            x={first ? 0 : last ? WIDTH + 2 * INSET : INSET + heatScale(t) * WIDTH}
            y={22}
            className="axis__label"
            fontSize={10}
            textAnchor={first ? 'start' : last ? 'end' : 'middle'}
          >
            {first ? `≤${fmt(t)}` : fmt(t)}
          </text>
        );
      })}
    </svg>
  );
}
