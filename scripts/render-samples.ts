/**
 * Writes a 4×4 PNG grid of synthetic samples (lib/data/synthetic.ts) with their boxes, for eyeballing the data.
 * Object boxes: red = rectangle, yellow = ellipse, cyan = triangle. Distractor boxes: dashed magenta.
 * Run: npx tsx scripts/render-samples.ts [seed=0] [out=/tmp/samples.png] [split=train] [scale=3] [boxes=1]
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { makeImage, type Split } from '../lib/data/synthetic';

const [seedArg = '0', out = '/tmp/samples.png', split = 'train', scaleArg = '3', boxesArg = '1'] =
  process.argv.slice(2);
const seed = /^\d+$/.test(seedArg) ? Number(seedArg) : seedArg;
const SCALE = Number(scaleArg);
const SHOW_BOXES = boxesArg !== '0';
const GRID = 4;
const GAP = 4;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), Buffer.from(data)]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Minimal PNG encoder: 8-bit RGB, no interlace, filter 0 on every row. */
function encodePng(rgb: Uint8Array, width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

const CLASS_COLORS: [number, number, number][] = [
  [255, 40, 40],
  [255, 230, 0],
  [0, 230, 255],
];

const first = makeImage(seed, 0, {}, split as Split);
const tile = first.width * SCALE;
const W = GRID * tile + (GRID + 1) * GAP;
const rgb = new Uint8Array(W * W * 3).fill(40);

function setPx(x: number, y: number, c: [number, number, number]): void {
  if (x < 0 || y < 0 || x >= W || y >= W) return;
  rgb.set(c, (y * W + x) * 3);
}

function rect(
  ox: number,
  oy: number,
  b: ArrayLike<number>,
  i: number,
  c: [number, number, number],
  dashed: boolean,
  grow = 1,
) {
  // Box edges are pixel-edge coordinates; draw the outline just outside the covered pixels.
  const x1 = ox + b[i] * SCALE - grow;
  const y1 = oy + b[i + 1] * SCALE - grow;
  const x2 = ox + b[i + 2] * SCALE + grow - 1;
  const y2 = oy + b[i + 3] * SCALE + grow - 1;
  for (let x = x1; x <= x2; x++) {
    if (dashed && ((x - x1) >> 1) % 2) continue;
    setPx(x, y1, c);
    setPx(x, y2, c);
  }
  for (let y = y1; y <= y2; y++) {
    if (dashed && ((y - y1) >> 1) % 2) continue;
    setPx(x1, y, c);
    setPx(x2, y, c);
  }
}

for (let k = 0; k < GRID * GRID; k++) {
  const s = makeImage(seed, k, {}, split as Split);
  const ox = GAP + (k % GRID) * (tile + GAP);
  const oy = GAP + Math.floor(k / GRID) * (tile + GAP);
  for (let y = 0; y < tile; y++) {
    for (let x = 0; x < tile; x++) {
      const src = (Math.floor(y / SCALE) * s.width + Math.floor(x / SCALE)) * 3;
      const dst = ((oy + y) * W + ox + x) * 3;
      for (let c = 0; c < 3; c++) rgb[dst + c] = Math.round(s.image[src + c] * 255);
    }
  }
  if (!SHOW_BOXES) continue;
  for (let i = 0; i < s.distractorBoxes.length; i += 4)
    rect(ox, oy, s.distractorBoxes, i, [255, 0, 255], true);
  for (let i = 0; i < s.labels.length; i++) {
    rect(ox, oy, s.boxes, i * 4, [0, 0, 0], false, 2); // dark halo so the colour reads on any background
    rect(ox, oy, s.boxes, i * 4, CLASS_COLORS[s.labels[i]], false, 1);
  }
}

writeFileSync(out, encodePng(rgb, W, W));
console.log(`wrote ${out} (${W}×${W}, seed ${seed}, split ${split})`);
