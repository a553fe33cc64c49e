// `npm test`: the one gate. Typecheck, lint, formatting, unit + golden tests, the static build, then
// browser tests in real Chromium against the built site. Stops at the first failing step.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) {
    console.error(`Chromium is missing at ${CHROMIUM}. Install it with:\n  sudo apt-get install -y chromium`);
    process.exit(1);
  }
  console.log(`Chromium is missing at ${CHROMIUM}; installing Debian's chromium package…`);
  for (const args of [
    ['update'],
    ['install', '-y', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'],
  ]) {
    const r = spawnSync('apt-get', args, {
      stdio: 'inherit',
      env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) {
      console.error('Installing chromium failed; run: apt-get install -y chromium');
      process.exit(1);
    }
  }
}

const steps = [
  ['typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings=0']],
  ['format', 'npx', ['prettier', '--check', '.']],
  ['unit + golden', 'npx', ['vitest', 'run']],
  ['build', 'npm', ['run', 'build']],
  ['browser', 'npx', ['vitest', 'run', '-c', 'vitest.e2e.config.ts']],
  // The same site built under /focal-lab and served by a plain file server (no rewrites).
  ['basepath', 'node', ['scripts/build-basepath.mjs', '--test']],
];

const only = process.argv.slice(2);
const results = [];
for (const [name, cmd, args] of steps) {
  if (only.length && !only.includes(name.split(' ')[0])) continue;
  if (name === 'browser' || name === 'basepath') ensureChromium();
  console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  results.push({ name, ok: r.status === 0, secs });
  if (r.status !== 0) break;
}

console.log('\nnpm test summary');
for (const r of results) console.log(`  ${r.ok ? '✓' : '✗'} ${r.name} (${r.secs} s)`);
const failed = results.filter((r) => !r.ok).length;
const ran = results.length;
console.log(`steps: ${ran - failed} passed, ${failed} failed`);
process.exit(failed || ran === 0 ? 1 : 0);
