import CopyButton from './CopyButton';
import { REFERENCES, REFERENCE_ORDER, isReferenceKey, referenceId, type ReferenceKey } from './references';

/**
 * The reference list at the end of a chapter. Each entry has the id <Cite> links to (`ref-<key>`); the
 * focal-loss paper carries its BibTeX in a copyable <pre>.
 *
 * `only` limits the list to the works a chapter cites (in the list's fixed order); by default all are shown.
 * An unknown key throws at build time.
 */
export default function References({ only }: { only?: readonly string[] }) {
  const keys: ReferenceKey[] = only
    ? only.map((k) => {
        if (!isReferenceKey(k)) throw new Error(`<References only>: unknown reference key "${k}"`);
        return k;
      })
    : [...REFERENCE_ORDER];
  const ordered = REFERENCE_ORDER.filter((k) => keys.includes(k));

  return (
    <ol className="mdx-references">
      {ordered.map((key) => {
        const r: (typeof REFERENCES)[ReferenceKey] & { bibtex?: string } = REFERENCES[key];
        return (
          <li key={key} id={referenceId(key)}>
            <span className="mdx-ref-authors">{r.authors}</span> ({r.year}).{' '}
            <cite className="mdx-ref-title">{r.title}</cite>. {r.venue}.{' '}
            <a href={`https://arxiv.org/abs/${r.arxiv}`}>arXiv:{r.arxiv}</a>
            {r.note ? <span className="mdx-ref-note"> — {r.note}</span> : null}
            {r.bibtex ? (
              <div className="mdx-bibtex">
                <div className="mdx-bibtex-bar">
                  <span>BibTeX</span>
                  <CopyButton text={r.bibtex} label="Copy BibTeX" />
                </div>
                <pre tabIndex={0} aria-label={`BibTeX for ${r.title}`}>
                  <code>{r.bibtex}</code>
                </pre>
              </div>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
