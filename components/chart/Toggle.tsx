'use client';
import { useId } from 'react';

/** A labelled checkbox for a boolean parameter. */
export default function Toggle({
  label,
  checked,
  onChange,
  name,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  name?: string;
}) {
  const id = useId();
  return (
    <div className="control control--toggle">
      <input
        id={id}
        type="checkbox"
        data-param={name}
        checked={checked}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
