/**
 * Chapter 6's URL schemas (anchor explorer `ax`, prior init `pi`), beyond what every figure schema is tested for
 * (tests/unit/params/figures.test.ts, property.test.ts): the matcher thresholds always come out usable (bg ≤ fg).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseState } from '../../../lib/params/schema';
import {
  anchorExplorerSchema,
  matcherThresholds,
  priorInitSchema,
  RATIO_FILTERS,
  RATIO_VALUES,
} from '../../../lib/params/retinanet';
import { assignAnchors } from '../../../lib/detector/assign';
import { hostileQuery } from '../../helpers/fuzzSchema';

describe('the explorer thresholds', () => {
  it('always give the matcher a usable pair (bg ≤ fg) for 1,000 generated queries', () => {
    const anchors = [
      [0, 0, 10, 10],
      [0, 0, 10, 4.5],
      [20, 20, 30, 30],
    ];
    fc.assert(
      fc.property(hostileQuery('ax', anchorExplorerSchema), (q) => {
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

describe('the ratio filters', () => {
  it('give every ratio filter but "all" a positive h/w', () => {
    for (const r of RATIO_FILTERS) {
      if (r === 'all') expect(RATIO_VALUES[r]).toBeNaN();
      else expect(RATIO_VALUES[r]).toBeGreaterThan(0);
    }
  });
});
