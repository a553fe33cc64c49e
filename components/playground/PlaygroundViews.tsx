'use client';
import type { AnchorSelection, PlaygroundModel } from './model';

export interface PlaygroundViewsProps {
  model: PlaygroundModel;
  selection: AnchorSelection | null;
  onSelectAnchor: (sel: AnchorSelection | null) => void;
}

/** The live views (placeholder until the view components land). */
export default function PlaygroundViews(_: PlaygroundViewsProps) {
  return null;
}
