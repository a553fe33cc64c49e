import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-expect-error -- plain ESM script without type declarations
import { serveStatic } from '../../scripts/serve.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}

export default async function setup(project: TestProject) {
  const root = path.resolve(process.env.E2E_SITE_DIR ?? 'out');
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    throw new Error(`No built site in ${root}: run \`npm run build\` before the browser tests.`);
  }
  const basePath = process.env.NEXT_PUBLIC_BASE_PATH ?? '';
  const { server, url } = (await serveStatic({ root, port: 0, basePath })) as {
    server: import('node:http').Server;
    url: string;
  };
  project.provide('baseURL', url);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
