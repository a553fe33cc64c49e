'use client';
import { useMemo, useState, type ReactNode } from 'react';
import { scaleLinear } from 'd3-scale';
import { area, curveStepAfter } from 'd3-shape';
import { CLASS_NAMES, makeImage } from '@/lib/data/synthetic';
import { apAnalysis, type ApImage, type CandidateFate } from '@/lib/metrics/apCurve';
import { AP_PREFIX, apSchema } from '@/lib/params/ap';
import { fmtFixed, fmtPercent } from '@/lib/params/format';
import data from '@/content/data/ap-detections.json';
import Choice from '../chart/Choice';
import Legend from '../chart/Legend';
import LineChart from '../chart/LineChart';
import Slider from '../chart/Slider';
import Toggle from '../chart/Toggle';
import FigureFrame from './FigureFrame';
import { boxRect, sampleImageUrl } from './sampleImage';
import { useFigure } from './useFigure';
import { HIGHLIGHT, MARGIN, plotHeight, STYLES } from './styles';
import './retinanet.css';

const S = apSchema;
const IMAGES = data.images as unknown as ApImage[];
const K = CLASS_NAMES.length;
/** The picture shows at most this many boxes of the chosen class (the highest scores); the table lists all. */
const MAX_DRAWN = 8;
const NONE: number[] = [];
const TP = STYLES[0];
const FP = STYLES[1];
const REMOVED = STYLES[2];
const RAW = STYLES[3];
const pct = (x: number) => (x < 0 ? 'n/a' : fmtPercent(x, 3));
const boxText = (b: readonly number[]) => `[${b.map((v) => fmtFixed(v, 1)).join(', ')}]`;

export interface ApFigureProps {
  /** URL key prefix (default `ap`): `ap.iou=0.75&ap.nms=0&ap.cls=ellipse&ap.image=5`. */
  prefix?: string;
  title?: ReactNode;
}

