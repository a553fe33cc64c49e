import { reliabilityFact } from './reliabilityData';

/**
 * A number about the calibration runs, inline in prose, read from content/data/reliability.json:
 * `<ReliabilityFact name="ece:fl-g2:detections" />`. The names are listed in ./reliabilityData.ts; an unknown one
 * throws at build time.
 */
export default function ReliabilityFact({ name }: { name: string }) {
  return (
    <span className="mdx-ablation-value" data-fact={name}>
      {reliabilityFact(name)}
    </span>
  );
}
