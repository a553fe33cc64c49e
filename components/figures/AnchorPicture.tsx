'use client';
import { useMemo, type KeyboardEvent, type PointerEvent } from 'react';
import { scaleLinear } from 'd3-scale';
import { anchorIndex, anchorLocation, anchorsOfLevel } from '@/lib/detector/anchors';
import { bestAnchor } from '@/lib/detector/census';
import { CLASS_NAMES } from '@/lib/data/synthetic';
import { boxAt, COLORS, levelName, statusOf, type AnchorScene } from './anchorExplorer';

/** Image margin around the 64-px image in the drawing, in image px: anchors stick out past the border. */
const PAD = 10;

export interface AnchorPictureProps {
  /** The computed scene; null while computing. */
  scene: AnchorScene | null;
  levelIndex: number;
  /** Templates a the scale / ratio filters show. */
  visible: readonly number[];
  /** The picked anchor index, −1 for none. */
  picked: number;
  /** The best visible anchor of the level, where Home goes. */
  bestOnLevel: number;
  /** PNG data URL of the image. */
  imageUrl: string | null;
  /** Width and height in screen px. */
  side: number;
  /** aria-valuetext of the picker: the picked anchor in words. */
  pickText: string;
  onPick: (anchor: number) => void;
}

/**
 * The image with its objects, the foreground and ignored anchors of one level, a dot per feature-map cell and the
 * picked anchor, in SVG; a focusable slider over it picks an anchor by pointer or keyboard.
 */
