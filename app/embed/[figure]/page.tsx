import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { FIGURES, figureById } from '@/components/figures/registry';
import EmbedBackLink from '@/components/present/EmbedBackLink';
import { homeChapter } from '../../figure-index';

type Params = { params: Promise<{ figure: string }> };

// One page per registered figure; any other id is a 404 in the static export.
export const dynamicParams = false;

export function generateStaticParams() {
  return FIGURES.map((f) => ({ figure: f.id }));
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { figure } = await params;
  const f = figureById(figure);
  const chapter = f ? await homeChapter(f) : null;
  return {
    title: `Figure: ${figure.replace(/-/g, ' ')}${chapter ? ` (${chapter.title})` : ''}`,
    description: 'One live Focal Lab figure, for an iframe in slides or a course page.',
    // The chapter is the page to find; the embed is a fragment of it.
    robots: { index: false },
  };
}

/**
 * `/embed/<figure>/?<params>`: one figure alone, for an iframe in slides or an LMS. The figure reads its
 * settings from this page's query exactly as it does in a chapter (useUrlState); `?theme=dark|light`
 * picks a theme for the frame.
 */
export default async function EmbedPage({ params }: Params) {
  const { figure } = await params;
  const f = figureById(figure);
  if (!f) notFound();
  const chapter = await homeChapter(f);
  const { Component } = f;
  return (
    <div className="embed">
      <main className="embed__main">
        <h1 className="sr-only">Focal Lab figure{chapter ? ` from the chapter “${chapter.title}”` : ''}</h1>
        <Component />
      </main>
      <footer className="embed__footer">
        <EmbedBackLink path={chapter ? `/learn/${chapter.slug}/` : '/figures/'} id={f.id}>
          Open in Focal Lab: {chapter ? chapter.title : 'All figures'}
        </EmbedBackLink>
      </footer>
    </div>
  );
}
