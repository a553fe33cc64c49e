import { measuredOutcome } from './presetOutcome';

/**
 * A preset's measured outcome (./presetOutcome.ts): the setting it was measured at, then one line per run with its
 * AP and its paired gap to the leader. Nothing when the study has no results for the preset.
 */
export default function PresetOutcomeText({ preset, className }: { preset: string; className?: string }) {
  const o = measuredOutcome(preset);
  if (!o) return null;
  return (
    <div
      className={className ? `pg-preset-outcome ${className}` : 'pg-preset-outcome'}
      data-preset-outcome={preset}
    >
      <p>{o.setting}</p>
      <ul>
        {o.runs.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
    </div>
  );
}
