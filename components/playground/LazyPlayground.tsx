'use client';
/**
 * The playground for MDX chapters, split into its own chunk: chapters that do not embed it never load its code,
 * and the one that does loads it with the page but the training stack (worker, tfjs backends, wasm) only on Play.
 */
import dynamic from 'next/dynamic';
import type { PlaygroundProps } from './Playground';

const Playground = dynamic(() => import('./Playground'), {
  loading: () => <p className="pg-empty">Loading the playground…</p>,
});

export default function LazyPlayground(props: PlaygroundProps) {
  return <Playground headingLevel={3} {...props} />;
}
