/**
 * Browser side of figure export: builds one standalone SVG from a live <figure> (its plots, title,
 * subtitles and legend labels, at their on-page positions, colours resolved), renders it to a PNG through a
 * canvas, and triggers downloads. The pure parts live in ./svgExport.
 */
import {
  collapseGaps,
  composeSvg,
  inlineStyles,
  inlineStyleText,
  type ElementLike,
  type StyleReader,
  type SvgPart,
  type TextPart,
} from './svgExport';

const reader =
  (el: Element): StyleReader =>
  (prop) =>
    getComputedStyle(el).getPropertyValue(prop);

/** Computed styles are read once per element (getComputedStyle is live, so the reader stays cheap). */
function computedOf(el: ElementLike): StyleReader {
  const style = getComputedStyle(el as unknown as Element);
  return (prop) => style.getPropertyValue(prop);
}

const visible = (r: DOMRect) => r.width > 0 && r.height > 0;

/** The figure as one SVG document string, with its size in px. */
export function figureToSvg(figure: HTMLElement): { svg: string; width: number; height: number } {
  const svgEls = [...figure.querySelectorAll<SVGSVGElement>('svg')].filter(
    (s) => !s.parentElement?.closest('svg') && visible(s.getBoundingClientRect()),
  );
  const textEls = [
    ...figure.querySelectorAll<HTMLElement>('.figure__title, .figure__subtitle, .legend__item > span'),
  ].filter((t) => visible(t.getBoundingClientRect()) && (t.textContent ?? '').trim());
  const rects = [...svgEls, ...textEls].map((e) => e.getBoundingClientRect());
  if (rects.length === 0) throw new Error('This figure has nothing to export yet.');
  // Controls, notices and readouts are not exported: close up the bands they leave.
  const squeeze = collapseGaps(
    rects.map((r) => [r.top, r.bottom]),
    14,
  );
  const pad = 16;
  // Tick labels may reach past a plot's edge (the page lets them overflow): room on the right.
  const padRight = 28;
  const left = Math.min(...rects.map((r) => r.left)) - pad;
  const top = squeeze(Math.min(...rects.map((r) => r.top))) - pad;
  const width = Math.max(...rects.map((r) => r.right)) - left + padRight;
  const height = Math.max(...rects.map((r) => squeeze(r.top) + r.height)) - top + pad;

  const serializer = new XMLSerializer();
  const svgs: SvgPart[] = svgEls.map((s) => {
    const clone = s.cloneNode(true) as SVGSVGElement;
    inlineStyles(s as unknown as ElementLike, clone as unknown as ElementLike, computedOf);
    const r = s.getBoundingClientRect();
    clone.setAttribute('width', String(r.width));
    clone.setAttribute('height', String(r.height));
    clone.setAttribute('overflow', 'visible');
    return { markup: serializer.serializeToString(clone), x: r.left - left, y: squeeze(r.top) - top };
  });
  const texts: TextPart[] = textEls.map((t) => {
    const r = t.getBoundingClientRect();
    const read = reader(t);
    const style = [
      `fill:${read('color')}`,
      `font-size:${read('font-size')}`,
      `font-weight:${read('font-weight')}`,
      `font-family:${read('font-family')}`,
    ].join(';');
    return {
      text: (t.textContent ?? '').trim(),
      x: r.left - left,
      y: squeeze(r.top) - top + r.height / 2,
      style,
    };
  });
  const figStyle = reader(figure);
  const title = figure.querySelector('.figure__title')?.textContent?.trim() || 'Focal Lab figure';
  return {
    svg: composeSvg({
      width,
      height,
      background: figStyle('background-color') || '#ffffff',
      title,
      rootStyle: inlineStyleText(figStyle, null),
      svgs,
      texts,
    }),
    width,
    height,
  };
}

/** Renders an SVG document to a PNG blob at `scale` × its size (2 for crisp slides and retina). */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  const img = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('The browser could not draw the SVG.'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('No 2D canvas in this browser.');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed.'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Saves a blob under `name` through a temporary <a download>. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later: some browsers start reading the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
