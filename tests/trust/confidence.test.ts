import { describe, expect, test } from 'vitest';
import { countByTier, linkRulesToTechniques, linkRulesToTests, TIERS, tierInfo } from '../../src/lib/trust/confidence.ts';
import { describePrediction } from '../../src/lib/xref/explain.ts';

const tests = [
  { guid: 'net-1', technique: 'T1049' },
  { guid: 'net-2', technique: 'T1049' },
  { guid: 'ps-1', technique: 'T1059.001', predicted: ['encoded'] },
  { guid: 'lsass-1', technique: 'T1003.001' },
];
const rule = (slug: string, extra: Partial<{ tests: string[]; referencedTechniques: string[]; techniques: string[]; predictedTests: string[] }>) => ({
  slug,
  tests: [],
  referencedTechniques: [],
  techniques: [],
  ...extra,
});
const rules = [
  // Tier 1: references net-1; tagged T1049, so net-2 shares the tag only (tier 4).
  rule('net', { tests: ['net-1'], techniques: ['T1049'] }),
  // Tier 2: references the T1003.001 page, and is tagged with it as well.
  rule('lsass', { referencedTechniques: ['T1003.001'], techniques: ['T1003.001'] }),
  // Tier 3: predicted (from the test's side), tagged with another technique.
  rule('encoded', { techniques: ['T1027'] }),
  // Predicted from the rule's side, and also referencing the test: tier 1 with both kinds of evidence.
  rule('both', { tests: ['net-2'], predictedTests: ['net-2', 'unknown-guid'] }),
];

