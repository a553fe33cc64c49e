/**
 * Writes content/data/design.json: the candidate designs of the toy tried on the validation split (issue 11,
 * "How the toy was designed" in content/training.mdx), each summarised from the `npm run ablate` outputs that
 * trained it (content/data/design/*.json; lib/detector/designStudy.ts does the arithmetic).
 *
 *   npm run design
 *
 * Every candidate was trained with `npm run ablate -- --split val …` (the command is in each source file), so no
 * number here comes from the test split that content/data/ablation.json reports on.
 * Exit codes: 0 ok, 1 runtime failure, 2 bad command line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { summariseCandidate, type DesignCandidate, type DesignRunRecord } from '../lib/detector/designStudy';
import { isMain, runMain, splitFlags } from './cli-args';

const DIR = path.join('content', 'data', 'design');
const OUT = path.join('content', 'data', 'design.json');

/** The previous published study (from scratch, A = 9), which scored on validation images 0–199. */
const SCRATCH = {
  file: `${DIR}/scratch.json`,
  evalImages: 200,
  note:
    'The study published before issue 11 (content/data/ablation.json until then, 3 seeds, from scratch), scored ' +
    "on images 0–199 of the 'eval' split of dataset 0: validation images under the protocol of issue 11.",
};

/** The candidates, in the order they were tried. */
export const CANDIDATES: DesignCandidate[] = [
  {
    id: 'scratch-a9',
    label: 'Scratch, A = 9',
    description:
      "The toy before issue 11: every weight from the seed, the paper's 9 anchors per location (1 : 400 " +
      'foreground : background anchors).',
    warmStart: false,
    anchorsPerLocation: 9,
    objectsPerImage: 1,
    sources: [{ ...SCRATCH, prefix: '' }],
  },
  {
    id: 'scratch-objects3',
    label: 'Scratch, 3 objects',
    description: 'Less imbalance: three objects per image, same anchors (1 : 130).',
    warmStart: false,
    anchorsPerLocation: 9,
    objectsPerImage: 3,
    sources: [{ ...SCRATCH, prefix: 'objects3-' }],
  },
  {
    id: 'scratch-a21',
    label: 'Scratch, A = 21',
    description: 'More background: 7 aspect ratios instead of 3, so 21 anchors per location (1 : 870).',
    warmStart: false,
    anchorsPerLocation: 21,
    objectsPerImage: 1,
    sources: [{ ...SCRATCH, prefix: 'ratios7-' }],
  },
  {
    id: 'warm-a9',
    label: 'Warm start, A = 9',
    description:
      'Backbone + FPN from the warm start (a plain-CE detector trained on other images; heads fresh), the ' +
      "paper's 9 anchors.",
    warmStart: true,
    anchorsPerLocation: 9,
    objectsPerImage: 1,
    sources: [{ file: `${DIR}/warm-a9.json`, prefix: 'ratios3-', evalImages: 500 }],
  },
  {
    id: 'warm-a21',
    label: 'Warm start, A = 21 (chosen)',
    description: 'Both: the warm start and 21 anchors per location.',
    warmStart: true,
    anchorsPerLocation: 21,
    objectsPerImage: 1,
    sources: [
      {
        file: `${DIR}/warm-a21.json`,
        prefix: 'ratios7-',
        evalImages: 500,
        note:
          "Trained at the level then called 'ratios7' (now the default design) from /tmp/study/ws-det.bin, the " +
          'same bytes as public/models/warm-start.bin. Its two seed-1 FL runs failed when that level was renamed ' +
          'while the study ran (the errors are in the file); warm-a21-seed1.json re-ran them at the default level.',
      },
      { file: `${DIR}/warm-a21-seed1.json`, prefix: '', evalImages: 500 },
    ],
  },
];

function runsOf(file: string): DesignRunRecord[] {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { runs?: DesignRunRecord[] };
  if (!Array.isArray(json.runs))
    throw new Error(`design: ${file} has no runs list (an npm run ablate output?)`);
  return json.runs;
}

function commandOf(file: string): string {
  return String((JSON.parse(fs.readFileSync(file, 'utf8')) as { command?: unknown }).command ?? '');
}

async function main(): Promise<number> {
  for (const [flag] of splitFlags(process.argv.slice(2), [], ['--help'])) {
    if (flag === '--help') {
      process.stdout.write(`Usage: npm run design\n\nWrites ${OUT} from the ablate outputs in ${DIR}/.\n`);
      return 0;
    }
  }
  const candidates = CANDIDATES.map((c) => summariseCandidate(runsOf, c));
  const files = [...new Set(CANDIDATES.flatMap((c) => c.sources.map((s) => s.file)))];
  const out = {
    about:
      'Candidate designs of the toy RetinaNet tried on the validation split (issue 11): COCO AP per loss, one ' +
      'value per seed, and paired per-seed differences (same seed = same data stream and initial weights). ' +
      'Written by `npm run design` (scripts/design.ts) from the `npm run ablate` outputs in content/data/design/; ' +
      'each source keeps the command that trained it. The test split is not used here.',
    command: 'npm run design',
    date: new Date().toISOString(),
    split: 'val',
    chosen: 'warm-a21',
    sources: files.map((file) => {
      const note = CANDIDATES.flatMap((c) => c.sources).find((s) => s.file === file && s.note)?.note;
      return { file, command: commandOf(file), ...(note ? { note } : {}) };
    }),
    candidates,
  };
  fs.writeFileSync(OUT, JSON.stringify(out, null, 2) + '\n');
  for (const c of candidates) {
    const cells = Object.entries(c.cells)
      .map(([k, v]) => `${k} ${(100 * v.mean).toFixed(1)}±${(100 * v.std).toFixed(1)} (n=${v.n})`)
      .join(', ');
    const pairs = c.paired
      .map((p) => `${p.run}−${p.baseline} ${(100 * p.mean).toFixed(1)}±${(100 * p.std).toFixed(1)}`)
      .join(', ');
    process.stdout.write(`${c.label}: ${cells}\n  paired: ${pairs}\n`);
  }
  process.stdout.write(`Wrote ${OUT}\n`);
  return 0;
}

if (isMain(import.meta.url)) runMain('design', main);
