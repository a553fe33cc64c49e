import { describe, expect, it } from 'vitest';
import {
  defaultState,
  fromSliderPosition,
  mergeQuery,
  parseState,
  quote,
  serializeState,
  snapLog,
  toSliderPosition,
  MAX_QUOTE_CHARS,
  type Schema,
} from '../../../lib/params/schema';
import { imbalanceSchema, lossVsPtSchema } from '../../../lib/params/figures';

const schema = [
  { name: 'gamma', type: 'number', label: 'γ', default: 2, min: 0, max: 5, step: 0.1 },
  { name: 'n', type: 'int', label: 'n', default: 10, min: 1, max: 100, step: 1 },
  { name: 'neg', type: 'log', label: 'neg', default: 1e5, min: 1e3, max: 1e6, step: 0.1, integer: true },
  { name: 'mode', type: 'enum', label: 'mode', default: 'pos', options: ['pos', 'neg'] },
  { name: 'star', type: 'bool', label: 'star', default: true },
] as const satisfies Schema;

const parse = (q: string) => parseState(schema, q, 'fl');

describe('parseState', () => {
  it('returns the defaults and no notices for an empty query', () => {
    expect(parse('')).toEqual({ state: defaultState(schema), notices: [] });
  });

  it('reads every type of parameter under its prefix', () => {
    const { state, notices } = parse('?fl.gamma=0.5&fl.n=42&fl.neg=1000&fl.mode=neg&fl.star=0');
    expect(state).toEqual({ gamma: 0.5, n: 42, neg: 1000, mode: 'neg', star: false });
    expect(notices).toEqual([]);
  });

  it('accepts a URLSearchParams as well as a string', () => {
    expect(parseState(schema, new URLSearchParams('fl.gamma=3'), 'fl').state.gamma).toBe(3);
  });

  it('ignores keys of other figures silently', () => {
    const { state, notices } = parse('ab.gamma=4&gamma=1&utm=x');
    expect(state.gamma).toBe(2);
    expect(notices).toEqual([]);
  });

  it('notices an unknown key under its own prefix and ignores it', () => {
    const { state, notices } = parse('fl.gama=3');
    expect(state).toEqual(defaultState(schema));
    expect(notices).toEqual(['"fl.gama" is not a setting of this figure; ignored.']);
  });

  it('falls back to the default for a non-number, with a polite notice', () => {
    const { state, notices } = parse('fl.gamma=abc');
    expect(state.gamma).toBe(2);
    expect(notices).toEqual(['fl.gamma="abc" is not a number; using 2.']);
  });

  it('rejects NaN, hex, empty and half-numbers', () => {
    for (const v of ['NaN', '0x10', '', '1.2.3', '3abc', ' ', 'Infinity', '-Infinity']) {
      const { state, notices } = parse(`fl.gamma=${encodeURIComponent(v)}`);
      expect(state.gamma, v).toBe(2);
      expect(notices[0], v).toMatch(/is not a number; using 2\.$/);
    }
  });

  it('clamps overflowing exponents like 9e999 to the maximum', () => {
    const { state, notices } = parse('fl.gamma=9e999');
    expect(state.gamma).toBe(5);
    expect(notices).toEqual(['fl.gamma="9e999" is above the maximum; using 5.']);
  });

  it('clamps negative and huge values to the bounds', () => {
    expect(parse('fl.gamma=-3').state.gamma).toBe(0);
    expect(parse('fl.n=1e12').state.n).toBe(100);
    expect(parse('fl.neg=-5').state.neg).toBe(1000);
    expect(parse('fl.neg=0').notices[0]).toMatch(/must be positive/);
    expect(parse('fl.neg=1e300').state.neg).toBe(1e6);
  });

  it('snaps in-range values to the slider grid without a notice', () => {
    expect(parse('fl.gamma=2.37')).toEqual({ state: { ...defaultState(schema), gamma: 2.4 }, notices: [] });
    expect(parse('fl.n=4.6').state.n).toBe(5);
    expect(parse('fl.neg=12000').state.neg).toBe(Math.round(10 ** 4.1));
  });

  it('lets the first of repeated keys win and says so', () => {
    const { state, notices } = parse('fl.gamma=1&fl.gamma=4&fl.gamma=x');
    expect(state.gamma).toBe(1);
    expect(notices).toEqual(['fl.gamma appears 3 times; using the first.']);
  });

  it('handles the malformed example from the brief: abc first, then an overflow', () => {
    const { state, notices } = parse('fl.gamma=abc&fl.gamma=9e999');
    expect(state.gamma).toBe(2);
    expect(notices).toHaveLength(2);
    expect(notices.join(' ')).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('truncates very long values before parsing and when quoting them', () => {
    const long = '1'.repeat(10_000);
    const { state, notices } = parse(`fl.gamma=${long}`);
    expect(state.gamma).toBe(2);
    expect(notices[0].length).toBeLessThan(80);
    expect(notices[0]).toContain('…');
  });

  it('quotes script-like text as inert, truncated plain text', () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const { notices } = parse(`fl.mode=${encodeURIComponent(evil)}`);
    expect(notices[0]).toMatch(
      /^fl\.mode="<script>alert\(1\)<\/script…" is not one of pos, neg; using pos\.$/,
    );
    expect(notices[0]).not.toContain('onerror');
  });

  it('removes control characters from quoted values', () => {
    expect(quote('a\nb\u0000c')).toBe('"a b c"');
    expect(quote('x'.repeat(100))).toBe(`"${'x'.repeat(MAX_QUOTE_CHARS)}…"`);
  });

  it('reads booleans and enums leniently but never guesses', () => {
    expect(parse('fl.star=false').state.star).toBe(false);
    expect(parse('fl.star=YES').state.star).toBe(true);
    expect(parse('fl.star=maybe').notices[0]).toBe('fl.star="maybe" is not on/off (use 1 or 0); using on.');
    expect(parse('fl.mode=NEG').state.mode).toBe('neg');
  });

  it('caps the number of notices for a query with thousands of bad keys', () => {
    const q = Array.from({ length: 5000 }, (_, i) => `fl.k${i}=1`).join('&');
    const { notices } = parse(q);
    expect(notices.length).toBeLessThanOrEqual(7);
    expect(notices.at(-1)).toMatch(/^…and \d+ more adjustments\.$/);
  });

  it('survives malformed percent-encoding', () => {
    expect(() => parse('fl.gamma=%E0%A4%A&fl.%ZZ=1&%')).not.toThrow();
  });
});

describe('serializeState', () => {
  it('writes nothing for the default state', () => {
    expect(serializeState(schema, defaultState(schema), 'fl')).toBe('');
  });

  it('writes only the non-default values, in schema order, under the prefix', () => {
    const s = { ...defaultState(schema), star: false, gamma: 0.5 };
    expect(serializeState(schema, s, 'fl')).toBe('fl.gamma=0.5&fl.star=0');
  });

  it('round-trips a state through parse', () => {
    const s = { gamma: 4.9, n: 3, neg: 1000, mode: 'neg' as const, star: false };
    expect(parseState(schema, serializeState(schema, s, 'im'), 'im')).toEqual({ state: s, notices: [] });
  });

  it('coerces invalid values from code instead of writing them', () => {
    const bad = { gamma: Number.NaN, n: Infinity, neg: -1, mode: 'x', star: 'yes' } as unknown as Parameters<
      typeof serializeState<typeof schema>
    >[1];
    expect(serializeState(schema, bad, 'fl')).toBe('fl.n=100&fl.neg=1000');
  });
});

describe('mergeQuery', () => {
  it("replaces this figure's keys and keeps other figures' keys in order", () => {
    expect(mergeQuery(schema, '?ab.alpha=0.5&fl.gamma=1&fl.junk=2&x=1', 'fl', 'fl.gamma=3')).toBe(
      'ab.alpha=0.5&x=1&fl.gamma=3',
    );
  });

  it('removes own keys when the state returns to the defaults', () => {
    expect(mergeQuery(schema, 'fl.gamma=1', 'fl', '')).toBe('');
  });

  it('with an empty prefix removes only the schema names', () => {
    expect(mergeQuery(schema, 'gamma=1&other=2', '', 'n=3')).toBe('other=2&n=3');
  });
});

describe('log parameters', () => {
  const neg = imbalanceSchema[0];
  it('map values to log10 slider positions and back', () => {
    expect(toSliderPosition(neg, 1e5)).toBeCloseTo(5, 12);
    expect(fromSliderPosition(neg, 5)).toBe(100_000);
    expect(fromSliderPosition(neg, 3)).toBe(1000);
    expect(fromSliderPosition(neg, 6)).toBe(1_000_000);
  });

  it('snap onto tenths of a decade as integers', () => {
    expect(snapLog(neg, 31_000)).toBe(Math.round(10 ** 4.5));
  });
});

describe('figure schemas', () => {
  it('keep gamma under the fl prefix for Figure 1, as shared links expect', () => {
    expect(parseState(lossVsPtSchema, 'fl.gamma=0.5', 'fl').state.gamma).toBe(0.5);
  });
});
