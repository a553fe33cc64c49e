import { describe, expect, it } from 'vitest';
import { toRgba } from '../../../lib/data/rgba';
import { makeImage } from '../../../lib/data/synthetic';

describe('toRgba (HWC float image → RGBA bytes)', () => {
  it('rounds each channel of v·255, clamps to 0…255 and sets alpha to 255', () => {
    const rgba = toRgba([0, 0.5, 1, 0.002, 1.2, -0.1]);
    expect(Array.from(rgba)).toEqual([0, 128, 255, 255, 1, 255, 0, 255]);
  });

  it('gives 4 bytes per pixel of a synthetic image', () => {
    const s = makeImage(0, 0);
    expect(toRgba(s.image)).toHaveLength(s.width * s.height * 4);
  });
});
