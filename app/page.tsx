import PageLink from '@/components/site/PageLink';
import { listChapters } from './chapters';

export default async function Home() {
  const chapters = await listChapters();
  return (
    <main className="home">
      <section className="hero">
        <h1>Why does focal loss work?</h1>
        <p className="lede">
          A one-stage detector scores tens of thousands of candidate boxes per image, and almost all of them
          are easy background. Focal Lab shows, with live figures you can drag, how the focal loss of Lin et
          al. (ICCV 2017) keeps those easy negatives from drowning out the few examples that matter.
        </p>
        {chapters[0] && (
          <p>
            <PageLink className="button" href={`/learn/${chapters[0].slug}/`}>
              Start with chapter 1
            </PageLink>
          </p>
        )}
      </section>
      <section aria-labelledby="chapters-heading">
        <h2 id="chapters-heading">Chapters</h2>
        <ol className="chapter-list">
          {chapters.map((c) => (
            <li key={c.slug}>
              <PageLink href={`/learn/${c.slug}/`}>
                <span className="chapter-number">{c.order}</span>
                <span className="chapter-text">
                  <span className="chapter-title">{c.title}</span>
                  <span className="chapter-summary">{c.summary}</span>
                </span>
              </PageLink>
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}
