'use client';
import { useMemo, useState, type ReactNode } from 'react';
import { anchorsOfLevel, generateAnchors } from '@/lib/detector/anchors';
import { boxIou } from '@/lib/detector/boxes';
import { bestAnchor, bestIouPerAnchor, imageCensus } from '@/lib/detector/census';
import { makeImage } from '@/lib/data/synthetic';
import { anchorOptionsFor } from '@/lib/playground/config';
import type { AnchorChoice } from '@/lib/playground/schema';
import { fmtCount, fmtFixed } from '@/lib/params/format';
import { ANCHOR_EXPLORER_PREFIX, matcherThresholds, TOY_LEVELS } from '@/lib/params/retinanet';
import Choice from '../chart/Choice';
import Legend from '../chart/Legend';
import Slider from '../chart/Slider';
import Toggle from '../chart/Toggle';
import AnchorPicture from './AnchorPicture';
import AnchorReadouts from './AnchorReadouts';
import {
  COLORS,
  describeAnchor,
  levelName,
  nonBackgroundRows,
  S,
  specOf,
  visibleTemplates,
  type AnchorScene,
} from './anchorExplorer';
import FigureFrame from './FigureFrame';
import { sampleImageUrl } from './sampleImage';
import { useFigure } from './useFigure';
import { timed } from './shared';
import './retinanet.css';

export interface AnchorExplorerFigureProps {
  /** URL key prefix (default `ax`): `ax.seed=3&ax.level=p2&ax.fg=0.6`. */
  prefix?: string;
  title?: ReactNode;
}

