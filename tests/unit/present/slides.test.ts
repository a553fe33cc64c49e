import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chaptersWithSlides,
  figureIdFromName,
  figureStateLink,
  figureTagsInMdx,
  isBareRoute,
  slideIndexFromHash,
  slidesFromTags,
  withoutFigureParams,
} from '@/components/present/slides';

const CHAPTER = `---
title: A chapter
summary: <NotAFigure /> in frontmatter
order: 1
---

Intro with \`<InlineCodeFigure />\` in code.

<LossVsPtFigure />

\`\`\`mdx
<FencedFigure />
\`\`\`

{/* <CommentedFigure /> */}

Text, then a figure with props:

<AlphaBalanceFigure prefix="ab2" title='Two "classes"' extra={{ a: "ignored" }} />

<LossVsPtFigure />

<ModulatingFactorFigure
  prefix="mf"
/>
`;

describe('figureTagsInMdx', () => {
  it('finds figure tags in reading order, skipping frontmatter, code and JSX comments', () => {
    expect(figureTagsInMdx(CHAPTER).map((t) => t.name)).toEqual([
      'LossVsPtFigure',
      'AlphaBalanceFigure',
      'LossVsPtFigure',
      'ModulatingFactorFigure',
    ]);
  });

  it('keeps string-literal props and drops expression props', () => {
    const ab = figureTagsInMdx(CHAPTER)[1];
    expect(ab.props).toEqual({ prefix: 'ab2', title: 'Two "classes"' });
  });

  it('reads props of a tag that spans several lines', () => {
    expect(figureTagsInMdx(CHAPTER)[3].props).toEqual({ prefix: 'mf' });
  });

  it('ignores components whose names do not end in Figure', () => {
    expect(figureTagsInMdx('<Callout>\n<Recap />\n</Callout>')).toEqual([]);
  });
});

describe('slidesFromTags', () => {
  const ids: Record<string, string> = {
    LossVsPtFigure: 'loss-vs-pt',
    AlphaBalanceFigure: 'alpha-balance',
    ModulatingFactorFigure: 'modulating-factor',
  };

  it('makes one slide per registered figure-with-props, in order, dropping repeats and unknown tags', () => {
    const slides = slidesFromTags(
      [...figureTagsInMdx(CHAPTER), { name: 'UnknownFigure', props: {} }],
      (n) => ids[n],
    );
    expect(slides.map((s) => s.id)).toEqual(['loss-vs-pt', 'alpha-balance', 'modulating-factor']);
  });
});

describe('figureIdFromName', () => {
  it('turns the export name into the kebab-case id without "Figure"', () => {
    expect(figureIdFromName('LossVsPtFigure')).toBe('loss-vs-pt');
    expect(figureIdFromName('AlphaBalanceFigure')).toBe('alpha-balance');
    expect(figureIdFromName('AnchorExplorerFigure')).toBe('anchor-explorer');
    expect(figureIdFromName('APCurveFigure')).toBe('ap-curve');
    expect(figureIdFromName('Fig4Figure')).toBe('fig4');
  });
});

describe('slideIndexFromHash', () => {
  const slides = [{ id: 'a' }, { id: 'loss-vs-pt' }];
  it('finds the slide a #figure-<id> hash names, and falls back to the first', () => {
    expect(slideIndexFromHash('#figure-loss-vs-pt', slides)).toBe(1);
    expect(slideIndexFromHash('#loss-vs-pt', slides)).toBe(1);
    expect(slideIndexFromHash('', slides)).toBe(0);
    expect(slideIndexFromHash('#figure-nope', slides)).toBe(0);
  });
});

describe('isBareRoute', () => {
  it('is true for embed and presenter routes only', () => {
    expect(isBareRoute('/embed/loss-vs-pt/')).toBe(true);
    expect(isBareRoute('/present/focal-loss')).toBe(true);
    expect(isBareRoute('/embedded/')).toBe(false);
    expect(isBareRoute('/learn/focal-loss/')).toBe(false);
    expect(isBareRoute(null)).toBe(false);
  });
});

describe('figureStateLink', () => {
  it('keeps the query and replaces the hash with the figure anchor', () => {
    expect(figureStateLink('https://x.org/learn/a/?fl.gamma=2&mf.pt=0.9#intro', 'loss-vs-pt')).toBe(
      'https://x.org/learn/a/?fl.gamma=2&mf.pt=0.9#figure-loss-vs-pt',
    );
  });
});

describe('withoutFigureParams', () => {
  it('drops prefixed figure parameters and keeps the others', () => {
    expect(withoutFigureParams('?fl.gamma=2&theme=dark&mf.pt=0.5')).toBe('?theme=dark');
    expect(withoutFigureParams('?fl.gamma=2')).toBe('');
  });
});

describe('chaptersWithSlides', () => {
  const chapters = [{ slug: 'focal-loss' }, { slug: 'glossary' }, { slug: 'results' }];
  const slides: Record<string, string[]> = { 'focal-loss': ['loss-vs-pt'], glossary: [], results: ['seeds'] };

  it('keeps only the chapters with at least one slide, in order, so no presenter page is empty', () => {
    expect(chaptersWithSlides(chapters, (s) => slides[s] ?? []).map((c) => c.slug)).toEqual([
      'focal-loss',
      'results',
    ]);
  });

  it('the glossary and references chapters show no figure, and the results chapter shows one', () => {
    const registered = [
      ...fs.readFileSync('components/figures/index.ts', 'utf8').matchAll(/\{ default as (\w+Figure)\b/g),
    ].map((m) => m[1]);
    const figuresIn = (slug: string) =>
      figureTagsInMdx(fs.readFileSync(`content/${slug}.mdx`, 'utf8')).filter((t) =>
        registered.includes(t.name),
      );
    expect(figuresIn('glossary')).toEqual([]);
    expect(figuresIn('references')).toEqual([]);
    expect(figuresIn('results').map((t) => t.name)).toContain('AblationSeedsFigure');
    expect(figuresIn('beyond-the-paper').map((t) => t.name)).toContain('ReliabilityFigure');
  });
});

describe('chapter slides without the registry (app/figure-index.ts chapterSlides)', () => {
  it('every …Figure tag in a chapter is a figure exported by components/figures/index.ts', () => {
    const index = fs.readFileSync('components/figures/index.ts', 'utf8');
    const exported = new Set([...index.matchAll(/as (\w+Figure)\b/g)].map((m) => m[1]));
    expect(exported.size).toBeGreaterThan(5);
    for (const file of fs.readdirSync('content').filter((f) => f.endsWith('.mdx'))) {
      for (const tag of figureTagsInMdx(fs.readFileSync(`content/${file}`, 'utf8'))) {
        expect(exported.has(tag.name), `${file}: <${tag.name}>`).toBe(true);
      }
    }
  });
});
