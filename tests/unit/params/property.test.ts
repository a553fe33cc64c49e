/**
 * Every figure's URL schema (lib/params `FIGURE_SCHEMAS`) on 1,000 generated hostile query strings, through the
 * one property harness of tests/helpers/fuzzSchema.
 */
import { describe, it } from 'vitest';
import { FIGURE_SCHEMAS } from '../../../lib/params/figures';
import type { Schema } from '../../../lib/params/schema';
import { fuzzSchema } from '../../helpers/fuzzSchema';

describe.each(Object.entries(FIGURE_SCHEMAS))('the %s schema, on generated query strings', (_, entry) => {
  const { prefix, schema } = entry as { prefix: string; schema: Schema };

  it('parses 1,000 hostile queries without throwing, into finite in-range state on the grid, idempotently', () => {
    fuzzSchema(schema, prefix);
  });
});
