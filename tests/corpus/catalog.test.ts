import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { listSigmaFiles } from '../../src/lib/sigma/load.ts';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { runCatalog } from '../../src/lib/pipeline.ts';
import { corpusPaths, hasCorpus } from './corpus.ts';

describe.skipIf(!hasCorpus)('catalog of the full corpus', () => {
  let catalog: Catalog;
  beforeAll(async () => {
    catalog = await runCatalog({ sigma: [corpusPaths.sigma], atomics: corpusPaths.atomics, attack: corpusPaths.attack });
  });

  test('every Sigma file is a rule or a diagnostic', async () => {
    const { files } = await listSigmaFiles(corpusPaths.sigma);
    expect(files).toHaveLength(4039);
    const accounted = new Set([
      ...catalog.rules.map((r) => r.path),
      ...catalog.diagnostics.filter((d) => d.severity === 'error').map((d) => path.relative(corpusPaths.sigma, d.file)),
    ]);
    expect(files.filter((f) => !accounted.has(f))).toEqual([]);
  });

  test('rules by collection and kind', () => {
    expect(catalog.stats.files.sigma).toBe(4039);
    expect(catalog.rules.length).toBe(4041);
    expect(catalog.stats.rulesByCollection).toMatchObject({
      rules: 3141,
      'emerging-threats': 473,
      'threat-hunting': 140,
      placeholder: 23,
      compliance: 3,
      deprecated: 172,
    });
    expect(new Set(catalog.rules.map((r) => r.slug)).size).toBe(catalog.rules.length);
  });

  test('Atomic tests and techniques', () => {
    expect(catalog.tests).toHaveLength(1819);
    // The corpus README's per-executor figures sum to 1,799; these are counted from the YAML and sum to 1,819.
    expect(catalog.stats.testsByExecutor).toEqual({ bash: 128, command_prompt: 559, manual: 16, powershell: 703, sh: 413 });
    const t1049 = catalog.techniques.find((t) => t.id === 'T1049')!;
    expect(t1049).toMatchObject({ name: 'System Network Connections Discovery', tactics: ['discovery'], source: 'attack' });
    expect(t1049.tests.length).toBeGreaterThanOrEqual(5);
    expect(catalog.tactics.slice(0, 3).map((t) => t.id)).toEqual(['reconnaissance', 'resource-development', 'initial-access']);
  });

  test('links are two-way', () => {
    const bySlug = new Map(catalog.rules.map((r) => [r.slug, r]));
    const tests = new Map(catalog.tests.map((t) => [t.guid, t]));
    for (const t of catalog.techniques) for (const slug of t.rules) expect(bySlug.has(slug)).toBe(true);
    for (const r of catalog.rules) for (const guid of r.tests) expect(tests.get(guid)!.rules).toContain(r.slug);
    const withTechniques = catalog.rules.filter((r) => r.techniques.length > 0).length;
    expect(withTechniques).toBeGreaterThan(3000);
    const referencing = catalog.rules.filter((r) => r.tests.length > 0).length;
    expect(referencing).toBeGreaterThan(100);
  });

  test('net.exe is a shared indicator with a corpus count', () => {
    const net = catalog.indicators.find((i) => i.field === 'Image' && i.operator === 'endswith' && i.value.toLowerCase() === '\\net.exe')!;
    expect(net.count).toBeGreaterThan(20);
    expect(net.url).toBe(`/indicators/${net.id}/`);
    const rule = catalog.rules.find((r) => r.path === 'rules/windows/process_creation/proc_creation_win_net_share_unmount.yml')!;
    expect(rule.indicators.map((i) => i.id)).toContain(net.id);
  });

  test('a parse error elsewhere does not stop the rest', () => {
    const errors = catalog.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeLessThan(10);
    for (const d of catalog.diagnostics) expect(d.file && d.code && d.message).toBeTruthy();
  });

  test('every diagnostic names its line, its path under its root and, for a rule file, its rule', () => {
    expect(catalog.diagnostics.length).toBeGreaterThan(90);
    expect(catalog.diagnostics.filter((d) => d.line === undefined || d.column === undefined)).toEqual([]);
    expect(catalog.diagnostics.filter((d) => d.path === undefined || d.rule === undefined)).toEqual([]);
    const condition = catalog.diagnostics.find((d) => d.path === 'unsupported/network/net_dns_high_subdomain_rate.yml' && d.code === 'condition')!;
    // `    condition: count(subdomain) per …`: the parser stops at '(' (column 6 of the condition).
    expect(condition).toMatchObject({ line: 34, column: 21, severity: 'error' });
  });
});
