/**
 * Typed, validated URL parameters for the live figures.
 *
 * Each figure declares a schema (a readonly array of {@link ParamSpec}); its state lives in the query
 * string under a per-figure prefix (`fl.gamma=2`), so several figures on one page share one URL.
 * Everything here is pure: `parseState` never throws, always returns finite in-range values, and
 * explains every correction in a plain-text notice (never HTML: the UI renders notices as text nodes).
 */

/** A continuous number on a linear slider, snapped to `step` and clamped to [min, max]. */
export interface NumberParam {
  readonly name: string;
  readonly type: 'number' | 'int';
  readonly label: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** Slider and URL granularity (value units). `int` params use an integer step. */
  readonly step: number;
}

/**
 * A positive number on a logarithmic slider: the slider moves `log10(value)` in increments of `step`
 * decades; the value itself is stored (and serialised) in linear units, rounded to an integer when
 * `integer` is set (counts such as "number of negatives").
 */
export interface LogParam {
  readonly name: string;
  readonly type: 'log';
  readonly label: string;
  readonly default: number;
  /** Must be > 0. */
  readonly min: number;
  readonly max: number;
  /** Step in decades (log10 units), e.g. 0.1. */
  readonly step: number;
  readonly integer?: boolean;
}

/** One of a fixed list of URL-safe names. */
export interface EnumParam {
  readonly name: string;
  readonly type: 'enum';
  readonly label: string;
  readonly default: string;
  readonly options: readonly string[];
  /** Human labels for the options, same order. */
  readonly optionLabels?: readonly string[];
}

/** A flag, serialised as `1` / `0`. */
export interface BoolParam {
  readonly name: string;
  readonly type: 'bool';
  readonly label: string;
  readonly default: boolean;
}

export type ParamSpec = NumberParam | LogParam | EnumParam | BoolParam;
export type Schema = readonly ParamSpec[];

type ValueOf<P> = P extends { type: 'bool' }
  ? boolean
  : P extends { type: 'enum'; options: readonly (infer O)[] }
    ? O
    : number;

/** The state object a schema describes: `{ [name]: number | boolean | option }`. */
export type StateOf<S extends Schema> = { -readonly [P in S[number] as P['name']]: ValueOf<P> };

export interface ParseResult<S extends Schema> {
  state: StateOf<S>;
  /** Plain-text explanations of every correction, e.g. `fl.gamma="abc" is not a number; using 2.` */
  notices: string[];
}

/** Raw values longer than this are cut before parsing (a number never needs more). */
export const MAX_VALUE_CHARS = 64;
/** At most this many characters of a user's value are quoted back in a notice. */
export const MAX_QUOTE_CHARS = 24;
/** At most this many query entries are inspected (a hostile URL may hold thousands). */
export const MAX_ENTRIES = 500;
/** At most this many notices are returned; the rest are summarised in one line. */
export const MAX_NOTICES = 6;

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** `prefix.name`, or just `name` when the prefix is empty. */
export function paramKey(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

/** Quote a user-supplied string for a notice: control characters removed, truncated, in quotes. */
export function quote(raw: string): string {
  const clean = raw.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  const chars = Array.from(clean);
  const shown = chars.length > MAX_QUOTE_CHARS ? chars.slice(0, MAX_QUOTE_CHARS).join('') + '…' : clean;
  return `"${shown}"`;
}

/** Number of decimals needed to print multiples of `step` exactly (0.05 → 2, 1 → 0, 1e-3 → 3). */
function decimalsOf(step: number): number {
  if (!Number.isFinite(step) || step <= 0) return 0;
  let d = 0;
  while (d < 12 && Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) > 1e-9) d++;
  return d;
}

/** Round `v` to the grid min + k·step (removing float noise) and clamp to [min, max]. */
export function snapLinear(spec: NumberParam, v: number): number {
  const { min, max, step } = spec;
  if (!Number.isFinite(v)) return v > 0 ? max : v < 0 ? min : spec.default;
  const clamped = Math.min(max, Math.max(min, v));
  if (!(step > 0)) return clamped;
  const k = Math.round((clamped - min) / step);
  const snapped = Number((min + k * step).toFixed(decimalsOf(step) + decimalsOf(min)));
  const out = Math.min(max, Math.max(min, snapped));
  return spec.type === 'int' ? Math.round(out) : out;
}

