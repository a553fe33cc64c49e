import type { Sample } from '@/lib/data/synthetic';

/**
 * A synthetic image (lib/data/synthetic.ts) as a PNG data URL for an SVG <image>: HWC floats in [0, 1] → RGBA
 * bytes on a canvas. Used by the anchor explorer and the AP figure; null on the server or without a 2-D canvas.
 */
export function sampleImageUrl(s: Pick<Sample, 'image' | 'width' | 'height'>): string | null {
  if (typeof document === 'undefined') return null;
  const canvas = document.createElement('canvas');
  canvas.width = s.width;
  canvas.height = s.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const img = ctx.createImageData(s.width, s.height);
  for (let i = 0, j = 0; i < s.image.length; i += 3, j += 4) {
    img.data[j] = Math.round(s.image[i] * 255);
    img.data[j + 1] = Math.round(s.image[i + 1] * 255);
    img.data[j + 2] = Math.round(s.image[i + 2] * 255);
    img.data[j + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return canvas.toDataURL('image/png');
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
