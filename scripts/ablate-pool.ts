/**
 * The process pool of `npm run ablate`: runs jobs (one training run each) in child processes of scripts/ablate.ts,
 * a few at a time, with a progress line, failures reported instead of hidden, and Ctrl-C stopping the children.
 * Both the study (scripts/ablate.ts) and the presets (scripts/ablate-presets.ts) schedule their runs with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createProgress } from './cli-progress';

/** What a child prints on stdout, one JSON object a line (both the study's and the presets' workers). */
export type WorkerMessage =
  { type: 'progress'; step: number; steps: number; loss: number } | { type: 'result'; result: unknown };

export function emit(m: WorkerMessage): void {
  process.stdout.write(JSON.stringify(m) + '\n');
}

/** How the pool reports a job: `log` prints a line above the progress bar. */
export interface PoolOptions<J> {
  jobs: number;
  /** Jobs in the whole plan and how many were already done (reused) before the pool starts. */
  total: number;
  done: number;
  label: string;
  /** The script the children run (scripts/ablate.ts, which dispatches its --worker modes). */
  script: string;
  /** Short name of a job for the progress line ('fl-g2#0'). */
  name: (job: J) => string;
  /** Arguments of this script that make a child run the job and print WorkerMessage lines. */
  argv: (job: J) => string[];
  onResult: (job: J, result: unknown, log: (line: string) => void) => void;
  onFailure: (job: J, error: string) => void;
}

/**
 * Runs jobs in child processes of this script, `jobs` at a time, in queue order: a child prints JSON
 * `WorkerMessage` lines (progress, then one result); a crash is reported through `onFailure` and the pool goes on.
 * SIGINT/SIGTERM stop the children and resolve with `interrupted`.
 */
export async function runPool<J>(queue0: readonly J[], o: PoolOptions<J>): Promise<{ interrupted: boolean }> {
  const progress = createProgress({
    total: o.total,
    label: o.label,
    unit: 'runs',
    initial: o.done,
    perMinute: true,
    // Off a TTY: a line every half run's worth of progress (fractions of running runs count).
    plainEvery: 0.5,
  });
  interface Running {
    job: J;
    child: ChildProcess;
    fraction: number;
    stderrTail: string;
    result: unknown;
  }
  const running = new Set<Running>();
  const queue = [...queue0];
  let finished = 0;
  let failed = 0;
  let interrupted = false;
  const report = () => {
    let frac = 0;
    for (const r of running) frac += r.fraction;
    const names = [...running].map((r) => o.name(r.job)).join(' ');
    progress.update(o.done + finished + failed + frac, { failed: String(failed), running: names || '-' });
  };
  const onSigint = () => {
    interrupted = true;
    queue.length = 0;
    for (const r of running) r.child.kill('SIGTERM');
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  await new Promise<void>((resolveAll) => {
    const startNext = () => {
      while (running.size < o.jobs && queue.length > 0) {
        const job = queue.shift()!;
        const execArgv = process.execArgv.filter((f) => !f.startsWith('--inspect'));
        // This Node binary with the same loader flags (tsx, the tfjs ESM hooks).
        const child = spawn(process.execPath, [...execArgv, o.script, ...o.argv(job)], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, FOCAL_ABLATE_WORKER: '1' },
        });
        const run: Running = { job, child, fraction: 0, stderrTail: '', result: undefined };
        running.add(run);
        let buf = '';
        child.stdout!.setEncoding('utf8');
        child.stdout!.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (!line.startsWith('{')) continue;
            try {
              const m = JSON.parse(line) as WorkerMessage;
              if (m.type === 'progress') {
                run.fraction = (0.95 * m.step) / m.steps;
                report();
              } else if (m.type === 'result') run.result = m.result;
            } catch {
              // not one of ours
            }
          }
        });
        child.stderr!.setEncoding('utf8');
        child.stderr!.on('data', (chunk: string) => {
          run.stderrTail = (run.stderrTail + chunk).slice(-4000);
        });
        child.on('close', (code, signal) => {
          running.delete(run);
          if (run.result !== undefined && code === 0) {
            finished++;
            o.onResult(job, run.result, (l) => progress.log(l));
          } else if (!interrupted) {
            const why = signal ? `killed by ${signal}` : `exit code ${code}`;
            // The worker's own error line ('ablate: Error: …') and the top of its stack, else the last lines.
            const lines = run.stderrTail.trim().split('\n');
            const at = lines.findLastIndex((l) => l.startsWith('ablate: '));
            const tail = (at >= 0 ? lines.slice(at, at + 4) : lines.slice(-6)).join('\n    ');
            failed++;
            o.onFailure(job, `${why}: ${tail}`);
            progress.log(`  FAILED ${o.name(job)} (${why})\n    ${tail}`);
          }
          report();
          if (running.size === 0 && queue.length === 0) resolveAll();
          else startNext();
        });
      }
    };
    if (queue.length === 0) resolveAll();
    else startNext();
  });
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigint);
  if (!interrupted) progress.finish({ failed: String(failed), running: '-' });
  return { interrupted };
}
