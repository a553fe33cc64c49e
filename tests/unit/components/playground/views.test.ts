import { describe, expect, it } from 'vitest';
import { createElement, type ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { runStyle } from '@/components/playground/colors';
import AnchorInspector, { INSPECTOR_EMPTY, ptText } from '@/components/playground/views/AnchorInspector';
import ApChart from '@/components/playground/views/ApChart';
import Fig4LiveView from '@/components/playground/views/Fig4LiveView';
import LossChart from '@/components/playground/views/LossChart';
import LossShareView from '@/components/playground/views/LossShareView';
import SampleView from '@/components/playground/views/SampleView';
import HeatLegend from '@/components/playground/views/HeatLegend';
import { HEAT_FLOOR, heatPosition } from '@/components/playground/views/heatScale';
import * as fx from './fixtures';

function render<P extends object>(C: ComponentType<P>, props: P): string {
  return renderToStaticMarkup(createElement(C, props));
}

/** data-series value → stroke of each <path> carrying a data-series attribute. */
function strokes(html: string, prefix: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of html.matchAll(/<path data-series="([^"]+)"[^>]*?stroke="([^"]+)"/g)) {
    if (!m[1].startsWith(prefix)) continue;
    out.set(m[1], [...(out.get(m[1]) ?? []), m[2]]);
  }
  return out;
}

const count = (html: string, needle: string) => html.split(needle).length - 1;

function expectClean(html: string) {
  expect(html).not.toMatch(/NaN|undefined|Infinity/);
  expect(html).not.toContain('[object Object]');
}

const noop = () => {};

describe('runStyle', () => {
  it('gives each of four runs its own colour and dash, the same on every call', () => {
    const s = [0, 1, 2, 3].map(runStyle);
    expect(new Set(s.map((x) => x.color)).size).toBe(4);
    expect(new Set(s.map((x) => x.dash ?? '')).size).toBe(4);
    expect(runStyle(2)).toEqual(runStyle(2));
    expect(runStyle(1).color).toBe('var(--series-2)');
  });
});

describe('LossChart', () => {
  const m = fx.model(3);

  it('draws one path per run in the run colour and dash', () => {
    const html = render(LossChart, { runs: m.runs, losses: m.losses, steps: m.steps });
    const s = strokes(html, 'run-');
    expect([...s.keys()].sort()).toEqual(['run-0', 'run-1', 'run-2']);
    for (let r = 0; r < 3; r++) expect(s.get(`run-${r}`)).toEqual([runStyle(r).color]);
    expect(html).toContain(`stroke-dasharray="${runStyle(1).dash}"`);
    expectClean(html);
  });

  it('labels a log axis spanning decades with powers of ten, a linear one without', () => {
    const losses = fx.losses(3, 600); // from ~1 down to ~0.01
    const log = render(LossChart, { runs: m.runs, losses, initialLog: true });
    const lin = render(LossChart, { runs: m.runs, losses, initialLog: false });
    expect(log).toContain('>10⁻²</text>');
    expect(log).toContain('>10⁻¹</text>');
    expect(log).toContain('loss (log scale)');
    expect(lin).not.toContain('10⁻');
  });

  it('labels a log axis narrower than a decade with 1-2-5 ticks', () => {
    const html = render(LossChart, { runs: m.runs, losses: m.losses, initialLog: true });
    for (const t of ['0.2', '0.5', '1']) expect(html).toContain(`text-anchor="end">${t}</text>`);
  });

  it('marks a diverged run and gives its reason', () => {
    const runs = fx.runs(2, [1]);
    const html = render(LossChart, { runs, losses: fx.losses(2, 100, [1]) });
    expect(count(html, 'data-diverged="1"')).toBe(1);
    expect(count(html, 'data-diverged="0"')).toBe(0);
    expect(html).toContain('stopped at step 50');
    expect(html).toContain(runs[1].diverged!);
    expectClean(html);
  });

  it('shows an empty state before any step', () => {
    const html = render(LossChart, { runs: m.runs, losses: fx.losses(3, 0) });
    expect(html).toContain('No steps yet');
    expectClean(html);
  });

  it('summarises the latest losses in its text alternative', () => {
    const html = render(LossChart, { runs: m.runs, losses: m.losses });
    const id = /aria-describedby="([^"]+)"/.exec(html)![1];
    expect(html).toMatch(
      new RegExp(`id="${id}"[^>]*>After 120 steps: Run 1 \\(FL γ=2, α=0.25\\) has total loss`),
    );
  });

  it('thins 4 runs × 5,000 steps to a few hundred points per path', () => {
    const runs = fx.runs(4);
    const losses = fx.losses(4, 5000);
    const html = render(LossChart, { runs, losses, steps: 5000 });
    for (const m of html.matchAll(/<path data-series="run-\d" class="line" d="([^"]+)"/g)) {
      expect(count(m[1], 'L')).toBeLessThan(1300);
    }
    expect(count(html, 'data-series="run-')).toBe(4);
  });
});

