import { ablationFact } from './ablationData';

/**
 * A fact about this site's ablation study (budget, seeds, measured imbalance, best γ, a Figure-4 share), inline in
 * prose, read from content/data/ablation.json: `<AblationFact name="steps" />`, `<AblationFact name="ratio:default" />`,
 * `<AblationFact name="fig4:focal:negHardest1:2" />`. The names are listed in ./ablationData.ts; an unknown one
 * throws at build time.
 */
export default function AblationFact({ name }: { name: string }) {
  return (
    <span className="mdx-ablation-value" data-fact={name}>
      {ablationFact(name)}
    </span>
  );
}
