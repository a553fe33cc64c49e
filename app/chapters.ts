import type { ComponentType } from 'react';
import fs from 'node:fs';
import path from 'node:path';
import GithubSlugger from 'github-slugger';

/** What a chapter declares in its YAML frontmatter. */
export interface ChapterMeta {
  slug: string;
  title: string;
  order: number;
  summary: string;
  learn?: string[];
}

export interface TocEntry {
  depth: 2 | 3;
  id: string;
  text: string;
}

const CONTENT_DIR = path.join(process.cwd(), 'content');

function chapterSlugs(): string[] {
  return fs
    .readdirSync(CONTENT_DIR)
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => f.replace(/\.mdx$/, ''));
}

function isChapterMeta(v: unknown): v is Omit<ChapterMeta, 'slug'> {
  const m = v as Partial<ChapterMeta> | undefined;
  return !!m && typeof m.title === 'string' && typeof m.order === 'number' && typeof m.summary === 'string';
}

/** Loads a chapter module: its compiled MDX component and frontmatter. */
export async function loadChapter(slug: string) {
  const mod = (await import(`@/content/${slug}.mdx`)) as {
    default: ComponentType;
    frontmatter?: unknown;
  };
  if (!isChapterMeta(mod.frontmatter)) {
    throw new Error(
      `content/${slug}.mdx: frontmatter needs title (string), order (number) and summary (string)`,
    );
  }
  return { Content: mod.default, meta: { ...mod.frontmatter, slug } as ChapterMeta };
}

/** Every chapter, sorted by its `order`. */
export async function listChapters(): Promise<ChapterMeta[]> {
  const metas = await Promise.all(chapterSlugs().map(async (slug) => (await loadChapter(slug)).meta));
  return metas.sort((a, b) => a.order - b.order);
}

/**
 * Table of contents from the MDX source's `##`/`###` headings. Ids are made with github-slugger, the
 * same slugger rehype-slug uses, so the links land on the rendered headings.
 */
export function tableOfContents(slug: string): TocEntry[] {
  return headingsOf(fs.readFileSync(path.join(CONTENT_DIR, `${slug}.mdx`), 'utf8'));
}

/** The `##`/`###` headings of an MDX source as the reader sees them (markdown syntax removed), with their ids. */
export function headingsOf(src: string): TocEntry[] {
  const slugger = new GithubSlugger();
  const out: TocEntry[] = [];
  let inFence = false;
  let inFrontmatter = false;
  src.split('\n').forEach((line, i) => {
    if (i === 0 && line.trim() === '---') {
      inFrontmatter = true;
      return;
    }
    if (inFrontmatter) {
      if (line.trim() === '---') inFrontmatter = false;
      return;
    }
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) return;
    const m = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (!m) return;
    // The slugger sees every heading (h1–h6) so its duplicate counters match rehype-slug's.
    // Headings are plain text (chapters keep math out of headings), so once code spans, emphasis and backslash
    // escapes (`FL\*` is how a heading says FL*) are removed, the source text is what rehype-slug sees.
    const text = m[2]
      .replace(/`([^`]*)`/g, '$1')
      .replace(/(?<!\\)\*\*?([^*]+?)(?<!\\)\*\*?/g, '$1')
      .replace(/\\([\\`*_{}[\]()#+\-.!<>~|])/g, '$1');
    const id = slugger.slug(text);
    const depth = m[1].length;
    if (depth === 2 || depth === 3) out.push({ depth, id, text });
  });
  return out;
}
