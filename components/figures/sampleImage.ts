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
