import { describe, expect, test as it } from 'vitest';
import { findGaps } from '../../src/lib/trust/gaps.ts';
import { linkRulesToTechniques, linkRulesToTests } from '../../src/lib/trust/confidence.ts';
import { catalog, rule, tactic, technique, test } from '../catalog/entities.ts';

const c = catalog({
  tactics: [tactic('execution', 3), tactic('discovery', 8)],
  techniques: [
    technique('T1049', 'Net', { tactics: ['discovery'], tests: ['net-1', 'net-2'], rules: ['net', 'old'] }),
    technique('T1059', 'Interpreter', { tactics: ['execution'], subtechniques: ['T1059.001'], rules: ['ps'] }),
    technique('T1059.001', 'PowerShell', { parent: 'T1059', tests: ['ps-1'], rules: ['ps'] }),
    technique('T1218.011', 'Rundll32', { tactics: ['execution'], tests: ['dll-1'] }),
    technique('T1003', 'Dumping', { tactics: ['discovery'] }),
  ],
  tests: [
    test('net-1', 'T1049', 1, 'net use'),
    test('net-2', 'T1049', 2, 'ss', { platforms: ['linux', 'macos'] }),
    test('ps-1', 'T1059.001', 1, 'encoded', { predicted: ['ps'] }),
    test('dll-1', 'T1218.011', 1, 'rundll32'),
  ],
  rules: [
    rule('net', { tests: ['net-1'], techniques: ['T1049'], tactics: ['discovery'] }),
    // A deprecated rule covers nothing, even with an explicit reference.
    rule('old', { tests: ['net-2'], techniques: ['T1049'], active: false, status: 'deprecated' }),
    // Predicted only; its tactic comes from its technique's parent.
    rule('ps', { techniques: ['T1059.001'], predictedTests: ['ps-1'] }),
    // No test at all: tagged with a technique that has none.
    rule('dump', { techniques: ['T1003'], tactics: ['discovery'], logsource: { product: 'linux' } }),
    // Correlation and filter rules are not detection rules for this purpose.
    rule('burst', { kind: 'correlation', techniques: ['T1049'] }),
  ],
});
const gaps = findGaps(c, linkRulesToTests(c.rules, c.tests), linkRulesToTechniques(c.rules, c.tests));

describe('gaps', () => {
  it('techniques with Atomic tests but no active rule at any tier', () => {
    expect(gaps.techniques.items).toEqual(['T1218.011']);
    expect(gaps.techniques.total).toBe(3);
  });

  it('tests with no linked or predicted active rule; those with no rule even by tag', () => {
    // net-2 (Linux, macOS) is referenced only by a deprecated rule, and the active rules sharing its tag watch Windows:
    // same technique, other platform, so no rule at all for it.
    expect(gaps.tests.items).toEqual(['dll-1', 'net-2']);
    expect(gaps.tests.noRuleAtAll).toEqual(['dll-1', 'net-2']);
    expect(gaps.tests.total).toBe(4);
  });

  it('active detection rules with no linked or predicted test; those with no test even by tag', () => {
    expect(gaps.rules.items).toEqual(['dump']);
    expect(gaps.rules.noTestAtAll).toEqual(['dump']);
    expect(gaps.rules.total).toBe(3);
  });

  it('counts per tactic (matrix order, a sub-technique inheriting the tactics of its parent) and per platform', () => {
    expect(gaps.tests.byTactic.map((f) => [f.id, f.gaps, f.total])).toEqual([
      ['execution', ['dll-1'], 2],
      ['discovery', ['net-2'], 2],
    ]);
    expect(gaps.tests.byPlatform.map((f) => [f.id, f.gaps.length, f.total])).toEqual([
      ['linux', 1, 1],
      ['macos', 1, 1],
      ['windows', 1, 3],
    ]);
    expect(gaps.rules.byPlatform.map((f) => [f.id, f.gaps, f.total])).toEqual([
      ['linux', ['dump'], 1],
      ['windows', [], 2],
    ]);
    expect(gaps.rules.byTactic.map((f) => [f.id, f.total])).toEqual([
      ['execution', 1],
      ['discovery', 2],
    ]);
  });
});

describe('techniques no rule is tagged with', () => {
  // T1016's test is reached only by a prediction of a rule tagged with another technique (T1049).
  const c2 = catalog({
    tactics: [tactic('discovery', 8)],
    techniques: [
      technique('T1049', 'Net', { tactics: ['discovery'], tests: ['net-1'], rules: ['net'] }),
      technique('T1016', 'Network Configuration', { tactics: ['discovery'], tests: ['route-1'] }),
      technique('T1082', 'System Information', { tactics: ['discovery'], tests: ['info-1'] }),
    ],
    tests: [
      test('net-1', 'T1049', 1, 'net use', { predicted: ['net'] }),
      test('route-1', 'T1016', 1, 'net view', { predicted: ['net'] }),
      test('info-1', 'T1082', 1, 'systeminfo'),
    ],
    rules: [rule('net', { techniques: ['T1049'], predictedTests: ['net-1', 'route-1'] })],
  });
  const g = findGaps(c2, linkRulesToTests(c2.rules, c2.tests), linkRulesToTechniques(c2.rules, c2.tests));

  it('are the gaps and those reached only by other techniques’ rules predicted for their tests', () => {
    expect(g.techniques.items).toEqual(['T1082']);
    expect(g.techniques.untagged).toEqual(['T1016', 'T1082']);
  });
});