export default function AnchorPicture({
  scene: c,
  levelIndex,
  visible,
  picked,
  bestOnLevel,
  imageUrl,
  side,
  pickText,
  onPick,
}: AnchorPictureProps) {
  const imgSize = c?.sample.width ?? 64;
  // Image px → screen px.
  const px = useMemo(
    () =>
      scaleLinear()
        .domain([-PAD, imgSize + PAD])
        .range([0, side]),
    [imgSize, side],
  );
  const len = (v: number) => px(v) - px(0);
  const rectOf = ([x1, y1, x2, y2]: readonly number[]) => ({
    x: px(x1),
    y: px(y1),
    width: len(x2 - x1),
    height: len(y2 - y1),
  });

  const lv = c?.set.perLevel[levelIndex];
  const A = c?.set.anchorsPerLocation ?? 1;
  const G = c ? c.sample.labels.length : 0;
  const loc = c && picked >= 0 ? anchorLocation(c.set, picked) : null;

  // Foreground and ignored anchors of the visible templates; ignored under foreground, so green stays on top.
  const drawn = useMemo(() => {
    if (!c || !lv) return [];
    return anchorsOfLevel(lv, A, (a) => visible.includes(a))
      .map((n) => ({ n, status: statusOf(c.matched[n]) }))
      .filter((d): d is { n: number; status: 'fg' | 'ignored' } => d.status !== 'bg')
      .sort((p, q) => (p.status === q.status ? p.n - q.n : p.status === 'ignored' ? -1 : 1));
  }, [c, lv, A, visible]);

  const onKeyDown = (e: KeyboardEvent<SVGRectElement>) => {
    if (!lv || !loc) return;
    const [H, W] = lv.size;
    let { x, y, a } = loc;
    const k = visible.indexOf(a);
    switch (e.key) {
      case 'ArrowRight':
        x = Math.min(W - 1, x + 1);
        break;
      case 'ArrowLeft':
        x = Math.max(0, x - 1);
        break;
      case 'ArrowDown':
        y = Math.min(H - 1, y + 1);
        break;
      case 'ArrowUp':
        y = Math.max(0, y - 1);
        break;
      case 'PageUp':
      case ']':
        a = visible[(k + 1 + visible.length) % visible.length];
        break;
      case 'PageDown':
      case '[':
        a = visible[(k - 1 + visible.length * 2) % visible.length];
        break;
      case 'Home':
        e.preventDefault();
        onPick(bestOnLevel);
        return;
      default:
        return;
    }
    e.preventDefault();
    onPick(anchorIndex(lv, A, y, x, a));
  };

  const onPointer = (e: PointerEvent<SVGRectElement>) => {
    if (!c || !lv) return;
    const box = e.currentTarget.getBoundingClientRect();
    if (box.width <= 0) return;
    const ix = px.invert(((e.clientX - box.left) / box.width) * side);
    const iy = px.invert(((e.clientY - box.top) / box.height) * side);
    const [H, W] = lv.size;
    const x = Math.max(0, Math.min(W - 1, Math.floor(ix / lv.stride)));
    const y = Math.max(0, Math.min(H - 1, Math.floor(iy / lv.stride)));
    // In the clicked cell, the visible shape with the highest IoU (ties: the current shape).
    const current = loc && visible.includes(loc.a) ? loc.a : visible[0];
    onPick(
      bestAnchor(
        c.bestIou,
        [current, ...visible].map((a) => anchorIndex(lv, A, y, x, a)),
      ),
    );
  };

  const objectBox = (g: number) => Array.from(c!.sample.boxes.subarray(4 * g, 4 * g + 4));
  const fgDrawn = drawn.filter((d) => d.status === 'fg').length;

  return (
    <svg className="anchors" width={side} height={side} viewBox={`0 0 ${side} ${side}`}>
      <title>{`Anchors of level ${levelName(levelIndex)} on the image`}</title>
      <desc>
        {c
          ? `${G} object${G === 1 ? '' : 's'}: ${Array.from(c.sample.labels, (lab, g) => `${CLASS_NAMES[lab]} at [${objectBox(g).join(', ')}]`).join('; ')}. ${fgDrawn} foreground and ${drawn.length - fgDrawn} ignored anchors drawn on this level.`
          : 'Computing…'}
      </desc>
      <rect className="anchors__frame" x={px(0)} y={px(0)} width={len(imgSize)} height={len(imgSize)} />
      {imageUrl && (
        <image
          href={imageUrl}
          x={px(0)}
          y={px(0)}
          width={len(imgSize)}
          height={len(imgSize)}
          preserveAspectRatio="none"
          className="anchors__image"
        />
      )}
      {lv && (
        <g className="anchors__cells" aria-hidden="true">
          {Array.from({ length: lv.size[0] * lv.size[1] }, (_, k) => {
            const x = k % lv.size[1];
            const y = Math.floor(k / lv.size[1]);
            return (
              <circle
                key={k}
                cx={px((x + 0.5) * lv.stride)}
                cy={px((y + 0.5) * lv.stride)}
                r={lv.size[1] > 12 ? 1.6 : 2.4}
              />
            );
          })}
        </g>
      )}
      <g aria-hidden="true">
        {c &&
          drawn.map(({ n, status }) => (
            <g key={n} data-anchor={status}>
              <rect className="anchors__halo" {...rectOf(boxAt(c.set, n))} />
              <rect
                className={`anchors__box anchors__box--${status}`}
                {...rectOf(boxAt(c.set, n))}
                stroke={status === 'fg' ? COLORS.fg : COLORS.ignored}
                strokeDasharray={status === 'ignored' ? '4 3' : undefined}
              />
            </g>
          ))}
        {c &&
          Array.from(c.sample.labels, (_, g) => {
            const r = rectOf(objectBox(g));
            return (
              <g key={`o${g}`} data-object={g + 1}>
                <rect className="anchors__halo anchors__halo--object" {...r} />
                <rect className="anchors__object" {...r} stroke={COLORS.object} />
                <text className="anchors__label" x={r.x + 3} y={r.y - 5}>
                  {g + 1}
                </text>
              </g>
            );
          })}
        {c && loc && lv && (
          <g data-picked={picked}>
            <rect className="anchors__halo anchors__halo--picked" {...rectOf(boxAt(c.set, picked))} />
            <rect
              className="anchors__picked"
              {...rectOf(boxAt(c.set, picked))}
              stroke={COLORS.picked}
              strokeDasharray="7 3"
            />
            <circle
              className="anchors__picked-centre"
              cx={px((loc.x + 0.5) * lv.stride)}
              cy={px((loc.y + 0.5) * lv.stride)}
              r={3.5}
              fill={COLORS.picked}
            />
          </g>
        )}
      </g>
      <rect
        className="focus-area anchors__focus"
        width={side}
        height={side}
        fill="transparent"
        tabIndex={0}
        role="slider"
        aria-label={`Anchor picker on ${levelName(levelIndex)}: arrow keys move between cells, Page Up and Page Down change the shape, Home picks the best anchor`}
        aria-valuemin={0}
        aria-valuemax={Math.max(0, (lv?.count ?? 1) - 1)}
        aria-valuenow={lv && picked >= 0 ? picked - lv.offset : 0}
        aria-valuetext={pickText}
        onKeyDown={onKeyDown}
        onPointerDown={onPointer}
      />
    </svg>
  );
}
