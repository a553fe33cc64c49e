/**
 * Property test of a lib/params URL schema on generated hostile query strings (fast-check): parsing never throws,
 * gives finite, in-range values on each spec's grid, never says "NaN" or "undefined" in its own words, and
 * round-trips through `serializeState` with no notices. Used for every schema of `FIGURE_SCHEMAS`
 * (tests/unit/params/property.test.ts) and for the figure-specific checks of the schema tests.
 */
import { expect } from 'vitest';
import fc from 'fast-check';
import {
  coerceValue,
  parseState,
  serializeState,
  type ParamSpec,
  type Schema,
} from '../../lib/params/schema';

/** Values a hostile or careless URL might hold, besides the schema's own option names. */
const HOSTILE = [
  'NaN',
  'Infinity',
  '-Infinity',
  '9e999',
  '-9e999',
  '1e-400',
  '-1e-400',
  '',
  ' ',
  '0x1f',
  '1_000',
  '２',
  '１',
  '0.5',
  '1e-4',
  '<script>alert(1)</script>',
  '"><img onerror=x>',
  'true',
  'off',
];

function rawValue(schema: Schema) {
  const words = schema.flatMap((s) => (s.type === 'enum' ? [...s.options, s.options[0].toUpperCase()] : []));
  return fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.double().map(String),
    fc.integer().map(String),
    fc.constantFrom(...HOSTILE),
    fc.constantFrom('p', ...words),
    fc.string({ minLength: 200, maxLength: 2000 }),
  );
}

/** A key: mostly this schema's names, sometimes typos, other prefixes or garbage. */
function rawKey(prefix: string, schema: Schema) {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...schema.map((s) => `${prefix}.${s.name}`)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((s) => `${prefix}.${s}`) },
    { weight: 1, arbitrary: fc.constantFrom('fl.gamma', 'gamma', 'x', '', '%', '&&') },
  );
}

/** Query strings for `schema` under `prefix`: encoded, or pasted raw with a leading '?' sometimes. */
export function hostileQuery(prefix: string, schema: Schema): fc.Arbitrary<string> {
  return fc.array(fc.tuple(rawKey(prefix, schema), rawValue(schema)), { maxLength: 14 }).chain((pairs) =>
    fc.oneof(
      fc.constant(pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
      fc.boolean().map((q) => (q ? '?' : '') + pairs.map(([k, v]) => `${k}=${v}`).join('&')),
    ),
  );
}

/** True when v is a value `spec` can hold: the right type, finite, in [min, max], and on the spec's grid. */
function isValidValue(spec: ParamSpec, v: unknown): boolean {
  switch (spec.type) {
    case 'bool':
      return typeof v === 'boolean';
    case 'enum':
      return typeof v === 'string' && spec.options.includes(v);
    default:
      return (
        typeof v === 'number' &&
        Number.isFinite(v) &&
        v >= spec.min &&
        v <= spec.max &&
        ((spec.type !== 'int' && !(spec.type === 'log' && spec.integer)) || Number.isInteger(v)) &&
        coerceValue(spec, v) === v
      );
  }
}

/** Asserts the properties of the module comment on `numRuns` generated queries (deterministic: fixed seed). */
export function fuzzSchema(schema: Schema, prefix: string, { seed = 20170802, numRuns = 1000 } = {}): void {
  fc.assert(
    fc.property(hostileQuery(prefix, schema), (q) => {
      const { state, notices } = parseState(schema, q, prefix);
      const s = state as Record<string, unknown>;
      for (const spec of schema)
        expect(isValidValue(spec, s[spec.name]), `${spec.name}=${s[spec.name]}`).toBe(true);
      // Only the quoted user text may say "NaN"; what the notice itself says never does.
      for (const n of notices) expect(n.slice(n.lastIndexOf('"') + 1)).not.toMatch(/NaN|undefined/);

      const once = serializeState(schema, state, prefix);
      const again = parseState(schema, once, prefix);
      expect(again.notices).toEqual([]);
      expect(again.state).toEqual(state);
      expect(serializeState(schema, again.state, prefix)).toBe(once);
    }),
    { numRuns, seed },
  );
}
