import type { Metadata } from 'next';
// KaTeX's stylesheet (24 kB, 20 @font-face rules) where math is typeset: only chapters have any (rehype-katex in
// next.config.mjs). In the root layout it was a render-blocking request and a style pass on every page.
import 'katex/dist/katex.min.css';
import PageLink from '@/components/site/PageLink';
import { listChapters, loadChapter, tableOfContents } from '../../chapters';
import { chapterSlides } from '../../figure-index';

type Params = { params: Promise<{ slug: string }> };

// Only the chapters in content/ exist; anything else is a 404 in the static export.
export const dynamicParams = false;

export async function generateStaticParams() {
  return (await listChapters()).map((c) => ({ slug: c.slug }));
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug } = await params;
  const { meta } = await loadChapter(slug);
  return { title: meta.title, description: meta.summary };
}

export default async function ChapterPage({ params }: Params) {
  const { slug } = await params;
  const [{ Content, meta }, chapters] = await Promise.all([loadChapter(slug), listChapters()]);
  const toc = tableOfContents(slug);
  const index = chapters.findIndex((c) => c.slug === slug);
  const prev = chapters[index - 1];
  const next = chapters[index + 1];

  return (
    <div className="chapter-layout">
      <aside className="toc" aria-label="On this page">
        <p className="toc-title">On this page</p>
        <ol>
          {toc.map((t) => (
            <li key={t.id} className={t.depth === 3 ? 'toc-sub' : undefined}>
              <a href={`#${t.id}`}>{t.text}</a>
            </li>
          ))}
        </ol>
      </aside>
      <main className="chapter">
        <p className="chapter-kicker">
          Chapter {meta.order} of {chapters.length}
        </p>
        <h1>{meta.title}</h1>
        {chapterSlides(slug).length > 0 && (
          <p className="chapter-tools">
            <PageLink href={`/present/${slug}/`}>Present this chapter’s figures</PageLink>
          </p>
        )}
        <article className="prose">
          <Content />
        </article>
        <nav className="pager" aria-label="Chapters">
          {prev ? (
            <PageLink href={`/learn/${prev.slug}/`} rel="prev" className="pager-prev">
              <span className="pager-label">Previous</span>
              <span className="pager-title">{prev.title}</span>
            </PageLink>
          ) : (
            <span />
          )}
          {next ? (
            <PageLink href={`/learn/${next.slug}/`} rel="next" className="pager-next">
              <span className="pager-label">Next</span>
              <span className="pager-title">{next.title}</span>
            </PageLink>
          ) : (
            <PageLink href="/" className="pager-next">
              <span className="pager-label">Done</span>
              <span className="pager-title">Back to the course overview</span>
            </PageLink>
          )}
        </nav>
      </main>
    </div>
  );
}
