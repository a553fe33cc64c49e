/**
 * The URL schema of LaterLossesFigure (lib/params/later.ts), beyond what every figure schema is tested for
 * (tests/unit/params/figures.test.ts: prefix, names, defaults; property.test.ts: 1,000 hostile queries).
 */
import { describe, expect, it } from 'vitest';
import { LATER_LOSSES_PREFIX, laterLossesSchema } from '../../../lib/params/later';
import { defaultState, parseState, serializeState } from '../../../lib/params/schema';

const schema = laterLossesSchema;
const prefix = LATER_LOSSES_PREFIX;

describe('the later-losses schema', () => {
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
