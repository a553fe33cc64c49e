/**
 * The chapters' "On this page" lists (app/chapters.ts): headings read from the MDX source must show what the
 * reader sees in the rendered heading (no markdown escapes or emphasis markers) and carry rehype-slug's ids.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { headingsOf } from '../../../app/chapters';

describe('headingsOf', () => {
  it('removes backslash escapes, emphasis and code spans from the text, and slugs it as rehype-slug does', () => {
    const toc = headingsOf(
      [
        '## FL\\*: the paper’s own alternative',
        '### The **bold** `code` part',
        '## Two FL\\* and FL\\*',
      ].join('\n'),
    );
    expect(toc.map((t) => t.text)).toEqual([
      'FL*: the paper’s own alternative',
      'The bold code part',
      'Two FL* and FL*',
    ]);
    expect(toc[0].id).toBe('fl-the-papers-own-alternative');
    expect(toc.map((t) => t.depth)).toEqual([2, 3, 2]);
  });

  it('skips front matter, fenced code and headings outside ## and ###, and numbers duplicate ids', () => {
    const toc = headingsOf(
      [
        '---',
        'title: x',
        '---',
        '# Title',
        '## Same',
        '```',
        '## not a heading',
        '```',
        '#### deep',
        '## Same',
      ].join('\n'),
    );
    expect(toc).toEqual([
      { depth: 2, id: 'same', text: 'Same' },
      { depth: 2, id: 'same-1', text: 'Same' },
    ]);
  });

  it('leaves no markdown syntax in any chapter’s table of contents', () => {
    const dir = path.resolve(__dirname, '../../../content');
    const chapters = fs.readdirSync(dir).filter((f) => f.endsWith('.mdx'));
    expect(chapters.length).toBeGreaterThan(5);
    for (const f of chapters) {
      for (const t of headingsOf(fs.readFileSync(path.join(dir, f), 'utf8'))) {
        expect(t.text, `${f}: ${t.text}`).not.toMatch(/[\\`]|\*\*|(^|\s)_|_(\s|$)/);
      }
    }
  });
});
