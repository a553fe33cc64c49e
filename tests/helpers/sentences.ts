/** Splits chapter prose into sentences for the tests that hold the prose's claims against data (tests/unit/mdx/). */

/** Sentences of an MDX chapter (frontmatter list items and paragraphs), with inline JSX kept as text and TeX Greek as letters. */
export function sentences(text: string): string[] {
  return text
    .replace(/\$([^$]*)\$/g, '$1')
    .replace(/\\gamma/g, 'γ')
    .replace(/\\alpha/g, 'α')
    .replace(/\\beta/g, 'β')
    .split(/\n\s*\n|\n\s*-\s+|(?<=[.!?])\s+(?=[A-Z(<*])/)
    .map((x) => x.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}
