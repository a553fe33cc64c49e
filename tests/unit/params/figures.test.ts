import { describe, expect, it } from 'vitest';
import { IMBALANCE_DEFAULTS, IMBALANCE_RANGES } from '../../../lib/loss/imbalance';
import { FIGURE_SCHEMAS, imbalanceSchema } from '../../../lib/params/figures';
import {
  coerceValue,
  defaultState,
  parseState,
  serializeState,
  type Schema,
} from '../../../lib/params/schema';
import { PLAYGROUND_PREFIX } from '../../../lib/playground/schema';

describe('FIGURE_SCHEMAS', () => {
  it("gives every figure its own prefix, none of them the playground's", () => {
    const prefixes = Object.values(FIGURE_SCHEMAS).map((f) => f.prefix as string);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect(prefixes).not.toContain(PLAYGROUND_PREFIX);
  });
});

describe.each(Object.entries(FIGURE_SCHEMAS))('the %s figure schema', (_, entry) => {
  const { prefix, schema } = entry as { prefix: string; schema: Schema };

  it('has a short URL-safe prefix and unique URL-safe names', () => {
    expect(prefix).toMatch(/^[a-z]{2}$/);
    const names = schema.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z][a-zA-Z0-9]*$/);
  });

  it('has defaults that are valid values on the slider grid', () => {
    for (const spec of schema) expect(coerceValue(spec, spec.default), spec.name).toBe(spec.default);
  });

  it('has a label for every parameter and sane numeric ranges', () => {
    for (const spec of schema) {
      expect(spec.label.length).toBeGreaterThan(0);
      if (spec.type === 'number' || spec.type === 'int' || spec.type === 'log') {
        expect(spec.min).toBeLessThan(spec.max);
        expect(spec.step).toBeGreaterThan(0);
        if (spec.type === 'log') expect(spec.min).toBeGreaterThan(0);
      }
    }
  });

  it('puts nothing in the URL for the default state', () => {
    expect(serializeState(schema, defaultState(schema), prefix)).toBe('');
    expect(parseState(schema, '', prefix).state).toEqual(defaultState(schema));
  });
});

describe('the imbalance schema', () => {
  it("takes its defaults and bounds from the loss core's IMBALANCE_DEFAULTS and IMBALANCE_RANGES", () => {
    const byName = Object.fromEntries(imbalanceSchema.map((s) => [s.name, s]));
    const pairs = [
      ['neg', 'numNegatives'],
      ['hard', 'hardNegativeFraction'],
      ['easy', 'easyNegativePt'],
      ['pos', 'numPositives'],
    ] as const;
    for (const [name, key] of pairs) {
      const spec = byName[name] as { default: number; min: number; max: number };
      expect(spec.default, name).toBe(IMBALANCE_DEFAULTS[key]);
      expect(spec.min, name).toBe(IMBALANCE_RANGES[key].min);
      expect(spec.max, name).toBe(IMBALANCE_RANGES[key].max);
    }
  });
});
