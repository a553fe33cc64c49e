// `npm test`: the gate. Typecheck, lint, formatting, unit + golden tests, the static build, then browser tests in
// real Chromium against the built site: the fast tier, under six minutes on two cores. `npm run test:full` (or
// `npm test -- --full`; CI runs it) adds the full tier of browser tests and the site built under a base path
// (tests/e2e/tier.ts says what each tier holds and why). Stops at the first failing step and prints the time of
// each. The three static checks are single-threaded, so they run side by side (their output is printed one after
// another when all three are done); every other step uses the machine's cores by itself.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const argv = process.argv.slice(2);
const FULL = argv.includes('--full') || process.env.FOCAL_TEST_TIER === 'full';
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', FOCAL_TEST_TIER: FULL ? 'full' : 'fast' };

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

/** Runs commands side by side with their output captured; prints each one's output in order when all have ended. */
async function parallel(cmds) {
  const runs = cmds.map(
    ([name, cmd, args]) =>
      new Promise((resolve) => {
        const t0 = Date.now();
        const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('close', (code) =>
          resolve({ name, code, out, secs: ((Date.now() - t0) / 1000).toFixed(1) }),
        );
      }),
  );
  const done = await Promise.all(runs);
  for (const r of done) {
    console.log(`\n▷ ${r.name} (${r.secs} s)${r.code === 0 ? '' : ' FAILED'}`);
    process.stdout.write(r.out);
  }
  return done.every((r) => r.code === 0);
}

const STATIC_CHECKS = [
  ['typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings=0']],
  ['format', 'npx', ['prettier', '--check', '.']],
];

const steps = [
  ['typecheck + lint + format', 'parallel', STATIC_CHECKS],
  ['unit + golden', 'npx', ['vitest', 'run']],
  ['build', 'npm', ['run', 'build']],
  ['browser', 'npx', ['vitest', 'run', '-c', 'vitest.e2e.config.ts']],
  // Full tier: the same site built under /focal-lab and served by a plain file server (no rewrites).
  ...(FULL ? [['basepath', 'node', ['scripts/build-basepath.mjs', '--test']]] : []),
];

const START = Date.now();
const only = argv.filter((a) => a !== '--full');
console.log(
  FULL
    ? 'npm test, full tier: every browser test and the base-path build'
    : 'npm test, fast tier (npm run test:full adds the full tier of browser tests and the base-path build)',
);
const results = [];
for (const [name, cmd, args] of steps) {
  if (only.length && !name.split(' + ').some((part) => only.includes(part))) continue;
  if (name === 'browser' || name === 'basepath') ensureChromium();
  console.log(
    `\n▶ ${name}: ${cmd === 'parallel' ? args.map(([, c, a]) => [c, ...a].join(' ')).join(' & ') : `${cmd} ${args.join(' ')}`}`,
  );
  const t0 = Date.now();
  const ok =
    cmd === 'parallel' ? await parallel(args) : spawnSync(cmd, args, { stdio: 'inherit', env }).status === 0;
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  results.push({ name, ok, secs });
  if (!ok) break;
}

console.log(`\nnpm test summary (${FULL ? 'full' : 'fast'} tier)`);
for (const r of results) console.log(`  ${r.ok ? '✓' : '✗'} ${r.name} (${r.secs} s)`);
console.log(`total ${((Date.now() - START) / 1000).toFixed(1)} s`);
const failed = results.filter((r) => !r.ok).length;
const ran = results.length;
console.log(`steps: ${ran - failed} passed, ${failed} failed`);
process.exit(failed || ran === 0 ? 1 : 0);
