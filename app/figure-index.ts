import fs from 'node:fs';
import path from 'node:path';
import { figureIdOf } from '@/components/figures/figureIds';
import type { RegisteredFigure } from '@/components/figures/registry';
import { chaptersWithSlides, figureTagsInMdx, slidesFromTags, type Slide } from '@/components/present/slides';
import { listChapters, type ChapterMeta } from './chapters';

/**
 * Build-time index of which chapter uses which figure, read from the MDX sources (as the table of
 * contents is): the presenter's slides and the embed pages' "Open in Focal Lab" links come from here.
 */

function chapterSource(slug: string): string {
  return fs.readFileSync(path.join(process.cwd(), 'content', `${slug}.mdx`), 'utf8');
}

/**
 * The figures a chapter shows, in reading order, as presenter slides. Ids come from ./figureIds, not the
 * registry: a chapter page calls this, and importing the registry would load every figure's code on it. A
 * `…Figure` tag in a chapter is a registered figure (the MDX build fails on any other; a test checks the ids).
 */
export function chapterSlides(slug: string): Slide[] {
  return slidesFromTags(figureTagsInMdx(chapterSource(slug)), figureIdOf);
}

/** The chapters that have a presenter page (`/present/<slug>/`): those with at least one slide. */
export async function presentedChapters(): Promise<ChapterMeta[]> {
  return chaptersWithSlides(await listChapters(), chapterSlides);
}

/**
 * The chapter that explains a figure: the registry's explicit choice, else the first chapter in course
 * order whose MDX uses the figure's tag; null for a figure no chapter uses.
 */
export async function homeChapter(figure: RegisteredFigure): Promise<ChapterMeta | null> {
  const chapters = await listChapters();
  if (figure.chapter) {
    const c = chapters.find((ch) => ch.slug === figure.chapter);
    if (!c)
      throw new Error(`registry: ${figure.name} names chapter "${figure.chapter}", which does not exist`);
    return c;
  }
  return (
    chapters.find((c) => figureTagsInMdx(chapterSource(c.slug)).some((t) => t.name === figure.name)) ?? null
  );
}
