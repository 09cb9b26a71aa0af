/** Every link both ways on the built fixture site: whatever api/ pairs, both pages link. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkBothWays, type BothWaysReport } from '../../src/lib/check/both-ways.ts';
import { fixtureSite } from './fixture-site.ts';

let report: BothWaysReport;
let dir = '';
beforeAll(async () => {
  dir = (await fixtureSite()).dir;
  report = await checkBothWays(dir);
});

describe('links both ways on the fixture site', () => {
  it('checks pairs of every kind', () => {
    expect(report.pairs['rule-test']).toBeGreaterThan(5);
    expect(report.pairs['rule-technique']).toBeGreaterThan(5);
    expect(report.pairs['test-technique']).toBeGreaterThan(5);
    expect(report.pairs['indicator-rule']).toBeGreaterThan(5);
  });

  it('finds no pair listed on one page only, at any tier (other-platform links included)', () => {
    expect(report.oneWay).toEqual([]);
  });

  it('reports a page that drops its side of a pair', async () => {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'atlas-both-ways-'));
    try {
      cpSync(path.join(dir, 'api'), path.join(copy, 'api'), { recursive: true });
      cpSync(path.join(dir, 'rules'), path.join(copy, 'rules'), { recursive: true });
      cpSync(path.join(dir, 'tests'), path.join(copy, 'tests'), { recursive: true });
      cpSync(path.join(dir, 'techniques'), path.join(copy, 'techniques'), { recursive: true });
      cpSync(path.join(dir, 'indicators'), path.join(copy, 'indicators'), { recursive: true });
      // The Linux/macOS T1049 test page without its "same technique, other platform" rules.
      const page = path.join(copy, 'tests', 'bcf05343-ef1d-4052-8a27-b00c9be42b9f', 'index.html');
      writeFileSync(page, readFileSync(page, 'utf8').replace(/<details class="links" id="rules-other-platform"[\s\S]*?<\/details>/, ''));
      const broken = await checkBothWays(copy);
      expect(broken.oneWay).toEqual([
        { kind: 'rule-test', page: '/tests/bcf05343-ef1d-4052-8a27-b00c9be42b9f/', missing: '/rules/1c67a717-32ba-409b-a45d-0fb704a73a81/', tier: 6 },
        { kind: 'rule-test', page: '/tests/bcf05343-ef1d-4052-8a27-b00c9be42b9f/', missing: '/rules/e2b1c7a0-3f4d-4e5a-9b8c-7d6e5f4a3b21/', tier: 6 },
      ]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
