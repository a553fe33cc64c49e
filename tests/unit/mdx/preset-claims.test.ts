/**
 * content/data/presets.json (`npm run ablate -- --presets`, scripts/ablate-presets.ts) against the presets as they
 * are now (lib/playground/presets.ts): the file must be the published protocol's (test split, at least five seeds,
 * every run finished), and must have been measured on exactly today's presets — same runs, batch and steps — so a
 * changed preset fails here until the study is re-run. The preset texts the playground and chapter 7 show are
 * rendered from it (components/playground/presetOutcome.ts); this also checks that every chapter experiment has
 * them, and that a sentence only orders two runs where the paired difference exceeds twice its standard error.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import raw from '../../../content/data/presets.json';
import { ABLATION_SEEDS } from '../../../lib/detector/ablation';
import { sessionConfigFromState } from '../../../lib/playground/config';
import { presetOutcome, presetVerdict, type PresetsFile } from '../../../lib/playground/presetResults';
import { applyPreset, PRESETS } from '../../../lib/playground/presets';
import { measuredOutcome } from '../../../components/playground/presetOutcome';

const FILE = raw as unknown as PresetsFile & { failures?: unknown[] };

describe('the published presets study (content/data/presets.json)', () => {
  it('follows the protocol: test split, at least five seeds, nothing failed', () => {
    expect(FILE.held_out.split).toBe('test');
    expect(FILE.seeds.length).toBeGreaterThanOrEqual(ABLATION_SEEDS.length);
    expect(FILE.failures ?? []).toEqual([]);
    expect(FILE.command).toMatch(/^npm run ablate -- --presets/);
  });

  it.each(PRESETS.map((p) => [p.id]))(
    '%s: measured on the preset as it is now, every run on every seed',
    (id) => {
      const study = FILE.presets.find((p) => p.id === id);
      expect(study, `presets.json has no ${id}: re-run npm run ablate -- --presets`).toBeDefined();
      const cfg = sessionConfigFromState(applyPreset(PRESETS.find((p) => p.id === id)!));
      expect([study!.batch, study!.steps], 'batch and steps changed since the study').toEqual([
        cfg.batchSize,
        cfg.steps,
      ]);
      expect(study!.runs, 'the runs changed since the study').toEqual(cfg.runs);
      for (let run = 0; run < cfg.runs.length; run++) {
        const seeds = study!.results.filter((r) => r.run === run).map((r) => r.seed);
        expect(
          seeds.sort((a, b) => a - b),
          `${id} run ${run + 1}`,
        ).toEqual(FILE.seeds);
      }
    },
  );
});

describe('the preset texts are rendered from the data', () => {
  it.each(PRESETS.map((p) => [p.id]))('%s has its measured outcome', (id) => {
    const o = measuredOutcome(id);
    expect(o?.setting).toMatch(/^Measured in this site's study of the presets/);
    expect(o?.setting).toContain(`${FILE.seeds.length} seeds`);
    expect(o?.runs).toHaveLength(PRESETS.find((p) => p.id === id)!.runs.length);
  });

  it('every chapter experiment names a preset with data', () => {
    const ids = [
      ...fs.readFileSync('content/training.mdx', 'utf8').matchAll(/<Experiment\s+preset="([^"]+)"/g),
    ].map((m) => m[1]);
    expect(ids).not.toHaveLength(0);
    for (const id of ids) expect(measuredOutcome(id), id).not.toBeNull();
  });

  it('orders two runs only where the paired difference exceeds twice its standard error', () => {
    for (const p of PRESETS) {
      const v = presetVerdict(FILE, p.id);
      const { runs } = presetOutcome(FILE, p.id);
      for (const g of v.gaps) {
        const ordered = /, below .* by .* more than twice the standard error/.test(runs[g.run]);
        expect(ordered, `${p.id}: ${runs[g.run]}`).toBe(g.paired.separated);
      }
    }
  });
});