/** Round `v` to the grid 10^(k·step) in decades (integer when `spec.integer`) and clamp to [min, max]. */
export function snapLog(spec: LogParam, v: number): number {
  const { min, max, step } = spec;
  if (Number.isNaN(v)) return spec.default;
  const clamped = Math.min(max, Math.max(min, v));
  let out = clamped;
  if (step > 0) {
    const e = Number((Math.round(Math.log10(clamped) / step) * step).toFixed(decimalsOf(step)));
    out = 10 ** e;
  }
  if (spec.integer) out = Math.round(out);
  // Snapping may step just past a bound that is not on the grid; the bound itself is always allowed.
  return Math.min(max, Math.max(min, out));
}

/** Decades per step of a number param shown on a log slider (see {@link toSliderPosition}). */
export const LOG_SLIDER_STEP = 0.05;

/**
 * Slider position for a value: the value itself, or log10(value) for log params and for number params shown on a
 * log slider (`log`: values spanning decades, such as a learning rate, whose URL keeps the exact number).
 */
export function toSliderPosition(spec: NumberParam | LogParam, value: number, log = false): number {
  if (spec.type === 'log') return Math.log10(value);
  return log ? Math.log10(Math.min(spec.max, Math.max(spec.min, value))) : value;
}

/**
 * Value for a slider position (inverse of {@link toSliderPosition}), snapped and clamped. A number param on a
 * log slider gets 10^position rounded to two significant digits (a URL-friendly 0.0025, not 0.0025118…), then
 * snapped onto its grid and range.
 */
export function fromSliderPosition(spec: NumberParam | LogParam, position: number, log = false): number {
  if (spec.type === 'log') return snapLog(spec, 10 ** position);
  if (!log) return snapLinear(spec, position);
  const raw = Number.isFinite(position) ? 10 ** position : position > 0 ? spec.max : spec.min;
  return snapLinear(spec, Number(raw.toPrecision(2)));
}

/** Print a value the way the URL stores it (shortest exact round-trip form). */
function serializeValue(spec: ParamSpec, value: unknown): string {
  if (spec.type === 'bool') return value ? '1' : '0';
  if (spec.type === 'enum') return String(value);
  return String(value);
}

/** The default state of a schema. */
export function defaultState<S extends Schema>(schema: S): StateOf<S> {
  const out: Record<string, unknown> = {};
  for (const spec of schema) out[spec.name] = spec.default;
  return out as StateOf<S>;
}

/** Shows a number in a notice the way a person would type it. */
function show(v: number | string | boolean): string {
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return String(v);
}

/**
 * Coerce one value to a valid one (also used for values set from code, e.g. a slider): returns the
 * nearest valid value; never throws.
 */
export function coerceValue(spec: ParamSpec, v: unknown): number | string | boolean {
  switch (spec.type) {
    case 'bool':
      return typeof v === 'boolean' ? v : spec.default;
    case 'enum':
      return typeof v === 'string' && spec.options.includes(v) ? v : spec.default;
    case 'log':
      return typeof v === 'number' ? snapLog(spec, v) : spec.default;
    default:
      return typeof v === 'number' ? snapLinear(spec, v) : spec.default;
  }
}

/** Parse one raw string for `spec`; `note` receives a plain-text notice body when it corrects. */
function parseValue(
  spec: ParamSpec,
  key: string,
  rawFull: string,
  note: (msg: string) => void,
): number | string | boolean {
  const raw = rawFull.length > MAX_VALUE_CHARS ? rawFull.slice(0, MAX_VALUE_CHARS) : rawFull;
  const q = `${key}=${quote(rawFull)}`;
  const text = raw.trim();
  if (spec.type === 'bool') {
    const t = text.toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(t)) return true;
    if (['0', 'false', 'no', 'off'].includes(t)) return false;
    note(`${q} is not on/off (use 1 or 0); using ${show(spec.default)}.`);
    return spec.default;
  }
  if (spec.type === 'enum') {
    const hit = spec.options.find((o) => o.toLowerCase() === text.toLowerCase());
    if (hit !== undefined) return hit;
    note(`${q} is not one of ${spec.options.join(', ')}; using ${spec.default}.`);
    return spec.default;
  }
  if (rawFull.length > MAX_VALUE_CHARS || !NUMBER_RE.test(text)) {
    note(`${q} is not a number; using ${show(spec.default)}.`);
    return spec.default;
  }
  const v = Number(text);
  if (Number.isNaN(v)) {
    note(`${q} is not a number; using ${show(spec.default)}.`);
    return spec.default;
  }
  const snap = (x: number) => (spec.type === 'log' ? snapLog(spec, x) : snapLinear(spec, x));
  if (spec.type === 'log' && v <= 0) {
    const low = snap(spec.min);
    note(`${q} must be positive; using the minimum, ${show(low)}.`);
    return low;
  }
  if (v > spec.max) {
    const high = snap(spec.max);
    note(`${q} is above the maximum; using ${show(high)}.`);
    return high;
  }
  if (v < spec.min) {
    const low = snap(spec.min);
    note(`${q} is below the minimum; using ${show(low)}.`);
    return low;
  }
  return snap(v);
}

