'use client';
import { useId } from 'react';
import type { RunMeta } from '@/lib/playground/model';

/** "Run 2 (FL γ=2)": how every view names a run. */
export function runName(run: Pick<RunMeta, 'run' | 'label'> | undefined): string {
  return run ? `Run ${run.run + 1} (${run.label})` : 'Run —';
}

/** The run a view shows: `wanted` when it exists, else the first run (null without runs). */
export function pickRun<T extends { run: number }>(items: readonly T[], wanted: number): T | null {
  return items.find((r) => r.run === wanted) ?? items[0] ?? null;
}

/** A labelled <select> of the runs (rendered only when there is more than one to choose from). */
export default function RunSelect({
  runs,
  value,
  onChange,
  label = 'Run',
}: {
  runs: readonly RunMeta[];
  value: number;
  onChange: (run: number) => void;
  label?: string;
}) {
  const id = useId();
  if (runs.length < 2) return null;
  return (
    <div className="control pg-select">
      <label htmlFor={id} className="control__label">
        {label}
      </label>
      <select
        id={id}
        value={value}
        data-control="run"
        onChange={(e) => onChange(Number(e.currentTarget.value))}
      >
        {runs.map((r) => (
          <option key={r.run} value={r.run}>
            {runName(r)}
            {r.diverged ? ' — diverged' : ''}
          </option>
        ))}
      </select>
    </div>
  );
}
