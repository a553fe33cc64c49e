import { anchorLocation } from '@/lib/detector/anchors';
import { CLASS_NAMES } from '@/lib/data/synthetic';
import { fmtCount, fmtFixed } from '@/lib/params/format';
import {
  boxAt,
  imbalance,
  levelName,
  ratioLabel,
  scaleLabel,
  STATUS_TEXT,
  statusOf,
  type AnchorScene,
} from './anchorExplorer';

export interface AnchorReadoutsProps {
  scene: AnchorScene | null;
  levelIndex: number;
  picked: number;
  /** The thresholds in use, and whether the link's bg was above its fg (then both are fg). */
  thr: { fg: number; bg: number; adjusted: boolean };
  /** The link asked for bg > fg. */
  swapped: boolean;
  lowq: boolean;
}

/** The explorer's readouts: the counts and imbalance, the picked anchor's IoUs and status, each object's anchors. */
export default function AnchorReadouts({
  scene: c,
  levelIndex,
  picked,
  thr,
  swapped,
  lowq,
}: AnchorReadoutsProps) {
  const counts = c?.counts.all;
  const lv = c?.set.perLevel[levelIndex];
  const lvCounts = c?.counts.perLevel[levelIndex];
  const N = c?.set.numAnchors ?? 0;
  const loc = c && picked >= 0 ? anchorLocation(c.set, picked) : null;
  const pickedStatus = c && picked >= 0 ? statusOf(c.matched[picked]) : null;
  const missing = c ? c.perObject.map((o, g) => (o.foreground === 0 ? g : -1)).filter((g) => g >= 0) : [];
  return (
    <>
      <p className="readout readout--wide" data-readout="counts">
        Of <strong>{fmtCount(counts?.anchors)} anchors</strong> ({c?.set.perLevel.length ?? 3} levels, A ={' '}
        {c?.set.anchorsPerLocation ?? 1}), <strong>{fmtCount(counts?.foreground)} foreground</strong>,{' '}
        {fmtCount(counts?.ignored)} ignored, the rest ({fmtCount(counts?.background)}) background:{' '}
        <strong>{counts ? imbalance(counts) : '—'}</strong> foreground:background. On {levelName(levelIndex)}{' '}
        (stride {lv?.stride ?? '—'}, {fmtCount(lvCounts?.anchors)} anchors): {fmtCount(lvCounts?.foreground)}{' '}
        foreground, {fmtCount(lvCounts?.ignored)} ignored.
        {thr.adjusted && swapped && (
          <>
            {' '}
            The background threshold from the link was above the foreground one; using {fmtFixed(
              thr.bg,
              2,
            )}{' '}
            for both.
          </>
        )}
      </p>
      <div className="readout" data-readout="anchor">
        <strong>Picked anchor</strong>
        {c && loc && (
          <>
            <p className="readout__line">
              {levelName(loc.level)}, cell ({loc.x}, {loc.y}), scale{' '}
              {scaleLabel(c.set.templates[loc.a].scale)}, h:w {ratioLabel(c.set.templates[loc.a].aspectRatio)}
              : box [
              {boxAt(c.set, picked)
                .map((v) => fmtFixed(v, 1))
                .join(', ')}
              ] px.
            </p>
            <table className="readout__table">
              <tbody>
                {Array.from(c.sample.labels, (lab, g) => (
                  <tr key={g}>
                    <th scope="row">
                      IoU with object {g + 1} ({CLASS_NAMES[lab]})
                    </th>
                    <td>{fmtFixed(c.iou[g * N + picked], 3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="readout__line">
              →{' '}
              <strong data-status={pickedStatus ?? ''}>
                {pickedStatus ? STATUS_TEXT[pickedStatus] : '—'}
                {pickedStatus === 'fg' ? ` (object ${c.matched[picked] + 1})` : ''}
              </strong>
            </p>
          </>
        )}
      </div>
      <div className="readout" data-readout="objects">
        <strong>Per object</strong>
        <table className="readout__table">
          <tbody>
            {c?.perObject.map((o, g) => (
              <tr key={g}>
                <th scope="row">
                  {g + 1}: {CLASS_NAMES[c.sample.labels[g]]}, best IoU {fmtFixed(o.bestIou, 3)}
                </th>
                <td>{fmtCount(o.foreground)} fg</td>
              </tr>
            ))}
          </tbody>
        </table>
        {missing.length > 0 && (
          <p className="readout__line">
            Object {missing.map((g) => g + 1).join(', ')} has no foreground anchor at these thresholds: it
            gives the classifier no positive example.{' '}
            {lowq ? '' : 'Low-quality matching (torchvision, the toy trainer) would give it its best anchor.'}
          </p>
        )}
      </div>
    </>
  );
}
