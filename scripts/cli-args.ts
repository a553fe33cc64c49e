/**
 * Command-line argument helpers shared by scripts/train.ts, ablate.ts and bench.ts: the flags read by Node's
 * `util.parseArgs` (`splitFlags`), typed value checkers that throw `UsageError`, and `runMain`, which maps a
 * UsageError to exit code 2 and any other failure to exit code 1.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';

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
 * Splits argv (without node and the script) into flags with Node's `util.parseArgs` (strict): `valueFlags` take a
 * value (`--x v` or `--x=v`), `boolFlags` take none ('-h' is an alias of '--help'). Unknown flags, positional
 * arguments, a missing value or a value given to a boolean flag throw UsageError. Later occurrences of a flag
 * override earlier ones when the caller applies the pairs in order.
 * @returns [flag, value] pairs in order (value `true` for boolean flags)
 */
export function splitFlags(
  argv: string[],
  valueFlags: readonly string[],
  boolFlags: readonly string[],
): [string, string | true][] {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const f of valueFlags) options[f.slice(2)] = { type: 'string', multiple: true };
  for (const f of boolFlags) options[f.slice(2)] = { type: 'boolean', multiple: true };
  if (boolFlags.includes('--help')) options.help.short = 'h';
  // parseArgs reads '--beta -1' as a flag without value; a negative number after a value flag is its value.
  const args = argv.flatMap((a, i) =>
    valueFlags.includes(a) && /^-[\d.]/.test(argv[i + 1] ?? '')
      ? [`${a}=${argv[i + 1]}`]
      : i > 0 && valueFlags.includes(argv[i - 1]) && /^-[\d.]/.test(a)
        ? []
        : [a],
  );
  let tokens;
  try {
    ({ tokens } = parseArgs({ args, options, strict: true, allowPositionals: false, tokens: true }));
  } catch (e) {
    throw new UsageError(usageMessage(e));
  }
  return tokens.flatMap((t): [string, string | true][] =>
    t.kind === 'option' ? [[`--${t.name}`, t.value ?? true]] : [],
  );
}

/** The short message of a `util.parseArgs` error (its own messages are long and suggest `--` escapes). */
function usageMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const flag = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
  switch ((e as { code?: string }).code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${quoted}' (see --help)`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${quoted}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(message)) return `${flag} takes no value`;
      if (/ambiguous/.test(message))
        return `${flag} needs a value (write ${flag}=-… for one starting with '-')`;
      return `${flag} needs a value`;
    default:
      return message;
  }
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
