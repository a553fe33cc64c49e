/**
 * How many threads the WASM backend asks for (issue 13, item 1): every core, at most the threaded build's pool of
 * 8, where the scope is cross-origin isolated; one thread where it is not (no SharedArrayBuffer).
 */
import { describe, expect, it } from 'vitest';
import { wasmThreadsWanted } from '../../../lib/tf/backend';

describe('wasmThreadsWanted', () => {
  it('asks for one thread per core on a cross-origin-isolated page', () => {
    expect(wasmThreadsWanted({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 2 } })).toBe(2);
    expect(wasmThreadsWanted({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 6 } })).toBe(6);
  });

  it('caps at the threaded build’s pool of 8 workers', () => {
    expect(wasmThreadsWanted({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 32 } })).toBe(8);
  });

  it('asks for one thread without isolation, or without a core count', () => {
    expect(wasmThreadsWanted({ crossOriginIsolated: false, navigator: { hardwareConcurrency: 8 } })).toBe(1);
    expect(wasmThreadsWanted({ navigator: { hardwareConcurrency: 8 } })).toBe(1);
    expect(wasmThreadsWanted({ crossOriginIsolated: true })).toBe(1);
  });

  it("asks for one thread on a page's own thread, isolated or not (pthreads cannot start from a bundled page)", () => {
    const page = { crossOriginIsolated: true, navigator: { hardwareConcurrency: 8 }, document: {} };
    expect(wasmThreadsWanted(page)).toBe(1);
  });
});
