'use client';
import { useId } from 'react';
import {
  fromSliderPosition,
  LOG_SLIDER_STEP,
  toSliderPosition,
  type LogParam,
  type NumberParam,
} from '@/lib/params/schema';
import { fmt } from '@/lib/params/format';

export interface SliderProps {
  spec: NumberParam | LogParam;
  value: number;
  onChange: (value: number) => void;
  /** Text for the output and aria-valuetext, e.g. "γ = 2.0". */
  format?: (value: number) => string;
  /** Overrides the schema's label. */
  label?: string;
  /** A number param that spans decades (a learning rate, π) slides over log10(value); log params always do. */
  log?: boolean;
  disabled?: boolean;
  /** A short remark after the label, e.g. why the slider is disabled. */
  note?: string;
}

/**
 * The one range slider: a labelled native range input with its live value in an <output>. Log parameters (and
 * number parameters with `log`) slide over log10(value); the value handed to `onChange` is always snapped and
 * clamped by the schema (lib/params/schema `fromSliderPosition`).
 */
export default function Slider({
  spec,
  value,
  onChange,
  format = (v) => fmt(v),
  label,
  log = false,
  disabled,
  note,
}: SliderProps) {
  const id = useId();
  const onLog = log || spec.type === 'log';
  const min = onLog ? Math.log10(spec.min) : spec.min;
  const max = onLog ? Math.log10(spec.max) : spec.max;
  const step = log && spec.type !== 'log' ? LOG_SLIDER_STEP : spec.step;
  const text = format(value);
  return (
    <div className="control control--slider" data-disabled={disabled || undefined}>
      <label htmlFor={id} className="control__label">
        {label ?? spec.label}
        {note && <span className="control__note"> ({note})</span>}
      </label>
      <input
        id={id}
        type="range"
        data-param={spec.name}
        disabled={disabled}
        min={min}
        max={max}
        step={step}
        value={toSliderPosition(spec, value, log)}
        aria-valuetext={text}
        onChange={(e) => onChange(fromSliderPosition(spec, Number(e.currentTarget.value), log))}
      />
      <output htmlFor={id} className="control__value">
        {text}
      </output>
    </div>
  );
}
