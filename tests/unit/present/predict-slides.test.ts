import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { figureTagsInMdx, slidesFromTags } from '@/components/present/slides';
import { PREDICT_QUESTIONS } from '@/lib/predict/questions';
import { AP_IMAGE_COUNT } from '@/lib/params/ap';
import apDetections from '@/content/data/ap-detections.json';
import { makeImage } from '@/lib/data/synthetic';

const SRC = `
Intro.

<Predict id="first" />

Text that answers it, then the figure:

<LossVsPtFigure />

<GradientFigure />

<Predict id="second" />

<AlphaBalanceFigure prefix="ab2" />

<Predict id="trailing" />
`;

describe('presenter slides and prediction questions', () => {
  it('attach each question to the figure that follows it, and no other', () => {
    const tags = figureTagsInMdx(SRC);
    expect(tags.map((t) => [t.name, t.question])).toEqual([
      ['LossVsPtFigure', 'first'],
      ['GradientFigure', undefined],
      ['AlphaBalanceFigure', 'second'],
    ]);
    const slides = slidesFromTags(tags, (n) => n.toLowerCase());
    expect(slides.map((s) => s.question)).toEqual(['first', undefined, 'second']);
  });

  it('every <Predict id> in the chapters names a question of lib/predict/questions.ts asked in that chapter', () => {
    const byId = new Map(PREDICT_QUESTIONS.map((q) => [q.id, q]));
    const used: string[] = [];
    for (const f of fs.readdirSync('content').filter((n) => n.endsWith('.mdx'))) {
      const src = fs.readFileSync(`content/${f}`, 'utf8');
      for (const m of src.matchAll(/<Predict id="([^"]+)"/g)) {
        expect(byId.get(m[1])?.chapter, m[1]).toBe(f.replace(/\.mdx$/, ''));
        used.push(m[1]);
      }
    }
    expect(used.sort()).toEqual(PREDICT_QUESTIONS.map((q) => q.id).sort());
  });
});

describe('content/data/ap-detections.json', () => {
  it('holds as many images as the AP figure’s image slider offers', () => {
    expect(apDetections.images).toHaveLength(AP_IMAGE_COUNT);
  });

  it('stores the held-out images’ true boxes exactly as the generator draws them', () => {
    for (const img of apDetections.images.slice(0, 4)) {
      const s = makeImage(apDetections.dataset.seed, img.index, {}, 'eval');
      expect(img.boxes.flat()).toEqual(Array.from(s.boxes));
      expect(img.labels).toEqual(Array.from(s.labels));
    }
  });
});
