/**
 * The worker's idle work (lib/tf/idle-work.ts): sliced tasks, their queue, and `shareRows` advancing it while
 * helper threads take a job's chunks (lib/tf/wasm-helper.ts).
 */
import { describe, expect, it } from 'vitest';
import { runIdleSlice, SlicedTask, whileHelpersWork } from '../../../lib/tf/idle-work';
import { startKernelHelper } from '../../../lib/tf/wasm-helper';
import { moduleBytes } from '../../../lib/tf/wasm-module';
import { CONV_WASM } from '../../../lib/tf/wasm/convWasm';
import { spawnNodeHelper } from '../../helpers/nodeKernelHelper';

/** A task of `n` slices that records which ran, returning their sum. */
function counting(n: number, ran: number[]): SlicedTask<number> {
  return new SlicedTask(
    (function* () {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        ran.push(i);
        sum += i;
        yield;
      }
      return sum;
    })(),
  );
}

describe('SlicedTask', () => {
  it('runs one slice a step, and its result runs what remains', () => {
    const ran: number[] = [];
    const t = counting(4, ran);
    expect(t.step()).toBe(false);
    expect(ran).toEqual([0]);
    expect(t.result()).toBe(6);
    expect(ran).toEqual([0, 1, 2, 3]);
    expect(t.done).toBe(true);
  });

  it('rethrows a slice’s error from result', () => {
    const t = new SlicedTask(
      (function* (): Generator<void, number> {
        yield;
        throw new Error('slice 2 failed');
      })(),
    );
    t.step();
    expect(t.step()).toBe(true);
    expect(() => t.result()).toThrow('slice 2 failed');
  });
});

describe('the idle-work queue', () => {
  it('advances the oldest task first, drops finished and taken tasks, and is empty after', () => {
    const [a, b]: number[][] = [[], []];
    const ta = whileHelpersWork(counting(2, a));
    const tb = whileHelpersWork(counting(2, b));
    expect(runIdleSlice()).toBe(true);
    expect(runIdleSlice()).toBe(true);
    expect([a, b]).toEqual([[0, 1], []]);
    expect(tb.result()).toBe(1); // taken: off the queue
    expect(runIdleSlice()).toBe(true); // a's last step (it finishes)
    expect(ta.result()).toBe(1);
    expect(runIdleSlice()).toBe(false);
  });

  it('holds a bounded number of tasks: one nobody takes is dropped, not kept', () => {
    const tasks = Array.from({ length: 12 }, () => whileHelpersWork(counting(1, [])));
    let slices = 0;
    while (runIdleSlice()) slices++;
    expect(slices).toBeLessThanOrEqual(8 * 2);
    expect(tasks[0].done).toBe(false); // dropped unrun; its result still works
    expect(tasks[0].result()).toBe(0);
  });

  it('is advanced by shareRows while the helpers hold chunks of a large job', async () => {
    const memory = new WebAssembly.Memory({ initial: 40, maximum: 65536, shared: true });
    const helper = await startKernelHelper(spawnNodeHelper, memory, {
      conv: new WebAssembly.Module(moduleBytes(CONV_WASM, true)),
    });
    expect(helper).not.toBeNull();
    const ran: number[] = [];
    const task = whileHelpersWork(counting(1000, ran));
    // A 1×1 conv of 1 channel over 4096 pixels: 256 chunks of 16, run by the helper while this thread slices.
    const [X, W, OUT, ZERO] = [1024, 512, 1024 + 4 * 4096, 256];
    let here = 0;
    helper!.shareRows(
      'conv',
      [X, W, 0, OUT, 0, 4096, 1, 1, 1, 1, 64, 64, 64, 64, 1, 1, 0, 0, ZERO, 0],
      4,
      4096,
      16,
      () => here++,
    );
    helper!.stop();
    expect(ran.length).toBeGreaterThan(0);
    expect(task.result()).toBe((1000 * 999) / 2);
  });
});
