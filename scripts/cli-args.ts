/**
 * Command-line argument helpers shared by scripts/train.ts, ablate.ts and bench.ts: a tiny flag splitter
 * (`--flag value`, `--flag=value`, boolean flags), typed value parsers that throw `UsageError`, and `runMain`,
 * which maps a UsageError to exit code 2 and any other failure to exit code 1.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A bad command line: the CLI prints its message and exits with code 2. */
export class UsageError extends Error {}

/** Parses a number and checks it; `what` describes the expected value for the error message. */
export function parseNumber(flag: string, v: string, check: (x: number) => boolean, what: string): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || !check(x))
    throw new UsageError(`${flag}: expected ${what}, got '${v}'`);
  return x;
}

/** An integer ≥ min. */
export function parseInteger(flag: string, v: string, min: number): number {
  return parseNumber(flag, v, (x) => Number.isInteger(x) && x >= min, `an integer ≥ ${min}`);
}

/** A comma-separated list of integers ≥ 0, no duplicates ('0,1,2'). */
export function parseSeedList(flag: string, v: string): number[] {
  const parts = v.split(',').map((s) => s.trim());
  if (parts.some((p) => p === ''))
    throw new UsageError(`${flag}: expected a comma-separated list, got '${v}'`);
  const xs = parts.map((p) =>
    parseNumber(flag, p, (x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32, 'integers in [0, 2^32)'),
  );
  if (new Set(xs).size !== xs.length) throw new UsageError(`${flag}: duplicate value in '${v}'`);
  return xs;
}

/** A comma-separated list of non-empty names, no duplicates. */
export function parseNameList(flag: string, v: string): string[] {
  const parts = v.split(',').map((s) => s.trim());
  if (parts.some((p) => p === ''))
    throw new UsageError(`${flag}: expected a comma-separated list, got '${v}'`);
  if (new Set(parts).size !== parts.length) throw new UsageError(`${flag}: duplicate name in '${v}'`);
  return parts;
}

/** One of `choices`. */
export function parseChoice<T extends string>(flag: string, v: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(v))
    throw new UsageError(`${flag}: expected one of ${choices.join(', ')}, got '${v}'`);
  return v as T;
}

/**
 * Splits argv (without node and the script) into flags. `valueFlags` take a value (`--x v` or `--x=v`),
 * `boolFlags` take none ('-h' is an alias of '--help'). Unknown flags, positional arguments, a missing value
 * or a value given to a boolean flag throw UsageError. Later occurrences of a flag override earlier ones.
 * @returns [flag, value] pairs in order (value `true` for boolean flags)
 */
export function splitFlags(
  argv: string[],
  valueFlags: readonly string[],
  boolFlags: readonly string[],
): [string, string | true][] {
  const out: [string, string | true][] = [];
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i];
    let value: string | undefined;
    const eq = flag.indexOf('=');
    if (flag.startsWith('--') && eq > 0) {
      value = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    if (flag === '-h') flag = '--help';
    if (boolFlags.includes(flag)) {
      if (value !== undefined) throw new UsageError(`${flag} takes no value`);
      out.push([flag, true]);
      continue;
    }
    if (!valueFlags.includes(flag)) {
      throw new UsageError(
        flag.startsWith('-')
          ? `unknown option '${argv[i]}' (see --help)`
          : `unexpected argument '${argv[i]}'`,
      );
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
    }
    out.push([flag, value]);
  }
  return out;
}

/**
 * Runs an async CLI entry point and exits: its return code, 2 for a UsageError (message on stderr, prefixed
 * with `name`), 1 for any other error (stack on stderr).
 */
export function runMain(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e) => {
      if (e instanceof UsageError) {
        process.stderr.write(`${name}: ${e.message}\n`);
        process.exit(2);
      }
      process.stderr.write(`${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}

/** True when the module with this `import.meta.url` is the script Node was started with (not an import). */
export function isMain(metaUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && pathToFileURL(path.resolve(entry)).href === metaUrl;
}
