import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import SeedDotPlot, { seedMarker, type SeedDotPlotProps } from '@/components/chart/SeedDotPlot';

const props: SeedDotPlotProps = {
  width: 600,
  seeds: [0, 1, 2],
  domain: [-10, 10],
  format: (v) => String(v),
  xLabel: 'difference',
  title: 'Paired differences',
  reference: 0,
  rows: [
    { key: 'a', label: 'A', values: [1, 2, 3], mean: 2, sd: 1, description: 'A: +2 ± 1' },
    { key: 'b', label: 'B', values: [-4, NaN, 5], mean: 0.5, sd: 6.4, description: 'B: +0.5 ± 6.4' },
  ],
};

const render = (p: SeedDotPlotProps) => renderToStaticMarkup(createElement(SeedDotPlot, p));

describe('SeedDotPlot', () => {
  it('draws one marker per finite seed value, each seed with its own shape, and no NaN anywhere', () => {
    const html = render(props);
    expect(html.split('class="seed-dots__dot"').length - 1).toBe(5);
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
    expect(new Set([0, 1, 2].map((i) => seedMarker(i).d)).size).toBe(3);
  });

  it('labels every row for screen readers and makes it focusable', () => {
    const html = render(props);
    expect(html).toContain('<title>Paired differences</title>');
    expect(html).toContain('aria-label="A: +2 ± 1"');
    expect(html.split('tabindex="0"').length - 1).toBe(2);
  });

  it('draws the reference line at 0, in the middle of a symmetric domain', () => {
    const html = render(props);
    const m = /class="seed-dots__reference" x1="([\d.]+)"/.exec(html);
    expect(m).not.toBeNull();
    const left = Math.min(600 * 0.45, 1 * 8.5 + 14);
    expect(Number(m![1])).toBeCloseTo((600 - left - 16) / 2, 6);
  });
});
