import CopyButton from './CopyButton';
import { bibtexOf } from './bibtex';
import { REFERENCES, REFERENCE_ORDER, referenceId, type ReferenceKey } from './references';

/**
 * The course's full reference list, for the references page: every work in ./references.ts, in REFERENCE_ORDER,
 * each with its BibTeX in a copyable block. Entries carry the same ids as <References> (`ref-<key>`), so <Cite>
 * links work on the page; use one or the other on a page, not both.
 */
export default function Bibliography() {
  return (
    <ol className="mdx-references mdx-bibliography">
      {REFERENCE_ORDER.map((key: ReferenceKey) => {
        const r = REFERENCES[key];
        const bib = bibtexOf(key);
        return (
          <li key={key} id={referenceId(key)}>
            <span className="mdx-ref-authors">{r.authors}</span> ({r.year}).{' '}
            <cite className="mdx-ref-title">{r.title}</cite>. {r.venue}.{' '}
            <a href={`https://arxiv.org/abs/${r.arxiv}`}>arXiv:{r.arxiv}</a>
            {r.note ? <span className="mdx-ref-note"> — {r.note}</span> : null}
            {bib ? (
              <div className="mdx-bibtex">
                <div className="mdx-bibtex-bar">
                  <span>BibTeX</span>
                  <CopyButton text={bib} label="Copy BibTeX" />
                </div>
                <pre tabIndex={0} aria-label={`BibTeX for ${r.title}`}>
                  <code>{bib}</code>
                </pre>
              </div>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
