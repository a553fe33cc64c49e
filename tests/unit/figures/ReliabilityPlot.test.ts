import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import ReliabilityPlot, { type ReliabilityPlotProps } from '@/components/figures/ReliabilityPlot';
import { seedMeanTable, type ReliabilityBin } from '@/lib/metrics/reliability';

const bins = (counts: number[], positives: number[]): ReliabilityBin[] =>
  counts.map((n, b) => ({
    count: n,
    positives: positives[b],
    meanScore: n ? (b + 0.5) / counts.length : null,
  }));

// Two seeds, four bins: bin 3 of seed 1 has 5 samples (< 20: sparse), bin 2 is empty for both.
const table = seedMeanTable([
  { seed: 0, bins: bins([100, 40, 0, 30], [5, 10, 0, 27]) },
  { seed: 1, bins: bins([90, 50, 0, 5], [4, 20, 0, 5]) },
]);

const props: ReliabilityPlotProps = {
  width: 520,
  title: 'Reliability diagram of a test',
  series: [{ key: 'ce', label: 'CE', color: 'var(--series-1)', bins: table, seedCount: 2 }],
  index: null,
  onIndex: () => {},
  focusValueText: 'score 0.50–0.75',
};
const render = (p: ReliabilityPlotProps) => renderToStaticMarkup(createElement(ReliabilityPlot, p));
const count = (html: string, s: string) => html.split(s).length - 1;

describe('ReliabilityPlot', () => {
  it('draws one faint dot per seed and non-empty bin, hollow when the bin has too few samples', () => {
    const html = render(props);
    expect(count(html, 'data-seed=')).toBe(6);
    expect(count(html, 'data-sparse="true"')).toBe(1);
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('draws a mean marker per bin with enough samples, hollow when it averages fewer than all seeds', () => {
    const html = render(props);
    expect(count(html, 'class="reliability__mean"')).toBe(3);
    expect(count(html, 'data-partial="true"')).toBe(1);
  });

  it('has the diagonal, a count bar per bin, a title and a keyboard-operable surface over the bins', () => {
    const html = render(props);
    expect(html).toContain('class="reliability__diagonal"');
    expect(count(html, 'class="reliability__count"')).toBe(4);
    expect(html).toContain('<title>Reliability diagram of a test</title>');
    expect(html).toMatch(/role="slider"[^>]*aria-valuemax="3"|aria-valuemax="3"[^>]*role="slider"/);
  });
});