export default function ApFigure({
  prefix = AP_PREFIX,
  title = 'Average precision, step by step, on the toy detector’s held-out images',
}: ApFigureProps) {
  const { state, setState, notices, dismiss, hydrated, ref, width } = useFigure(S, prefix);
  const [index, setIndex] = useState<number | null>(null);
  const classIndex = CLASS_NAMES.indexOf(state.cls);
  const iou = state.iou === '0.75' ? 0.75 : 0.5;
  const nmsIou = state.nms ? state.nmsIou : null;
  const imageIndex = Math.min(state.image, IMAGES.length - 1);

  const res = useMemo(
    () => (hydrated ? apAnalysis(IMAGES, { classIndex, numClasses: K, iouThreshold: iou, nmsIou }) : null),
    [hydrated, classIndex, iou, nmsIou],
  );
  const sample = useMemo(
    () => (hydrated ? makeImage(data.dataset.seed, imageIndex, {}, 'eval') : null),
    [hydrated, imageIndex],
  );
  const url = useMemo(() => (sample ? sampleImageUrl(sample) : null), [sample]);

  // The picture: ground truth of every class, the chosen class's candidates with their fate.
  const img = IMAGES[imageIndex];
  const fates: CandidateFate[] = res?.fates[imageIndex] ?? [];
  const ranked = res?.ranked ?? [];
  const onImage = ranked.filter((d) => d.image === imageIndex);
  const tpByIndex = new Map(onImage.map((d) => [d.index, d]));
  const ofClass = fates.filter((f) => f.label === classIndex).sort((a, b) => b.score - a.score);
  const drawn = ofClass.slice(0, MAX_DRAWN);
  const removed = (res?.fates ?? []).flat().filter((f) => !f.kept);
  const removedHere = ofClass.filter((f) => !f.kept);

  const side = Math.max(160, Math.min(320, width));
  const px = (v: number) => (v / data.dataset.imageSize) * side;

  const height = plotHeight(width, 0.75, 240, 380);
  const iw = Math.max(10, width - MARGIN.left - MARGIN.right);
  const ih = Math.max(10, height - MARGIN.top - MARGIN.bottom);
  const x = useMemo(() => scaleLinear().domain([0, 1]).range([0, iw]), [iw]);
  const y = useMemo(() => scaleLinear().domain([0, 1.05]).range([ih, 0]), [ih]);
  const recall = res?.recallPoints ?? NONE;
  const interp = res?.interpolatedPrecision ?? NONE;
  const areaPath = useMemo(
    () =>
      area<number>()
        .x((_, i) => x(recall[i]))
        .y0(ih)
        .y1((p) => y(p))
        .curve(curveStepAfter)(interp) ?? '',
    [x, y, ih, recall, interp],
  );
  const series = [
    {
      name: 'raw',
      label: 'precision after each detection (by score)',
      xs: [0, ...ranked.map((d) => d.recall)],
      ys: [1, ...ranked.map((d) => d.precision)],
      ...RAW,
      width: 1.5,
    },
    {
      name: 'interpolated',
      label: 'interpolated precision (COCO, 101 recall points)',
      xs: recall,
      ys: interp,
      crossYs: interp,
      ...HIGHLIGHT,
      width: 2.5,
    },
  ];
  const at = index ?? 50;
  const cls = state.cls;
  const thr = fmtFixed(iou, 2);
  const valueText = `recall ${fmtFixed(recall[at], 2)}: interpolated precision ${fmtFixed(interp[at], 3)}`;
  const best = onImage[0];
  const imageLabel =
    `Held-out image ${imageIndex + 1}: ground truth ${img.labels.map((l) => CLASS_NAMES[l]).join(', ')}; ` +
    `${ofClass.filter((f) => f.kept).length} ${cls} detections kept, ${removedHere.length} removed by NMS` +
    (best ? `; the best scores ${fmtFixed(best.score, 3)} with IoU ${fmtFixed(best.bestIou, 2)}.` : '.');

  return (
    <FigureFrame
      id="ap"
      title={title}
      notices={notices}
      onDismiss={dismiss}
      controls={
        <>
          <Choice spec={S[0]} value={state.iou} onChange={(v) => setState({ iou: v as '0.5' | '0.75' })} />
          <Choice spec={S[3]} value={state.cls} onChange={(v) => setState({ cls: v as typeof state.cls })} />
          <Toggle name="nms" label={S[1].label} checked={state.nms} onChange={(v) => setState({ nms: v })} />
          <Slider
            spec={S[2]}
            value={state.nmsIou}
            onChange={(v) => setState({ nmsIou: v })}
            format={(v) => (state.nms ? `IoU > ${fmtFixed(v, 2)}` : `off (${fmtFixed(v, 2)})`)}
          />
          <Slider
            spec={S[4]}
            value={state.image}
            onChange={(v) => setState({ image: v })}
            format={(v) => `image ${v + 1} of ${IMAGES.length}`}
          />
        </>
      }
      legend={
        <Legend
          items={[
            { key: 'gt', label: 'ground-truth box', color: 'var(--series-hl)', width: 3 },
            { key: 'tp', label: `true positive at IoU ≥ ${thr}`, color: TP.color, dash: TP.dash, width: 2 },
            { key: 'fp', label: 'false positive', color: FP.color, dash: FP.dash, width: 2 },
            { key: 'rm', label: 'removed by NMS', color: REMOVED.color, dash: REMOVED.dash, width: 2 },
            ...series.map((s) => ({
              key: s.name,
              label: s.label,
              color: s.color,
              dash: s.dash,
              width: s.width,
            })),
          ]}
        />
      }
      readouts={
        <>
          <p className="readout" data-readout="ap">
            AP of <strong>{cls}</strong> at IoU ≥ {thr}: <strong>{res ? pct(res.ap) : '—'}</strong>, the mean
            of the 101 interpolated precisions (the shaded area). Mean over the {K} classes (AP
            {iou === 0.5 ? '50' : '75'} of these {IMAGES.length} images):{' '}
            <strong>{res ? pct(res.meanAp) : '—'}</strong>.
          </p>
          <p className="readout" data-readout="counts">
            {ranked.length} {cls} detections{' '}
            {nmsIou === null ? 'without NMS' : `after NMS at ${fmtFixed(nmsIou, 2)}`} for{' '}
            {res?.numGroundTruth ?? '—'} {cls} boxes
            {nmsIou === null ? '.' : `; NMS removed ${removed.length} candidates of all classes.`}
          </p>
          <p className="readout" data-readout="image">
            {best
              ? `Image ${imageIndex + 1}: the highest-scoring ${cls} detection (score ${fmtFixed(best.score, 3)}, rank ${best.rank}) overlaps a ${cls} box with IoU ${fmtFixed(best.bestIou, 2)}: ${best.truePositive ? 'a true positive' : 'a false positive'} at IoU ≥ ${thr}.`
              : `Image ${imageIndex + 1}: no ${cls} detection.`}
          </p>
        </>
      }
      caption={
        <>
          Real detections of the toy RetinaNet (focal loss γ = 2, α = 0.25, seed 0, 700 steps; the run behind
          content/data/ap-detections.json, written by scripts/ap-detections.ts) on {IMAGES.length} held-out
          images it never trained on. Its candidates (score above 0.05) are stored before NMS; NMS, matching
          and AP are computed here, live, by the site&apos;s code (lib/detector/boxes.ts and the pycocotools
          port lib/metrics/coco.ts). A detection is a true positive when its IoU (intersection over union)
          with a not-yet-matched box of its class reaches the threshold, taking detections in order of score.
          Each one then moves the curve: right (recall) when it finds a box, down (precision) when it does
          not. COCO replaces each precision by the best precision at any higher recall and averages it over
          101 recall points: that mean, the shaded area, is the AP. The picture shows the {MAX_DRAWN}{' '}
          highest-scoring {cls} candidates of the chosen image; turn NMS off to see the duplicates it removes.
        </>
      }
      table={[
        {
          caption: `Detections of ${cls} over all ${IMAGES.length} images, by score, at IoU ≥ ${thr}`,
          name: 'detections by score',
          columns: [
            { key: 'rank', label: 'rank' },
            { key: 'image', label: 'image' },
            { key: 'score', label: 'score' },
            { key: 'iou', label: 'best IoU with a box' },
            { key: 'tp', label: 'true positive?' },
            { key: 'p', label: 'precision' },
            { key: 'r', label: 'recall' },
          ],
          rows: () =>
            ranked.map((d) => [
              String(d.rank),
              String(d.image + 1),
              fmtFixed(d.score, 4),
              fmtFixed(d.bestIou, 3),
              d.truePositive ? 'yes' : 'no',
              fmtFixed(d.precision, 3),
              fmtFixed(d.recall, 3),
            ]),
        },
        {
          caption: `Candidates on image ${imageIndex + 1} and what NMS did to them`,
          name: 'what NMS removed',
          columns: [
            { key: 'cls', label: 'class' },
            { key: 'score', label: 'score' },
            { key: 'box', label: 'box [x1, y1, x2, y2] px' },
            { key: 'fate', label: 'NMS' },
          ],
          rows: () =>
            [...fates]
              .sort((a, b) => b.score - a.score)
              .map((f) => [
                CLASS_NAMES[f.label],
                fmtFixed(f.score, 4),
                boxText(f.box),
                f.kept
                  ? 'kept'
                  : `removed: IoU ${fmtFixed(f.suppressedBy?.iou, 2)} with a kept box scoring ${fmtFixed(fates[f.suppressedBy?.index ?? 0]?.score, 4)}`,
              ]),
        },
      ]}
    >
      <div className="figure__plots ap">
        <div className="figure__plot ap__image">
          <p className="figure__subtitle">
            Image {imageIndex + 1}: boxes and {cls} detections
          </p>
          <svg
            className="anchors"
            width={side}
            height={side}
            viewBox={`0 0 ${side} ${side}`}
            role="img"
            aria-label={imageLabel}
          >
            <rect className="anchors__frame" x={0} y={0} width={side} height={side} />
            {url && (
              <image
                href={url}
                x={0}
                y={0}
                width={side}
                height={side}
                preserveAspectRatio="none"
                className="anchors__image"
              />
            )}
            {img.boxes.map((b, g) => (
              <g key={`gt-${g}`} data-gt={CLASS_NAMES[img.labels[g]]}>
                <rect className="anchors__halo anchors__halo--object" {...boxRect(b, 0, px)} />
                <rect className="anchors__object" stroke="var(--series-hl)" {...boxRect(b, 0, px)} />
                <text className="ap__label" x={px(b[0]) + 3} y={Math.max(12, px(b[1]) - 4)}>
                  {CLASS_NAMES[img.labels[g]]}
                </text>
              </g>
            ))}
            {[...drawn].reverse().map((f) => {
              const d = tpByIndex.get(f.index);
              const style = !f.kept ? REMOVED : d?.truePositive ? TP : FP;
              const kind = !f.kept ? 'removed' : d?.truePositive ? 'tp' : 'fp';
              return (
                <g key={f.index} data-detection={kind}>
                  <rect className="anchors__halo" {...boxRect(f.box, 0, px)} />
                  <rect
                    className="anchors__box"
                    stroke={style.color}
                    strokeDasharray={style.dash}
                    opacity={f.kept ? 1 : 0.8}
                    {...boxRect(f.box, 0, px)}
                  />
                </g>
              );
            })}
          </svg>
        </div>
        <div className="figure__plot" ref={ref}>
          <p className="figure__subtitle">
            Precision–recall of {cls} at IoU ≥ {thr}: AP = {res ? pct(res.ap) : '—'}
          </p>
          <LineChart
            title={`Precision against recall for ${cls}`}
            width={width}
            height={height}
            margin={MARGIN}
            xScale={x}
            yScale={y}
            series={series}
            xLabel="recall"
            yLabel="precision"
            xTicks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
            yTicks={[0, 0.2, 0.4, 0.6, 0.8, 1]}
            crossXs={recall.length ? recall : [0]}
            index={index}
            onIndex={setIndex}
            startIndex={50}
            focusLabel="Precision–recall curve: use ← and → to move along recall"
            focusValueText={valueText}
            underlay={<path className="ap__area" d={areaPath} />}
            overlay={onImage.map((d) => (
              <circle
                key={d.index}
                className="ap__dot"
                cx={x(d.recall)}
                cy={y(d.precision)}
                r={5}
                fill={d.truePositive ? TP.color : 'var(--bg)'}
                stroke={d.truePositive ? TP.color : FP.color}
                data-dot={d.truePositive ? 'tp' : 'fp'}
              />
            ))}
          />
        </div>
      </div>
    </FigureFrame>
  );
}
