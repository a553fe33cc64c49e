import type { MDXComponents } from 'mdx/types';
import * as figures from '@/components/figures';
import { mdxProseComponents } from '@/components/mdx';

// The one place that decides which components chapters may use (react.dev's MDXComponents pattern):
// the live figures and the prose boxes.
const components: MDXComponents = { ...figures, ...mdxProseComponents };

export function useMDXComponents(inherited: MDXComponents): MDXComponents {
  return { ...inherited, ...components };
}
