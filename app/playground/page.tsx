import type { Metadata } from 'next';
import PageLink from '@/components/site/PageLink';
import Playground from '@/components/playground/Playground';

export const metadata: Metadata = {
  title: 'Playground: train a toy RetinaNet in your browser',
  description:
    'Cross-entropy, α-balanced CE, focal loss, FL*, 1:3 sampling and OHEM train the same small RetinaNet on the same synthetic data, side by side, in your browser.',
};

export default function PlaygroundPage() {
  return (
    <main className="playground-page">
      <h1>Playground</h1>
      <p className="lede">
        A small RetinaNet (a feature pyramid, a classification subnet and a box subnet over 9 anchors per
        location) learns to find shapes in synthetic 64×64 images where almost every anchor is background.
        Race up to four losses on the same data from the same initial weights and watch where their loss goes.
        Background for every setting is in the <PageLink href="/learn/focal-loss/">course</PageLink>.
      </p>
      <Playground headingLevel={2} title="Train and compare" />
    </main>
  );
}
