/**
 * A warm start for the toy detector: backbone + FPN weights learnt on a pretext task (scripts/pretext.ts), the
 * toy's analogue of the paper's ImageNet-pretrained ResNet (§4.1 "Initialization": "…the new layers… are
 * initialized…", the backbone is not). Heads stay fresh: their convs are drawn from the run's seed and the
 * classification bias keeps the prior init, exactly as without a warm start.
 *
 * The file is one small static binary (served from public/models/, read by the CLIs from disk):
 *
 *   bytes 0…3   u32 LE  n, the length of the JSON header in bytes
 *   bytes 4…    n bytes UTF-8 JSON {@link WarmStartHeader}, padded with spaces to a multiple of 4
 *   then        float32 LE values of the listed tensors, in header order, each row-major
 *
 * Pure TypeScript on typed arrays: no tfjs, so it is unit-testable and loads in a worker or in Node alike.
 */
import type { ParamSpec } from './model';

/** The header's format tag; bump when the layout changes. */
export const WARM_START_FORMAT = 'focal-lab/warm-start/v1';

/** One tensor of the file: the model's parameter name (lib/detector/model `paramSpecs`) and shape. */
export interface WarmStartTensor {
  name: string;
  shape: number[];
}

/** The JSON header of a warm-start file. */
export interface WarmStartHeader {
  format: typeof WARM_START_FORMAT;
  tensors: WarmStartTensor[];
  /** How the weights were made (command, seed, pretext, images): free-form provenance. */
  meta: Record<string, unknown>;
}

/** A parsed warm start: its tensors and their values, concatenated in `tensors` order. */
export interface WarmStart {
  header: WarmStartHeader;
  values: Float32Array;
}

/**
 * Whether a parameter belongs to what a warm start carries: the backbone (stem, c2a … c4, GroupNorm included)
 * and the FPN; not the class and box subnets (`cls_*`, `box_*`), which depend on K and A and start fresh.
 */
export function isWarmStartParam(name: string): boolean {
  return !name.startsWith('cls_') && !name.startsWith('box_');
}

/** The backbone + FPN part of θ (Float32Array [P], layout `specs`) as a warm start. */
export function extractWarmStart(
  theta: Float32Array,
  specs: readonly ParamSpec[],
  meta: Record<string, unknown> = {},
): WarmStart {
  const kept = specs.filter((s) => isWarmStartParam(s.name));
  const values = new Float32Array(kept.reduce((a, s) => a + s.size, 0));
  let at = 0;
  for (const s of kept) {
    values.set(theta.subarray(s.offset, s.offset + s.size), at);
    at += s.size;
  }
  return {
    header: {
      format: WARM_START_FORMAT,
      tensors: kept.map((s) => ({ name: s.name, shape: [...s.shape] })),
      meta,
    },
    values,
  };
}

/**
 * θ with the warm start's tensors copied in (a new array; `theta` is not changed). Every backbone + FPN parameter
 * of `specs` must be in the file with the same shape, and the file may hold nothing else: a warm start for
 * another width or depth throws rather than loading half a network.
 */
export function applyWarmStart(
  theta: Float32Array,
  specs: readonly ParamSpec[],
  ws: WarmStart,
): Float32Array {
  const want = specs.filter((s) => isWarmStartParam(s.name));
  const have = ws.header.tensors;
  const sameShape = (a: readonly number[], b: readonly number[]) =>
    a.length === b.length && a.every((x, i) => x === b[i]);
  if (
    want.length !== have.length ||
    want.some((s, i) => s.name !== have[i].name || !sameShape(s.shape, have[i].shape))
  ) {
    const show = (ts: readonly WarmStartTensor[]) =>
      ts.map((t) => `${t.name}[${t.shape.join('×')}]`).join(', ');
    throw new RangeError(`warm start: the file holds ${show(have)}; the model needs ${show(want)}`);
  }
  const out = Float32Array.from(theta);
  let at = 0;
  for (const s of want) {
    out.set(ws.values.subarray(at, at + s.size), s.offset);
    at += s.size;
  }
  return out;
}

/** The file's bytes (layout in the module comment). */
export function serializeWarmStart(ws: WarmStart): Uint8Array {
  let json = JSON.stringify(ws.header);
  const enc = new TextEncoder();
  while ((4 + enc.encode(json).length) % 4 !== 0) json += ' ';
  const head = enc.encode(json);
  const out = new Uint8Array(4 + head.length + ws.values.length * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, head.length, true);
  out.set(head, 4);
  const base = 4 + head.length;
  for (let i = 0; i < ws.values.length; i++) view.setFloat32(base + 4 * i, ws.values[i], true);
  return out;
}

/** Parses a warm-start file; throws on a wrong format tag, a short file or non-finite weights. */
export function parseWarmStart(bytes: ArrayBuffer | Uint8Array): WarmStart {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  if (u8.length < 4) throw new RangeError('warm start: file too short');
  const n = view.getUint32(0, true);
  if (4 + n > u8.length) throw new RangeError('warm start: header runs past the end of the file');
  const header = JSON.parse(new TextDecoder().decode(u8.subarray(4, 4 + n))) as WarmStartHeader;
  if (header.format !== WARM_START_FORMAT || !Array.isArray(header.tensors)) {
    throw new RangeError(`warm start: expected format ${WARM_START_FORMAT}, got ${String(header.format)}`);
  }
  const count = header.tensors.reduce((a, t) => a + t.shape.reduce((x, y) => x * y, 1), 0);
  const base = 4 + n;
  if (u8.length !== base + 4 * count) {
    throw new RangeError(
      `warm start: expected ${count} float32 values, the file has ${(u8.length - base) / 4}`,
    );
  }
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    values[i] = view.getFloat32(base + 4 * i, true);
    if (!Number.isFinite(values[i])) throw new RangeError(`warm start: value ${i} is not finite`);
  }
  return { header, values };
}
