export interface CrosshairPoint {
  key: string;
  /** Pixel position; points that are not finite or fall outside [0, height] are not drawn. */
  y: number;
  color: string;
}

/** A vertical guide at pixel `x` with a marker on each curve. */
export default function Crosshair({
  x,
  height,
  points,
}: {
  x: number;
  height: number;
  points: CrosshairPoint[];
}) {
  if (!Number.isFinite(x)) return null;
  return (
    <g className="crosshair" aria-hidden="true" pointerEvents="none">
      <line className="crosshair__line" x1={x} x2={x} y1={0} y2={height} />
      {points.map((p) =>
        Number.isFinite(p.y) && p.y >= 0 && p.y <= height ? (
          <circle key={p.key} className="crosshair__dot" cx={x} cy={p.y} r={4} fill={p.color} />
        ) : null,
      )}
    </g>
  );
}
