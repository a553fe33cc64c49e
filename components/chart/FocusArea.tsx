'use client';
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

export interface FocusAreaProps {
  width: number;
  height: number;
  /** Number of positions the crosshair can take (indices 0 … count − 1). */
  count: number;
  index: number | null;
  onIndex: (index: number | null) => void;
  /** Nearest index for a pixel x inside the plot. */
  indexAt: (px: number) => number;
  /** Index the crosshair starts at when the area gets keyboard focus. */
  startIndex?: number;
  /** Accessible name, e.g. "Loss curves: use ← and → to read values". */
  label: string;
  /** What the crosshair currently reads, e.g. "p_t = 0.90: CE 0.105, FL γ=2 0.00105". */
  valueText: string;
}

/**
 * The focusable plot surface: pointer hover or drag moves the crosshair, and so do the keys
 * ← → (one step), Shift+← →, PageUp/PageDown (a tenth of the range), Home/End; Escape hides it.
 * It is exposed as a slider over the plotted positions so screen readers announce each reading.
 */
export default function FocusArea({
  width,
  height,
  count,
  index,
  onIndex,
  indexAt,
  startIndex,
  label,
  valueText,
}: FocusAreaProps) {
  const focused = useRef(false);
  const clamp = (i: number) => Math.max(0, Math.min(count - 1, Math.round(i)));
  const fromPointer = (e: PointerEvent<SVGRectElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    if (box.width <= 0) return;
    onIndex(clamp(indexAt(((e.clientX - box.left) / box.width) * width)));
  };
  const onKeyDown = (e: KeyboardEvent<SVGRectElement>) => {
    const cur = index ?? startIndex ?? Math.floor(count / 2);
    const big = Math.max(1, Math.round(count / 10));
    let next: number | null | undefined;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowUp':
        next = cur + (e.shiftKey ? big : 1);
        break;
      case 'ArrowLeft':
      case 'ArrowDown':
        next = cur - (e.shiftKey ? big : 1);
        break;
      case 'PageUp':
        next = cur + big;
        break;
      case 'PageDown':
        next = cur - big;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = count - 1;
        break;
      case 'Escape':
        next = null;
        break;
      default:
        return;
    }
    e.preventDefault();
    onIndex(next === null ? null : clamp(next));
  };
  return (
    <rect
      className="focus-area"
      width={Math.max(0, width)}
      height={Math.max(0, height)}
      fill="transparent"
      tabIndex={0}
      role="slider"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={Math.max(0, count - 1)}
      aria-valuenow={index ?? startIndex ?? 0}
      aria-valuetext={valueText}
      onFocus={() => {
        focused.current = true;
        if (index === null) onIndex(clamp(startIndex ?? count / 2));
      }}
      onBlur={() => {
        focused.current = false;
        onIndex(null);
      }}
      onKeyDown={onKeyDown}
      onPointerMove={fromPointer}
      onPointerDown={fromPointer}
      onPointerLeave={() => {
        if (!focused.current) onIndex(null);
      }}
    />
  );
}
