/**
 * A dependency-free progress bar for long CLI jobs, written to stderr so stdout stays machine-readable.
 *
 * On a TTY it redraws one line (`\r`), at most ~10 times a second:
 *   [██████░░░░░░░░░░] 612/1500  loss 0.4123  7.9 steps/s  ETA 1m52s
 * Elsewhere (CI logs, pipes) it prints a plain line every `plainEvery` steps (default: every 5 %) and at the end.
 */
import type { WriteStream } from 'node:tty';

export interface ProgressOptions {
  total: number;
  /** Default process.stderr. */
  stream?: NodeJS.WriteStream | WriteStream;
  /** Prefix, e.g. the run name. */
  label?: string;
  /** Bar width in characters. Default 24. */
  width?: number;
  /** Non-TTY: print every this many steps. Default ⌈total / 20⌉. */
  plainEvery?: number;
  /** What is counted, for the rate ("7.9 steps/s"). Default 'steps'. */
  unit?: string;
  /**
   * Units already done before this bar started (e.g. runs reused by a resumed study): they count towards
   * done/total but not towards the rate, so the ETA reflects the work actually being done now. Default 0.
   */
  initial?: number;
  /** Rate per minute instead of per second (for slow units such as whole training runs). Default false. */
  perMinute?: boolean;
}

export interface Progress {
  /**
   * Report that `done` steps are complete (may be fractional, e.g. runs in progress); `fields` are shown as
   * `key value` pairs.
   */
  update(done: number, fields?: Record<string, string | number>): void;
  /** Print a line above the bar (e.g. an evaluation result). */
  log(line: string): void;
  /** Final redraw and newline. */
  finish(fields?: Record<string, string | number>): void;
}

/** 95 → "1m35s", 3725 → "1h02m", 8 → "8s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function formatFields(fields: Record<string, string | number>): string {
  return Object.entries(fields)
    .map(
      ([k, v]) =>
        `${k} ${typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(4)) : v}`,
    )
    .join('  ');
}

export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const tty = Boolean((stream as WriteStream).isTTY);
  const total = Math.max(1, opts.total);
  const width = opts.width ?? 24;
  const plainEvery = opts.plainEvery ?? Math.max(1, Math.ceil(total / 20));
  const label = opts.label ? `${opts.label} ` : '';
  const unit = opts.unit ?? 'steps';
  const initial = opts.initial ?? 0;
  const t0 = performance.now();
  let lastPlain = 0;
  let lastDraw = 0;
  let lastDone = 0;
  let lastFields: Record<string, string | number> = {};

  const line = (done: number, fields: Record<string, string | number>) => {
    const elapsed = (performance.now() - t0) / 1000;
    const rate = (done - initial) / Math.max(elapsed, 1e-9);
    const eta = done > initial ? (total - done) / rate : NaN;
    const filled = Math.round((Math.min(done, total) / total) * width);
    const bar = tty ? `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ` : '';
    const extra = formatFields(fields);
    const count = Number.isInteger(done) ? String(done) : done.toFixed(1);
    return (
      `${label}${bar}${count.padStart(String(total).length)}/${total}` +
      (extra ? `  ${extra}` : '') +
      `  ${(opts.perMinute ? rate * 60 : rate).toFixed(1)} ${unit}/${opts.perMinute ? 'min' : 's'}  ` +
      (done >= total ? `took ${formatDuration(elapsed)}` : `ETA ${formatDuration(eta)}`)
    );
  };

  const draw = (done: number, fields: Record<string, string | number>, force: boolean) => {
    const now = performance.now();
    if (tty) {
      if (!force && now - lastDraw < 100) return;
      stream.write(`\r\x1b[2K${line(done, fields)}`);
    } else {
      // Print when `done` crosses a multiple of plainEvery (works for fractional progress too).
      const bucket = Math.floor(done / plainEvery);
      if (!force && bucket === lastPlain) return;
      lastPlain = bucket;
      stream.write(`${line(done, fields)}\n`);
    }
    lastDraw = now;
  };

  return {
    update(done, fields = {}) {
      lastDone = done;
      lastFields = fields;
      draw(done, fields, false);
    },
    log(text) {
      if (tty) stream.write(`\r\x1b[2K${text}\n`);
      else stream.write(`${text}\n`);
      if (tty) draw(lastDone, lastFields, true);
    },
    finish(fields) {
      draw(total, fields ?? lastFields, true);
      if (tty) stream.write('\n');
    },
  };
}
