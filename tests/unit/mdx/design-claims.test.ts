/**
 * "How the toy was designed" (content/training.mdx) prints its numbers from content/data/design.json
 * (`npm run design`, from the validation runs in content/data/design/). Its sentences also state orders ("more
 * background alone did not help γ = 2", "both together gave the paper's ordering"); these tests hold each against
 * the JSON, check that the JSON is what its sources say, and that the design it names is the one the study and
 * the playground use.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { designCandidate, designPaired, DESIGN } from '../../../components/mdx/designData';
import { summariseCandidate } from '../../../lib/detector/designStudy';
import { defaultLevel } from '../../../lib/detector/ablation';
import { SHARED_DEFAULTS } from '../../../lib/playground/schema';
import { anchorOptionsFor } from '../../../lib/playground/config';
import { CANDIDATES } from '../../../scripts/design';
import { sentences } from '../../helpers/sentences';

const above = (id: string, run: string, base: string) =>
  designPaired(id, run, base).diffs.every((d) => d > 0);
const below = (id: string, run: string, base: string) =>
  designPaired(id, run, base).diffs.every((d) => d < 0);

describe('content/data/design.json', () => {
  it('is what scripts/design.ts computes from its sources, all on the validation split', () => {
    const runsOf = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')).runs;
    expect(DESIGN.split).toBe('val');
    expect(DESIGN.candidates.map((c) => c.id)).toEqual(CANDIDATES.map((c) => c.id));
    for (const c of CANDIDATES) {
      expect(JSON.parse(JSON.stringify(summariseCandidate(runsOf, c)))).toEqual(designCandidate(c.id));
    }
    for (const s of DESIGN.sources) {
      // The old published study predates --split; every other source was trained on validation images.
      if (!s.file.endsWith('scratch.json')) expect(s.command, s.file).toMatch(/--split val\b/);
      expect(s.command, s.file).not.toMatch(/--split test\b/);
    }
  });

  it('names as chosen the design the study and the playground use: 21 anchors per location, warm start', () => {
    const chosen = designCandidate(DESIGN.chosen);
    expect([chosen.anchors_per_location, chosen.warm_start]).toEqual([21, true]);
    expect(defaultLevel().anchorsPerLocation).toBe(21);
    expect(anchorOptionsFor(SHARED_DEFAULTS.anchors).aspectRatios).toEqual(
      defaultLevel().anchors.aspectRatios,
    );
    expect(SHARED_DEFAULTS.pretrained).toBe(true);
  });
});

/** Order claims the design section may make, each with the check that must hold. */
const CLAIMS: { pattern: RegExp; holds: () => boolean }[] = [
  {
    // "… focal loss at the paper's γ = 2 did not beat cross-entropy: … <DesignPaired candidate="scratch-a9" …"
    pattern: /γ = 2 did not beat cross-entropy[^.]*candidate="scratch-a9" run="fl-g2" baseline="ce"/,
    holds: () => designPaired('scratch-a9', 'fl-g2', 'ce').mean < 0 && !above('scratch-a9', 'fl-g2', 'ce'),
  },
  {
    pattern: /More background alone did not help γ = 2/,
    holds: () =>
      below('scratch-a21', 'fl-g2', 'fl-g0.5') &&
      designPaired('scratch-a21', 'fl-g2', 'fl-g0.5').mean < -0.05,
  },
  {
    pattern: /the warm start already put FL at γ = 2 above plain CE on every seed/,
    holds: () => above('warm-a9', 'fl-g2', 'ce') && designPaired('warm-a9', 'fl-g2', 'ce').n >= 2,
  },
  {
    pattern: /The gap to plain CE is wider than with nine anchors/,
    holds: () => designPaired('warm-a21', 'fl-g2', 'ce').mean > designPaired('warm-a9', 'fl-g2', 'ce').mean,
  },
  {
    pattern: /without the prior ended far below[^.]*candidate="scratch-a9" run="ce-no-prior"/,
    holds: () =>
      below('scratch-a9', 'ce-no-prior', 'ce') && designPaired('scratch-a9', 'ce-no-prior', 'ce').mean < -0.1,
  },
  {
    pattern: /Both together.*gave the paper's ordering/,
    holds: () => above('warm-a21', 'fl-g2', 'ce') && above('warm-a21', 'fl-g2', 'ce-a0.75'),
  },
];

const ORDER = /\b(?:beats?|better|worse|wins?|loses?|help|ordering|below|above|wider|narrower)\b/i;

describe('every sentence elsewhere that cites design.json states an order it supports', () => {
  const cited = ['training', 'results'].flatMap((slug) =>
    sentences(fs.readFileSync(`content/${slug}.mdx`, 'utf8')).filter((s) =>
      /<Design(?:Paired|Value)\b/.test(s),
    ),
  );
  it.each(cited.map((s) => [s]))('“%s”', (s) => {
    const registered = CLAIMS.filter((c) => c.pattern.test(s));
    expect(
      registered,
      `a sentence citing design.json that no check covers; register it in CLAIMS: ${s}`,
    ).not.toHaveLength(0);
    for (const c of registered) expect(c.holds(), `design.json contradicts: ${s}`).toBe(true);
  });
});

describe('every order the design section states is one design.json supports', () => {
  const text = fs.readFileSync('content/training.mdx', 'utf8');
  const section = text.slice(
    text.indexOf('## How the toy was designed'),
    text.indexOf('## Before you draw conclusions'),
  );
  const claims = sentences(section).filter((s) => ORDER.test(s) && /<Design|γ|CE|cross-entropy/.test(s));

  it('finds the section and its claims', () => {
    expect(section.length).toBeGreaterThan(500);
    expect(claims).not.toHaveLength(0);
  });

  it.each(claims.map((s) => [s]))('“%s”', (s) => {
    const registered = CLAIMS.filter((c) => c.pattern.test(s));
    // Sentences with an order word that compare nothing (e.g. "if the warm start favours any loss") pass through.
    if (!/<Design|did not|gave|wider/.test(s)) return;
    expect(registered, `an order claim no check covers; register it in CLAIMS: ${s}`).not.toHaveLength(0);
    for (const c of registered) expect(c.holds(), `design.json contradicts: ${s}`).toBe(true);
  });
});
