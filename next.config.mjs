import createMDX from '@next/mdx';

// A base path lets the static export live under a sub-folder (e.g. GitHub Pages at /focal-lab/).
const basePath = process.env.NEXT_PUBLIC_BASE_PATH || '';

/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'export',
  // Folder-style URLs (/learn/focal-loss/index.html) work on every static server without rewrites.
  trailingSlash: true,
  basePath,
  images: { unoptimized: true },
  pageExtensions: ['ts', 'tsx', 'md', 'mdx'],
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm test` type-checks the whole repository (app, lib, scripts, tests) in its own step first.
  typescript: { ignoreBuildErrors: true },
};

// Plugins are named by string so the config stays serialisable for Turbopack.
const withMDX = createMDX({
  extension: /\.mdx?$/,
  options: {
    remarkPlugins: [
      'remark-frontmatter',
      ['remark-mdx-frontmatter', { name: 'frontmatter' }],
      'remark-gfm',
      'remark-math',
    ],
    rehypePlugins: [['rehype-katex', { strict: 'ignore', output: 'htmlAndMathml' }], 'rehype-slug'],
  },
});

export default withMDX(nextConfig);
