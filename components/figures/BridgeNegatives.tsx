'use client';
import { useEffect, useRef } from 'react';
import { BRIDGE_EXTENT, type BridgeData } from '@/lib/bridge/data';

/** The negatives as small squares on a canvas (thousands of SVG nodes would make every frame slow). */
export default function BridgeNegatives({
  data,
  size,
  theme,
  left,
  top,
}: {
  data: BridgeData | null;
  size: number;
  /** Changes with the colour theme (components/chart/useThemeVersion), so the canvas repaints. */
  theme: number;
  left: number;
  top: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(size * dpr);
    canvas.height = Math.round(size * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size, size);
    if (!data) return;
    const color = getComputedStyle(canvas).getPropertyValue('--series-6').trim() || '#4a9fd8';
    ctx.fillStyle = color;
    ctx.globalAlpha = 0.55;
    const s = size / (2 * BRIDGE_EXTENT);
    for (let i = data.numPositives; i < data.u.length; i++) {
      ctx.fillRect((data.u[i] + BRIDGE_EXTENT) * s - 1.25, (BRIDGE_EXTENT - data.v[i]) * s - 1.25, 2.5, 2.5);
    }
  }, [data, size, theme]);
  return (
    <canvas
      ref={ref}
      className="bridge__canvas"
      style={{ width: size, height: size, left, top }}
      aria-hidden="true"
    />
  );
}
