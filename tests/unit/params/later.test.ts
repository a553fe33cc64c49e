/**
 * The URL schema of LaterLossesFigure (lib/params/later.ts): a unique prefix, valid defaults, and 1,000 generated
 * hostile query strings that always parse into finite, in-range state and round-trip.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LATER_LOSSES_PREFIX, laterLossesSchema } from '../../../lib/params/later';
import { FIGURE_SCHEMAS } from '../../../lib/params/figures';
import {
  coerceValue,
  defaultState,
  parseState,
  serializeState,
  type ParamSpec,
} from '../../../lib/params/schema';

const schema = laterLossesSchema;
const prefix = LATER_LOSSES_PREFIX;

describe('the later-losses schema', () => {
  it('has a two-letter prefix that no other figure uses', () => {
    expect(prefix).toMatch(/^[a-z]{2}$/);
    const others = Object.values(FIGURE_SCHEMAS).map((f) => f.prefix as string);
    expect(others).not.toContain(prefix);
    expect(['pg', 'ax', 'pi']).not.toContain(prefix);
  });

  it('has unique URL-safe names, labels, and defaults on the slider grid', () => {
    const names = schema.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of schema) {
      expect(s.name).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      expect(s.label.length).toBeGreaterThan(0);
      expect(coerceValue(s, s.default), s.name).toBe(s.default);
    }
  });

  it('keeps q strictly positive, so the positive is never turned into a negative', () => {
    expect(parseState(schema, 'll.q=0', prefix).state.q).toBe(0.05);
    expect(parseState(schema, 'll.q=-3', prefix).state.q).toBe(0.05);
    expect(parseState(schema, 'll.q=1.5', prefix).state.q).toBe(1);
  });

  it('reads every parameter, snaps q to 0.01 and explains corrections', () => {
    const { state, notices } = parseState(schema, 'll.q=0.333&ll.x=logit&ll.show=grad', prefix);
    expect(state).toEqual({ q: 0.33, x: 'logit', show: 'grad' });
    expect(notices).toEqual([]);
    const bad = parseState(schema, 'll.q=abc&ll.x=z&ll.nope=1', prefix);
    expect(bad.state).toEqual(defaultState(schema));
    expect(bad.notices).toHaveLength(3);
  });

  it('puts nothing in the URL for the default state and round-trips a changed one', () => {
    expect(serializeState(schema, defaultState(schema), prefix)).toBe('');
    const s = serializeState(schema, { q: 0.42, x: 'logit', show: 'grad' }, prefix);
    expect(s).toBe('ll.q=0.42&ll.x=logit&ll.show=grad');
    expect(parseState(schema, s, prefix).state).toEqual({ q: 0.42, x: 'logit', show: 'grad' });
  });
});

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
  fc.constantFrom('<script>alert(1)</script>', '"><img onerror=x>', 'p', 'logit', 'grad', 'loss', 'LOGIT'),
  fc.string({ minLength: 200, maxLength: 2000 }),
);

const rawKey = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...schema.map((s) => `${prefix}.${s.name}`)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((s) => `${prefix}.${s}`) },
  { weight: 1, arbitrary: fc.constantFrom('fl.gamma', 'q', 'x', '', '%', '&&') },
);

const queryString = fc.array(fc.tuple(rawKey, rawValue), { maxLength: 12 }).chain((pairs) =>
  fc.oneof(
    fc.constant(pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
    fc.boolean().map((q) => (q ? '?' : '') + pairs.map(([k, v]) => `${k}=${v}`).join('&')),
  ),
);

function withinBounds(spec: ParamSpec, v: unknown): boolean {
  if (spec.type === 'enum') return typeof v === 'string' && spec.options.includes(v);
  if (spec.type === 'bool') return typeof v === 'boolean';
  return typeof v === 'number' && Number.isFinite(v) && v >= spec.min && v <= spec.max;
}

describe('the later-losses schema, on generated query strings', () => {
  it('parses 1,000 hostile queries without throwing, into finite in-range state, idempotently', () => {
    fc.assert(
      fc.property(queryString, (q) => {
        const { state, notices } = parseState(schema, q, prefix);
        const s = state as Record<string, unknown>;
        for (const spec of schema) expect(withinBounds(spec, s[spec.name]), spec.name).toBe(true);
        // q stays on its 0.01 grid.
        expect(Math.abs(state.q * 100 - Math.round(state.q * 100))).toBeLessThan(1e-9);
        for (const n of notices) expect(n.slice(n.lastIndexOf('"') + 1)).not.toMatch(/NaN|undefined/);

        const once = serializeState(schema, state, prefix);
        const again = parseState(schema, once, prefix);
        expect(again.notices).toEqual([]);
        expect(again.state).toEqual(state);
        expect(serializeState(schema, again.state, prefix)).toBe(once);
      }),
      { numRuns: 1000, seed: 20200610 },
    );
  });
});
