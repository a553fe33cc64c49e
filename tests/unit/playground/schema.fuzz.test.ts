/**
 * parsePlayground against hostile query strings (fast-check, 2,000 per property): non-numbers, NaN, ±Infinity,
 * huge, tiny and negative numbers, hex and exponent forms, unknown and prototype-named keys, repeated keys, run
 * numbers out of range, very long values, script and markup payloads, control characters, lone surrogates and
 * broken percent-encoding. schema.test.ts already fuzzes friendlier strings; this is the hostile end.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LOSS_MODE_KEYS } from '../../../lib/detector/lossModes';
import {
  MAX_RUNS,
  parsePlayground,
  RUN_SCHEMA,
  serializePlayground,
  SHARED_SCHEMA,
  type PlaygroundState,
} from '../../../lib/playground/schema';
import { MAX_NOTICES, MAX_QUOTE_CHARS } from '../../../lib/params/schema';

const NUM_RUNS = 2000;

const SPECS = [...SHARED_SCHEMA, ...RUN_SCHEMA];
const NAMES = SPECS.map((s) => s.name);

const key = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...NAMES.map((n) => `pg.${n}`)) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.constantFrom(-1, 0, 1, 2, 3, 4, 5, 99, 1e21),
        fc.constantFrom(...RUN_SCHEMA.map((s) => s.name)),
      )
      .map(([k, n]) => `pg.r${k}.${n}`),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '__proto__',
      'pg.__proto__',
      'pg.constructor',
      'pg.r2.__proto__',
      'pg.r2.toString',
      'pg.hasOwnProperty',
      'pg',
      'pg.',
      'pg..gamma',
      'pg.r.gamma',
      'pg.r02.gamma',
      'pg.r2',
      'PG.GAMMA',
      'fl.gamma',
      '<script>',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 20, unit: 'binary' }) },
);

const SCRIPTS = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  "'; DROP TABLE runs; --",
  '${7*7}{{7*7}}',
  '\u0000\u0007\u001b[31m\u2028\u2029',
  '\ud800',
];

const value = fc.oneof(
  fc.constantFrom(
    'NaN',
    'nan',
    'Infinity',
    '-Infinity',
    '+Infinity',
    'inf',
    '1e400',
    '-1e400',
    '1e-400',
    '-0',
    '0x10',
    '0b11',
    '1_000',
    '1e',
    '.',
    '-',
    '',
    ' ',
    'null',
    'undefined',
    'none',
    'true',
    'on',
    '2,5',
    '٣',
    ...LOSS_MODE_KEYS,
    ...SCRIPTS,
  ),
  fc.double().map(String),
  fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }).map(String),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc
    .tuple(fc.constantFrom('9', '<', 'a', '%', '€'), fc.integer({ min: 65, max: 20_000 }))
    .map(([c, n]) => c.repeat(n)),
);

/** encodeURIComponent, or the text as it is where it cannot be encoded (a lone surrogate). */
function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A pair is written percent-encoded (as a browser would), raw, or with broken escapes. */
const pair = fc
  .tuple(key, value, fc.constantFrom('encoded', 'raw', 'broken'))
  .map(([k, v, how]) =>
    how === 'encoded' ? `${encode(k)}=${encode(v)}` : how === 'raw' ? `${k}=${v}` : `${k}=%${v}%E0%A4%`,
  );

const query = fc
  .tuple(fc.array(pair, { maxLength: 40 }), fc.constantFrom('', '?', '??', '&'))
  .map(([pairs, lead]) => lead + pairs.join('&'));

/** Every field inside its spec; runs 1…MAX_RUNS; FL* with γ > 0. */
function expectValid(state: PlaygroundState): void {
  expect(state.runs.length).toBeGreaterThanOrEqual(1);
  expect(state.runs.length).toBeLessThanOrEqual(MAX_RUNS);
  const check = (name: string, v: unknown) => {
    const spec = SPECS.find((s) => s.name === name)!;
    if (spec.type === 'number' || spec.type === 'int') {
      if (name === 'alpha' && v === null) return;
      expect(typeof v, name).toBe('number');
      expect(Number.isFinite(v), `${name} = ${String(v)}`).toBe(true);
      expect(v as number).toBeGreaterThanOrEqual(spec.min);
      expect(v as number).toBeLessThanOrEqual(spec.max);
      if (spec.type === 'int') expect(Number.isInteger(v), name).toBe(true);
    } else if (spec.type === 'enum') {
      expect(spec.options as readonly unknown[], name).toContain(v);
    } else {
      expect(typeof v, name).toBe('boolean');
    }
  };
  for (const [name, v] of Object.entries(state.shared)) check(name, v);
  for (const run of state.runs) {
    expect(Object.keys(run).sort()).toEqual(RUN_SCHEMA.map((s) => s.name).sort());
    for (const [name, v] of Object.entries(run)) check(name, v);
    if (run.loss === 'focal_star') expect(run.gamma).toBeGreaterThan(0);
  }
}

describe('parsePlayground on hostile query strings', () => {
  it(`never throws and returns a valid state (${NUM_RUNS} generated queries)`, () => {
    fc.assert(
      fc.property(query, (q) => {
        expectValid(parsePlayground(q).state);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it(`keeps its notices few, short, single-line and free of raw control characters (${NUM_RUNS} queries)`, () => {
    fc.assert(
      fc.property(query, (q) => {
        const { notices } = parsePlayground(q);
        expect(notices.length).toBeLessThanOrEqual(MAX_NOTICES + 1);
        for (const n of notices) {
          expect(typeof n).toBe('string');
          // Keys are quoted like values in the worst case: two quotes plus the message itself.
          expect(n.length).toBeLessThanOrEqual(2 * (MAX_QUOTE_CHARS + 3) + 120);
          expect(n).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it(`gives the same answer for a string and its URLSearchParams, twice (${NUM_RUNS} queries)`, () => {
    fc.assert(
      fc.property(query, (q) => {
        const a = parsePlayground(q);
        expect(parsePlayground(q)).toEqual(a);
        expect(parsePlayground(new URLSearchParams(q.replace(/^\?/, '')))).toEqual(a);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it(`writes back a URL that parses to the same state with no notices (${NUM_RUNS} queries)`, () => {
    fc.assert(
      fc.property(query, (q) => {
        const { state } = parsePlayground(q);
        const url = serializePlayground(state);
        expect(url).not.toMatch(/[<>"'`\s]|NaN|Infinity|undefined/);
        expect(parsePlayground(url)).toEqual({ state, notices: [] });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('does not pollute Object.prototype', () => {
    parsePlayground(
      '__proto__.polluted=1&pg.__proto__=1&pg.constructor.prototype.polluted=1&pg.r2.__proto__=1',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stays fast on a 2 MB query with 100,000 keys', () => {
    const q = Array.from({ length: 100_000 }, (_, i) => `pg.r${(i % 4) + 2}.gamma=${'9'.repeat(12)}`).join(
      '&',
    );
    const t0 = performance.now();
    const r = parsePlayground(q);
    expect(performance.now() - t0).toBeLessThan(1000);
    expectValid(r.state);
  });
});
