import * as tf from '@tensorflow/tfjs-core';

/** Per-element values of f at `xs` and d(Σ f)/dx, on the active backend, read back as plain arrays. */
export function valueAndGrad(
  f: (x: tf.Tensor) => tf.Tensor,
  xs: number[],
): { value: number[]; grad: number[] } {
  return tf.tidy(() => {
    const x = tf.tensor1d(xs);
    return {
      value: Array.from(f(x).dataSync()),
      grad: Array.from(
        tf
          .grad((xi: tf.Tensor) => tf.sum(f(xi)))(x)
          .dataSync(),
      ),
    };
  });
}
