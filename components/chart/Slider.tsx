'use client';
import { useId } from 'react';
import { fromSliderPosition, toSliderPosition, type LogParam, type NumberParam } from '@/lib/params/schema';
import { fmt } from '@/lib/params/format';

export interface SliderProps {
  spec: NumberParam | LogParam;
  value: number;
  onChange: (value: number) => void;
  /** Text for the output and aria-valuetext, e.g. "γ = 2.0". */
  format?: (value: number) => string;
  /** Overrides the schema's label. */
  label?: string;
}

/**
 * A labelled native range input with its live value in an <output>. Log parameters slide over
 * log10(value); the value handed to `onChange` is always snapped and clamped by the schema.
 */
export default function Slider({ spec, value, onChange, format = (v) => fmt(v), label }: SliderProps) {
  const id = useId();
  const log = spec.type === 'log';
  const min = log ? Math.log10(spec.min) : spec.min;
  const max = log ? Math.log10(spec.max) : spec.max;
  const text = format(value);
  return (
    <div className="control control--slider">
      <label htmlFor={id} className="control__label">
        {label ?? spec.label}
      </label>
      <input
        id={id}
        type="range"
        data-param={spec.name}
        min={min}
        max={max}
        step={spec.step}
        value={toSliderPosition(spec, value)}
        aria-valuetext={text}
        onChange={(e) => onChange(fromSliderPosition(spec, Number(e.currentTarget.value)))}
      />
      <output htmlFor={id} className="control__value">
        {text}
      </output>
    </div>
  );
}
