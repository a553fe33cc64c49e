/**
 * npm runs a script named `pre<x>` before `npm run <x>` and `post<x>` after it. A script that only happens to start
 * with "pre" or "post" (`pretrain` once did, so `npm run train` first spent minutes pretraining) must not.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';

/** The hooks that are meant: assets before dev and build, the CSP and service worker after build. */
const INTENDED_HOOKS = ['predev', 'prebuild', 'postbuild'];

describe('package.json scripts', () => {
  it('are lifecycle hooks of another script only where that is intended', () => {
    const scripts = Object.keys(JSON.parse(fs.readFileSync('package.json', 'utf8')).scripts as object);
    const hooks = scripts.filter((name) => {
      const m = /^(pre|post)(.+)$/.exec(name);
      return m !== null && scripts.includes(m[2]);
    });
    expect(hooks.sort()).toEqual([...INTENDED_HOOKS].sort());
  });
});
