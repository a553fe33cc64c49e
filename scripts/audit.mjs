#!/usr/bin/env node
/**
 * Dependency audit of what the site ships (run by .ci/run after the tests): `npm audit --omit=dev`, failing on any high or critical
 * advisory that the README's security section does not explain.
 *
 *   npm run audit [-- --json]
 *
 * An advisory counts as explained when its GHSA id appears in the README between the heading
 * "### Audit exceptions" and the next heading (a table row saying why it does not reach readers). When the
 * registry's advisory endpoint cannot be reached (this project's build machines answer `405 Method Not
 * Allowed` to its POST), the script says so, prints `npm outdated --omit=dev` instead (are the runtime
 * dependencies the newest releases the registry has?) and exits 3, so a caller can tell "not audited" from
 * "audited and clean".
 *
 * Exit codes: 0 no unexplained high/critical advisory, 1 at least one, 3 the audit could not run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const asJson = process.argv.includes('--json');

/** GHSA ids listed under "### Audit exceptions" in the README. */
function explainedAdvisories() {
  // AUDIT_README: another file to read the exceptions from (the script's own tests).
  const readme = fs.readFileSync(process.env.AUDIT_README ?? path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('### Audit exceptions');
  if (start < 0) return new Set();
  const rest = readme.slice(start + 1);
  const end = rest.search(/\n#{1,3} /);
  const section = end < 0 ? rest : rest.slice(0, end);
  return new Set(section.match(/GHSA(-[a-z0-9]{4}){3}/g) ?? []);
}

const npm = (args) =>
  spawnSync('npm', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 2 ** 20, timeout: 120_000 });

const r = npm(['audit', '--omit=dev', '--json']);
let report;
try {
  report = JSON.parse(r.stdout);
} catch {
  report = {
    error: { summary: (r.stderr || r.stdout || 'no output').trim().split('\n').slice(-3).join(' ') },
  };
}

if (report.error || !report.metadata) {
  // npm 11 answers an unreachable endpoint with the HTTP exchange itself ({ message, statusCode, … }).
  const why = report.error?.summary || report.message || 'unexpected answer from npm audit';
  console.log(`[audit] could not audit: ${why}`);
  console.log(
    '[audit] the registry did not answer the advisory query; runtime dependencies against its newest releases:',
  );
  const o = npm(['outdated', '--omit=dev', '--json']);
  let outdated = {};
  try {
    outdated = JSON.parse(o.stdout || '{}');
  } catch {
    console.log(`[audit] npm outdated failed too: ${(o.stderr || '').trim().split('\n').pop()}`);
  }
  // npm outdated lists dev dependencies even with --omit=dev: keep what package.json ships.
  const runtime = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies ?? {};
  const names = Object.keys(outdated).filter((n) => n in runtime);
  if (names.length === 0)
    console.log('[audit] every runtime dependency is at the newest version the registry has');
  for (const n of names) {
    const v = outdated[n];
    console.log(`[audit]   ${n}: installed ${v.current ?? '—'}, wanted ${v.wanted}, latest ${v.latest}`);
  }
  if (asJson)
    console.log(
      JSON.stringify(
        { audited: false, reason: why, outdated: names.map((n) => ({ name: n, ...outdated[n] })) },
        null,
        1,
      ),
    );
  process.exit(3);
}

const explained = explainedAdvisories();
const counts = report.metadata.vulnerabilities;
/** One line per (package, advisory) at high or critical. */
const serious = [];
for (const v of Object.values(report.vulnerabilities ?? {})) {
  for (const via of v.via) {
    if (typeof via !== 'object') continue; // reached through another vulnerable package: listed under that one
    if (via.severity !== 'high' && via.severity !== 'critical') continue;
    const id = String(via.url ?? '').match(/GHSA(-[a-z0-9]{4}){3}/)?.[0] ?? String(via.source);
    serious.push({
      pkg: v.name,
      range: via.range,
      severity: via.severity,
      id,
      title: via.title,
      ok: explained.has(id),
    });
  }
}
console.log(
  `[audit] ${report.metadata.dependencies?.prod ?? '?'} runtime packages: ` +
    ['critical', 'high', 'moderate', 'low', 'info'].map((s) => `${counts[s] ?? 0} ${s}`).join(', '),
);
for (const s of serious) {
  console.log(
    `[audit]   ${s.severity} ${s.id} in ${s.pkg} ${s.range}: ${s.title}` +
      (s.ok ? ' (explained in the README)' : ' — NOT EXPLAINED'),
  );
}
if (asJson) console.log(JSON.stringify({ audited: true, counts, serious }, null, 1));
const unexplained = serious.filter((s) => !s.ok).length;
if (unexplained) {
  console.error(
    `[audit] ${unexplained} high/critical advisory(ies) not explained: upgrade, or say in the README's ` +
      '"Audit exceptions" why it cannot reach a reader of the static site',
  );
  process.exit(1);
}
console.log('[audit] no unexplained high or critical advisory');
