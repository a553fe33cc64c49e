import type { SampleDetections } from '@/lib/playground/protocol';

/** A class id's name, or "class k" when the worker sent fewer names. */
export const className = (names: string[], k: number) => names[k] ?? `class ${k}`;

/** Detections of one image with score ≥ threshold (indices into the sorted arrays). */
export function shown(det: SampleDetections | undefined, threshold: number): number[] {
  if (!det) return [];
  const out: number[] = [];
  for (let i = 0; i < det.scores.length; i++) if (det.scores[i] >= threshold) out.push(i);
  return out;
}