describe('confidence tiers', () => {
  test('rule ↔ test: one link per pair, its tier the strongest evidence, every basis kept', () => {
    const links = linkRulesToTests(rules, tests, (r, t) => (r === 'encoded' && t === 'ps-1' ? 'CommandLine contains "-enc"' : undefined));
    expect(links).toEqual([
      { rule: 'both', test: 'net-2', tier: 2, basis: ['test-reference', 'predicted'] },
      { rule: 'encoded', test: 'ps-1', tier: 3, basis: ['predicted'], explanation: 'CommandLine contains "-enc"' },
      { rule: 'lsass', test: 'lsass-1', tier: 4, basis: ['technique-reference', 'shared-tag'] },
      { rule: 'net', test: 'net-1', tier: 2, basis: ['test-reference', 'shared-tag'] },
      { rule: 'net', test: 'net-2', tier: 5, basis: ['shared-tag'] },
    ]);
    expect(countByTier(links)).toEqual({ 1: 0, 2: 2, 3: 1, 4: 1, 5: 1, 6: 0 });
  });

  test('rule ↔ technique: a referenced test or a predicted one links its technique, even untagged', () => {
    expect(linkRulesToTechniques(rules, tests)).toEqual([
      { rule: 'both', technique: 'T1049', tier: 2, basis: ['test-reference', 'predicted'] },
      { rule: 'encoded', technique: 'T1027', tier: 5, basis: ['shared-tag'] },
      { rule: 'encoded', technique: 'T1059.001', tier: 3, basis: ['predicted'] },
      { rule: 'lsass', technique: 'T1003.001', tier: 4, basis: ['technique-reference', 'shared-tag'] },
      { rule: 'net', technique: 'T1049', tier: 2, basis: ['test-reference', 'shared-tag'] },
    ]);
  });

  test('a test or technique the catalog does not hold makes no link', () => {
    const links = linkRulesToTests([rule('x', { tests: ['nope'], referencedTechniques: ['T9999'], techniques: ['T9998'] })], tests);
    expect(links).toEqual([]);
  });

  test('a technique-level link to a test of a platform the rule cannot see is tier 6, evidence about the test itself is not', () => {
    const cross = [
      { guid: 'win', technique: 'T1049', platforms: ['windows'] },
      { guid: 'nix', technique: 'T1049', platforms: ['linux', 'macos'] },
      { guid: 'aad', technique: 'T1049', platforms: ['azure-ad'], predicted: ['registry'] },
    ];
    const rules = [
      // A Windows registry rule tagged and referencing the technique page: Windows only.
      { ...rule('registry', { techniques: ['T1049'], referencedTechniques: ['T1049'] }), logsource: { product: 'windows', category: 'registry_set' } },
      // Linux: sees the Linux/macOS test (one platform is enough), not the others.
      { ...rule('auditd', { techniques: ['T1049'] }), logsource: { product: 'linux', service: 'auditd' } },
      // Azure sign-in logs (Entra ID): the azure-ad test only.
      { ...rule('signin', { techniques: ['T1049'] }), logsource: { product: 'azure', service: 'signinlogs' } },
      // No product (a proxy): not tied to a platform, so linked everywhere.
      { ...rule('proxy', { techniques: ['T1049'] }), logsource: { category: 'proxy' } },
      // A router's own command log sees no host test at all.
      { ...rule('router', { techniques: ['T1049'] }), logsource: { product: 'cisco', service: 'aaa' } },
    ];
    const tiers = Object.fromEntries(linkRulesToTests(rules, cross).map((l) => [`${l.rule} ${l.test}`, l.tier]));
    expect(tiers).toEqual({
      'registry win': 4,
      'registry nix': 6,
      // Predicted (the evaluator saw its events): evidence about the test, so not moved apart.
      'registry aad': 3,
      'auditd win': 6,
      'auditd nix': 5,
      'auditd aad': 6,
      'signin win': 6,
      'signin nix': 6,
      'signin aad': 5,
      'proxy win': 5,
      'proxy nix': 5,
      'proxy aad': 5,
      'router win': 6,
      'router nix': 6,
      'router aad': 6,
    });
    // Rule ↔ technique links stay: the rule is about the technique whatever the test's platform.
    expect(linkRulesToTechniques(rules, cross).every((l) => l.tier !== 6)).toBe(true);
  });

  test('observed firing is the strongest evidence, from either side', () => {
    const observedTests = [{ guid: 'net-1', technique: 'T1049', platforms: ['windows'], observed: [{ rule: 'net', date: '2026-11-01' }] }];
    const links = linkRulesToTests([rule('net', { tests: ['net-1'] }), { ...rule('other', {}), observedTests: ['net-1'] }], observedTests);
    expect(links).toEqual([
      { rule: 'net', test: 'net-1', tier: 1, basis: ['observed', 'test-reference'] },
      { rule: 'other', test: 'net-1', tier: 1, basis: ['observed'] },
    ]);
    expect(linkRulesToTechniques([{ ...rule('other', {}), observedTests: ['net-1'] }], observedTests)).toEqual([
      { rule: 'other', technique: 'T1049', tier: 1, basis: ['observed'] },
    ]);
  });

  test('the legend: six tiers, strongest first', () => {
    expect(TIERS.map((t) => [t.tier, t.basis, t.label])).toEqual([
      [1, 'observed', 'observed'],
      [2, 'test-reference', 'test ref'],
      [3, 'predicted', 'predicted'],
      [4, 'technique-reference', 'technique ref'],
      [5, 'shared-tag', 'tag only'],
      [6, 'other-platform', 'other platform'],
    ]);
    expect(tierInfo(3).description).toMatch(/predicts/);
  });
});

describe('describePrediction', () => {
  test('one line: the condition, the event and what matched, long values clipped', () => {
    const long = `powershell.exe -enc ${'A'.repeat(200)}`;
    const text = describePrediction({
      event: { origin: 'powershell line 1' },
      explanation: {
        condition: 'all of selection_*',
        identifiers: [
          { name: 'selection_img', value: true },
          { name: 'selection_cli', value: true },
        ],
        matches: [
          {
            identifier: 'selection_img',
            field: 'Image',
            modifiers: ['endswith'],
            matches: [{ value: '\\powershell.exe', field: 'Image', eventValue: 'C:\\Windows\\powershell.exe' }],
          },
          {
            identifier: 'selection_cli',
            field: 'CommandLine',
            modifiers: ['windash', 'contains'],
            matches: [{ value: '-enc ', field: 'CommandLine', eventValue: long }],
          },
        ],
      },
    });
    expect(text).toMatch(
      /^condition "all of selection_\*" held on powershell line 1: Image\|endswith "\\powershell.exe" in "C:\\Windows\\powershell.exe"; CommandLine\|windash\|contains "-enc" in "powershell.exe -enc A+…"$/,
    );
    expect(text.length).toBeLessThan(260);
  });
});
