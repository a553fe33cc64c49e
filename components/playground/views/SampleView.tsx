'use client';
import { memo, useCallback, useId, useMemo, useState } from 'react';
import type { AnchorLayout, SampleImage, SamplesMessage } from '@/lib/playground/protocol';
import { fmt, fmtCount, fmtFixed } from '@/lib/params/format';
import type { NumberParam } from '@/lib/params/schema';
import Slider from '../../chart/Slider';
import Toggle from '../../chart/Toggle';
import { runStyle } from '../colors';
import type { AnchorSelection, RunMeta } from '@/lib/playground/model';
import {
  anchorIndexAt,
  cellMaxScores,
  cellOnLevel,
  chooseAnchor,
  templateAt,
  type GridCell,
} from './anchorGrid';
import HeatLegend from './HeatLegend';
import RunSelect, { pickRun, runName } from './RunSelect';
import SampleCanvas from './SampleCanvas';
import { className, shown } from './samples';
import ViewSection from './ViewSection';
import './views.css';

export interface SampleViewProps {
  runs: RunMeta[];
  /** The sample images (the first probe images), from `setup`. */
  images: SampleImage[];
  /** The latest detections of every run (null before the first view update). */
  samples: SamplesMessage | null;
  anchors: AnchorLayout | null;
  classNames: string[];
  /** The selected anchor, outlined in its image (optional). */
  selection?: AnchorSelection | null;
  /** Called with the anchor a click or Enter chose (see `templateAt` for which of the A anchors of a cell). */
  onSelectAnchor: (sel: AnchorSelection) => void;
  /** Initial score threshold of the drawn detections (default 0.3). */
  initialThreshold?: number;
  headingLevel?: 2 | 3 | 4;
}

/** The score threshold of the drawn detections (view state, not in the URL). */
const THRESHOLD_SPEC: NumberParam = {
  name: 'threshold',
  type: 'number',
  label: 'Score threshold',
  default: 0.3,
  min: 0.05,
  max: 0.95,
  step: 0.05,
};

const levelName = (l: AnchorLayout['levels'][number] | undefined) =>
  l ? `stride ${l.stride} (${l.width}×${l.height} cells)` : '—';

