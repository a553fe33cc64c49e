import { describe, expect, it } from 'vitest';
import {
  collapseGaps,
  composeSvg,
  escapeXml,
  exportFileName,
  inlineStyles,
  inlineStyleText,
  placeSvg,
  type ElementLike,
  type StyleReader,
} from '@/components/figures/svgExport';

/** A minimal element: attributes in a map, children in an array (what the inliner touches). */
class FakeEl implements ElementLike {
  attrs = new Map<string, string>();
  constructor(
    public style: Record<string, string>,
    attrs: Record<string, string> = {},
    public children: FakeEl[] = [],
  ) {
    for (const [k, v] of Object.entries(attrs)) this.attrs.set(k, v);
  }
  get attributes() {
    return [...this.attrs].map(([name, value]) => ({ name, value }));
  }
  setAttribute(name: string, value: string) {
    this.attrs.set(name, value);
  }
  removeAttribute(name: string) {
    this.attrs.delete(name);
  }
  clone(): FakeEl {
    return new FakeEl(
      {},
      Object.fromEntries(this.attrs),
      this.children.map((c) => c.clone()),
    );
  }
}

const readerOf =
  (style: Record<string, string>): StyleReader =>
  (p) =>
    style[p] ?? '';

describe('inlineStyleText', () => {
  it('writes resolved colours and skips values inherited unchanged from the parent', () => {
    const parent = readerOf({ fill: 'rgb(0, 0, 0)', 'font-size': '12px', stroke: 'none' });
    const own = readerOf({ fill: 'rgb(0, 0, 0)', 'font-size': '12px', stroke: 'rgb(0, 114, 178)' });
    expect(inlineStyleText(own, parent)).toBe('stroke:rgb(0, 114, 178)');
  });

  it('writes display only when it is none, and opacity only when it is not 1', () => {
    expect(inlineStyleText(readerOf({ display: 'block', opacity: '1' }), null)).toBe('');
    expect(inlineStyleText(readerOf({ display: 'none', opacity: '0.5' }), null)).toBe(
      'opacity:0.5;display:none',
    );
  });

  it('keeps a hidden element hidden (the figure exports as it looks now)', () => {
    const parent = readerOf({ visibility: 'visible' });
    expect(inlineStyleText(readerOf({ visibility: 'hidden' }), parent)).toBe('visibility:hidden');
  });
});

describe('inlineStyles', () => {
  it('inlines each source element’s computed style on the clone and removes var() attributes', () => {
    const path = new FakeEl(
      { stroke: 'rgb(213, 94, 0)', fill: 'none', 'stroke-width': '3.5px' },
      { d: 'M0,0L1,1', stroke: 'var(--series-2)', class: 'line', 'data-series': 'selected' },
    );
    const root = new FakeEl({ fill: 'rgb(27, 29, 33)', 'font-family': 'system-ui' }, { width: '300' }, [
      path,
    ]);
    const clone = root.clone();
    inlineStyles(root, clone, (el) => readerOf((el as FakeEl).style));

    const p = clone.children[0];
    expect(p.attrs.get('stroke')).toBeUndefined();
    expect(p.attrs.get('class')).toBeUndefined();
    expect(p.attrs.get('d')).toBe('M0,0L1,1');
    expect(p.attrs.get('data-series')).toBe('selected');
    expect(p.attrs.get('style')).toBe('fill:none;stroke:rgb(213, 94, 0);stroke-width:3.5px');
    expect(clone.attrs.get('style')).toBe('fill:rgb(27, 29, 33);font-family:system-ui');
    expect(clone.attrs.get('width')).toBe('300');
  });

  it('leaves no CSS variable anywhere in the clone', () => {
    const leaf = new FakeEl({ fill: 'rgb(1, 2, 3)' }, { fill: 'var(--bg)', stroke: 'var(--fg)' });
    const root = new FakeEl({}, {}, [new FakeEl({}, { stroke: 'var(--muted)' }, [leaf])]);
    const clone = root.clone();
    inlineStyles(root, clone, (el) => readerOf((el as FakeEl).style));
    const all: FakeEl[] = [];
    const walk = (e: FakeEl) => {
      all.push(e);
      e.children.forEach(walk);
    };
    walk(clone);
    for (const e of all) for (const { value } of e.attributes) expect(value).not.toContain('var(');
  });
});

describe('composeSvg', () => {
  const doc = composeSvg({
    width: 400.123,
    height: 300,
    background: 'rgb(20, 22, 26)',
    title: 'Loss <vs> p_t & γ',
    rootStyle: 'font-family:"Segoe UI"',
    svgs: [
      {
        markup: '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><g/></svg>',
        x: 10,
        y: 20.5,
      },
    ],
    texts: [{ text: 'FL γ = 2 (slider)', x: 16, y: 8, style: 'fill:rgb(0, 0, 0);font-size:14px' }],
  });

  it('is a standalone SVG document with its size, a background and the escaped title', () => {
    expect(doc.startsWith('<?xml')).toBe(true);
    expect(doc).toContain(
      '<svg xmlns="http://www.w3.org/2000/svg" width="400.12" height="300" viewBox="0 0 400.12 300"',
    );
    expect(doc).toContain('<rect width="100%" height="100%" fill="rgb(20, 22, 26)"/>');
    expect(doc).toContain('<title>Loss &lt;vs&gt; p_t &amp; γ</title>');
    expect(doc).toContain('style="font-family:&quot;Segoe UI&quot;"');
    expect(doc.trim().endsWith('</svg>')).toBe(true);
  });

  it('places each nested plot at its position and writes text lines', () => {
    expect(doc).toContain(
      '<svg x="10" y="20.5" xmlns="http://www.w3.org/2000/svg" width="200" height="100">',
    );
    expect(doc).toContain('>FL γ = 2 (slider)</text>');
  });
});

describe('placeSvg', () => {
  it('replaces existing x and y on the outer tag only', () => {
    expect(placeSvg('<svg x="5" y="6" width="1"><svg x="1"/></svg>', 7, 8)).toBe(
      '<svg x="7" y="8" width="1"><svg x="1"/></svg>',
    );
  });
});

describe('escapeXml and exportFileName', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
  it('names downloads after the figure id', () => {
    expect(exportFileName('loss-vs-pt', 'svg')).toBe('focal-lab-loss-vs-pt.svg');
    expect(exportFileName('../x y', 'png')).toBe('focal-lab-x-y.png');
  });
});

describe('collapseGaps', () => {
  it('shrinks empty bands wider than the limit and keeps distances inside parts', () => {
    // A title at 0–20, nothing until a plot at 300–500, a legend right below at 505–520.
    const map = collapseGaps(
      [
        [300, 500],
        [0, 20],
        [505, 520],
      ],
      16,
    );
    expect(map(0)).toBe(0);
    expect(map(20)).toBe(20);
    expect(map(300)).toBe(36);
    expect(map(500) - map(300)).toBe(200);
    expect(map(505) - map(500)).toBe(5);
  });

  it('does not cut where parts overlap', () => {
    const map = collapseGaps(
      [
        [0, 100],
        [50, 400],
        [410, 420],
      ],
      16,
    );
    expect([map(0), map(410)]).toEqual([0, 410]);
  });
});
