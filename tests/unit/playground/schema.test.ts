/**
 * The playground's URL schema: parse ∘ serialize is the identity, race keys inherit from run 1, hostile input is
 * clamped with notices and never throws (property test).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LOSS_MODE_KEYS } from '../../../lib/detector/lossModes';
import {
  coercePlaygroundState,
  defaultPlaygroundState,
  MAX_RUNS,
  mergePlaygroundQuery,
  parsePlayground,
  RUN_SCHEMA,
  runLabel,
  serializePlayground,
  SHARED_SCHEMA,
  withRunCount,
  type PlaygroundState,
} from '../../../lib/playground/schema';
import {
  fromSliderPosition,
  MAX_NOTICES,
  toSliderPosition,
  type NumberParam,
} from '../../../lib/params/schema';

/** Every value of a state lies within its spec. */
function expectValid(state: PlaygroundState): void {
  expect(state.runs.length).toBeGreaterThanOrEqual(1);
  expect(state.runs.length).toBeLessThanOrEqual(MAX_RUNS);
  for (const spec of SHARED_SCHEMA) {
    if (spec.name === 'runs') continue;
    const v = state.shared[spec.name];
    if (spec.type === 'enum') expect(spec.options).toContain(v);
    else if (spec.type === 'bool') expect(typeof v).toBe('boolean');
    else {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(spec.min);
      expect(v).toBeLessThanOrEqual(spec.max);
      expect(Number.isInteger(v)).toBe(true);
    }
  }
  for (const run of state.runs) {
    for (const spec of RUN_SCHEMA) {
      const v = run[spec.name];
      if (spec.type === 'enum') expect(spec.options).toContain(v);
      else if (spec.type === 'bool') expect(typeof v).toBe('boolean');
      else if (spec.name === 'alpha' && v === null) continue;
      else {
        expect(Number.isFinite(v as number)).toBe(true);
        expect(v as number).toBeGreaterThanOrEqual(spec.min);
        expect(v as number).toBeLessThanOrEqual(spec.max);
      }
    }
    if (run.loss === 'focal_star') expect(run.gamma).toBeGreaterThan(0);
  }
}

