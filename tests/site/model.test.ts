import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { countLabel, groupByField, hasOwnPage } from '../../src/lib/site/indicators.ts';
import { inactiveReason, levelRank, platformLabel, techniqueTitle } from '../../src/lib/site/labels.ts';
import { shade } from '../../src/lib/site/matrix.ts';
import { analyzeTrust } from '../../src/lib/trust/analyze.ts';
import { buildModel } from '../../src/lib/site/model.ts';
import { normalizeBase, routeSegment } from '../../src/lib/site/urls.ts';
import { indicatorPageUrl, ruleUrl, tacticUrl, techniqueUrl, testUrl } from '../../src/lib/catalog/urls.ts';
import { formatSetting, ruleView, testView } from '../../src/lib/site/views.ts';
import { fixtureCatalog } from './fixture-site.ts';

const catalog = JSON.parse(readFileSync(fixtureCatalog, 'utf8')) as Catalog;
const model = buildModel({ ...catalog, trust: analyzeTrust(catalog) });

describe('site model', () => {
  it('builds the matrix in tactic order, parents with folded sub-techniques', () => {
    expect(model.matrix.map((c) => c.tactic.id)).toEqual(['execution', 'defense-evasion', 'credential-access', 'discovery', 'impact']);
    const execution = model.matrix[0]!;
    expect(execution.cells).toMatchObject([{ id: 'T1059', rules: 1, tests: 1, subs: [{ id: 'T1059.001', tests: 1 }] }]);
    const discovery = model.matrix.find((c) => c.tactic.id === 'discovery')!;
    // T1049 has three rules, one of them deprecated: two active.
    expect(discovery.cells[0]).toMatchObject({ id: 'T1049', rules: 2, tests: 2, shade: 1 });
  });

  it('shows sub-techniques whose parent is unknown as top-level cells', () => {
    const evasion = model.matrix.find((c) => c.tactic.id === 'defense-evasion')!;
    expect(evasion.cells.map((c) => c.id)).toContain('T1070.003');
  });

  it('groups rules by facet with unique slugs and level order', () => {
    expect(model.ruleFacets.level.map((g) => g.value)).toEqual(['critical', 'high', 'medium', 'low']);
    expect(model.ruleFacets.product.map((g) => [g.value, g.slug])).toEqual([
      ['', 'none'],
      ['linux', 'linux'],
      ['windows', 'windows'],
    ]);
  });

  it('gives every log source combination a page slug', () => {
    expect(model.logsources.map((l) => l.slug).sort()).toEqual([
      'linux-auditd',
      'linux-process_creation',
      'none',
      'windows-process_access',
      'windows-process_creation',
    ]);
  });

  it('links ATT&CK tags to technique and tactic pages, others to tag pages', () => {
    const byTag = new Map(model.tags.map((t) => [t.tag, t.target]));
    expect(byTag.get('attack.t1049')).toEqual({ kind: 'technique', id: 'T1049' });
    expect(byTag.get('attack.discovery')).toEqual({ kind: 'tactic', id: 'discovery' });
    expect(byTag.get('cve.2021-1234')).toEqual({ kind: 'tag' });
  });
});

describe('indicators', () => {
  it('gives an own page to indicators of two or more rules', () => {
    expect(model.indicatorPages.map((i) => i.value).sort()).toEqual(['\\net.exe', 'sekurlsa']);
    expect(hasOwnPage({ rules: ['a'] })).toBe(false);
  });

  it('groups by field page segment, keywords apart', () => {
    const groups = groupByField(catalog.indicators);
    expect(groups[0]).toMatchObject({ segment: 'commandline', label: 'CommandLine' });
    expect(groups.find((g) => g.segment === '-keywords')).toMatchObject({ fields: [], label: 'keywords (no field)' });
  });

  it('says "unique to this rule" for a count of one', () => {
    expect(countLabel({ count: 1, rules: ['r1'] }, 'r1')).toBe('unique to this rule');
    expect(countLabel({ count: 1, rules: ['r1', 'old'] }, 'r1')).toBe('1 active rule');
    expect(countLabel({ count: 0, rules: ['old', 'older'] }, 'old')).toBe('inactive rules only');
    expect(countLabel({ count: 5, rules: ['a', 'b', 'c', 'd', 'e'] })).toBe('5 active rules');
  });
});

describe('rule view', () => {
  it('builds coverage, resolved references and indicator rows', () => {
    const v = ruleView(model, model.rule('1c67a717-32ba-409b-a45d-0fb704a73a81')!);
    expect(v.coverage).toMatchObject([{ tacticId: 'discovery', techniques: [{ id: 'T1049', name: 'System Network Connections Discovery' }] }]);
    expect(v.references[0]!.test?.guid).toBe('0940a971-809a-48f1-9c4d-b1d785e96ee5');
    expect(v.references[1]).toEqual({ text: "javascript:alert('ref')" });
    const netExe = v.indicators.find((i) => i.value === '\\net.exe')!;
    expect(netExe).toMatchObject({ count: '1 active rule', shared: true });
    expect(netExe.href).toMatch(/^\/indicators\/[0-9a-f]{16}\/$/);
    expect(v.indicators.find((i) => i.value === '\\net1.exe')).toMatchObject({ count: 'unique to this rule', shared: false });
    expect(v.sourceUrl).toBe('https://example.org/sigma/blob/main/rules/windows/process_creation/proc_creation_win_net_use_network_connections_discovery.yml');
    expect(v.tests.rows.map((r) => [r.test.guid, r.link.tier])).toEqual([['0940a971-809a-48f1-9c4d-b1d785e96ee5', 2]]);
    // The other T1049 test runs on Linux and macOS, which this Windows rule cannot see: listed apart, not as a tag-only link.
    expect(v.tests.techniques).toEqual([]);
    expect(v.tests.otherPlatform.map((g) => [g.tier, g.technique, g.tests.map((t) => t.guid)])).toEqual([
      [6, 'T1049', ['bcf05343-ef1d-4052-8a27-b00c9be42b9f']],
    ]);
    expect(v.coverage[0]!.techniques[0]!.tier).toBe(2);
  });

  it('resolves correlation rules by id', () => {
    const v = ruleView(model, model.rule('c0c0c0c0-aaaa-4bbb-8ccc-dddddddddddd')!);
    expect(v.correlated).toEqual([{ id: '1c67a717-32ba-409b-a45d-0fb704a73a81', rules: [model.rule('1c67a717-32ba-409b-a45d-0fb704a73a81')] }]);
  });
});

