/**
 * lib/detector/lossSplit.ts: the step's loss split (positives, hard negatives) by its CPU and WASM kernel equals the
 * same sums as tfjs ops, the path the GPU backends take; it leaves no tensor behind and does not disturb a gradient.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { LOSS_SPLIT, lossSplit } from '../../../lib/detector/lossSplit';
import { createRng } from '../../../lib/data/rng';
import { ensureBackend } from '../../../lib/tf/backend';
import { expectClose } from '../../helpers/close';

function inputs(n: number) {
  const rng = createRng(9);
  const x = Float32Array.from({ length: n }, () => 3 * rng.normal());
  const y = Float32Array.from({ length: n }, () => (rng.next() < 0.05 ? 1 : 0));
  const loss = Float32Array.from({ length: n }, () => rng.next() * rng.next());
  return { x, y, loss };
}

/** The definition, in float64. */
function reference(loss: Float32Array, y: Float32Array, x: Float32Array): number[] {
  let pos = 0;
  let hard = 0;
  for (let i = 0; i < loss.length; i++) {
    if (y[i] === 1) pos += loss[i];
    else if (x[i] > 0) hard += loss[i];
  }
  return [pos, hard];
}

describe.each(['cpu', 'wasm'] as const)('lossSplit on %s', (backend) => {
  it('sums the positives and the hard negatives (logit > 0) with its kernel, as the ops do', async () => {
    await ensureBackend(backend);
    expect(tf.getKernel(LOSS_SPLIT, backend)).toBeDefined();
    const { x, y, loss } = inputs(2 * (7056 * 3 + 1));
    const shape = [2, 7056 * 3 + 1, 1] as const;
    const [xt, yt, lt] = [x, y, loss].map((a) => tf.tensor3d(a, [...shape]));
    const before = tf.memory().numTensors;
    const got = lossSplit(lt, yt, xt);
    expectClose(Array.from(got.dataSync()), reference(loss, y, x), { rtol: 1e-6, atol: 0 });
    got.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // The ops path (the GPU backends'), here by int32 targets, which the kernel does not take.
    const yi = tf.cast(yt, 'int32');
    const ops = tf.tidy(() => lossSplit(lt, yi, xt));
    expectClose(Array.from(ops.dataSync()), reference(loss, y, x), { rtol: 1e-5, atol: 0 });
    tf.dispose([xt, yt, lt, yi, ops]);
    expect(() => lossSplit(tf.zeros([2]), tf.zeros([3]), tf.zeros([2]))).toThrow(/differ/);
  });

  it('leaves the gradient of the loss it reads unchanged', async () => {
    await ensureBackend(backend);
    const v = tf.variable(tf.tensor1d([0.5, -1, 2, -0.25]));
    const y = tf.tensor1d([1, 0, 0, 0]);
    const g = (withSplit: boolean) =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          const l = tf.square(v);
          if (withSplit) lossSplit(l, y, v);
          return tf.sum(l) as tf.Scalar;
        }, [v]);
        return Array.from(grads[v.name].dataSync());
      });
    expect(g(true)).toEqual(g(false));
    tf.dispose([v, y]);
  });
});
