/**
 * lib/tf/tidyValues.ts: the values of tensors built in a tidy scope, with every tensor freed, and without tidy's
 * walk over a returned array (the reason the helper exists: it is what made Figure 4's view slow).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { tidyValues, tidyValuesAll } from '../../../lib/tf/tidyValues';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('tidyValues', () => {
  it('reads what the scope builds and frees every tensor, its result too', () => {
    const before = tf.memory().numTensors;
    const v = tidyValues(() => tf.mul(tf.tensor1d([1, 2, 3]), 2));
    expect(Array.from(v)).toEqual([2, 4, 6]);
    const [a, b] = tidyValuesAll(() => {
      const x = tf.tensor1d([1, -1]);
      return [tf.neg(x), tf.cast(tf.greater(x, 0), 'int32')];
    });
    expect(Array.from(a)).toEqual([-1, 1]);
    expect(Array.from(b)).toEqual([1, 0]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frees the tensors when reading throws', () => {
    const before = tf.memory().numTensors;
    expect(() =>
      tidyValues(() => {
        throw new Error('no tensor');
      }),
    ).toThrow(/no tensor/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