describe('parsePlayground', () => {
  it('gives the default state and no notices for an empty query', () => {
    const r = parsePlayground('');
    expect(r.state).toEqual(defaultPlaygroundState());
    expect(r.notices).toEqual([]);
  });

  it('reads run 1, the shared settings and α = none', () => {
    const r = parsePlayground('?pg.loss=ce&pg.alpha=none&pg.prior=0&pg.lr=0.01&pg.batch=4&pg.clutter=heavy');
    expect(r.notices).toEqual([]);
    expect(r.state.runs).toHaveLength(1);
    expect(r.state.runs[0]).toMatchObject({ loss: 'ce', alpha: null, prior: false, lr: 0.01 });
    expect(r.state.shared).toMatchObject({ batch: 4, clutter: 'heavy' });
  });

  it('lets runs 2…4 inherit everything they do not mention from run 1', () => {
    const r = parsePlayground(
      'pg.gamma=0&pg.lr=0.005&pg.r2.gamma=0.5&pg.r3.gamma=2&pg.r4.loss=ce_ohem&pg.r4.alpha=none',
    );
    expect(r.notices).toEqual([]);
    expect(r.state.runs.map((x) => x.gamma)).toEqual([0, 0.5, 2, 0]);
    expect(r.state.runs.map((x) => x.lr)).toEqual([0.005, 0.005, 0.005, 0.005]);
    expect(r.state.runs[3]).toMatchObject({ loss: 'ce_ohem', alpha: null });
  });

  it('uses pg.runs when given and explains ignored run keys', () => {
    const r = parsePlayground('pg.runs=2&pg.r3.gamma=1');
    expect(r.state.runs).toHaveLength(2);
    expect(r.notices.join(' ')).toMatch(/run 3 ignored: pg\.runs=2/);
  });

  it('clamps out-of-range values and explains each correction', () => {
    const r = parsePlayground('pg.batch=64&pg.steps=1e9&pg.lr=3&pg.gamma=-1&pg.r2.lr=0');
    expect(r.state.shared.batch).toBe(16);
    expect(r.state.shared.steps).toBe(5000);
    expect(r.state.runs[0].lr).toBe(0.1);
    expect(r.state.runs[0].gamma).toBe(0);
    expect(r.state.runs[1].lr).toBe(0.00001);
    expect(r.notices.length).toBe(5);
  });

  it('raises γ to 0.1 for FL*, whose loss divides by γ', () => {
    const r = parsePlayground('pg.gamma=0&pg.r2.loss=focal_star');
    expect(r.state.runs[0].gamma).toBe(0);
    expect(r.state.runs[1].gamma).toBe(0.1);
    expect(r.notices.join(' ')).toMatch(/FL\* needs γ > 0/);
  });

  it('rejects unknown settings, bad run numbers and malformed values without throwing', () => {
    const r = parsePlayground(
      'pg.foo=1&pg.r1.loss=ce&pg.r7.gamma=1&pg.loss=<script>&pg.prior=maybe&other.x=1',
    );
    expectValid(r.state);
    expect(r.state.runs).toHaveLength(1);
    expect(r.state.runs[0].loss).toBe('focal');
    expect(r.notices.length).toBe(5);
    // Notices are plain text (rendered as text nodes); the user's value is quoted, never interpreted.
    expect(r.notices.join(' ')).toContain('pg.loss="<script>"');
  });

  it('caps the notices of a very hostile URL', () => {
    const q = [2, 3, 4].flatMap((k) => RUN_SCHEMA.map((s) => `pg.r${k}.${s.name}=x`)).join('&');
    const r = parsePlayground(q);
    expect(r.notices.length).toBe(MAX_NOTICES + 1);
    expect(r.notices[MAX_NOTICES]).toMatch(/^…and \d+ more adjustments\.$/);
  });

  it('never throws and always returns values within bounds (1,000 random queries)', () => {
    const key = fc.oneof(
      fc.constantFrom(
        ...[...SHARED_SCHEMA, ...RUN_SCHEMA].map((s) => `pg.${s.name}`),
        ...RUN_SCHEMA.flatMap((s) => [2, 3, 4, 1, 5, 0].map((k) => `pg.r${k}.${s.name}`)),
        'pg.runs',
        'pg.r02.gamma',
      ),
      fc.string({ maxLength: 12 }),
    );
    const value = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.double().map(String),
      fc.integer().map(String),
      fc.constantFrom('none', 'NaN', 'Infinity', '-Infinity', '1e400', '', ' 2 ', '0x10', 'true', 'ce_ohem'),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 30 }), (pairs) => {
        const q = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const r = parsePlayground(q);
        expectValid(r.state);
        expect(r.notices.length).toBeLessThanOrEqual(MAX_NOTICES + 1);
        // What we parse, we can write and read back unchanged, silently.
        const again = parsePlayground(serializePlayground(r.state));
        expect(again.state).toEqual(r.state);
        expect(again.notices).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('serializePlayground', () => {
  it('writes nothing for the default state', () => {
    expect(serializePlayground(defaultPlaygroundState())).toBe('');
  });

  it('writes only what runs 2… change relative to run 1', () => {
    const s = withRunCount(defaultPlaygroundState(), 2);
    s.runs[1] = { ...s.runs[1], loss: 'ce', alpha: null };
    expect(serializePlayground(s)).toBe('pg.runs=2&pg.r2.loss=ce&pg.r2.alpha=none');
  });

  it('round-trips random valid states', () => {
    const run = fc.record({
      loss: fc.constantFrom(...LOSS_MODE_KEYS),
      gamma: fc.double({ min: 0, max: 5, noNaN: true }),
      alpha: fc.option(fc.double({ min: 0.01, max: 0.99, noNaN: true }), { nil: null }),
      beta: fc.double({ min: -5, max: 5, noNaN: true }),
      prior: fc.boolean(),
      pi: fc.double({ min: 1e-4, max: 0.5, noNaN: true }),
      lr: fc.double({ min: 1e-5, max: 0.1, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(run, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 16 }),
        (runs, batch) => {
          const state = coercePlaygroundState({ shared: { batch }, runs });
          expect(parsePlayground(serializePlayground(state))).toEqual({ state, notices: [] });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('merges into a query that holds other figures’ keys', () => {
    const s = parsePlayground('pg.gamma=1').state;
    expect(mergePlaygroundQuery('?fl.gamma=3&pg.gamma=4&pg.r2.loss=ce&x=1', s)).toBe(
      'fl.gamma=3&x=1&pg.gamma=1',
    );
  });
});

describe('helpers', () => {
  it('labels runs for legends', () => {
    const base = defaultPlaygroundState().runs[0];
    expect(runLabel(base)).toBe('FL γ=2, α=0.25');
    expect(runLabel({ ...base, loss: 'ce', alpha: null, prior: false })).toBe('CE, no prior');
    expect(runLabel({ ...base, loss: 'ce_ohem', alpha: null })).toBe('CE, OHEM 1:3');
  });

  it('moves lr and π sliders in decades and lands on two-digit values', () => {
    const lr = RUN_SCHEMA.find((s) => s.name === 'lr') as NumberParam;
    const pi = RUN_SCHEMA.find((s) => s.name === 'pi') as NumberParam;
    expect(toSliderPosition(lr, 0.001, true)).toBeCloseTo(-3, 12);
    expect(fromSliderPosition(lr, Math.log10(0.0025118), true)).toBe(0.0025);
    expect(fromSliderPosition(lr, 5, true)).toBe(0.1);
    expect(fromSliderPosition(pi, -Infinity, true)).toBe(0.0001);
  });

  it('adds runs as copies of run 1 and never exceeds four', () => {
    const s = withRunCount(defaultPlaygroundState(), 9);
    expect(s.runs).toHaveLength(4);
    expect(new Set(s.runs.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(withRunCount(s, 0).runs).toHaveLength(1);
  });
});
