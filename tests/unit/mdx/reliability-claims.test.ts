/**
 * The calibration section of the beyond-the-paper chapter prints its ECEs from content/data/reliability.json, but its
 * sentences also make qualitative claims ("on the diagonal", "over-confident", "higher on every seed"). These tests
 * hold every such sentence against the JSON, so re-running `npm run reliability` cannot silently make the prose
 * wrong: a sentence with a calibration claim must match a registered check, and the check must hold.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import raw from '../../../content/data/reliability.json';
import {
  expectedCalibrationError,
  MIN_BIN_COUNT,
  seedTablesOf,
  type ReliabilityFile,
  type ReliabilityKind,
} from '../../../lib/metrics/reliability';
import { sentences } from '../../helpers/sentences';

const FILE = raw as unknown as ReliabilityFile;
const tables = (loss: string, kind: ReliabilityKind) => seedTablesOf(FILE, loss, kind);
const ece = (loss: string, kind: ReliabilityKind) =>
  tables(loss, kind).map((t) => expectedCalibrationError(t.bins));
/** The bins of a seed with enough samples, as (lo, hi, mean score, precision). */
const reliable = (loss: string, kind: ReliabilityKind) =>
  tables(loss, kind).map((t) =>
    t.bins.flatMap((b, i) =>
      b.count >= MIN_BIN_COUNT && b.meanScore !== null
        ? [{ lo: i / t.bins.length, hi: (i + 1) / t.bins.length, s: b.meanScore, p: b.positives / b.count }]
        : [],
    ),
  );
/** On every seed, bins entirely below `low` are over-confident and bins entirely above `high` under-confident. */
const pulledToMiddle = (loss: string, kind: ReliabilityKind, low: number, high: number) =>
  reliable(loss, kind).every((bins) =>
    bins.every((b) => (b.hi <= low + 1e-9 ? b.p < b.s : b.lo >= high - 1e-9 ? b.p > b.s : true)),
  );
const everySeed = (xs: number[], ys: number[], cmp: (x: number, y: number) => boolean) =>
  xs.length === ys.length && xs.every((x, i) => cmp(x, ys[i]));

/** Claims the section may make, each with the check that must hold for it. */
const CLAIMS: { pattern: RegExp; holds: () => boolean }[] = [
  {
    pattern: /Cross-entropy's lie on the diagonal/,
    holds: () => ece('ce', 'anchors').every((e) => e < 1e-3),
  },
  {
    pattern: /Focal loss's do not: its ECE is .* higher than cross-entropy's on every seed/,
    holds: () => everySeed(ece('fl-g2', 'anchors'), ece('ce', 'anchors'), (a, b) => a > b),
  },
  {
    pattern: /scores below 0\.3 come true less often than they say and scores above 0\.5 more often/,
    holds: () => pulledToMiddle('fl-g2', 'anchors', 0.3, 0.5),
  },
  {
    pattern:
      /cross-entropy is over-confident: on every seed its precision is below the mean score in every bin/,
    holds: () => reliable('ce', 'detections').every((bins) => bins.every((b) => b.p < b.s)),
  },
  {
    pattern: /Focal loss keeps its pulled-to-the-middle shape there/,
    holds: () => pulledToMiddle('fl-g2', 'detections', 0.3, 0.6),
  },
  {
    pattern:
      /detections scored below 0\.3 come true less often than they say and those above 0\.6 more often/,
    holds: () => pulledToMiddle('fl-g2', 'detections', 0.3, 0.6),
  },
  {
    pattern: /Its ECE on the detections is .* lower than\s+cross-entropy's on every seed/,
    holds: () => everySeed(ece('fl-g2', 'detections'), ece('ce', 'detections'), (a, b) => a < b),
  },
  {
    pattern:
      /on the anchors, cross-entropy is already\s+calibrated and focal loss makes the scores less calibrated/,
    holds: () =>
      ece('ce', 'anchors').every((e) => e < 1e-3) &&
      everySeed(ece('fl-g2', 'anchors'), ece('ce', 'anchors'), (a, b) => a > b),
  },
  {
    pattern:
      /where cross-entropy is over-confident as in their starting point, focal loss's error is smaller/,
    holds: () =>
      reliable('ce', 'detections').every((bins) => bins.every((b) => b.p < b.s)) &&
      everySeed(ece('fl-g2', 'detections'), ece('ce', 'detections'), (a, b) => a < b),
  },
  {
    pattern: /it errs in both directions instead of one/,
    holds: () =>
      reliable('fl-g2', 'detections').every(
        (bins) => bins.some((b) => b.p < b.s) && bins.some((b) => b.p > b.s),
      ),
  },
];

/** Words that make a claim about calibration. */
const CALIBRATION =
  /\b(?:diagonal|calibrated|calibration error|over-confident|under-confident|come true|ECE is|lower than|higher than|errs)\b/i;

/** The toy's part of the section "What the score means: calibration", up to the next box. */
function calibrationSection(): string {
  const text = fs.readFileSync('content/beyond-the-paper.mdx', 'utf8');
  const start = text.indexOf('The toy detector of this site can be asked directly');
  const end = text.indexOf('<Note', start);
  expect(start).toBeGreaterThan(0);
  return text.slice(start, end);
}

describe('the calibration section states only what content/data/reliability.json shows', () => {
  const claimSentences = sentences(calibrationSection()).filter(
    (s) => CALIBRATION.test(s) && !/<Cite\b/.test(s),
  );

  it('finds the section’s claims (the scanner is not blind)', () => {
    expect(claimSentences.length).toBeGreaterThanOrEqual(5);
  });

  it.each(claimSentences.map((s) => [s]))('“%s”', (s) => {
    const claims = CLAIMS.filter((c) => c.pattern.test(s));
    expect(claims, `a calibration claim no check covers; register it in CLAIMS: ${s}`).not.toHaveLength(0);
    for (const c of claims) expect(c.holds(), `the data contradicts: ${s}`).toBe(true);
  });

  it('every registered claim is still in the chapter (a rewritten sentence drops its check)', () => {
    const text = sentences(calibrationSection()).join(' ');
    for (const c of CLAIMS) expect(c.pattern.test(text), String(c.pattern)).toBe(true);
  });

  it('an unregistered claim is caught: the per-sentence check would fail on it', () => {
    const wrong = "On the toy, cross-entropy's detections are under-confident on every seed.";
    expect(CALIBRATION.test(wrong)).toBe(true);
    expect(CLAIMS.filter((c) => c.pattern.test(wrong))).toEqual([]);
  });
});