/**
 * Read a figure's state from a query string.
 *
 * - Keys are `prefix.name`; keys with other prefixes belong to other figures and are ignored silently,
 *   unknown names under this prefix get a notice.
 * - A repeated key: the first occurrence wins (notice).
 * - Malformed values fall back to the default, out-of-range ones are clamped (±Infinity included),
 *   in-range ones are snapped to the slider grid; each correction adds a notice.
 * Never throws; every returned number is finite and within [min, max].
 */
export function parseState<S extends Schema>(
  schema: S,
  search: string | URLSearchParams,
  prefix: string,
): ParseResult<S> {
  const state = defaultState(schema) as Record<string, unknown>;
  const notices: string[] = [];
  let dropped = 0;
  const note = (msg: string) => {
    if (notices.length < MAX_NOTICES) notices.push(msg);
    else dropped++;
  };

  let params: URLSearchParams;
  try {
    params = typeof search === 'string' ? new URLSearchParams(search.replace(/^\?/, '')) : search;
  } catch {
    params = new URLSearchParams();
  }

  const byKey = new Map<string, ParamSpec>(schema.map((s) => [paramKey(prefix, s.name), s]));
  const seen = new Map<string, number>();
  const keyPrefix = prefix ? `${prefix}.` : '';
  let inspected = 0;
  for (const [key, value] of params) {
    if (++inspected > MAX_ENTRIES) break;
    const spec = byKey.get(key);
    if (!spec) {
      // Without a prefix every other key could belong to anyone, so only prefixed figures complain.
      if (keyPrefix && key.startsWith(keyPrefix))
        note(`${quote(key)} is not a setting of this figure; ignored.`);
      continue;
    }
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (count > 1) continue;
    state[spec.name] = parseValue(spec, key, value, note);
  }
  for (const [key, count] of seen) {
    if (count > 1) note(`${key} appears ${count} times; using the first.`);
  }
  if (dropped > 0) notices.push(`…and ${dropped} more adjustment${dropped === 1 ? '' : 's'}.`);
  return { state: state as StateOf<S>, notices };
}

/**
 * Write a figure's state as `prefix.name=value` pairs joined by `&`, in schema order, omitting values
 * equal to their default (so a default figure adds nothing to the URL). Values are coerced first, so
 * the output always parses back to the same state without notices.
 */
export function serializeState<S extends Schema>(
  schema: S,
  state: StateOf<S> | Partial<StateOf<S>>,
  prefix: string,
): string {
  const params = new URLSearchParams();
  const s = state as Record<string, unknown>;
  for (const spec of schema) {
    const v = coerceValue(spec, s[spec.name]);
    if (v === spec.default) continue;
    params.append(paramKey(prefix, spec.name), serializeValue(spec, v));
  }
  return params.toString();
}

/**
 * Merge a figure's serialized state into an existing query string: this figure's keys (`prefix.name`
 * for every name in the schema, and any other `prefix.*` key) are replaced, everything else (other
 * figures, unrelated parameters) is kept in order. Returns the query without `?`.
 */
export function mergeQuery(schema: Schema, existing: string, prefix: string, serialized: string): string {
  const own = new Set(schema.map((s) => paramKey(prefix, s.name)));
  const keyPrefix = prefix ? `${prefix}.` : '';
  const out = new URLSearchParams();
  for (const [k, v] of new URLSearchParams(existing.replace(/^\?/, ''))) {
    if (own.has(k) || (keyPrefix && k.startsWith(keyPrefix))) continue;
    out.append(k, v);
  }
  for (const [k, v] of new URLSearchParams(serialized)) out.append(k, v);
  return out.toString();
}
