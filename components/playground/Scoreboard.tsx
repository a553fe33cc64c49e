'use client';
import { memo } from 'react';
import { fmt, fmtFixed } from '@/lib/params/format';
import type { PlaygroundModel } from '@/lib/playground/model';
import { runStyle } from './colors';

/** Percent with one decimal, or '—'. */
const pct = (x: number | undefined | null) => (typeof x === 'number' ? fmtFixed(100 * x, 1) : '—');

/**
 * The race at a glance, as a table (readable by screen readers and on a phone): each run's latest losses and
 * its latest held-out AP. Every value comes from the worker's messages.
 */
export default memo(function Scoreboard({ model }: { model: PlaygroundModel }) {
  const lastEval = model.evals.runs.length > 0 ? model.evals.runs[model.evals.runs.length - 1] : null;
  const evalStep = model.evals.step.length > 0 ? model.evals.step[model.evals.step.length - 1] : null;
  return (
    // Focusable so keyboard users can scroll the table sideways on a phone.
    <div
      className="pg-scoreboard"
      tabIndex={0}
      role="region"
      aria-label="Latest values per run"
      data-eval-step={evalStep ?? undefined}
    >
      <table>
        <caption>
          Latest values per run
          {evalStep !== null && (
            <>
              {' '}
              (AP on {model.evals.numImages} held-out images at step {evalStep})
            </>
          )}
        </caption>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Total loss</th>
            <th scope="col">Classification</th>
            <th scope="col">Box</th>
            <th scope="col">AP</th>
            <th scope="col">AP50</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {model.runs.map((r) => {
            const h = model.losses[r.run];
            const n = h ? h.step.length - 1 : -1;
            const ev = lastEval?.[r.run] ?? null;
            return (
              <tr key={r.run} data-run={r.run}>
                <th scope="row">
                  <span
                    className="pg-swatch"
                    aria-hidden="true"
                    style={{ background: runStyle(r.run).color }}
                  />
                  {r.label}
                </th>
                <td data-cell="total">{n >= 0 ? fmt(h.total[n]) : '—'}</td>
                <td>{n >= 0 ? fmt(h.cls[n]) : '—'}</td>
                <td>{n >= 0 ? fmt(h.box[n]) : '—'}</td>
                <td data-cell="ap">{pct(ev?.ap)}</td>
                <td data-cell="ap50">{pct(ev?.ap50)}</td>
                <td>{r.diverged ? 'diverged' : r.active ? 'training' : 'stopped'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
});
