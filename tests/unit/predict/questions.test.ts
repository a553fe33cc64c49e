import { describe, expect, it } from 'vitest';
import {
  bucketOf,
  closestChoice,
  PREDICT_QUESTIONS,
  pairedOutcome,
  resolveQuestion,
} from '@/lib/predict/questions';
import type { AblationRow } from '@/lib/detector/ablationResults';
import { ablationRow } from '@/components/mdx/ablationData';

describe('bucketOf', () => {
  it('puts a value in the half-open bucket that holds it, the last bucket closed', () => {
    expect(bucketOf(0.05, [0, 0.1, 0.4, 0.8, 1])).toBe(0);
    expect(bucketOf(0.1, [0, 0.1, 0.4, 0.8, 1])).toBe(1);
    expect(bucketOf(1, [0, 0.1, 0.4, 0.8, 1])).toBe(3);
  });
  it('refuses a value outside every bucket, so a stale choice list fails the build', () => {
    expect(() => bucketOf(1.2, [0, 1])).toThrow(RangeError);
    expect(() => bucketOf(Number.NaN, [0, 1])).toThrow(RangeError);
  });
});

describe('closestChoice', () => {
  it('picks the closest option', () => {
    expect(closestChoice(0.25, [0.75, 0.5, 0.25])).toBe(2);
    expect(closestChoice(0.61, [1, 0.6, 0.3])).toBe(1);
  });
});

describe('pairedOutcome', () => {
  const row = (seeds: number[], ap: number[]) => ({ seeds, ap }) as unknown as AblationRow;
  it('names a winner only when it is ahead on every shared seed', () => {
    expect(pairedOutcome(row([0, 1], [0.5, 0.6]), row([0, 1], [0.45, 0.59]))).toBe(0);
    expect(pairedOutcome(row([0, 1], [0.3, 0.4]), row([0, 1], [0.31, 0.5]))).toBe(1);
    // Unpaired the intervals overlap; paired, a is ahead on both seeds.
    expect(pairedOutcome(row([0, 1], [0.3, 0.6]), row([0, 1], [0.29, 0.59]))).toBe(0);
    expect(pairedOutcome(row([0, 1], [0.3, 0.6]), row([0, 1], [0.31, 0.59]))).toBe(2);
    // Seeds are matched by number, not by position.
    expect(pairedOutcome(row([1, 0], [0.6, 0.3]), row([0, 1], [0.29, 0.59]))).toBe(0);
  });
});

describe('the prediction questions', () => {
  it('have unique, URL-safe ids', () => {
    const ids = PREDICT_QUESTIONS.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+$/);
  });

  it.each(PREDICT_QUESTIONS.map((q) => q.id))('%s resolves to one of its choices, with numbers', (id) => {
    const q = resolveQuestion(id);
    expect(q.correct).toBeGreaterThanOrEqual(0);
    expect(q.correct).toBeLessThan(q.choices.length);
    expect(q.explanation).toMatch(/\d/);
    expect(q.source.length).toBeGreaterThan(10);
  });

  it('chapter 1: most of plain CE’s loss comes from the easy negatives at the calculator’s defaults', () => {
    expect(resolveQuestion('easy-negative-share').correct).toBe(2);
  });

  it('chapter 5: FL’s gradient at p_t = 0.1 has CE’s sign and is larger, not smaller', () => {
    expect(resolveQuestion('fl-gradient-hard').correct).toBe(0);
  });

  it('chapter 7: the race between CE and FL γ = 2 is answered from ablation.json, seed by seed', () => {
    expect(resolveQuestion('race-ce-vs-fl').correct).toBe(
      pairedOutcome(ablationRow('fl-g2'), ablationRow('ce')),
    );
  });

  it('an unknown id fails loudly', () => {
    expect(() => resolveQuestion('no-such-question')).toThrow(/no question/);
  });
});
