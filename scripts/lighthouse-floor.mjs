#!/usr/bin/env node
/**
 * The Lighthouse floor of the stack (`npm run bench:site:floor`): builds the smallest page the fixed stack can make —
 * a Next.js App Router static export of one heading and one sentence, this project's Next and React, no CSS, no
 * client component, no figure — and scores it with scripts/lighthouse.mjs exactly as `npm run bench:site` scores
 * the site (same server, same Chromium, same presets). Whatever that page scores is the ceiling for any page of
 * this site on the machine: every page loads the same framework runtime and hydrates at least this much.
 *
 * Why it exists (issue 13, item 6): on this 2-core machine the site's mobile scores sit at 80–87 and most of their
 * total blocking time is Next's and React's start-up (module evaluation of the ~230 KB React DOM chunk, then
 * hydration). This measures that part alone, so a note can say how much of the gap is the site's own.
 *
 *   node scripts/lighthouse-floor.mjs [--runs 3] [--preset mobile|desktop|both] [--webpack] [--keep]
 *
 * The page is written to .bench/lighthouse-floor/ (git-ignored) and removed afterwards unless --keep.
 * Exit code: that of scripts/lighthouse.mjs (1 when the floor page itself scores below the site's targets).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, '.bench', 'lighthouse-floor');

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    preset: { type: 'string', default: 'mobile' },
    webpack: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

/** The floor page's files: the same output mode and URL style as next.config.mjs, nothing else. */
const FILES = {
  'package.json': JSON.stringify({ name: 'lighthouse-floor', private: true, type: 'module' }, null, 2),
  // Turbopack only compiles files under its root; the project root holds node_modules.
  'next.config.mjs': `export default { output: 'export', trailingSlash: true, turbopack: { root: ${JSON.stringify(root)} } };\n`,
  'tsconfig.json': JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2020',
        lib: ['dom', 'esnext'],
        jsx: 'react-jsx',
        strict: true,
        module: 'esnext',
        moduleResolution: 'bundler',
        skipLibCheck: true,
        isolatedModules: true,
        noEmit: true,
      },
      include: ['**/*.tsx'],
    },
    null,
    2,
  ),
  'app/layout.tsx': `export const metadata = { title: 'Floor', description: 'The smallest page of the stack.' };
export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
  'app/page.tsx': `export default function Home() {
  return (
    <main>
      <h1>Why does focal loss work?</h1>
      <p>A one-stage detector scores tens of thousands of candidate boxes per image, and almost all of them are easy background.</p>
    </main>
  );
}
`,
};

fs.rmSync(dir, { recursive: true, force: true });
for (const [name, text] of Object.entries(FILES)) {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
}
let rc = 1;
try {
  const next = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const build = spawnSync(process.execPath, [next, 'build', ...(args.webpack ? ['--webpack'] : [])], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0) throw new Error(`next build of the floor page failed (exit ${build.status})`);
  const out = path.join(dir, 'out');
  const scripts = [
    ...fs.readFileSync(path.join(out, 'index.html'), 'utf8').matchAll(/<script[^>]*src="([^"]+)"/g),
  ];
  const bytes = scripts.reduce((s, m) => s + fs.statSync(path.join(out, m[1])).size, 0);
  console.log(
    `[floor] one heading, one sentence; ${scripts.length} scripts, ${(bytes / 1024).toFixed(0)} KiB of JavaScript (${args.webpack ? 'webpack' : 'Turbopack'})`,
  );
  const lh = spawnSync(
    process.execPath,
    [
      path.join(root, 'scripts', 'lighthouse.mjs'),
      '--dir',
      out,
      '--pages',
      '/',
      '--preset',
      args.preset,
      '--runs',
      args.runs,
    ],
    { stdio: 'inherit', env: { ...process.env, NEXT_PUBLIC_BASE_PATH: '' } },
  );
  rc = lh.status ?? 1;
} catch (e) {
  console.error(`lighthouse-floor: ${e instanceof Error ? e.message : e}`);
} finally {
  if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(rc);
