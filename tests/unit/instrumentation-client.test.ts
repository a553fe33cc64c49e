import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { safeQuery } from '../../instrumentation-client';

/** tfjs-core's own query parser (dist/environment.js `getQueryParams`), which must never throw on our output. */
function tfjsQueryParams(queryString: string): Record<string, string> {
  const params: Record<string, string> = {};
  queryString.replace(/[?&]([^=?&]+)(?:=([^&]*))?/g, (s, name: string, value: string | undefined) => {
    params[decodeURIComponent(name)] = decodeURIComponent(value || '');
    return s;
  });
  return params;
}

describe('safeQuery', () => {
  it('keeps a well-formed query byte for byte', () => {
    for (const q of ['', '?', '?fl.gamma=2&ab.alpha=0.5', '?x=%E2%82%AC&y=a%20b', '?a=1=2&&b']) {
      expect(safeQuery(q)).toBe(q);
    }
  });

  it('makes malformed percent-escapes literal, so they decode to the text that was typed', () => {
    expect(safeQuery('?fl.gamma=%E0%A4%A&ab.alpha=%')).toBe('?fl.gamma=%25E0%25A4%25A&ab.alpha=%25');
    expect(new URLSearchParams(safeQuery('?fl.gamma=%E0%A4%A')).get('fl.gamma')).toBe('%E0%A4%A');
    expect(safeQuery('?%=%&ok=1')).toBe('?%25=%25&ok=1');
  });

  it('drops tfjs-core debug flags, however the name is spelled', () => {
    expect(safeQuery('?tfjsflags=DEBUG:true')).toBe('');
    expect(safeQuery('?a=1&%74fjsflags=DEBUG:true&b=2')).toBe('?a=1&b=2');
    expect(safeQuery('?a?tfjsflags=DEBUG:true')).toBe('?a');
    expect(tfjsQueryParams(safeQuery('??tfjsflags=IS_TEST:true&x=1'))).toEqual({ x: '1' });
  });

  it('always returns something tfjs-core can parse, without flags (2,000 random queries)', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 12, unit: 'binary' }),
      fc.constantFrom('%', '%E0%A4%A', '%zz', 'tfjsflags', '%74fjsflags', '?', '=', '&', '%25', '€'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const safe = safeQuery(`?${pieces.join('')}`);
        const params = tfjsQueryParams(safe);
        expect(Object.keys(params)).not.toContain('tfjsflags');
        expect(safeQuery(safe)).toBe(safe);
      }),
      { numRuns: 2000 },
    );
  });
});
