/**
 * The WASM filter gradient's own kernel (lib/tf/conv-filter-grad.ts, lib/tf/wasm/filterGrad.wat) and the second
 * thread that shares its rows (lib/tf/wasm-helper.ts). Its agreement with the CPU backend through tf.grads, over
 * strides, paddings and odd channel counts, is in ./wasm-conv-gradients.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../../../lib/tf/backend';
import { filterGradSimd } from '../../../lib/tf/conv-filter-grad';
import { FILTER_GRAD_WASM } from '../../../lib/tf/wasm/filterGradWasm';
import { startKernelHelper, type KernelHelper } from '../../../lib/tf/wasm-helper';
import { moduleBytes } from '../../../lib/tf/wasm-module';
import { lcgValues } from '../../helpers/lcgValues';
import { spawnNodeHelper } from '../../helpers/nodeKernelHelper';

describe('the filter-gradient kernel', () => {
  it('is what lib/tf/wasm/filterGradWasm.ts holds: the .wat compiled by scripts/build-wasm.mjs', async () => {
    // @ts-expect-error -- plain ESM script without type declarations
    const { compile } = await import('../../../scripts/build-wasm.mjs');
    expect(await compile('filterGrad')).toEqual(FILTER_GRAD_WASM);
  });

  describe('on the WASM backend', () => {
    beforeAll(async () => {
      await ensureBackend('wasm');
    });
    afterAll(async () => {
      await ensureBackend('cpu');
    });

    it('is the path the backend takes, and equals the sum written out in float64', () => {
      // x [2, 9, 7, 6] (channels not a multiple of 4), dy [2, 5, 4, 11] (nor of 8), 3×3, stride 2, 'same'.
      const [nb, h, w, cin, ho, wo, cout, s, pt, pl] = [2, 9, 7, 6, 5, 4, 11, 2, 1, 1];
      const x = lcgValues(nb * h * w * cin, 1);
      const dy = lcgValues(nb * ho * wo * cout, 2);
      const want = new Float64Array(9 * cin * cout);
      for (let kh = 0; kh < 3; kh++)
        for (let kw = 0; kw < 3; kw++)
          for (let b = 0; b < nb; b++)
            for (let o = 0; o < ho; o++)
              for (let p = 0; p < wo; p++) {
                const r = o * s + kh - pt;
                const c = p * s + kw - pl;
                if (r < 0 || r >= h || c < 0 || c >= w) continue;
                for (let ci = 0; ci < cin; ci++)
                  for (let co = 0; co < cout; co++)
                    want[((kh * 3 + kw) * cin + ci) * cout + co] +=
                      x[((b * h + r) * w + c) * cin + ci] * dy[((b * ho + o) * wo + p) * cout + co];
              }
      const xt = tf.tensor4d(x, [nb, h, w, cin]);
      const dyt = tf.tensor4d(dy, [nb, ho, wo, cout]);
      const geometry = { kh: 3, kw: 3, sh: s, sw: s, top: pt, left: pl, ho, wo };
      const ours = filterGradSimd(xt, dyt, [3, 3, cin, cout], geometry);
      expect(ours).not.toBeNull();
      expect(ours!.shape).toEqual([3, 3, cin, cout]);
      const got = ours!.dataSync();
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      ours!.dispose();
      xt.dispose();
      dyt.dispose();
      expect(worst).toBeLessThan(1e-5);
    });

    it('sums over every axis but the last (a bias gradient) in one pass, as the CPU backend does', async () => {
      const cases: [number[], number[] | number | undefined, boolean][] = [
        [[2, 5, 5, 32], [0, 1, 2], false], // a bias gradient: the SIMD column sum
        [[3, 4, 4, 63], [2, 1, 0], true], // 63 = 15 vectors and 3 single columns, keepDims
        [[7, 6], 0, false], // rank 2
        [[2, 3, 4, 5], 3, false], // the stock kernel's from here
        [[2, 3, 4, 5], undefined, false],
        [[2, 3, 4, 5], [1, 2], true],
      ];
      for (const [shape, axis, keepDims] of cases) {
        const x = lcgValues(
          shape.reduce((a, b) => a * b, 1),
          7,
        );
        const run = () =>
          tf.tidy(() => {
            const y = tf.sum(tf.tensor(x, shape), axis, keepDims);
            return { shape: y.shape, values: Array.from(y.dataSync()) };
          });
        await ensureBackend('wasm');
        const got = run();
        await ensureBackend('cpu');
        const want = run();
        await ensureBackend('wasm');
        expect(got.shape, `${shape} ${axis}`).toEqual(want.shape);
        for (let i = 0; i < want.values.length; i++) expect(got.values[i]).toBeCloseTo(want.values[i], 4);
      }
    });

    it('leaves no tensor behind', () => {
      const x = tf.tensor4d(lcgValues(2 * 6 * 6 * 3, 3), [2, 6, 6, 3]);
      const dy = tf.tensor4d(lcgValues(2 * 6 * 6 * 5, 4), [2, 6, 6, 5]);
      const g = { kh: 3, kw: 3, sh: 1, sw: 1, top: 1, left: 1, ho: 6, wo: 6 };
      filterGradSimd(x, dy, [3, 3, 3, 5], g)!.dispose();
      const before = tf.memory().numTensors;
      filterGradSimd(x, dy, [3, 3, 3, 5], g)!.dispose();
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      dy.dispose();
    });
  });

  describe('shared with a second thread', () => {
    // A shared memory like tfjs's threaded build's, with x [2, 8, 8, 8], dy [2, 8, 8, 12] and two outputs.
    const [nb, h, w, cin, cout, np] = [2, 8, 8, 8, 12, 16];
    const mp = 9 * cin;
    const memory = new WebAssembly.Memory({ initial: 8, maximum: 65536, shared: true });
    const f32 = new Float32Array(memory.buffer);
    const X = 256;
    const DY = X + 4 * nb * h * w * cin;
    const OUT1 = DY + 4 * nb * h * w * cout + 64;
    const OUT2 = OUT1 + 4 * mp * np;
    f32.set(lcgValues(nb * h * w * cin, 5), X / 4);
    f32.set(lcgValues(nb * h * w * cout, 6), DY / 4);
    const simd = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(FILTER_GRAD_WASM, true)), {
      env: { memory },
    }).exports as unknown as { filterGrad(...args: number[]): void };
    const args = (out: number, m0: number, m1: number) =>
      [X, DY, out, m0, m1, cin, cin, 3, h, w, h, w, 1, 1, 1, 1, nb, cout, np] as number[];
    const modules = () => ({ filterGrad: new WebAssembly.Module(moduleBytes(FILTER_GRAD_WASM, true)) });
    let helper: KernelHelper | null = null;

    afterAll(() => helper?.stop());

    it('gives, bit for bit, what one thread gives', async () => {
      helper = await startKernelHelper(spawnNodeHelper, memory, modules());
      expect(helper).not.toBeNull();
      simd.filterGrad(...args(OUT1, 0, mp));
      let mine = 0;
      helper!.shareRows('filterGrad', args(OUT2, 0, mp), 3, mp, 4, (r0, r1) => {
        mine += r1 - r0;
        simd.filterGrad(...args(OUT2, r0, r1));
      });
      expect(mine % 4).toBe(0);
      const one = new Uint32Array(memory.buffer, OUT1, mp * np);
      const two = new Uint32Array(memory.buffer, OUT2, mp * np);
      expect(Array.from(two)).toEqual(Array.from(one));
    });

    it('does every chunk here once the helper is stopped', () => {
      new Float32Array(memory.buffer, OUT2, mp * np).fill(0);
      helper!.stop();
      let mine = 0;
      helper!.shareRows('filterGrad', args(OUT2, 0, mp), 3, mp, 4, (r0, r1) => {
        mine += r1 - r0;
        simd.filterGrad(...args(OUT2, r0, r1));
      });
      expect(mine).toBe(mp);
      expect(Array.from(new Uint32Array(memory.buffer, OUT2, mp * np))).toEqual(
        Array.from(new Uint32Array(memory.buffer, OUT1, mp * np)),
      );
    });

    it('does not start without a shared memory, or where the worker cannot start', async () => {
      const plain = new WebAssembly.Memory({ initial: 1 });
      expect(await startKernelHelper(spawnNodeHelper, plain, modules())).toBeNull();
      const broken = () => {
        throw new Error('no workers here');
      };
      expect(await startKernelHelper(broken, memory, modules())).toBeNull();
    });
  });
});