describe('ApChart', () => {
  const m = fx.model(2);

  it('draws one path per run in each panel, in the run colours', () => {
    const html = render(ApChart, { runs: m.runs, evals: m.evals, steps: m.steps });
    const s = strokes(html, 'run-');
    expect(s.get('run-0')).toEqual([runStyle(0).color, runStyle(0).color]);
    expect(s.get('run-1')).toEqual([runStyle(1).color, runStyle(1).color]);
    expectClean(html);
  });

  it('reads the latest AP in percent', () => {
    const html = render(ApChart, { runs: m.runs, evals: m.evals });
    // Last of 3 evaluations: AP = 0.5·2/3 = 33.3 %, AP50 = 0.9·2/3 = 60.0 % for run 1.
    expect(html).toContain('Run 1 (FL γ=2, α=0.25) AP 33.3%, AP50 60.0% (step 100)');
    expect(html).toContain('>100</text>');
  });

  it('shows an empty state before the first evaluation', () => {
    const html = render(ApChart, { runs: m.runs, evals: { step: [], numImages: 0, runs: [] } });
    expect(html).toContain('No evaluation yet');
    expectClean(html);
  });

  it('skips runs missing from an evaluation', () => {
    const ev = fx.evals(2, 3);
    ev.runs[2][1] = null;
    const html = render(ApChart, { runs: m.runs, evals: ev });
    expect(html).toContain('(step 50)');
    expectClean(html);
  });
});

describe('SampleView', () => {
  const m = fx.model(2);
  const props = {
    runs: m.runs,
    images: m.images,
    samples: m.samples,
    anchors: m.anchors,
    classNames: m.classNames,
    onSelectAnchor: noop,
  };

  it('draws every image with its ground truth and the detections above the threshold', () => {
    const html = render(SampleView, props);
    expect(count(html, '<canvas')).toBe(2);
    expect(count(html, 'data-box="gt"')).toBe(4);
    // Scores 0.9, 0.5, 0.1 per image: two pass the default 0.3.
    expect(count(html, 'data-box="det"')).toBe(4);
    expect(html).toContain('ellipse 0.90');
    expect(html).toContain(`stroke="${runStyle(0).color}"`);
    expectClean(html);
  });

  it('follows the threshold and names the classes', () => {
    const html = render(SampleView, { ...props, initialThreshold: 0.6 });
    expect(count(html, 'data-box="det"')).toBe(2);
    expect(html).toContain('2 objects (ellipse, rectangle)');
  });

  it('outlines the selected anchor of the image it lies in', () => {
    const html = render(SampleView, { ...props, selection: { run: 1, image: 1, anchor: 20 } });
    expect(count(html, 'data-box="selected"')).toBe(1);
    // The run select follows the selection's run.
    expect(html).toContain(`stroke="${runStyle(1).color}"`);
  });

  it('makes every image keyboard-focusable and explains the keys', () => {
    const html = render(SampleView, props);
    expect(count(html, 'tabindex="0" role="application"')).toBe(2);
    expect(html).toContain('Arrow keys move over the anchor grid');
  });

  it('shows empty states without images and before the first detections', () => {
    expect(render(SampleView, { ...props, images: [], samples: null })).toContain(
      'Sample images appear here once the playground has loaded',
    );
    const before = render(SampleView, { ...props, samples: null });
    expect(before).toContain('Detections appear after the first update');
    expect(count(before, 'data-box="det"')).toBe(0);
    expectClean(before);
  });
});

describe('LossShareView', () => {
  const m = fx.model(3);

  it('draws a bar per run, a histogram of the chosen run on a log count axis and its loss curves', () => {
    const html = render(LossShareView, { runs: m.runs, lossShare: m.lossShare });
    expect(count(html, 'class="bar-row"')).toBe(3);
    expect(count(html, 'data-series="neg"')).toBe(10);
    expect(count(html, 'data-series="pos"')).toBe(10);
    expect(html).toContain('>10⁴</text>');
    const s = strokes(html, 'curve-');
    expect(s.get('curve-neg')).toEqual([runStyle(0).color]);
    expect(s.get('curve-pos')).toEqual([runStyle(0).color]);
    expect(html).toContain('easy negatives 25%');
    expectClean(html);
  });

  it('shows an empty state before the first breakdown', () => {
    const html = render(LossShareView, { runs: m.runs, lossShare: null });
    expect(html).toContain('No loss breakdown yet');
    expect(count(html, 'data-series="neg"')).toBe(0);
    expectClean(html);
  });
});

