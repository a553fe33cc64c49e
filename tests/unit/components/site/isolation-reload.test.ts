/**
 * The one reload that makes a page cross-origin isolated on a host without headers (issue 13, item 1): only a
 * top-level page with a never-started playground, controlled by the service worker, once per tab, at a pause.
 */
import { describe, expect, it } from 'vitest';
import { isolationReload } from '../../../../components/site/ServiceWorker';

const ready = {
  isolated: false,
  controlled: true,
  topLevel: true,
  reloadedBefore: false,
  playgroundPhases: ['idle'],
  quietFor: 5000,
};

describe('isolationReload', () => {
  it('reloads an idle playground page once the worker controls it and the reader has paused', () => {
    expect(isolationReload(ready)).toBe('reload');
  });

  it('waits while the reader is busy', () => {
    expect(isolationReload({ ...ready, quietFor: 500 })).toBe('wait');
  });

  it.each([
    ['the page is already isolated', { isolated: true }],
    ['the worker does not control the page', { controlled: false }],
    ['the page is inside a frame (only its embedder can isolate it)', { topLevel: false }],
    ['this tab reloaded for it before (no loop)', { reloadedBefore: true }],
    ['the page has no playground', { playgroundPhases: [] }],
    ['a run was started (reloading would lose it)', { playgroundPhases: ['ready'] }],
    ['the trainer is loading', { playgroundPhases: ['idle', 'loading'] }],
  ])('never reloads when %s', (_why, change) => {
    expect(isolationReload({ ...ready, ...change })).toBe('never');
  });
});
