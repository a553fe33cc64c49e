import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseState, serializeState, type ParamSpec, type Schema } from '../../../lib/params/schema';
import { FIGURE_SCHEMAS } from '../../../lib/params/figures';

/** A value a hostile or careless URL might hold. */
const rawValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.double().map(String),
  fc.integer().map(String),
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    '9e999',
    '-9e999',
    '1e-400',
    '',
    ' ',
    '0x1f',
    '1_000',
    '２',
  ),
  fc.constantFrom('<script>alert(1)</script>', '"><img onerror=x>', 'true', 'false', 'pos', 'neg', 'share'),
  fc.string({ minLength: 200, maxLength: 2000 }),
);

/** A key: mostly this figure's names, sometimes typos, other prefixes or garbage. */
function rawKey(prefix: string, schema: Schema) {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...schema.map((s) => `${prefix}.${s.name}`)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((s) => `${prefix}.${s}`) },
    { weight: 1, arbitrary: fc.constantFrom('other.gamma', 'gamma', 'x', '', '%', '&&') },
  );
}

function queryString(prefix: string, schema: Schema) {
  return fc.array(fc.tuple(rawKey(prefix, schema), rawValue), { maxLength: 12 }).chain((pairs) =>
    fc.oneof(
      // Well-formed encoding of the pairs…
      fc.constant(pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
      // …or the raw text pasted unencoded, with a leading '?' sometimes.
      fc.boolean().map((q) => (q ? '?' : '') + pairs.map(([k, v]) => `${k}=${v}`).join('&')),
    ),
  );
}

function withinBounds(spec: ParamSpec, v: unknown): boolean {
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
        ((spec.type !== 'int' && !(spec.type === 'log' && spec.integer)) || Number.isInteger(v))
      );
  }
}

describe.each(Object.entries(FIGURE_SCHEMAS))('the %s schema, on generated query strings', (_, entry) => {
  const { prefix, schema } = entry as { prefix: string; schema: Schema };

  it('parses 1,000 hostile queries without throwing, into finite in-range state, idempotently', () => {
    fc.assert(
      fc.property(queryString(prefix, schema), (q) => {
        const { state, notices } = parseState(schema, q, prefix);
        const s = state as Record<string, unknown>;
        for (const spec of schema) expect(withinBounds(spec, s[spec.name]), spec.name).toBe(true);
        // Only the quoted user text may say "NaN"; what the notice itself says never does.
        for (const n of notices) expect(n.slice(n.lastIndexOf('"') + 1)).not.toMatch(/NaN|undefined/);

        const once = serializeState(schema, state, prefix);
        const again = parseState(schema, once, prefix);
        expect(again.notices).toEqual([]);
        expect(again.state).toEqual(state);
        expect(serializeState(schema, again.state, prefix)).toBe(once);
      }),
      { numRuns: 1000, seed: 20170802 },
    );
  });
});
