import type { Metadata } from 'next';
import Presenter from '@/components/present/Presenter';
import { listChapters, loadChapter } from '../../chapters';
import { chapterSlides } from '../../figure-index';

type Params = { params: Promise<{ slug: string }> };

export const dynamicParams = false;

export async function generateStaticParams() {
  return (await listChapters()).map((c) => ({ slug: c.slug }));
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug } = await params;
  const { meta } = await loadChapter(slug);
  return { title: `Present: ${meta.title}`, robots: { index: false } };
}

/**
 * `/present/<chapter>/`: the chapter's figures one at a time, large and high-contrast, for a classroom.
 * The slides are the figure tags in the chapter's MDX source, in reading order.
 */
export default async function PresentPage({ params }: Params) {
  const { slug } = await params;
  const { meta } = await loadChapter(slug);
  return <Presenter chapter={{ slug, title: meta.title }} slides={chapterSlides(slug)} />;
}
