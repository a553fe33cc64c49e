/**
 * Pure pieces of figure export (no DOM globals, so they are unit-tested in Node):
 * copying computed styles onto a cloned SVG, and composing several positioned parts into one
 * standalone SVG document. The figures colour everything with CSS variables (`var(--series-1)`) and
 * classes from the site's stylesheets; neither survives outside the page, so every exported element
 * carries its resolved colours and fonts inline.
 */

/** Presentation properties copied from the computed style onto each exported element. */
export const INLINE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'visibility',
  'display',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'font-variant-numeric',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
  'letter-spacing',
] as const;

/** Properties that inherit in SVG (all of INLINE_PROPS but these two): written only where they differ from the parent's. */
const NOT_INHERITED = new Set<string>(['opacity', 'display']);
const INHERITED = new Set<string>(INLINE_PROPS.filter((p) => !NOT_INHERITED.has(p)));

/** Initial values of the non-inherited properties: not written (an exported file stays small). */
const INITIAL: Record<string, string> = { opacity: '1' };

/** Reads one computed property ('' when unknown). */
export type StyleReader = (prop: string) => string;

/**
 * The inline `style` text for one element: every {@link INLINE_PROPS} value that is not implied by the
 * parent (inherited and equal) or by the initial value. `display` is written only when it is `none`,
 * since an SVG viewer's default is right otherwise.
 */
export function inlineStyleText(own: StyleReader, parent: StyleReader | null): string {
  const parts: string[] = [];
  for (const prop of INLINE_PROPS) {
    const v = own(prop).trim();
    if (!v) continue;
    if (prop === 'display') {
      if (v === 'none') parts.push('display:none');
      continue;
    }
    if (parent && INHERITED.has(prop) && parent(prop).trim() === v) continue;
    if (!parent && prop === 'visibility' && v === 'visible') continue;
    if (INITIAL[prop] === v) continue;
    parts.push(`${prop}:${v}`);
  }
  return parts.join(';');
}

/** The few DOM members the style inliner uses (an SVGElement satisfies it; tests pass plain objects). */
export interface ElementLike {
  readonly children: ArrayLike<ElementLike>;
  readonly attributes: ArrayLike<{ name: string; value: string }>;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
}

/** Attributes that only make sense on the live page (keyboard focus, React's test hooks). */
const DROP_ATTRIBUTES = new Set(['tabindex', 'class']);

/**
 * Walks `source` (the live element) and `clone` (its deep copy) in step and writes each source element's
 * computed style onto the clone as an inline `style`. Presentation attributes whose value uses a CSS
 * variable (`stroke="var(--series-1)"`) are removed, since the inline style now carries the resolved
 * value and a viewer would read the variable as invalid paint. Classes and tabindex are dropped.
 */
export function inlineStyles(
  source: ElementLike,
  clone: ElementLike,
  computed: (el: ElementLike) => StyleReader,
  parent: StyleReader | null = null,
): void {
  const own = computed(source);
  for (const { name, value } of Array.from(clone.attributes)) {
    if (DROP_ATTRIBUTES.has(name) || value.includes('var(')) clone.removeAttribute(name);
  }
  const style = inlineStyleText(own, parent);
  if (style) clone.setAttribute('style', style);
  else clone.removeAttribute('style');
  const n = Math.min(source.children.length, clone.children.length);
  for (let i = 0; i < n; i++) inlineStyles(source.children[i], clone.children[i], computed, own);
}

/** Escapes text for an XML text node or a double-quoted attribute. */
export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A line of text (title, subtitle, legend label) placed at its on-page position. */
export interface TextPart {
  text: string;
  /** Left edge and vertical centre, in px relative to the exported area. */
  x: number;
  y: number;
  /** Inline style text (fill, font-size, font-weight, font-family). */
  style: string;
}

/** A serialised <svg> element placed at (x, y) px relative to the exported area. */
export interface SvgPart {
  markup: string;
  x: number;
  y: number;
}

export interface ComposeOptions {
  width: number;
  height: number;
  /** Background colour (the page's resolved --bg): exported figures keep their theme's contrast. */
  background: string;
  /** Accessible title of the document. */
  title: string;
  /** Root style text (font-family and colour every part inherits). */
  rootStyle?: string;
  svgs: SvgPart[];
  texts: TextPart[];
}

/** Puts x/y on the outermost <svg …> tag of serialised markup, replacing any it already has. */
export function placeSvg(markup: string, x: number, y: number): string {
  return markup.replace(/<svg\b([^>]*)>/, (_m, attrs: string) => {
    const rest = attrs.replace(/\s(x|y)="[^"]*"/g, '');
    return `<svg x="${round(x)}" y="${round(y)}"${rest}>`;
  });
}

const round = (v: number) => String(Math.round(v * 100) / 100);

/**
 * One standalone SVG document: a background, the text lines and the nested plots, sized
 * `width` × `height` px. Nested <svg> elements keep their own viewBox and coordinates, so each plot is
 * exactly what the page drew.
 */
export function composeSvg(o: ComposeOptions): string {
  const w = round(o.width);
  const h = round(o.height);
  const texts = o.texts.map(
    (t) =>
      `<text x="${round(t.x)}" y="${round(t.y)}" dominant-baseline="central" style="${escapeXml(t.style)}">${escapeXml(t.text)}</text>`,
  );
  const svgs = o.svgs.map((s) => placeSvg(s.markup, s.x, s.y));
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"${
      o.rootStyle ? ` style="${escapeXml(o.rootStyle)}"` : ''
    }>`,
    `<title>${escapeXml(o.title)}</title>`,
    `<rect width="100%" height="100%" fill="${escapeXml(o.background)}"/>`,
    ...texts,
    ...svgs,
    `</svg>`,
  ].join('\n');
}

/** A download name such as `focal-lab-loss-vs-pt.svg` (ids are kebab-case already). */
export function exportFileName(id: string, ext: 'svg' | 'png'): string {
  const safe = id.replace(/[^a-z0-9-]+/gi, '-').replace(/^-+|-+$/g, '') || 'figure';
  return `focal-lab-${safe}.${ext}`;
}

/**
 * Closes up vertical gaps left by what an export omits (controls, notices between the title and the
 * plot): given the [top, bottom] extents of the exported parts, returns a map y → y' under which every
 * empty band taller than `maxGap` px shrinks to `maxGap`. Positions inside a part keep their distances.
 */
export function collapseGaps(extents: readonly [number, number][], maxGap: number): (y: number) => number {
  const sorted = [...extents].sort((a, b) => a[0] - b[0]);
  // Each gap: where it ends (the next part's top) and how much is removed there.
  const cuts: { at: number; remove: number }[] = [];
  let reach = -Infinity;
  for (const [top, bottom] of sorted) {
    if (reach > -Infinity && top - reach > maxGap) cuts.push({ at: top, remove: top - reach - maxGap });
    reach = Math.max(reach, bottom);
  }
  return (y) => y - cuts.reduce((s, c) => (y >= c.at ? s + c.remove : s), 0);
}
