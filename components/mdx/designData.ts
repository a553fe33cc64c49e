/**
 * Typed access to content/data/design.json (written by `npm run design` from the validation runs in
 * content/data/design/) for the "How the toy was designed" table and the prose around it. Unknown candidates or
 * pairs throw, so a typo fails the build instead of printing a wrong number.
 */
import raw from '@/content/data/design.json';
import type { DesignCandidateResult, DesignCell, DesignColumn } from '@/lib/detector/designStudy';
import type { PairedDifference } from '@/lib/detector/ablationResults';

export interface DesignFile {
  about: string;
  command: string;
  date: string;
  split: 'val';
  chosen: string;
  sources: { file: string; command: string }[];
  candidates: DesignCandidateResult[];
}

export const DESIGN = raw as unknown as DesignFile;

/** The candidate with this id; throws on an unknown id. */
export function designCandidate(id: string): DesignCandidateResult {
  const c = DESIGN.candidates.find((x) => x.id === id);
  if (!c)
    throw new Error(
      `design.json has no candidate "${id}"; known: ${DESIGN.candidates.map((x) => x.id).join(', ')}`,
    );
  return c;
}

/** A candidate's cell (AP per seed of one configuration), or null where it was not run. */
export function designCell(id: string, column: DesignColumn): DesignCell | null {
  return designCandidate(id).cells[column] ?? null;
}

/** A candidate's paired difference `run − baseline`; throws when the candidate has none. */
export function designPaired(id: string, run: string, baseline: string): PairedDifference {
  const p = designCandidate(id).paired.find((x) => x.run === run && x.baseline === baseline);
  if (!p) throw new Error(`design.json: candidate "${id}" has no paired difference ${run} − ${baseline}`);
  return p;
}