export default function AnchorExplorerFigure({
  prefix = ANCHOR_EXPLORER_PREFIX,
  title = 'Anchors, IoU and the foreground / ignored / background assignment',
}: AnchorExplorerFigureProps) {
  const { state, setState, notices, dismiss, hydrated, ref, width } = useFigure(S, prefix);
  const { seed, image, objects, level, anchors, scale, ratio, lowq } = state;
  const thr = matcherThresholds(state.fg, state.bg);
  const levelIndex = TOY_LEVELS.indexOf(level);

  // Two stages, so that a threshold slider re-runs only the matching: the scene (image, anchors, their IoU
  // matrix and the image's PNG) changes with seed, image, objects and anchors; the assignment with fg, bg and
  // the low-quality rule (the repaint budget of `npm run bench:render`: p95 under 16 ms).
  const scene = useMemo(
    () =>
      hydrated
        ? timed(() => {
            const sample = makeImage(seed, image, { objectsPerImage: [objects, objects] });
            const set = generateAnchors({
              imageSize: sample.width,
              ...anchorOptionsFor(anchors as AnchorChoice),
            });
            const iou = boxIou(sample.boxes, set.boxes);
            return { sample, set, iou, bestIou: bestIouPerAnchor(iou, sample.labels.length, set.numAnchors) };
          })
        : null,
    [hydrated, seed, image, objects, anchors],
  );
  const url = useMemo(() => (scene?.value ? sampleImageUrl(scene.value.sample) : null), [scene]);
  const res = useMemo(() => {
    if (!scene) return null;
    const s = scene.value;
    if (!s) return { value: null, ms: scene.ms, error: scene.error };
    return timed((): AnchorScene => ({
      ...s,
      ...imageCensus(s.set, s.sample.boxes, s.iou, {
        fgIou: thr.fg,
        bgIou: thr.bg,
        allowLowQualityMatches: lowq,
        lowQualitySkipZeroIou: lowq,
      }),
    }));
  }, [scene, thr.fg, thr.bg, lowq]);
  const c = res?.value ?? null;

  const templates = c?.set.templates;
  const visible = useMemo(() => visibleTemplates(templates ?? [], scale, ratio), [templates, scale, ratio]);
  const lv = c?.set.perLevel[levelIndex];
  const A = c?.set.anchorsPerLocation ?? 1;
  const G = c ? c.sample.labels.length : 0;
  const N = c?.set.numAnchors ?? 0;

  // The best visible anchor of the level: where the explorer starts, and what Home returns to.
  const bestOnLevel = useMemo(
    () =>
      c && lv
        ? bestAnchor(
            c.bestIou,
            anchorsOfLevel(lv, A, (a) => visible.includes(a)),
          )
        : -1,
    [c, lv, A, visible],
  );

  const ctx = `${seed}|${image}|${objects}|${level}|${anchors}|${scale}|${ratio}`;
  const [pickState, setPickState] = useState<{ ctx: string; index: number } | null>(null);
  const picked = pickState && pickState.ctx === ctx && pickState.index < N ? pickState.index : bestOnLevel;
  const setPicked = (index: number) => setPickState({ ctx, index });
  const counts = c?.counts.all;

  const setThreshold = (name: 'fg' | 'bg', v: number) => {
    // Keep bg ≤ fg while a slider moves: dragging one past the other pushes the other along.
    if (name === 'fg') setState(v < state.bg ? { fg: v, bg: v } : { fg: v });
    else setState(v > state.fg ? { bg: v, fg: v } : { bg: v });
  };

  return (
    <FigureFrame
      id="anchor-explorer"
      title={title}
      computeMs={res?.ms}
      error={res?.error}
      notices={notices}
      onDismiss={dismiss}
      controls={
        <>
          <Slider
            spec={specOf('seed')}
            value={seed}
            onChange={(v) => setState({ seed: v })}
            format={(v) => `seed ${v}`}
          />
          <Slider
            spec={specOf('image')}
            value={image}
            onChange={(v) => setState({ image: v })}
            format={(v) => `image ${v}`}
          />
          <Slider
            spec={specOf('objects')}
            value={objects}
            onChange={(v) => setState({ objects: v })}
            format={(v) => `${v} object${v === 1 ? '' : 's'}`}
          />
          <Slider
            spec={specOf('fg')}
            value={state.fg}
            onChange={(v) => setThreshold('fg', v)}
            format={(v) => `IoU ≥ ${fmtFixed(v, 2)}`}
          />
          <Slider
            spec={specOf('bg')}
            value={state.bg}
            onChange={(v) => setThreshold('bg', v)}
            format={(v) => `IoU < ${fmtFixed(v, 2)}`}
          />
          <Choice
            spec={specOf('level')}
            value={level}
            onChange={(v) => setState({ level: v as typeof level })}
          />
          <Choice
            spec={specOf('anchors')}
            value={anchors}
            onChange={(v) => setState({ anchors: v as typeof anchors })}
          />
          <Choice
            spec={specOf('scale')}
            value={scale}
            onChange={(v) => setState({ scale: v as typeof scale })}
          />
          <Choice
            spec={specOf('ratio')}
            value={ratio}
            onChange={(v) => setState({ ratio: v as typeof ratio })}
          />
          <Toggle
            name="lowq"
            label={specOf('lowq').label}
            checked={lowq}
            onChange={(v) => setState({ lowq: v })}
          />
          <button type="button" className="data-table__toggle" onClick={() => setPicked(bestOnLevel)}>
            Pick the best anchor of this level
          </button>
        </>
      }
      legend={
        <Legend
          label="Boxes in the picture"
          items={[
            { key: 'object', label: 'object (ground truth)', color: COLORS.object, width: 3 },
            {
              key: 'fg',
              label: `foreground anchor (IoU ≥ ${fmtFixed(thr.fg, 2)})`,
              color: COLORS.fg,
              width: 2,
            },
            {
              key: 'ignored',
              label: `ignored anchor (${fmtFixed(thr.bg, 2)} ≤ IoU < ${fmtFixed(thr.fg, 2)})`,
              color: COLORS.ignored,
              dash: '4 3',
              width: 2,
            },
            {
              key: 'bg',
              label: 'background (dots: anchor centres)',
              color: COLORS.bg,
              dash: '1 4',
              width: 2,
            },
            { key: 'picked', label: 'picked anchor', color: COLORS.picked, dash: '7 3', width: 3 },
          ]}
        />
      }
      readouts={
        <AnchorReadouts
          scene={c}
          levelIndex={levelIndex}
          picked={picked}
          thr={thr}
          swapped={state.bg > state.fg}
          lowq={lowq}
        />
      }
      caption={
        <>
          Image {image} of the training stream of dataset seed {seed} (the synthetic images the toy detector
          trains on, {objects} object{objects === 1 ? '' : 's'} per image), with the anchors of pyramid level{' '}
          {levelName(levelIndex)}: green boxes are foreground (IoU ≥ {fmtFixed(thr.fg, 2)} with an object),
          dashed orange boxes ignored (IoU in [{fmtFixed(thr.bg, 2)}, {fmtFixed(thr.fg, 2)})), and each dot is
          a feature-map cell whose remaining anchors are background. Counts are over all levels. IoU and the
          assignment are computed by the site&apos;s detector code (the torchvision-checked matcher). Click
          the picture, or focus it and use the arrow keys to move between cells, Page Up / Page Down to change
          the anchor shape and Home for the best anchor.
        </>
      }
      table={[
        {
          caption: 'Anchors by level and assignment',
          name: 'counts per level',
          columns: [
            { key: 'level', label: 'Level' },
            { key: 'anchors', label: 'Anchors' },
            { key: 'fg', label: 'Foreground' },
            { key: 'ign', label: 'Ignored' },
            { key: 'bg', label: 'Background' },
          ],
          rows: [
            ...(c?.counts.perLevel ?? []).map((p, l) => [
              `${levelName(l)} (stride ${c!.set.perLevel[l].stride})`,
              fmtCount(p.anchors),
              fmtCount(p.foreground),
              fmtCount(p.ignored),
              fmtCount(p.background),
            ]),
            ...(counts
              ? [
                  [
                    'all',
                    fmtCount(counts.anchors),
                    fmtCount(counts.foreground),
                    fmtCount(counts.ignored),
                    fmtCount(counts.background),
                  ],
                ]
              : []),
          ],
        },
        {
          caption: 'Every anchor that is not background, all levels',
          name: 'foreground and ignored anchors',
          columns: [
            { key: 'n', label: 'Anchor' },
            { key: 'level', label: 'Level' },
            { key: 'cell', label: 'Cell (x, y)' },
            { key: 'shape', label: 'Scale, h:w' },
            { key: 'box', label: 'Box x1, y1, x2, y2 (px)' },
            ...Array.from({ length: G }, (_, g) => ({ key: `iou${g}`, label: `IoU object ${g + 1}` })),
            { key: 'status', label: 'Assignment' },
          ],
          rows: nonBackgroundRows(c),
        },
      ]}
    >
      <div className="figure__plot" ref={ref}>
        <AnchorPicture
          scene={c}
          levelIndex={levelIndex}
          visible={visible}
          picked={picked}
          bestOnLevel={bestOnLevel}
          imageUrl={url}
          side={Math.min(width, 560)}
          pickText={describeAnchor(c, picked)}
          onPick={setPicked}
        />
      </div>
    </FigureFrame>
  );
}
