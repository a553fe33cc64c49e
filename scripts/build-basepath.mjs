// Builds the static export a second time with NEXT_PUBLIC_BASE_PATH=/focal-lab (how GitHub Pages serves a
// project site) into tmp/site-basepath/, leaving out/ as it was; with --test, then runs the browser test that
// serves that folder from a plain URL → file server (tests/e2e/basepath.test.ts).
//
//   node scripts/build-basepath.mjs [--test] [--base /focal-lab] [--dest tmp/site-basepath]
//
// Next.js writes a static export to out/ unless next.config sets a custom distDir (then it exports there, see
// `hasCustomExportOutput` in next/dist/build), and this build must not change next.config; so out/ is moved
// aside for the build and moved back afterwards, also when the build fails. It also rebuilds .next/. Run it
// where no other build or browser test runs at the same time (in this repo: under the build lock,
// `flock /tmp/focal-build.lock node scripts/build-basepath.mjs --test`). It takes as long as `npm run build`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const BASE = opt('--base', '/focal-lab').replace(/\/+$/, '');
const DEST = path.resolve(opt('--dest', 'tmp/site-basepath'));
const OUT = path.resolve('out');
const PARKED = path.resolve(`out.parked-${process.pid}`);

if (!/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(BASE)) {
  console.error(`build-basepath: --base must look like /focal-lab; got ${BASE}`);
  process.exit(2);
}

const env = { ...process.env, NEXT_PUBLIC_BASE_PATH: BASE, NEXT_TELEMETRY_DISABLED: '1' };

function run(cmd, cmdArgs, extraEnv = {}) {
  console.log(`▶ ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...env, ...extraEnv } });
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} exited with ${r.status ?? r.signal}`);
}

/** Puts the main build back where it was; safe to call twice. */
function restore() {
  if (!fs.existsSync(PARKED)) return;
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.renameSync(PARKED, OUT);
}

const t0 = Date.now();
let built = false;
if (fs.existsSync(OUT)) fs.renameSync(OUT, PARKED);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    restore();
    process.exit(130);
  });
}
try {
  // The same pre- and post-build steps as the main build (wasm copy, worker bundle, CSP), with the base path.
  run('npm', ['run', 'build']);
  fs.rmSync(DEST, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(DEST), { recursive: true });
  fs.renameSync(OUT, DEST);
  built = true;
} catch (e) {
  console.error(`build-basepath: ${e.message}`);
} finally {
  restore();
}
if (!built) process.exit(1);
console.log(`build-basepath: ${BASE} build in ${DEST} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);

if (args.includes('--test')) {
  // E2E_SITE_DIR points the suite's global setup at this build too, so the test runs even without out/.
  const r = spawnSync('npx', ['vitest', 'run', '-c', 'vitest.e2e.config.ts', 'tests/e2e/basepath.test.ts'], {
    stdio: 'inherit',
    env: { ...env, E2E_SITE_DIR: DEST, BASEPATH_SITE_DIR: DEST, BASEPATH: BASE },
  });
  process.exit(r.status ?? 1);
}
