/**
 * An offscreen canvas holding RGBA bytes (lib/data/rgba `toRgba`) at one canvas pixel per image pixel: drawn
 * scaled onto a visible canvas, or turned into a PNG data URL for an SVG <image>. Null outside a browser.
 */
export function rgbaCanvas(rgba: Uint8ClampedArray, width: number, height: number): HTMLCanvasElement | null {
  if (typeof document === 'undefined') return null;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const data = ctx.createImageData(width, height);
  data.data.set(rgba.subarray(0, data.data.length));
  ctx.putImageData(data, 0, 0);
  return canvas;
}
