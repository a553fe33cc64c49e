'use client';
/**
 * The live views of the playground, laid out in reading order: what the loss does, what the detector achieves,
 * what it sees, and why (where the loss goes, Figure 4, one anchor up close). Each view is memoised and receives
 * only its slice of the model, so a progress update repaints the loss chart without touching the sample canvases.
 *
 * They mount one per frame, top to bottom: mounting all six at once was one commit of 50–70 ms, which React cannot
 * slice, and on a 2-core machine whose cores the trainer's threads hold it was the one main-thread task over 50 ms
 * left when training starts (`npm run bench:race` counts them); three groups of two still took 43–66 ms a group.
 * A pair's second view waits in an empty slot, so the pair's grid (auto-fit) keeps both columns and nothing shifts.
 */
import { startTransition, useEffect, useState } from 'react';
import AnchorInspector from './views/AnchorInspector';
import ApChart from './views/ApChart';
import Fig4LiveView from './views/Fig4LiveView';
import LossChart from './views/LossChart';
import LossShareView from './views/LossShareView';
import SampleView from './views/SampleView';
import type { AnchorSelection, PlaygroundModel } from '@/lib/playground/model';

export interface PlaygroundViewsProps {
  model: PlaygroundModel;
  selection: AnchorSelection | null;
  onSelectAnchor: (sel: AnchorSelection | null) => void;
  /** Heading level of each view's title. */
  headingLevel?: 3 | 4;
}

/**
 * Holds the place of a pair's second view for the frames before it mounts: an empty grid item, so the pair's grid
 * (auto-fit) keeps two columns where it has room for them; it draws nothing (not even a figure's frame).
 */
function PairSlot() {
  return <div aria-hidden="true" />;
}

/** The views mount one per frame, in this many steps (see the module comment). */
const VIEW_GROUPS = 6;

export default function PlaygroundViews({
  model,
  selection,
  onSelectAnchor,
  headingLevel = 3,
}: PlaygroundViewsProps) {
  const steps = model.steps || undefined;
  const [groups, setGroups] = useState(1);
  useEffect(() => {
    if (groups >= VIEW_GROUPS) return;
    const id = requestAnimationFrame(() => startTransition(() => setGroups((g) => g + 1)));
    return () => cancelAnimationFrame(id);
  }, [groups]);
  return (
    <div className="pg-views">
      <div className="pg-views__pair">
        <LossChart runs={model.runs} losses={model.losses} steps={steps} headingLevel={headingLevel} />
        {groups >= 2 ? (
          <ApChart runs={model.runs} evals={model.evals} steps={steps} headingLevel={headingLevel} />
        ) : (
          <PairSlot />
        )}
      </div>
      {groups >= 3 && (
        <SampleView
          runs={model.runs}
          images={model.images}
          samples={model.samples}
          anchors={model.anchors}
          classNames={model.classNames}
          selection={selection}
          onSelectAnchor={onSelectAnchor}
          headingLevel={headingLevel}
        />
      )}
      {groups >= 4 && (
        <AnchorInspector
          detail={model.anchor}
          runs={model.runs}
          classNames={model.classNames}
          anchors={model.anchors}
          headingLevel={headingLevel}
        />
      )}
      {groups >= 5 && (
        <div className="pg-views__pair">
          <LossShareView runs={model.runs} lossShare={model.lossShare} headingLevel={headingLevel} />
          {groups >= 6 ? (
            <Fig4LiveView runs={model.runs} fig4={model.fig4} headingLevel={headingLevel} />
          ) : (
            <PairSlot />
          )}
        </div>
      )}
    </div>
  );
}
