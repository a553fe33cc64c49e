/**
 * Pure helpers for the presenter and embed routes: which figures a chapter's MDX source uses, kebab-case
 * ids for figure components, and which routes render without the site chrome. No React, no DOM, no fs,
 * so they are unit-tested in Node and shared by server pages and client components.
 */

/** A figure used in a chapter: the component's export name and its string-literal props. */
export interface FigureTag {
  name: string;
  props: Record<string, string>;
  /** Id of the `<Predict id="…">` question asked before this figure (and after the previous one), if any. */
  question?: string;
}

/**
 * One slide of the presenter: a registered figure with the props the chapter gave it, and the prediction
 * question the chapter asks before it (lib/predict/questions.ts), which the presenter shows above the figure.
 */
export interface Slide {
  id: string;
  name: string;
  props: Record<string, string>;
  question?: string;
}

/**
 * Figure tags (`<SomethingFigure … />`) in an MDX source, in reading order, each with the `<Predict>` question
 * asked just before it. Frontmatter, fenced code,
 * inline code and JSX comments are skipped, so a chapter can show a tag in a code sample without it
 * becoming a slide. Only string-literal props (`prefix="fl2"`, `title='…'`) are kept: they are the ones
 * that can be passed through a static page; expression props (`{…}`) are ignored.
 */
export function figureTagsInMdx(src: string): FigureTag[] {
  const text = stripNonContent(src);
  const out: FigureTag[] = [];
  let question: string | undefined;
  const open = /<([A-Z][A-Za-z0-9]*Figure|Predict)\b/g;
  for (let m = open.exec(text); m; m = open.exec(text)) {
    const { attrs, end } = scanAttributes(text, m.index + m[0].length);
    open.lastIndex = end;
    const props: Record<string, string> = {};
    const attr = /([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
    for (let a = attr.exec(attrs); a; a = attr.exec(attrs)) props[a[1]] = a[2] ?? a[3] ?? '';
    if (m[1] === 'Predict') {
      // A question belongs to the figure that follows it; one with no figure after it stays in the chapter.
      question = props.id || undefined;
      continue;
    }
    out.push(question ? { name: m[1], props, question } : { name: m[1], props });
    question = undefined;
  }
  return out;
}

/**
 * Reads a JSX tag's attribute text from `start` up to its closing `>`, honouring quotes and `{…}`
 * expressions (which may nest and contain `>`). Expressions are blanked, so only literal props remain.
 */
function scanAttributes(text: string, start: number): { attrs: string; end: number } {
  let depth = 0;
  let quote: string | null = null;
  let attrs = '';
  let i = start;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth = Math.max(0, depth - 1);
      continue;
    } else if (depth === 0 && (c === '"' || c === "'")) {
      quote = c;
    } else if (depth === 0 && c === '>') {
      break;
    }
    if (depth === 0) attrs += c;
  }
  return { attrs, end: i + 1 };
}

/** The source with frontmatter, fenced code blocks, inline code spans and JSX comments blanked out. */
function stripNonContent(src: string): string {
  const lines = src.split('\n');
  let inFence = false;
  let inFrontmatter = false;
  const kept = lines.map((line, i) => {
    if (i === 0 && line.trim() === '---') {
      inFrontmatter = true;
      return '';
    }
    if (inFrontmatter) {
      if (line.trim() === '---') inFrontmatter = false;
      return '';
    }
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      return '';
    }
    return inFence ? '' : line.replace(/`[^`]*`/g, '');
  });
  return kept.join('\n').replace(/\{\/\*[\s\S]*?\*\/\}/g, '');
}

/** `LossVsPtFigure` → `loss-vs-pt`: the export name without `Figure`, in kebab case. */
export function figureIdFromName(name: string): string {
  return name
    .replace(/Figure$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/**
 * The presenter's slides for a chapter: its figure tags that name a registered figure, in reading order,
 * each figure-with-props once (a chapter that shows the same figure twice gets one slide).
 */
export function slidesFromTags(tags: FigureTag[], idOf: (name: string) => string | undefined): Slide[] {
  const seen = new Set<string>();
  const out: Slide[] = [];
  for (const t of tags) {
    const id = idOf(t.name);
    if (!id) continue;
    const key = `${t.name}|${JSON.stringify(Object.entries(t.props).sort())}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(
      t.question
        ? { id, name: t.name, props: t.props, question: t.question }
        : { id, name: t.name, props: t.props },
    );
  }
  return out;
}

/**
 * The chapters that get a presenter page: those with at least one slide. A chapter without a live figure (the
 * glossary, the references) would present an empty page, so it gets neither the route nor the link to it.
 */
export function chaptersWithSlides<C extends { slug: string }>(
  chapters: readonly C[],
  slidesOf: (slug: string) => readonly unknown[],
): C[] {
  return chapters.filter((c) => slidesOf(c.slug).length > 0);
}

/** The DOM id of a figure's <figure> element, and the hash that links to it. */
export function figureAnchor(id: string): string {
  return `figure-${id}`;
}

/** The slide a `#figure-<id>` hash points at (0 when it names none of them). */
export function slideIndexFromHash(hash: string, slides: readonly { id: string }[]): number {
  const id = decodeURIComponent(hash.replace(/^#/, '')).replace(/^figure-/, '');
  const i = slides.findIndex((s) => s.id === id);
  return i < 0 ? 0 : i;
}

/** Routes that render one figure alone, without the site header, skip link and footer. */
export function isBareRoute(pathname: string | null | undefined): boolean {
  return /^\/(embed|present)(\/|$)/.test(pathname ?? '');
}

/**
 * A link to one figure in its current state: the page's URL with its query (every figure's settings)
 * and the hash replaced by the figure's anchor.
 */
export function figureStateLink(href: string, id: string): string {
  const u = new URL(href);
  u.hash = figureAnchor(id);
  return u.toString();
}

/**
 * The query without the figure parameters (`prefix.name`), e.g. to reset every figure on a page to its
 * defaults; other parameters are kept. Returns '' or a string starting with '?'.
 */
export function withoutFigureParams(search: string): string {
  const out = new URLSearchParams();
  for (const [k, v] of new URLSearchParams(search.replace(/^\?/, ''))) if (!k.includes('.')) out.append(k, v);
  const s = out.toString();
  return s ? `?${s}` : '';
}
