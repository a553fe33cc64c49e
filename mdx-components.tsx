import type { MDXComponents } from 'mdx/types';
import * as figures from '@/components/figures/lazy';
import { mdxProseComponents } from '@/components/mdx';
import Experiment from '@/components/playground/Experiment';
import SiteLink from '@/components/mdx/SiteLink';

// The one place that decides which components chapters may use (react.dev's MDXComponents pattern):
// the live figures (the playground among them), the playground's guided experiments, and the prose boxes.
const components: MDXComponents = { ...figures, ...mdxProseComponents, Experiment, a: SiteLink };

export function useMDXComponents(inherited: MDXComponents): MDXComponents {
  return { ...inherited, ...components };
}
