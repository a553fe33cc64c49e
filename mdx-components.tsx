import type { MDXComponents } from 'mdx/types';

// The one place that decides which components chapters may use (react.dev's MDXComponents pattern).
const components: MDXComponents = {};

export function useMDXComponents(inherited: MDXComponents): MDXComponents {
  return { ...inherited, ...components };
}
