/**
 * What each playground preset did in the site's study of the presets (content/data/presets.json, written by
 * `npm run ablate -- --presets`), as lib/playground/presetResults.ts renders it: the playground's preset
 * explanation and every chapter-7 reveal show it (./PresetOutcomeText.tsx), so a preset's text can only say what
 * the toy measured at that preset's own batch size and step budget.
 */
import raw from '@/content/data/presets.json';
import { presetOutcome, type PresetOutcome, type PresetsFile } from '@/lib/playground/presetResults';

const PRESETS_DATA = raw as unknown as PresetsFile;

/** The measured outcome of preset `id`, or null when the study has no results for it. */
export function measuredOutcome(id: string): PresetOutcome | null {
  if (!PRESETS_DATA.presets.some((p) => p.id === id && p.results.length > 0)) return null;
  return presetOutcome(PRESETS_DATA, id);
}
