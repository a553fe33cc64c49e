import { toRgba } from '@/lib/data/rgba';
import type { Sample } from '@/lib/data/synthetic';
import { rgbaCanvas } from '../chart/rgbaCanvas';

/**
 * A synthetic image (lib/data/synthetic.ts) as a PNG data URL for an SVG <image>: HWC floats in [0, 1] → RGBA
 * bytes (lib/data/rgba `toRgba`) on a canvas (components/chart/rgbaCanvas). Used by the anchor explorer and the
 * AP figure; null on the server or without a 2-D canvas.
 */
export function sampleImageUrl(s: Pick<Sample, 'image' | 'width' | 'height'>): string | null {
  return rgbaCanvas(toRgba(s.image), s.width, s.height)?.toDataURL('image/png') ?? null;
}

/**
 * SVG <rect> attributes of box j of a flat [x1, y1, x2, y2, …] array (px), through `px` (image px → SVG units;
 * identity by default). Used by the AP figure and the playground's sample view.
 */
export function boxRect(b: ArrayLike<number>, j = 0, px: (v: number) => number = (v) => v) {
  const x1 = px(b[4 * j]);
  const y1 = px(b[4 * j + 1]);
  return {
    x: x1,
    y: y1,
    width: Math.max(0, px(b[4 * j + 2]) - x1),
    height: Math.max(0, px(b[4 * j + 3]) - y1),
  };
}
