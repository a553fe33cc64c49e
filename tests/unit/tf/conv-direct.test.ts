/**
 * The WASM conv kernel (lib/tf/conv-direct.ts, lib/tf/wasm/conv.wat) behind `Conv2D` and `FusedConv2D`:
 * the CPU backend is the reference, for the shapes the model uses and for the edges (channels that are not
 * multiples of 4 or 8, output sizes that are not multiples of 4, explicit padding, bias, ReLU) and for the calls it
 * must hand to the stock kernel (few channels where strided, dilations, other activations), and `convSimd` itself
 * with strides; its
 * rows shared with a second thread give
 * the same bits.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../../../lib/tf/backend';
import { convSimd, wasmConvForward } from '../../../lib/tf/conv-direct';
import { CONV_WASM } from '../../../lib/tf/wasm/convWasm';
import { startKernelHelper } from '../../../lib/tf/wasm-helper';
import { moduleBytes } from '../../../lib/tf/wasm-module';
import { lcgValues } from '../../helpers/lcgValues';
import { spawnNodeHelper } from '../../helpers/nodeKernelHelper';

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;
interface Case {
  name: string;
  x: [number, number, number, number];
  k: [number, number];
  cout: number;
  pad: Pad;
  stride?: number;
  dilation?: number;
  bias?: boolean;
  activation?: 'linear' | 'relu' | 'elu';
}

const CASES: Case[] = [
  {
    name: 'the head’s 3×3 conv, bias, ReLU',
    x: [2, 8, 8, 32],
    k: [3, 3],
    cout: 32,
    pad: 'same',
    bias: true,
    activation: 'relu',
  },
  {
    name: 'the class output: 63 channels, bias',
    x: [2, 4, 4, 32],
    k: [3, 3],
    cout: 63,
    pad: 'same',
    bias: true,
  },
  {
    name: 'a box-site window, valid, 5×5 → 3×3 (pixels not a multiple of 4)',
    x: [3, 5, 5, 32],
    k: [3, 3],
    cout: 32,
    pad: 'valid',
    bias: true,
    activation: 'relu',
  },
  { name: 'odd channels in and out, no bias', x: [2, 7, 9, 3], k: [3, 3], cout: 5, pad: 'same' },
  { name: '1×1 lateral', x: [2, 6, 6, 16], k: [1, 1], cout: 32, pad: 'valid', bias: true },
  {
    name: '5×5, explicit asymmetric padding',
    x: [1, 9, 8, 4],
    k: [5, 5],
    cout: 9,
    pad: [
      [0, 0],
      [2, 1],
      [0, 3],
      [0, 0],
    ],
  },
  {
    name: 'stride 2, odd size',
    x: [2, 9, 9, 8],
    k: [3, 3],
    cout: 8,
    pad: 'same',
    stride: 2,
  },
  {
    name: 'the stem: stride 2, 3 channels in, even size (stock kernel; convSimd below)',
    x: [2, 16, 16, 3],
    k: [3, 3],
    cout: 16,
    pad: 'same',
    stride: 2,
  },
  {
    name: 'stride 2, valid, bias, ReLU (stock kernel: 4 channels in; convSimd below)',
    x: [1, 10, 11, 4],
    k: [3, 3],
    cout: 8,
    pad: 'valid',
    stride: 2,
    bias: true,
    activation: 'relu',
  },
  { name: 'dilation 2 (stock kernel)', x: [1, 9, 9, 4], k: [3, 3], cout: 4, pad: 'same', dilation: 2 },
  {
    name: 'ELU (stock kernel)',
    x: [1, 6, 6, 8],
    k: [3, 3],
    cout: 8,
    pad: 'same',
    bias: true,
    activation: 'elu',
  },
];

/** The case's conv on the active backend, as plain numbers. */
function run(c: Case): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(
      lcgValues(
        c.x.reduce((a, b) => a * b, 1),
        1,
      ),
      c.x,
    );
    const filter = tf.tensor4d(lcgValues(c.k[0] * c.k[1] * c.x[3] * c.cout, 2), [...c.k, c.x[3], c.cout]);
    const bias = c.bias ? tf.tensor1d(lcgValues(c.cout, 3)) : undefined;
    const y =
      c.bias || c.activation
        ? tf.fused.conv2d({
            x,
            filter,
            strides: c.stride ?? 1,
            pad: c.pad,
            dilations: c.dilation ?? 1,
            bias,
            activation: c.activation ?? 'linear',
          })
        : tf.conv2d(x, filter, c.stride ?? 1, c.pad, 'NHWC', c.dilation ?? 1);
    return y.dataSync() as Float32Array;
  });
}

