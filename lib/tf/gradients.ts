/**
 * Registers tfjs-core's gradient functions, once, for every module that differentiates (`tf.grad`,
 * optimisers). `@tensorflow/tfjs-core` alone registers none, and `tf.grad` would throw "gradient function not
 * found for Sum". Bundlers (Next, Vitest) load this ES-module file natively; plain Node needs the hook in
 * scripts/node/tfjs-esm-hooks.mjs.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
