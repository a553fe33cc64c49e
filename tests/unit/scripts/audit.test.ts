/**
 * scripts/audit.mjs (`npm run audit`, run by .ci/run) against a stand-in `npm` on PATH that answers with canned
 * reports: a high advisory fails unless the README's "Audit exceptions" names it, moderate ones pass, and an
 * unreachable advisory endpoint is "not audited" (exit 3), never "clean".
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = path.resolve(__dirname, '../../../scripts/audit.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// The stand-in prints $FAKE_AUDIT for `npm audit` and $FAKE_OUTDATED for `npm outdated`.
fs.writeFileSync(
  path.join(dir, 'npm'),
  '#!/bin/sh\nif [ "$1" = audit ]; then cat "$FAKE_AUDIT"; exit 1; fi\ncat "$FAKE_OUTDATED"\n',
  { mode: 0o755 },
);

function run(audit: unknown, readme = '# x\n', outdated: unknown = {}) {
  const a = path.join(dir, `a-${Math.random()}.json`);
  const o = path.join(dir, `o-${Math.random()}.json`);
  const r = path.join(dir, `r-${Math.random()}.md`);
  fs.writeFileSync(a, JSON.stringify(audit));
  fs.writeFileSync(o, JSON.stringify(outdated));
  fs.writeFileSync(r, readme);
  const p = spawnSync(process.execPath, [script], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${dir}:${process.env.PATH}`,
      FAKE_AUDIT: a,
      FAKE_OUTDATED: o,
      AUDIT_README: r,
    },
  });
  return { code: p.status, out: p.stdout + p.stderr };
}

const ID = 'GHSA-abcd-2345-wxyz';
const report = (severity: string) => ({
  auditReportVersion: 2,
  vulnerabilities: {
    somepkg: {
      name: 'somepkg',
      severity,
      via: [
        {
          source: 1,
          name: 'somepkg',
          title: 'Bad thing',
          url: `https://github.com/advisories/${ID}`,
          severity,
          range: '<2.0.0',
        },
      ],
    },
    parent: { name: 'parent', severity, via: ['somepkg'] },
  },
  metadata: {
    vulnerabilities: {
      info: 0,
      low: 0,
      moderate: severity === 'moderate' ? 2 : 0,
      high: severity === 'high' ? 2 : 0,
      critical: 0,
      total: 2,
    },
    dependencies: { prod: 300 },
  },
});

describe('npm run audit', () => {
  it('fails on a high advisory that the README does not explain, naming it', () => {
    const r = run(report('high'));
    expect(r.code).toBe(1);
    expect(r.out).toContain(`high ${ID} in somepkg <2.0.0: Bad thing — NOT EXPLAINED`);
  });

  it('passes when the advisory is listed under "Audit exceptions", and only there', () => {
    const explained = `# R\n### Audit exceptions\n| ${ID} | somepkg | build-time only |\n## Next\n`;
    expect(run(report('high'), explained).code).toBe(0);
    const elsewhere = `# R\n### Audit exceptions\nnone\n## Other\n${ID}\n`;
    expect(run(report('high'), elsewhere).code).toBe(1);
  });

  it('passes on moderate advisories and prints the counts', () => {
    const r = run(report('moderate'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('300 runtime packages: 0 critical, 0 high, 2 moderate');
  });

  it('reports an unreachable advisory endpoint as "could not audit" (exit 3) with the outdated list', () => {
    const r = run(
      {
        message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
        statusCode: 405,
      },
      '# x\n',
      {
        katex: { current: '0.16.1', wanted: '0.16.9', latest: '0.19.1' },
        '@types/node': { current: '1', wanted: '1', latest: '2' },
      },
    );
    expect(r.code).toBe(3);
    expect(r.out).toContain('could not audit: 405 Method Not Allowed');
    expect(r.out).toContain('katex: installed 0.16.1, wanted 0.16.9, latest 0.19.1');
    expect(r.out).not.toContain('@types/node'); // a dev dependency: not shipped
  });
});
