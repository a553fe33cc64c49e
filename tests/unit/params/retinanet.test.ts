/**
 * Chapter 6's URL schemas (anchor explorer `ax`, prior init `pi`): hostile query strings never throw and always
 * give finite in-range state; the matcher thresholds always come out usable (bg ≤ fg).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseState, serializeState, type ParamSpec, type Schema } from '../../../lib/params/schema';
import {
  anchorExplorerSchema,
  matcherThresholds,
  PRIOR_INIT_PREFIX,
  priorInitSchema,
  RATIO_FILTERS,
  RATIO_VALUES,
  RETINANET_SCHEMAS,
} from '../../../lib/params/retinanet';
import { FIGURE_SCHEMAS } from '../../../lib/params/figures';
import { PLAYGROUND_PREFIX } from '../../../lib/playground/schema';
import { assignAnchors } from '../../../lib/detector/assign';

const rawValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.double().map(String),
  fc.integer().map(String),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '9e999', '-1e-400', '', ' ', '0x1f', '１', '0.5', '1e-4'),
  fc.constantFrom('<script>alert(1)</script>', 'true', 'off', 'p3', 'r2-1', 's1', 'paper', '21', 'all'),
  fc.string({ minLength: 200, maxLength: 2000 }),
);

function rawKey(prefix: string, schema: Schema) {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...schema.map((s) => `${prefix}.${s.name}`)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((s) => `${prefix}.${s}`) },
    { weight: 1, arbitrary: fc.constantFrom('fl.gamma', 'gamma', 'x', '', '%', '&&') },
  );
}

function queryString(prefix: string, schema: Schema) {
  return fc.array(fc.tuple(rawKey(prefix, schema), rawValue), { maxLength: 14 }).chain((pairs) =>
    fc.oneof(
      fc.constant(pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
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

describe.each(Object.entries(RETINANET_SCHEMAS))('the %s schema, on generated query strings', (_, entry) => {
  const { prefix, schema } = entry as { prefix: string; schema: Schema };

  it('parses 1,000 hostile queries without throwing, into finite in-range state, idempotently', () => {
    fc.assert(
      fc.property(queryString(prefix, schema), (q) => {
        const { state, notices } = parseState(schema, q, prefix);
        const s = state as Record<string, unknown>;
        for (const spec of schema) expect(withinBounds(spec, s[spec.name]), spec.name).toBe(true);
        for (const n of notices) expect(n.slice(n.lastIndexOf('"') + 1)).not.toMatch(/NaN|undefined/);
        const once = serializeState(schema, state, prefix);
        const again = parseState(schema, once, prefix);
        expect(again.notices).toEqual([]);
        expect(again.state).toEqual(state);
      }),
      { numRuns: 1000, seed: 20171022 },
    );
  });

  it('writes nothing to the URL in its default state', () => {
    expect(serializeState(schema, parseState(schema, '', prefix).state, prefix)).toBe('');
  });
});

describe('the explorer thresholds', () => {
  it('always give the matcher a usable pair (bg ≤ fg) for 1,000 generated queries', () => {
    const anchors = [
      [0, 0, 10, 10],
      [0, 0, 10, 4.5],
      [20, 20, 30, 30],
    ];
    fc.assert(
      fc.property(queryString('ax', anchorExplorerSchema), (q) => {
        const { fg, bg } = parseState(anchorExplorerSchema, q, 'ax').state;
        const t = matcherThresholds(fg, bg);
        expect(t.bg).toBeLessThanOrEqual(t.fg);
        expect(t.fg).toBe(fg);
        expect(() => assignAnchors(anchors, [[0, 0, 10, 10]], { fgIou: t.fg, bgIou: t.bg })).not.toThrow();
      }),
      { numRuns: 1000, seed: 6 },
    );
  });

  it('leave a valid pair alone and read bg > fg as "no ignored band"', () => {
    expect(matcherThresholds(0.5, 0.4)).toEqual({ fg: 0.5, bg: 0.4, adjusted: false });
    expect(matcherThresholds(0.3, 0.6)).toEqual({ fg: 0.3, bg: 0.3, adjusted: true });
    expect(matcherThresholds(NaN, NaN)).toMatchObject({ fg: 0.5, bg: 0.4 });
  });

  it("default to the paper's 0.5 / 0.4 (§4)", () => {
    const { fg, bg } = parseState(anchorExplorerSchema, '', 'ax').state;
    expect([fg, bg]).toEqual([0.5, 0.4]);
  });
});

describe('the prior schema', () => {
  it('reads π = 0.01 and π = 0.5 exactly, the two marked settings', () => {
    expect(parseState(priorInitSchema, 'pi.pi=0.5', 'pi').state.pi).toBe(0.5);
    expect(parseState(priorInitSchema, 'pi.pi=0.01', 'pi').state.pi).toBe(0.01);
    expect(parseState(priorInitSchema, '', 'pi').state.pi).toBe(0.01);
  });

  it('clamps π into [1e-4, 0.5] with a notice', () => {
    const r = parseState(priorInitSchema, 'pi.pi=0.9', 'pi');
    expect(r.state.pi).toBe(0.5);
    expect(r.notices).toHaveLength(1);
  });
});

describe('the chapter 6 prefixes', () => {
  it('clash with no other figure or the playground', () => {
    const others = [...Object.values(FIGURE_SCHEMAS).map((f) => f.prefix), PLAYGROUND_PREFIX];
    for (const { prefix } of Object.values(RETINANET_SCHEMAS)) expect(others).not.toContain(prefix);
    expect(PRIOR_INIT_PREFIX).toBe('pi');
  });

  it('give every ratio filter but "all" a positive h/w', () => {
    for (const r of RATIO_FILTERS) {
      if (r === 'all') expect(RATIO_VALUES[r]).toBeNaN();
      else expect(RATIO_VALUES[r]).toBeGreaterThan(0);
    }
  });
});
