import { REFERENCES, isReferenceKey, referenceId } from './references';

/**
 * An inline author-year citation that links to the chapter's reference list:
 *
 *   <Cite loc="Table 1b" />                       → (Lin et al., 2017, Table 1b)
 *   <Cite source="shrivastava2016" />             → (Shrivastava et al., 2016)
 *   <Cite loc="§3.2" narrative />                 → Lin et al. (2017, §3.2)
 *
 * `source` defaults to the focal-loss paper. (The prop is not called `ref`: React reserves that name.)
 * An unknown key throws, so a typo fails the build instead of printing a dead link.
 */
export default function Cite({
  source = 'lin2017',
  loc,
  narrative = false,
}: {
  /** A key of REFERENCES in ./references.ts. */
  source?: string;
  /** Where in the work: "Table 1b", "§3.2", "Figure 4", "eq. 10", "Appendix A". */
  loc?: string;
  /** Render "Lin et al. (2017, §3.2)" for use as the subject of a sentence. */
  narrative?: boolean;
}) {
  if (!isReferenceKey(source)) {
    throw new Error(`<Cite source="${source}">: unknown reference key (see components/mdx/references.ts)`);
  }
  const ref = REFERENCES[source];
  const href = `#${referenceId(source)}`;
  if (narrative) {
    const names = ref.label.replace(/,\s*\d{4}$/, '');
    return (
      <span className="mdx-cite">
        <a href={href}>{names}</a> ({ref.year}
        {loc ? `, ${loc}` : ''})
      </span>
    );
  }
  return (
    <span className="mdx-cite">
      (<a href={href}>{ref.label}</a>
      {loc ? `, ${loc}` : ''})
    </span>
  );
}
