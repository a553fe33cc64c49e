/**
 * Multiply-adds of the toy RetinaNet's forward pass per image, by part, from the layer list of ./model.ts. Pure
 * and tfjs-free. `npm run bench:train` prints it (scripts/bench.ts), so the "fewer FLOPs" of a change is a
 * number the code computes, not one worked out by hand.
 *
 * A conv with a Kh × Kw × Cin × Cout filter costs Kh·Kw·Cin·Cout multiply-adds per output position; biases,
 * GroupNorm, ReLU, upsampling and additions are not counted (they are O(positions·C), not O(positions·C²)). A
 * training step costs about 3× the forward (the backward computes the gradient of the input and of the filter,
 * each as large as the forward; the stem has no input gradient).
 */
import { resolveModelConfig, MODEL_STRIDES, type ModelConfig } from './model';

/** Forward multiply-adds of one image, by part. */
export interface ForwardMacs {
  backbone: number;
  fpn: number;
  /** Classification subnet on every cell of every level. */
  cls: number;
  /** Box subnet on every cell of every level (what `forward` computes). */
  box: number;
  /** Box subnet on one cell's window (what `forwardTrain` computes per cell that holds a foreground anchor). */
  boxPerCell: number;
  /** backbone + fpn + cls + box. */
  total: number;
}

/** The forward multiply-adds of one `imageSize` × `imageSize` image for a model config. */
export function forwardMacs(config: ModelConfig = {}, imageSize = 64): ForwardMacs {
  const c = resolveModelConfig(config);
  if (!(imageSize > 0 && imageSize % 16 === 0))
    throw new RangeError(`forwardMacs: imageSize must be a positive multiple of 16, got ${imageSize}`);
  const conv = (positions: number, k: number, cin: number, cout: number) => positions * k * k * cin * cout;
  const w = c.width;
  const s = imageSize;
  // ./model.ts backboneLayers: stem (stride 2), c2a (2), c2b, c3a (2), c3b, c4 (2); 3×3, no bias.
  const backbone =
    conv((s / 2) ** 2, 3, 3, c.stemWidth) +
    conv((s / 4) ** 2, 3, c.stemWidth, w) +
    conv((s / 4) ** 2, 3, w, w) +
    conv((s / 8) ** 2, 3, w, w) +
    conv((s / 8) ** 2, 3, w, w) +
    conv((s / 16) ** 2, 3, w, w);
  const cells = MODEL_STRIDES.map((stride) => (s / stride) ** 2);
  const allCells = cells.reduce((a, b) => a + b, 0);
  // FPN: a 1×1 lateral and a 3×3 smoothing conv per level.
  const fpn = conv(allCells, 1, w, w) + conv(allCells, 3, w, w);
  const A = c.anchorsPerLocation;
  const tower = c.headDepth * conv(1, 3, w, w);
  const cls = allCells * (tower + conv(1, 3, w, A * c.numClasses));
  const box = allCells * (tower + conv(1, 3, w, A * 4));
  // forwardTrain: inner conv i runs on a (k − 2(i + 1))² window, k = 2(depth + 1) + 1; the output conv on 1 cell.
  const k = 2 * (c.headDepth + 1) + 1;
  let boxPerCell = conv(1, 3, w, A * 4);
  for (let i = 0; i < c.headDepth; i++) boxPerCell += conv((k - 2 * (i + 1)) ** 2, 3, w, w);
  return { backbone, fpn, cls, box, boxPerCell, total: backbone + fpn + cls + box };
}

/** Forward multiply-adds of one image in a training step (`forwardTrain`) with `boxCells` foreground cells. */
export function trainingForwardMacs(m: ForwardMacs, boxCells: number): number {
  return m.backbone + m.fpn + m.cls + boxCells * m.boxPerCell;
}