describe('the conv kernel', () => {
  it('is what lib/tf/wasm/convWasm.ts holds: the .wat compiled by scripts/build-wasm.mjs', async () => {
    // @ts-expect-error -- plain ESM script without type declarations
    const { compile } = await import('../../../scripts/build-wasm.mjs');
    expect(await compile('conv')).toEqual(CONV_WASM);
  });

  describe('as Conv2D and FusedConv2D on the WASM backend', () => {
    beforeAll(async () => {
      await ensureBackend('wasm');
    });
    afterAll(async () => {
      await ensureBackend('cpu');
    });

    it('is installed with the backend', () => {
      expect(wasmConvForward.installed).toBe(true);
    });

    for (const c of CASES) {
      it(`equals the CPU backend: ${c.name}`, async () => {
        await ensureBackend('wasm');
        const got = run(c);
        await ensureBackend('cpu');
        const want = run(c);
        await ensureBackend('wasm');
        expect(got.length).toBe(want.length);
        let worst = 0;
        for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
        expect(worst).toBeLessThan(2e-5 * c.k[0] * c.k[1] * c.x[3]);
      });
    }

    for (const c of CASES.filter((k) => (k.stride ?? 1) > 1)) {
      it(`convSimd with strides equals the CPU backend: ${c.name}`, async () => {
        await ensureBackend('wasm');
        const s = c.stride!;
        const got = tf.tidy(() => {
          const x = tf.tensor4d(
            lcgValues(
              c.x.reduce((a, b) => a * b, 1),
              1,
            ),
            c.x,
          );
          const filter = tf.tensor4d(lcgValues(c.k[0] * c.k[1] * c.x[3] * c.cout, 2), [
            ...c.k,
            c.x[3],
            c.cout,
          ]);
          const bias = c.bias ? tf.tensor1d(lcgValues(c.cout, 3)) : null;
          const info = tf.backend_util.computeConv2DInfo(
            c.x,
            [...c.k, c.x[3], c.cout],
            s,
            1,
            c.pad as 'same',
          );
          const { top, bottom, left, right } = info.padInfo;
          const y = convSimd(x, filter, bias, c.activation === 'relu', { top, bottom, left, right }, [s, s]);
          return y!.dataSync() as Float32Array;
        });
        await ensureBackend('cpu');
        const want = run(c);
        await ensureBackend('wasm');
        expect(got.length).toBe(want.length);
        let worst = 0;
        for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
        expect(worst).toBeLessThan(2e-5 * c.k[0] * c.k[1] * c.x[3]);
      });
    }

    it('leaves no tensor behind', () => {
      run(CASES[0]);
      const before = tf.memory().numTensors;
      run(CASES[0]);
      run(CASES[2]);
      expect(tf.memory().numTensors).toBe(before);
    });
  });

  it('shared with two helper threads, gives what one thread gives, bit for bit', async () => {
    const memory = new WebAssembly.Memory({ initial: 8, maximum: 65536, shared: true });
    const f32 = new Float32Array(memory.buffer);
    // x [2, 10, 10, 8], w [3, 3, 8, 12], bias [12], 'same' (the border taps read ZERO), out [2, 10, 10, 12] twice.
    const [nb, hp, wp, cin, cout, ho, wo] = [2, 10, 10, 8, 12, 10, 10];
    const ZERO = 128;
    const X = 256;
    const W = X + 4 * nb * hp * wp * cin;
    const BIAS = W + 4 * 9 * cin * cout;
    const OUT1 = BIAS + 4 * cout + 64;
    const OUT2 = OUT1 + 4 * nb * ho * wo * cout;
    f32.set(lcgValues(nb * hp * wp * cin, 4), X / 4);
    f32.set(lcgValues(9 * cin * cout, 5), W / 4);
    f32.set(lcgValues(cout, 6), BIAS / 4);
    const simd = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(CONV_WASM, true)), {
      env: { memory },
    }).exports as unknown as { conv(...args: number[]): void };
    const args = (out: number, q0: number, q1: number) =>
      [X, W, BIAS, out, q0, q1, cin, cout, 3, 3, hp, wp, ho, wo, 1, 1, 1, 1, ZERO, 1] as number[];
    const helper = await startKernelHelper(
      spawnNodeHelper,
      memory,
      { conv: new WebAssembly.Module(moduleBytes(CONV_WASM, true)) },
      2,
    );
    expect(helper?.threads).toBe(2);
    const total = nb * ho * wo;
    simd.conv(...args(OUT1, 0, total));
    // Chunks of 6 pixels: tiles of 4 that end inside a chunk.
    helper!.shareRows('conv', args(OUT2, 0, total), 4, total, 6, (q0, q1) =>
      simd.conv(...args(OUT2, q0, q1)),
    );
    helper!.stop();
    expect(Array.from(new Uint32Array(memory.buffer, OUT2, total * cout))).toEqual(
      Array.from(new Uint32Array(memory.buffer, OUT1, total * cout)),
    );
  });
});