describe('Fig4LiveView', () => {
  const m = fx.model(2);

  it('draws positives and negatives panels with a curve per γ', () => {
    const html = render(Fig4LiveView, { runs: m.runs, fig4: m.fig4 });
    for (const g of [0, 0.5, 1, 2]) expect(count(html, `data-series="gamma-${g}"`)).toBe(2);
    expect(html).toContain('data-panel="positive"');
    expect(html).toContain('data-panel="negative"');
    expectClean(html);
  });

  it('reads out how much of the negative loss the hardest 10% carry at the run’s γ', () => {
    const html = render(Fig4LiveView, { runs: m.runs, fig4: m.fig4 });
    // Run 1 trains with γ = 2: 0.2 + 0.3·2 = 80 %; at γ = 0: 20 %.
    expect(html).toContain(
      'At γ = 2, the hardest 10% of negatives carry 80% of the negative loss (20% at γ = 0)',
    );
  });

  it('shows an empty state without data', () => {
    const html = render(Fig4LiveView, { runs: m.runs, fig4: null });
    expect(html).toContain('No Figure 4 data yet');
    expectClean(html);
  });
});

describe('AnchorInspector', () => {
  const m = fx.model(2);

  it('asks for a selection when none is made', () => {
    const html = render(AnchorInspector, { detail: null, runs: m.runs, classNames: m.classNames });
    expect(html).toContain(INSPECTOR_EMPTY);
    expectClean(html);
  });

  it('lists every class term and draws the history in the run colour', () => {
    const detail = fx.anchorDetail(m.anchors!);
    const html = render(AnchorInspector, {
      detail,
      runs: m.runs,
      classNames: m.classNames,
      anchors: m.anchors,
    });
    for (const c of fx.CLASS_NAMES) expect(html).toContain(`>${c}`);
    expect(html).toContain('ellipse (followed)');
    expect(html).toContain('foreground: matched to an object');
    expect(html).toContain('Run 2 (CE)');
    const s = strokes(html, 'history-');
    expect(s.get('history-pt')).toEqual([runStyle(1).color]);
    expect(s.get('history-loss')).toEqual([runStyle(1).color]);
    expectClean(html);
  });
});

describe('run colours across views', () => {
  it('are the same for run i in the loss chart, the AP chart and the sample view', () => {
    const m = fx.model(4);
    const loss = strokes(render(LossChart, { runs: m.runs, losses: m.losses }), 'run-');
    const ap = strokes(render(ApChart, { runs: m.runs, evals: m.evals }), 'run-');
    for (let r = 0; r < 4; r++) {
      expect(loss.get(`run-${r}`)![0]).toBe(runStyle(r).color);
      expect(ap.get(`run-${r}`)![0]).toBe(runStyle(r).color);
    }
    const sv = render(SampleView, {
      runs: m.runs,
      images: m.images,
      samples: m.samples,
      anchors: m.anchors,
      classNames: m.classNames,
      selection: { run: 3, image: 0, anchor: 0 },
      onSelectAnchor: noop,
    });
    expect(sv).toContain(`stroke="${runStyle(3).color}"`);
  });
});

describe('heatPosition (the heatmap colour scale)', () => {
  it('maps scores to 0…1 on a log scale from HEAT_FLOOR to 1', () => {
    expect(heatPosition(0)).toBe(0);
    expect(heatPosition(HEAT_FLOOR / 10)).toBe(0);
    expect(heatPosition(1)).toBeCloseTo(1, 12);
    expect(heatPosition(Math.sqrt(HEAT_FLOOR))).toBeCloseTo(0.5, 12);
    expect(heatPosition(NaN)).toBe(0);
  });

  it('labels the legend with the decade ticks of the scale, the first as the floor', () => {
    const html = render(HeatLegend, {});
    const labels = [...html.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(['≤0.001', '0.01', '0.1', '1']);
  });
});

describe('ptText', () => {
  it('writes p_t near 1 as 1 − (1 − p_t) instead of rounding it to 1', () => {
    expect(ptText(0.9999994, 6.01e-7)).toBe('1 − 6.01e−7');
    expect(ptText(0.25, 0.75)).toBe('0.25');
  });
});
