/**
 * Multiply-adds of the toy RetinaNet (lib/detector/macs.ts), against the figure issue 13 stated for the design of
 * its day (9 anchors per location: "forward 27.2 M multiply-adds per image") and against a count made from the
 * model's own parameter layout: every conv filter's Kh·Kw·Cin·Cout times the positions it runs on.
 */
import { describe, expect, it } from 'vitest';
import { forwardMacs, trainingForwardMacs } from '../../../lib/detector/macs';
import { MODEL_STRIDES, paramSpecs, type ModelConfig } from '../../../lib/detector/model';

/** The same count from paramSpecs: positions of each filter, by the layer's name (./model.ts). */
function fromSpecs(config: ModelConfig, size: number): number {
  const positions: Record<string, number> = {
    stem: (size / 2) ** 2,
    c2a: (size / 4) ** 2,
    c2b: (size / 4) ** 2,
    c3a: (size / 8) ** 2,
    c3b: (size / 8) ** 2,
    c4: (size / 16) ** 2,
  };
  const cells = MODEL_STRIDES.map((s) => (size / s) ** 2);
  const levelOf: Record<string, number> = { p2: cells[0], p3: cells[1], p4: cells[2] };
  const all = cells.reduce((a, b) => a + b, 0);
  let total = 0;
  for (const s of paramSpecs(config)) {
    if (!s.name.endsWith('/w')) continue;
    const layer = s.name.slice(0, -2);
    const n = layer.startsWith('fpn_')
      ? levelOf[layer.slice(4, 6)]
      : layer.startsWith('cls_') || layer.startsWith('box_')
        ? all
        : positions[layer];
    expect(n, layer).toBeGreaterThan(0);
    total += n * s.size;
  }
  return total;
}

describe('forwardMacs', () => {
  it('gives the 27.2 M multiply-adds per image issue 13 stated for 9 anchors per location', () => {
    const m = forwardMacs({ anchorsPerLocation: 9 }, 64);
    expect(m.total).toBe(27_231_744);
    expect(m.box).toBe(336 * (2 * 9 * 32 * 32 + 9 * 32 * 36));
  });

  it.each([
    [{}, 64],
    [{ anchorsPerLocation: 21 }, 64],
    [{ width: 16, stemWidth: 8, groups: 4, headDepth: 4, numClasses: 5 }, 96],
  ] as [ModelConfig, number][])('matches a count from the parameter layout (%o, %i px)', (config, size) => {
    expect(forwardMacs(config, size).total).toBe(fromSpecs(config, size));
  });

  it('costs a training step only the windows of its foreground cells for the box subnet', () => {
    const m = forwardMacs({ anchorsPerLocation: 21 }, 64);
    // Two inner convs on 5×5 and 3×3 outputs, the output conv on one cell.
    expect(m.boxPerCell).toBe(25 * 9 * 32 * 32 + 9 * 9 * 32 * 32 + 9 * 32 * 84);
    expect(trainingForwardMacs(m, 0)).toBe(m.backbone + m.fpn + m.cls);
    expect(trainingForwardMacs(m, 3)).toBeLessThan(0.65 * m.total);
    expect(forwardMacs({ headDepth: 0 }).boxPerCell).toBe(9 * 32 * 36);
    expect(() => forwardMacs({}, 40)).toThrow(/multiple of 16/);
  });
});
