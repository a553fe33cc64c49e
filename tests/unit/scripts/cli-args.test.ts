/**
 * Command-line parsing of `npm run ablate` and `npm run bench` (flags read by Node's util.parseArgs): defaults, accepted forms, and bad flags
 * rejected with a UsageError (which the CLIs turn into exit code 2).
 */
import { describe, expect, it } from 'vitest';
import { parseSeedList, splitFlags, UsageError } from '../../../scripts/cli-args';
import { parseAblateArgs } from '../../../scripts/ablate';
import { parseBenchArgs } from '../../../scripts/bench';
import { ABLATION_BUDGET } from '../../../lib/detector/ablation';

describe('splitFlags', () => {
  it('accepts --flag value, --flag=value and boolean flags, in order', () => {
    expect(splitFlags(['--a', '1', '--b=2', '-h'], ['--a', '--b'], ['--help'])).toEqual([
      ['--a', '1'],
      ['--b', '2'],
      ['--help', true],
    ]);
  });

  it('rejects unknown flags, positional arguments, missing values and values on boolean flags', () => {
    expect(() => splitFlags(['--c'], ['--a'], [])).toThrow(UsageError);
    expect(() => splitFlags(['oops'], ['--a'], [])).toThrow(/unexpected argument/);
    expect(() => splitFlags(['--a'], ['--a'], [])).toThrow(/needs a value/);
    expect(() => splitFlags(['--help=1'], [], ['--help'])).toThrow(/takes no value/);
  });

  it('reads a negative number after a value flag as its value', () => {
    expect(splitFlags(['--beta', '-1', '--a=-2'], ['--beta', '--a'], [])).toEqual([
      ['--beta', '-1'],
      ['--a', '-2'],
    ]);
  });
});

describe('parseSeedList', () => {
  it('parses distinct non-negative integer seeds', () => {
    expect(parseSeedList('--seeds', '0,1, 2')).toEqual([0, 1, 2]);
    for (const bad of ['', '0,,1', '1.5', '-1', 'a', '1,1'])
      expect(() => parseSeedList('--seeds', bad)).toThrow(UsageError);
  });
});

describe('parseAblateArgs', () => {
  it('defaults to the study budget, seeds 0–4 on the test split, two jobs and content/data/ablation.json', () => {
    const a = parseAblateArgs([]);
    expect(a.steps).toBe(ABLATION_BUDGET.steps);
    expect(a.seeds).toEqual([0, 1, 2, 3, 4]);
    expect([a.plan, a.evalSplit, a.presets, a.warmStart]).toEqual([
      'default',
      'test',
      false,
      'public/models/warm-start.bin',
    ]);
    expect(a.level).toBe('default');
    expect(a.jobs).toBe(2);
    expect(a.out).toBe('content/data/ablation.json');
    expect(a.partial).toBe('.ablate/ablation.partial.jsonl');
    expect([a.resume, a.dryRun, a.help]).toEqual([false, false, false]);
  });

  it('trains from scratch with --from-scratch, and at another design level with --level', () => {
    const a = parseAblateArgs(['--from-scratch', '--level', 'ratios3', '--out', '/tmp/x.json']);
    expect([a.warmStart, a.level]).toEqual([null, 'ratios3']);
    expect(() => parseAblateArgs(['--level', 'nope'])).toThrow(UsageError);
  });

  it('splits the two runs without prior init into a plan of their own (--prior)', () => {
    expect(parseAblateArgs(['--prior']).plan).toBe('prior');
    expect(() => parseAblateArgs(['--prior', '--grid'])).toThrow(UsageError);
  });

  it('reads every flag', () => {
    const a = parseAblateArgs([
      '--steps=20',
      '--seeds',
      '0',
      '--only',
      'fl-g2,objects3-*',
      '--jobs',
      '3',
      '--eval-images',
      '8',
      '--out',
      '/tmp/x.json',
      '--resume',
      '--dry-run',
    ]);
    expect([a.steps, a.seeds, a.only, a.jobs, a.evalImages]).toEqual([
      20,
      [0],
      ['fl-g2', 'objects3-*'],
      3,
      8,
    ]);
    expect(a.partial).toBe('.ablate/x.partial.jsonl');
    expect(a.resume && a.dryRun).toBe(true);
  });

  it('sends a --quick plan to the validation split, two seeds and its own file', () => {
    const a = parseAblateArgs(['--quick']);
    expect([a.plan, a.evalSplit, a.seeds, a.out]).toEqual([
      'quick',
      'val',
      [0, 1],
      'content/data/ablation.quick.json',
    ]);
    expect(a.partial).toBe('.ablate/ablation.quick.partial.jsonl');
    expect(parseAblateArgs(['--grid']).plan).toBe('grid');
    expect(parseAblateArgs(['--sweep', '--warm-start', 'w.bin']).warmStart).toBe('w.bin');
  });

  it('refuses to write the published file from --quick, the validation split or fewer than five seeds', () => {
    for (const argv of [
      ['--quick', '--out', 'content/data/ablation.json'],
      ['--split', 'val'],
      ['--seeds', '0,1,2'],
    ]) {
      expect(() => parseAblateArgs(argv), argv.join(' ')).toThrow(/written only from the test split/);
    }
    expect(parseAblateArgs(['--seeds', '0', '--out', '/tmp/a.json']).seeds).toEqual([0]);
    expect(() => parseAblateArgs(['--grid', '--quick'])).toThrow(UsageError);
  });

  it('sends --presets to content/data/presets.json and keeps the presets’ own steps unless told', () => {
    const a = parseAblateArgs(['--presets', '--only', 'quick']);
    expect([a.presets, a.out, a.stepsGiven, a.only]).toEqual([
      true,
      'content/data/presets.json',
      false,
      ['quick'],
    ]);
    expect(parseAblateArgs(['--presets', '--steps', '10', '--out', '/tmp/p.json']).stepsGiven).toBe(true);
  });

  it('rejects bad flags and values', () => {
    const bad = [
      ['--bogus'],
      ['--steps', '0'],
      ['--steps', '1.5'],
      ['--jobs', '0'],
      ['--seeds', 'x'],
      ['--only', 'not-a-config'],
      ['--only', ''],
      ['--eval-images'],
      ['--out', ''],
      ['--resume=yes'],
      ['extra'],
    ];
    for (const argv of bad) expect(() => parseAblateArgs(argv), argv.join(' ')).toThrow(UsageError);
  });
});

describe('parseBenchArgs', () => {
  it('defaults to both Node backends, 20 wasm steps and 3 cpu steps', () => {
    const a = parseBenchArgs([]);
    expect(a.backends).toEqual(['cpu', 'wasm']);
    expect([a.steps, a.cpuSteps, a.batch, a.json]).toEqual([20, 3, 16, false]);
  });

  it('restricts the backends and reads --json', () => {
    const a = parseBenchArgs(['--backends', 'wasm', '--json', '--cpu-steps=1']);
    expect(a.backends).toEqual(['wasm']);
    expect(a.json).toBe(true);
    expect(a.cpuSteps).toBe(1);
    expect(a.profile).toBe(false);
    expect(parseBenchArgs(['--profile']).profile).toBe(true);
  });

  it('rejects bad flags and values', () => {
    for (const argv of [
      ['--backends', 'webgl'],
      ['--backends', ''],
      ['--steps', '-3'],
      ['--gpu'],
      ['--json=1'],
    ])
      expect(() => parseBenchArgs(argv), argv.join(' ')).toThrow(UsageError);
  });
});
