'use client';
import { useId } from 'react';
import type { EnumParam } from '@/lib/params/schema';

/** A radio group (fieldset + legend) for an enum parameter; arrow keys move between options. */
export default function Choice({
  spec,
  value,
  onChange,
}: {
  spec: EnumParam;
  value: string;
  onChange: (value: string) => void;
}) {
  const name = useId();
  return (
    <fieldset className="control control--choice" data-param={spec.name}>
      <legend className="control__label">{spec.label}</legend>
      {spec.options.map((opt, i) => (
        <label key={opt} className="control__option">
          <input
            type="radio"
            name={name}
            value={opt}
            checked={value === opt}
            onChange={() => onChange(opt)}
          />
          {spec.optionLabels?.[i] ?? opt}
        </label>
      ))}
    </fieldset>
  );
}
