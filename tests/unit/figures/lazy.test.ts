import { describe, expect, it } from 'vitest';
import fs from 'node:fs';

// Parsed from source so the test does not load React components or tfjs.
const exportsOf = (file: string) =>
  [...fs.readFileSync(file, 'utf8').matchAll(/export (?:const|\{ default as) (\w+Figure)\b/g)]
    .map((m) => m[1])
    .sort();

describe('components/figures/lazy.tsx', () => {
  it('offers every figure that components/figures/index.ts exports, so chapters can use each one', () => {
    const eager = exportsOf('components/figures/index.ts');
    expect(eager.length).toBeGreaterThanOrEqual(9);
    expect(exportsOf('components/figures/lazy.tsx')).toEqual(eager);
  });

  it("names each deferred figure by its own export, so its placeholder carries the figure's id", () => {
    const src = fs.readFileSync('components/figures/lazy.tsx', 'utf8');
    const pairs = [...src.matchAll(/export const (\w+) = deferred\(\s*'(\w+)'/g)];
    expect(pairs.length).toBeGreaterThanOrEqual(9);
    for (const [, exported, named] of pairs) expect(named).toBe(exported);
  });
});