/** Sample images with ground truth, one run's detections, optional per-anchor score heatmaps; pick an anchor. */
function SampleView({
  runs,
  images,
  samples,
  anchors,
  classNames,
  selection = null,
  onSelectAnchor,
  initialThreshold = 0.3,
  headingLevel = 3,
}: SampleViewProps) {
  const [wantedRun, setRun] = useState(selection?.run ?? runs[0]?.run ?? 0);
  const [threshold, setThreshold] = useState(initialThreshold);
  const [heat, setHeat] = useState(false);
  const [level, setLevel] = useState(0);
  const [focus, setFocus] = useState<(GridCell & { image: number }) | null>(null);
  const ids = useId();
  const meta = useMemo(() => pickRun(runs, wantedRun), [runs, wantedRun]);
  const run = meta?.run ?? 0;
  const dets = samples?.runs.find((r) => r.run === run)?.images;
  const lv = anchors?.levels[level];
  const scoreMode = samples?.scoreMode ?? 'none';

  const changeRun = (r: number) => {
    setRun(r);
    // The inspector follows the run shown here.
    if (selection && selection.run !== r) onSelectAnchor({ ...selection, run: r });
  };
  const changeLevel = (l: number) => {
    setLevel(l);
    if (focus && anchors) {
      const c = cellOnLevel(anchors, focus, l);
      setFocus(c ? { ...c, image: focus.image } : null);
    }
  };
  const pick = useCallback(
    (image: number, cell: GridCell) => {
      if (!anchors || !images[image]) return;
      const anchor = chooseAnchor(anchors, cell, images[image].boxes);
      if (anchor >= 0) onSelectAnchor({ run, image, anchor });
    },
    [anchors, images, onSelectAnchor, run],
  );

  const focusText = (() => {
    if (!focus || !anchors || !lv || !images[focus.image]) return '';
    const scores = cellMaxScores(anchors, level, dets?.[focus.image]?.levelScores?.[level]);
    const a = templateAt(anchors, focus, images[focus.image].boxes);
    const t = anchors.templates[a];
    const s = lv.stride;
    return `Image ${focus.image + 1}, ${levelName(lv)}: cell x ${focus.x}, y ${focus.y} (pixels ${focus.x * s}–${
      (focus.x + 1) * s
    } × ${focus.y * s}–${(focus.y + 1) * s})${
      scores ? `, highest score ${fmt(scores[focus.y * lv.width + focus.x], 3)}` : ''
    }. Enter inspects anchor ${fmtCount(anchorIndexAt(anchors, level, focus.y, focus.x, a))} (scale ${fmt(
      t?.scale,
      3,
    )}, aspect ratio ${fmt(t?.aspectRatio, 3)}).`;
  })();

  const summary =
    images.length === 0
      ? 'No sample images yet: they appear once the playground has loaded.'
      : `${samples ? `Step ${fmtCount(samples.step)}, ${runName(meta ?? undefined)}` : 'Before the first update'}: ${images
          .map((img, i) => {
            const idx = shown(dets?.[i], threshold);
            return `image ${i + 1} has ${img.labels.length} object${img.labels.length === 1 ? '' : 's'} (${Array.from(
              img.labels,
              (k) => className(classNames, k),
            ).join(
              ', ',
            )}) and ${samples ? `${idx.length} detection${idx.length === 1 ? '' : 's'} with score ≥ ${fmtFixed(threshold, 2)}` : 'no detections yet'}`;
          })
          .join('; ')}.`;

  const tableRows = (): string[][] =>
    images.flatMap((img, i) => {
      const gt = Array.from(img.labels, (k, j) => [
        fmtCount(i + 1),
        'ground truth',
        className(classNames, k),
        '—',
        boxText(img.boxes, j),
      ]);
      const d = dets?.[i];
      const pred = shown(d, threshold).map((j) => [
        fmtCount(i + 1),
        'detection',
        className(classNames, d!.labels[j]),
        fmt(d!.scores[j], 3),
        boxText(d!.boxes, j),
      ]);
      return [...gt, ...pred];
    });

  return (
    <ViewSection
      id="samples"
      title="Sample images and detections"
      headingLevel={headingLevel}
      summary={summary}
      controls={
        <>
          <RunSelect runs={runs} value={run} onChange={changeRun} />
          <Slider
            spec={THRESHOLD_SPEC}
            value={threshold}
            format={(v) => fmtFixed(v, 2)}
            onChange={setThreshold}
          />
          {anchors && (
            <>
              <div className="control pg-select">
                <label htmlFor={`${ids}-lvl`} className="control__label">
                  Pyramid level
                </label>
                <select
                  id={`${ids}-lvl`}
                  value={level}
                  data-control="level"
                  onChange={(e) => changeLevel(Number(e.currentTarget.value))}
                >
                  {anchors.levels.map((l, i) => (
                    <option key={i} value={i}>
                      {levelName(l)}
                    </option>
                  ))}
                </select>
              </div>
              <Toggle label="Anchor scores (heatmap)" checked={heat} onChange={setHeat} name="heatmap" />
            </>
          )}
        </>
      }
      tables={[
        {
          caption: `Ground truth and ${runName(meta ?? undefined)} detections with score ≥ ${fmtFixed(threshold, 2)} (boxes in px: x1, y1, x2, y2)`,
          columns: [
            { key: 'image', label: 'Image' },
            { key: 'kind', label: 'Kind' },
            { key: 'class', label: 'Class' },
            { key: 'score', label: 'Score' },
            { key: 'box', label: 'Box' },
          ],
          rows: tableRows,
        },
      ]}
    >
      {images.length === 0 ? (
        <p className="pg-empty">
          Sample images appear here once the playground has loaded. Press Play to start.
        </p>
      ) : (
        <>
          <div className="pg-samples">
            {images.map((img, i) => (
              <SampleCanvas
                key={i}
                index={i}
                image={img}
                det={dets?.[i]}
                layout={anchors}
                level={level}
                heat={heat && scoreMode !== 'none'}
                threshold={threshold}
                classNames={classNames}
                color={runStyle(run).color}
                focus={focus && focus.image === i ? focus : null}
                selectedAnchor={selection && selection.image === i ? selection.anchor : null}
                onPick={pick}
                onFocusCell={setFocus}
                describedBy={`${ids}-status`}
              />
            ))}
          </div>
          <ul className="legend pg-sample-legend" aria-label="Boxes">
            <li className="legend__item">
              <span className="pg-key pg-key--gt" aria-hidden="true" /> ground truth
            </li>
            <li className="legend__item">
              <span className="pg-key" style={{ borderColor: runStyle(run).color }} aria-hidden="true" />
              {runName(meta ?? undefined)} detections (score ≥ {fmtFixed(threshold, 2)})
            </li>
            <li className="legend__item">
              <span className="pg-key pg-key--sel" aria-hidden="true" /> selected anchor
            </li>
            {heat && scoreMode !== 'none' && (
              <li className="legend__item pg-heat-legend">
                <HeatLegend /> highest class score per location (log colour scale)
              </li>
            )}
          </ul>
          {heat && scoreMode === 'none' && (
            <p className="pg-note">The worker is not sending per-anchor scores (anchor scores: none).</p>
          )}
          {!samples && (
            <p className="pg-note">Detections appear after the first update (press Play or Step).</p>
          )}
          <p id={`${ids}-status`} className="pg-note pg-sample-status" aria-live="polite">
            {focusText ||
              'Click a location in an image, or focus an image and use the arrow keys and Enter, to inspect its anchor.'}
          </p>
        </>
      )}
    </ViewSection>
  );
}

function boxText(b: ArrayLike<number>, j: number): string {
  return [0, 1, 2, 3].map((c) => fmtFixed(b[4 * j + c], 1)).join(', ');
}

export default memo(SampleView);
