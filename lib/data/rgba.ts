/**
 * The one float-image → RGBA-bytes conversion, for drawing an image on a canvas (the anchor explorer's
 * picture, the playground's sample images).
 */

/**
 * RGBA bytes of an HWC float image: `image` [H·W·3] RGB values in [0, 1] (lib/data/synthetic's layout) →
 * Uint8ClampedArray [H·W·4] with each channel round(v·255) (clamped to 0…255) and alpha 255.
 */
export function toRgba(image: ArrayLike<number>): Uint8ClampedArray {
  const pixels = Math.floor(image.length / 3);
  const rgba = new Uint8ClampedArray(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    rgba[4 * p] = Math.round(image[3 * p] * 255);
    rgba[4 * p + 1] = Math.round(image[3 * p + 1] * 255);
    rgba[4 * p + 2] = Math.round(image[3 * p + 2] * 255);
    rgba[4 * p + 3] = 255;
  }
  return rgba;
}