describe('correlation helpers', () => {
  it('formats correlation settings readably', () => {
    expect(formatSetting(['TargetUserName', 'IpAddress'])).toBe('TargetUserName, IpAddress');
    expect(formatSetting({ gte: 5 })).toBe('gte: 5');
    expect(formatSetting('10m')).toBe('10m');
  });
});

describe('test view', () => {
  it('says how a test is covered: the strongest tier of an active rule', () => {
    const coverage = (guid: string) => testView(model, model.test(guid)!).coverage;
    expect(coverage('0940a971-809a-48f1-9c4d-b1d785e96ee5')).toBe(2);
    expect(coverage('f7e6d5c4-b3a2-4190-8f7e-6d5c4b3a2918')).toBe(4);
    expect(coverage('c1d2e3f4-0002-4a5b-8c6d-7e8f9a0b1c2d')).toBe(3);
    // Linux/macOS test: the rule without a log source product shares the tag; the Windows rule is another platform.
    expect(coverage('bcf05343-ef1d-4052-8a27-b00c9be42b9f')).toBe(5);
    expect(coverage('c1d2e3f4-0003-4a5b-8c6d-7e8f9a0b1c2d')).toBeUndefined();
  });

  it('lists the rules of a test strongest link first', () => {
    const v = testView(model, model.test('0940a971-809a-48f1-9c4d-b1d785e96ee5')!);
    expect(v.rules.map((r) => [r.rule.slug, r.link.tier])).toEqual([
      ['1c67a717-32ba-409b-a45d-0fb704a73a81', 2],
      ['c0c0c0c0-aaaa-4bbb-8ccc-dddddddddddd', 5],
      ['e2b1c7a0-3f4d-4e5a-9b8c-7d6e5f4a3b21', 5],
    ]);
    const linux = testView(model, model.test('bcf05343-ef1d-4052-8a27-b00c9be42b9f')!);
    expect(linux.rules.map((r) => [r.rule.slug, r.link.tier])).toEqual([
      ['c0c0c0c0-aaaa-4bbb-8ccc-dddddddddddd', 5],
      ['1c67a717-32ba-409b-a45d-0fb704a73a81', 6],
      ['e2b1c7a0-3f4d-4e5a-9b8c-7d6e5f4a3b21', 6],
    ]);
  });
});

describe('labels and urls', () => {
  it('orders levels and names platforms', () => {
    expect(['low', 'critical', 'weird', 'high'].sort((a, b) => levelRank(a) - levelRank(b))).toEqual(['critical', 'high', 'low', 'weird']);
    expect(platformLabel('macos')).toBe('macOS');
    expect(platformLabel('macOS')).toBe('macOS');
    expect(platformLabel('Something')).toBe('Something');
    expect(techniqueTitle({ id: 'T1049', name: 'System Network Connections Discovery' })).toBe('T1049 System Network Connections Discovery');
    expect(techniqueTitle({ id: 'T1110.001', name: 'T1110.001' })).toBe('T1110.001');
  });

  it('explains inactive rules', () => {
    expect(inactiveReason({ active: false, status: 'deprecated', collection: 'rules' })).toBe('deprecated');
    expect(inactiveReason({ active: false, collection: 'unsupported' })).toBe('unsupported');
    expect(inactiveReason({ active: true, collection: 'rules' })).toBeUndefined();
  });

  it('shades by rule count', () => {
    expect([0, 1, 2, 3, 9, 10, 29, 30, 500].map(shade)).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4]);
  });

  it('routes pages by the key their permalink is built from; an unsafe key gets no page', () => {
    expect(catalog.rules.every((r) => r.url === ruleUrl(routeSegment(r.slug)!))).toBe(true);
    expect(catalog.tests.every((t) => t.url === testUrl(routeSegment(t.slug)!))).toBe(true);
    expect(catalog.techniques.every((t) => t.url === techniqueUrl(routeSegment(t.id)!))).toBe(true);
    expect(catalog.tactics.every((t) => t.url === tacticUrl(routeSegment(t.id)!))).toBe(true);
    expect(model.indicatorPages.length).toBeGreaterThan(0);
    expect(model.indicatorPages.every((i) => i.url === indicatorPageUrl(routeSegment(i.id)!))).toBe(true);
    for (const key of ['..', '.', '', 'a/b', 'a\\b', 'x#y', 'x?y', 'gone-100%', '006f9e63%2da68f']) expect(routeSegment(key)).toBeUndefined();
    expect(routeSegment('T1003.001')).toBe('T1003.001');
  });

  it('normalizes the base path', () => {
    expect(normalizeBase(undefined)).toBe('/');
    expect(normalizeBase('sigma')).toBe('/sigma/');
    expect(normalizeBase('/sigma/')).toBe('/sigma/');
  });
});
