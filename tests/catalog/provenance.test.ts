import { expect, test } from 'vitest';
import { attackProvenance } from '../../src/lib/catalog/provenance.ts';
import { techniqueRedirects } from '../../src/lib/trust/redirects.ts';
import { techniqueStates } from '../../src/lib/catalog/techniques.ts';
import type { Catalog, CatalogTechnique } from '../../src/lib/catalog/types.ts';
import { notInBundleNote, provenanceParts } from '../../src/lib/site/provenance.ts';
import { technique as catalogTechnique } from './entities.ts';

test('the ATT&CK version comes from the bundle, else from --attack-version, and says which', () => {
  expect(attackProvenance('/x/enterprise-attack.json', { name: 'Enterprise ATT&CK', version: '18.1' }, '17.0')).toEqual({
    file: 'enterprise-attack.json',
    name: 'Enterprise ATT&CK',
    version: '18.1',
    versionFrom: 'bundle',
  });
  const stated = attackProvenance('/x/enterprise-attack.json', { name: 'Enterprise ATT&CK', modified: '2025-11-12T15:42:52.705Z' }, '18.1');
  expect(stated).toEqual({
    file: 'enterprise-attack.json',
    name: 'Enterprise ATT&CK',
    version: '18.1',
    versionFrom: 'option',
    modified: '2025-11-12T15:42:52.705Z',
  });
  expect(attackProvenance('b.json', { name: 'Enterprise ATT&CK' })).toEqual({ file: 'b.json', name: 'Enterprise ATT&CK' });
});

test('the footer names the ATT&CK release, each source commit and the tool version', () => {
  const parts = provenanceParts({
    tool: { name: 'detection-atlas', version: '0.1.0' },
    attack: { file: 'enterprise-attack.json', name: 'Enterprise ATT&CK', version: '18.1', versionFrom: 'option' },
    sources: [
      { kind: 'sigma', name: 'sigma', commit: '0123456789abcdef0123456789abcdef01234567', commitDate: '2025-11-20T10:00:00+01:00' },
      { kind: 'atomics', name: 'atomics' },
    ],
  });
  expect(parts.map((p) => p.text)).toEqual([
    'Enterprise ATT&CK v18.1',
    'Sigma sigma: commit 0123456789ab of 2025-11-20',
    'Atomic Red Team atomics: not a git checkout',
    'detection-atlas 0.1.0',
  ]);
});

const technique = (id: string, extra: Partial<CatalogTechnique> = {}): CatalogTechnique => catalogTechnique(id, id, extra);

test('revoked, deprecated and not-in-bundle techniques are counted apart; a revoked one redirects to its replacement', () => {
  const techniques = [
    technique('T1085', { revoked: true, revokedBy: 'T1218.011' }),
    technique('T1066', { revoked: true }),
    technique('T1108', { deprecated: true }),
    technique('T1218.011'),
    technique('T1685', { source: 'tag' }),
  ];
  expect(techniqueStates(techniques, true)).toEqual({ active: 2, revoked: 2, deprecated: 1, notInBundle: 1 });
  expect(techniqueStates(techniques, false).notInBundle).toBe(0);
  expect(techniqueRedirects(techniques)).toEqual([{ from: '/techniques/T1085/', to: '/techniques/T1218.011/', reason: 'revoked-technique' }]);
});

test('"not in ATT&CK v18.1 (the bundle used)" only when a bundle was used', () => {
  const catalog = (attack: number, version?: string) =>
    ({
      stats: { files: { sigma: 1, atomics: 0, attack } },
      provenance: version ? { tool: { name: 't', version: '1' }, attack: { file: 'b.json', version }, sources: [] } : undefined,
    }) as unknown as Catalog;
  expect(notInBundleNote(catalog(1, '18.1'))).toBe('not in ATT&CK v18.1 (the bundle used)');
  expect(notInBundleNote(catalog(1))).toBe('not in the ATT&CK bundle used');
  expect(notInBundleNote(catalog(0))).toBeUndefined();
});

test('a revoked technique without revoked-by gets a same-name hint only when one live technique has its name', async () => {
  const { sameNameSuccessor } = await import('../../src/lib/site/provenance.ts');
  const techniques = [
    technique('T1085', { name: 'Rundll32', revoked: true }),
    technique('T1218.011', { name: 'Rundll32' }),
    technique('T1156', { name: 'Malicious Shell Modification', revoked: true }),
    technique('T1999', { name: 'Rundll32', revoked: true, revokedBy: 'T1218.011' }),
  ];
  const catalog = { techniques } as unknown as Catalog;
  expect(sameNameSuccessor(catalog, techniques[0]!)?.id).toBe('T1218.011');
  expect(sameNameSuccessor(catalog, techniques[2]!)).toBeUndefined();
  expect(sameNameSuccessor(catalog, techniques[3]!)).toBeUndefined();
  expect(sameNameSuccessor(catalog, techniques[1]!)).toBeUndefined();
});

test("the old page of a 'contains|all' indicator used by two rules leads to the merged indicator", async () => {
  const { allModifierRedirects } = await import('../../src/lib/trust/redirects.ts');
  const { indicatorId, indicatorKey } = await import('../../src/lib/indicators/extract.ts');
  const { rule } = await import('./entities.ts');
  const detection = (modifiers: string[], values: string[]) => ({
    identifiers: [{ name: 'sel', groups: [[{ kind: 'field' as const, field: 'CommandLine', modifiers, values }]] }],
    conditions: [],
  });
  const rules = [
    rule('a', { detection: detection(['contains', 'all'], ['http', '-o']) }),
    rule('b', { detection: detection(['contains', 'all'], ['http', '-x']) }),
    rule('c', { detection: detection(['contains'], ['http']) }),
  ];
  const key = indicatorKey('CommandLine', ['contains'], 'http');
  const merged = {
    id: indicatorId(key),
    key,
    field: 'CommandLine',
    operator: 'contains',
    value: 'http',
    count: 3,
    rules: ['a', 'b', 'c'],
    url: `/indicators/${indicatorId(key)}/`,
  };
  const oldId = indicatorId(['commandline', 'contains|all', 'http'].join('\u0000'));
  // '-o' and '-x' were used by one rule each: they had no page of their own, so no redirect.
  expect(allModifierRedirects(rules, [merged])).toEqual([{ from: `/indicators/${oldId}/`, to: merged.url, reason: 'all-modifier' }]);
});
