import { describe, expect, it } from 'vitest';
import { fmt, fmtCount, fmtExp, fmtFixed, fmtPercent, fmtTimes, MISSING } from '../../../lib/params/format';

describe('safe formatters', () => {
  it('show a dash, never NaN or undefined, for anything non-finite', () => {
    for (const f of [fmt, fmtFixed, fmtExp, fmtTimes, fmtCount, fmtPercent]) {
      for (const bad of [NaN, Infinity, -Infinity, undefined, null, '3', {}]) {
        expect(f(bad as unknown as number)).toBe(MISSING);
      }
    }
  });

  it('print significant digits with trailing zeros trimmed', () => {
    expect(fmt(0.105360515)).toBe('0.105');
    expect(fmt(2)).toBe('2');
    expect(fmt(21.854)).toBe('21.9');
    expect(fmt(123456)).toBe('123,000');
    expect(fmt(0)).toBe('0');
  });

  it('switch to exponent form for tiny and huge magnitudes', () => {
    expect(fmt(1.05e-5)).toBe('1.05e−5');
    expect(fmt(-2.5e9)).toBe('−2.5e9');
  });

  it('print ratios as "times"', () => {
    expect(fmtTimes(100.0000001)).toBe('100×');
    expect(fmtTimes(976.5625)).toBe('977×');
    expect(fmtTimes(4)).toBe('4×');
    expect(fmtTimes(1770.2)).toBe('1,770×');
  });

  it('print counts, fixed decimals and percentages', () => {
    expect(fmtCount(100000)).toBe('100,000');
    expect(fmtFixed(0.25, 2)).toBe('0.25');
    expect(fmtFixed(-0.0001, 2)).toBe('0.00');
    expect(fmtPercent(0.8744)).toBe('87.4%');
  });
});
