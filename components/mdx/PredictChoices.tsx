'use client';
/**
 * The radio group every "predict first" question uses: a fieldset whose legend is the question, one labelled
 * radio per choice (arrow keys move between them, as in any native radio group). Shared by <Predict> (./Predict)
 * and the playground's guided experiments (components/playground/Experiment.tsx). After the reveal, `correct`
 * marks the right choice and the reader's own choice stays checked and marked beside it.
 */
import { useId, type ReactNode } from 'react';
import './predict.css';

export interface PredictChoicesProps {
  legend: ReactNode;
  choices: readonly string[];
  /** The chosen index, or null before a choice. */
  value: number | null;
  onChange: (index: number) => void;
  /** Locked (after the reveal, or once a prediction is committed). */
  disabled?: boolean;
  /** Index of the right answer, shown only once revealed. */
  correct?: number;
  className?: string;
}

export default function PredictChoices({
  legend,
  choices,
  value,
  onChange,
  disabled = false,
  correct,
  className,
}: PredictChoicesProps) {
  const name = useId();
  return (
    <fieldset className={`predict-choices${className ? ` ${className}` : ''}`} disabled={disabled}>
      <legend>{legend}</legend>
      {choices.map((c, i) => (
        <label
          key={i}
          className="predict-choices__option"
          data-choice={i}
          data-correct={correct === i ? '' : undefined}
          data-guess={value === i ? '' : undefined}
        >
          <input type="radio" name={name} value={i} checked={value === i} onChange={() => onChange(i)} />
          <span>{c}</span>
          {correct !== undefined && (value === i || correct === i) && (
            <span className="predict-choices__tags">
              {value === i && <span className="predict-choices__tag">your guess</span>}
              {correct === i && (
                <span className="predict-choices__tag predict-choices__tag--answer">answer</span>
              )}
            </span>
          )}
        </label>
      ))}
    </fieldset>
  );
}
