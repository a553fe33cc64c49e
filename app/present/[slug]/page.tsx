import type { Metadata } from 'next';
import Presenter from '@/components/present/Presenter';
import { resolveQuestion, type ResolvedQuestion } from '@/lib/predict/questions';
import { loadChapter } from '../../chapters';
import { chapterSlides, presentedChapters } from '../../figure-index';

type Params = { params: Promise<{ slug: string }> };

export const dynamicParams = false;

export async function generateStaticParams() {
  // Only chapters with live figures: a presenter page without slides would be empty.
  return (await presentedChapters()).map((c) => ({ slug: c.slug }));
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug } = await params;
  const { meta } = await loadChapter(slug);
  return { title: `Present: ${meta.title}`, robots: { index: false } };
}

/**
 * `/present/<chapter>/`: the chapter's figures one at a time, large and high-contrast, for a classroom.
 * The slides are the figure tags in the chapter's MDX source, in reading order, each with the prediction
 * question the chapter asks before it.
 */
export default async function PresentPage({ params }: Params) {
  const { slug } = await params;
  const { meta } = await loadChapter(slug);
  const slides = chapterSlides(slug);
  // The questions the chapter asks before its figures, answered here at build time as in the chapter.
  const questions: Record<string, ResolvedQuestion> = {};
  for (const s of slides) if (s.question) questions[s.question] = resolveQuestion(s.question);
  return <Presenter chapter={{ slug, title: meta.title }} slides={slides} questions={questions} />;
}
