export interface LegendItem {
  key: string;
  label: string;
  color: string;
  dash?: string;
  width?: number;
  /** 'line' (default) or a filled 'swatch' for bars and areas. */
  kind?: 'line' | 'swatch';
  /** Diagonal hatching over a swatch (mirrors hatched bars). */
  hatch?: boolean;
}

/** A wrapping HTML legend; each entry repeats the series' colour and dash so colour is never alone. */
export default function Legend({ items, label = 'Legend' }: { items: LegendItem[]; label?: string }) {
  return (
    <ul className="legend" aria-label={label}>
      {items.map((it) => (
        <li key={it.key} className="legend__item">
          <svg width={28} height={12} aria-hidden="true" className="legend__swatch">
            {it.kind === 'swatch' ? (
              <>
                <rect x={4} y={1} width={20} height={10} fill={it.color} />
                {it.hatch && (
                  <path
                    d="M6,11 L14,1 M12,11 L20,1 M18,11 L24,3.5"
                    stroke="var(--bg)"
                    strokeWidth={1.5}
                    opacity={0.8}
                  />
                )}
              </>
            ) : (
              <line
                x1={1}
                x2={27}
                y1={6}
                y2={6}
                stroke={it.color}
                strokeWidth={it.width ?? 2}
                strokeDasharray={it.dash}
              />
            )}
          </svg>
          <span>{it.label}</span>
        </li>
      ))}
    </ul>
  );
}
