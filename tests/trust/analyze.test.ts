/** The trust data of the fixture site's catalog end to end, and its files in api/. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonWithRows } from '../../src/lib/trust/api.ts';
import { analyzeTrust } from '../../src/lib/trust/analyze.ts';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { writeOutputs } from '../../src/lib/pipeline.ts';
import { fixtureCatalog } from '../site/fixture-site.ts';

const catalog = JSON.parse(readFileSync(fixtureCatalog, 'utf8')) as Catalog;
const trust = analyzeTrust(catalog);
const VSS = 'b7c6d5e4-1111-4c2d-9e8f-a0b1c2d3e4f5';

describe('trust data of the fixture catalog', () => {
  it('links a rule to its tests at every tier, the predicted ones with the evaluator explanation', () => {
    const tierOf = (rule: string, test: string) => trust.testLinks.find((l) => l.rule.startsWith(rule) && l.test.startsWith(test));
    expect(tierOf('1c67a717', '0940a971')?.tier).toBe(2);
    expect(tierOf('d0d0d0d0-1111-4222-8333-444455556666-lsass', 'f7e6d5c4')?.tier).toBe(4);
    expect(tierOf(VSS, 'c1d2e3f4-0002')).toMatchObject({
      tier: 3,
      basis: ['predicted', 'shared-tag'],
      explanation: expect.stringContaining('wmic.exe shadowcopy delete'),
    });
    // A Windows rule and a Linux/macOS test of its technique: same technique, other platform.
    expect(tierOf('1c67a717', 'bcf05343')).toMatchObject({ tier: 6, basis: ['shared-tag'] });
  });

  it('judges every Atomic reference', () => {
    expect(trust.references.map((r) => [r.rule.slice(0, 8), r.resolvedBy, r.problem ?? 'ok'])).toEqual([
      ['1c67a717', 'name', 'ok'],
      ['9b2e7a31', 'name', 'ok'],
      [VSS.slice(0, 8), 'name', 'renumbered'],
      [VSS.slice(0, 8), 'none', 'technique-gone'],
      ['d0d0d0d0', 'technique', 'ok'],
    ]);
    const renumbered = trust.references.find((r) => r.problem === 'renumbered')!;
    expect(renumbered.fix).toBe(
      'https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1490/T1490.md#atomic-test-1-windows---delete-volume-shadow-copies',
    );
    expect(renumbered.numberNow).toBe('c1d2e3f4-0002-4a5b-8c6d-7e8f9a0b1c2d');
  });

  it('has tombstones for retired and removed rules and redirects for old addresses', () => {
    expect(trust.tombstones.map((t) => [t.slug.slice(0, 8), t.reason, t.replacements.map((r) => r.slug.slice(0, 8))])).toEqual([
      ['a1a1a1a1', 'removed', [VSS.slice(0, 8)]],
      ['e2b1c7a0', 'deprecated', ['1c67a717']],
      ['unsuppor', 'unsupported', []],
    ]);
    const reasons = new Set(trust.redirects.map((r) => r.reason));
    expect([...reasons].sort()).toEqual(['file-name', 'replaced-id']);
  });

  it('finds the gaps', () => {
    expect(trust.gaps.techniques.items).toEqual(['T1218.011']);
    expect(trust.gaps.tests.items).toEqual(['bcf05343-ef1d-4052-8a27-b00c9be42b9f', 'c1d2e3f4-0003-4a5b-8c6d-7e8f9a0b1c2d']);
    expect(trust.gaps.rules.items).toEqual(['d0d0d0d0-1111-4222-8333-444455556666-mimikatz-keywords']);
  });
});

describe('api files', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'atlas-trust-api-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes links, reference health, gaps, tombstones and redirects beside the other api files', async () => {
    await writeOutputs(catalog, { dir: out, out, work: out });
    const read = (name: string) => JSON.parse(readFileSync(path.join(out, 'api', name), 'utf8'));
    const links = read('links.json');
    expect(links.tiers).toHaveLength(6);
    expect(links.counts.tests).toEqual({ 1: 0, 2: 3, 3: 1, 4: 1, 5: 3, 6: 2 });
    expect(links.tests).toHaveLength(10);
    const health = read('reference-health.json');
    expect(health.counts).toEqual({
      references: 5,
      resolvedBy: { name: 3, number: 0, moved: 0, technique: 1, none: 1 },
      problems: { renumbered: 1, 'test-missing': 0, 'technique-gone': 1 },
      fixes: 1,
    });
    expect(read('gaps.json').counts.techniques).toEqual({ gaps: 1, untagged: 1, of: 5 });
    expect(read('tombstones.json').tombstones).toHaveLength(3);
    expect(read('redirects.json').redirects.length).toBeGreaterThanOrEqual(10);
    // One link per line.
    expect(readFileSync(path.join(out, 'api', 'links.json'), 'utf8')).toContain(
      '\n    {"rule":"1c67a717-32ba-409b-a45d-0fb704a73a81","test":"0940a971-809a-48f1-9c4d-b1d785e96ee5","tier":2,"basis":["test-reference","shared-tag"]},\n',
    );
  });

  it('jsonWithRows is JSON', () => {
    const value = { a: { b: [1, 2] }, rows: [{ x: 1 }, { x: 2 }], none: [] };
    const text = jsonWithRows(value, ['rows', 'none']);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toBe('{\n  "a": {\n    "b": [\n      1,\n      2\n    ]\n  },\n  "rows": [\n    {"x":1},\n    {"x":2}\n  ],\n  "none": []\n}\n');
  });
});
