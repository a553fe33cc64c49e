import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    '.next/**',
    'out/**',
    'node_modules/**',
    'next-env.d.ts',
    'coverage/**',
    'public/tfjs/**',
    'public/workers/**',
    'tmp/**',
    '.ablate/**',
    '.bench/**',
  ]),
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // lib/ is plain TypeScript that runs in Node, the main thread and a worker (STYLE.md §1).
    files: ['lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'react', message: 'lib/ must not depend on React.' },
            { name: 'react-dom', message: 'lib/ must not depend on React.' },
            { name: 'd3-selection', message: 'lib/ computes numbers; components own the DOM.' },
            {
              name: '@tensorflow/tfjs',
              message: "Import '@tensorflow/tfjs-core' and only the backends you use.",
            },
          ],
          patterns: [
            { group: ['next', 'next/*'], message: 'lib/ must not depend on Next.js.' },
            {
              group: ['@/components/*', '../components/*', '../../components/*'],
              message: 'lib/ must not import UI.',
            },
          ],
        },
      ],
    },
  },
]);
