/**
 * The references page (<Bibliography>): every work in components/mdx/references.ts has a BibTeX entry that agrees
 * with its listed title, year and arXiv id, with unique citation keys and balanced braces.
 */
import { describe, expect, it } from 'vitest';
import { bibtexOf } from '../../../components/mdx/bibtex';
import { REFERENCES, REFERENCE_ORDER, type ReferenceKey } from '../../../components/mdx/references';

/** A BibTeX field's value with protective braces and LaTeX accents removed. */
function field(bib: string, name: string): string | null {
  const m = new RegExp(`^\\s*${name}\\s*=\\s*\\{(.*)\\},?\\s*$`, 'm').exec(bib);
  return m ? m[1].replace(/[{}]/g, '') : null;
}

describe('the BibTeX of every reference', () => {
  it('lists every reference exactly once', () => {
    expect(new Set(REFERENCE_ORDER).size).toBe(REFERENCE_ORDER.length);
    expect([...REFERENCE_ORDER].sort()).toEqual(Object.keys(REFERENCES).sort());
  });

  it.each(REFERENCE_ORDER.map((k) => [k]))('%s has an entry matching its title and year', (key) => {
    const r = REFERENCES[key as ReferenceKey];
    const bib = bibtexOf(key as ReferenceKey);
    expect(bib, key).not.toBeNull();
    expect(bib!).toMatch(/^@(inproceedings|article)\{[a-z0-9]+,\n/);
    expect(field(bib!, 'title')).toBe(r.title);
    expect(field(bib!, 'year')).toBe(String(r.year));
    if (key !== 'lin2017') expect(field(bib!, 'eprint')).toBe(r.arxiv);
    let depth = 0;
    for (const ch of bib!) {
      depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });

  it('uses a different citation key for every work', () => {
    const keys = REFERENCE_ORDER.map((k) => /^@\w+\{([^,]+),/.exec(bibtexOf(k) ?? '')?.[1]);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
