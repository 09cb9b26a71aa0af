/** The ATT&CK model on a bundle older than the rules: ids, newer tactics and techniques, revocations. */
import { describe, expect, test } from 'vitest';
import { parseAttackBundle } from '../../src/lib/attack/stix.ts';
import { buildCatalog } from '../../src/lib/catalog/build.ts';
import { parseSigmaYaml } from '../../src/lib/sigma/load.ts';
import { toRule } from '../../src/lib/sigma/rule.ts';
import type { SigmaRule } from '../../src/lib/sigma/rule.ts';

const ref = (id: string) => [{ source_name: 'mitre-attack', external_id: id }];
const tactic = (short: string, name: string, id: string) => ({
  type: 'x-mitre-tactic',
  id: `x-mitre-tactic--${short}`,
  name,
  x_mitre_shortname: short,
  external_references: ref(id),
});
const pattern = (id: string, name: string, tactics: string[], extra: Record<string, unknown> = {}) => ({
  type: 'attack-pattern',
  id: `attack-pattern--${id}`,
  name,
  external_references: ref(id),
  kill_chain_phases: tactics.map((phase_name) => ({ kill_chain_name: 'mitre-attack', phase_name })),
  ...extra,
});

/** ATT&CK "v18.1" in miniature: Defense Evasion holds TA0005, T1085 was revoked by T1218.011. */
const BUNDLE = {
  type: 'bundle',
  id: 'bundle--1',
  objects: [
    { type: 'x-mitre-collection', id: 'x-mitre-collection--1', name: 'Enterprise ATT&CK', x_mitre_version: '18.1' },
    tactic('execution', 'Execution', 'TA0002'),
    tactic('persistence', 'Persistence', 'TA0003'),
    tactic('defense-evasion', 'Defense Evasion', 'TA0005'),
    {
      type: 'x-mitre-matrix',
      id: 'x-mitre-matrix--1',
      name: 'Enterprise ATT&CK',
      external_references: ref('enterprise-attack'),
      tactic_refs: ['x-mitre-tactic--execution', 'x-mitre-tactic--persistence', 'x-mitre-tactic--defense-evasion'],
    },
    pattern('T1027', 'Obfuscated Files or Information', ['defense-evasion']),
    pattern('T1059', 'Command and Scripting Interpreter', ['execution']),
    pattern('T1218', 'System Binary Proxy Execution', ['defense-evasion']),
    pattern('T1218.011', 'Rundll32', ['defense-evasion']),
    pattern('T1085', 'Rundll32', ['defense-evasion'], { revoked: true }),
    pattern('T1108', 'Redundant Access', ['persistence'], { x_mitre_deprecated: true }),
    {
      type: 'relationship',
      id: 'relationship--1',
      relationship_type: 'revoked-by',
      source_ref: 'attack-pattern--T1085',
      target_ref: 'attack-pattern--T1218.011',
    },
    { type: 'relationship', id: 'relationship--2', relationship_type: 'uses', source_ref: 'intrusion-set--x', target_ref: 'attack-pattern--T1027' },
  ],
};

let n = 0;
function rule(tags: string[]): SigmaRule {
  n += 1;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const text = `title: Rule ${n}\nid: ${id}\ntags:\n${tags.map((t) => `  - ${t}`).join('\n')}\nlogsource:\n  product: windows\ndetection:\n  sel:\n    a: b\n  condition: sel\n`;
  const { documents } = parseSigmaYaml(Buffer.from(text), `r${n}.yml`);
  return toRule({ ...documents[0]!, file: `r${n}.yml`, path: `r${n}.yml`, collection: 'rules' }).rule!;
}

function catalog() {
  const { data, diagnostics } = parseAttackBundle(BUNDLE, 'bundle.json');
  expect(diagnostics).toEqual([]);
  const rules = [
    rule(['attack.stealth', 'attack.t1027']),
    rule(['attack.stealth', 'attack.execution', 'attack.t1027', 'attack.t1059']),
    rule(['attack.defense-impairment', 'attack.t1685']),
    // Execution is explained by T1059 (the bundle files it there): only Defense Impairment is left for T1685.
    rule(['attack.defense-impairment', 'attack.execution', 'attack.t1685', 'attack.t1059']),
    // Defense Evasion is T1218's; Defense Impairment (newer than the bundle) is left for T1695.
    rule(['attack.defense-evasion', 'attack.defense-impairment', 'attack.t1218', 'attack.t1695']),
    // Two tactics left: even one technique does not say it belongs to both.
    rule(['attack.execution', 'attack.persistence', 'attack.t1690']),
    // One tactic left after T1059 explains Execution: both unknown techniques carry it.
    rule(['attack.persistence', 'attack.execution', 'attack.t1059', 'attack.t1693', 'attack.t1694']),
    // Two tactics, two unknown techniques: which goes with which is not said.
    rule(['attack.persistence', 'attack.impact', 'attack.t1691', 'attack.t1692']),
    rule(['attack.defense-evasion', 'attack.t1085']),
  ];
  return {
    release: data!.release,
    catalog: buildCatalog({ rules, atomics: [], attack: data, diagnostics: [], files: { sigma: rules.length, atomics: 0, attack: 1 } }),
  };
}

describe('ATT&CK model against an older bundle', () => {
  const { release, catalog: c } = catalog();
  const tactic = (id: string) => c.tactics.find((t) => t.id === id)!;
  const technique = (id: string) => c.techniques.find((t) => t.id === id)!;

  test('the bundle names itself and its version', () => {
    expect(release).toEqual({ name: 'Enterprise ATT&CK', version: '18.1' });
  });

  test('no two tactics share an ATT&CK id; newer tactics claim none and are marked not in the bundle', () => {
    const ids = c.tactics.flatMap((t) => (t.externalId ? [t.externalId] : []));
    expect(new Set(ids).size).toBe(ids.length);
    expect([tactic('defense-evasion').externalId, tactic('defense-evasion').source]).toEqual(['TA0005', 'attack']);
    expect([tactic('stealth').externalId, tactic('stealth').source]).toEqual([undefined, 'builtin']);
    expect([tactic('defense-impairment').externalId, tactic('defense-impairment').source]).toEqual([undefined, 'builtin']);
    const order = c.tactics.map((t) => t.id);
    expect(order.indexOf('stealth')).toBe(order.indexOf('defense-evasion') + 1);
  });

  test('a bundle technique goes under a newer tactic only where rules tag it with it, and keeps its bundle tactic', () => {
    expect(technique('T1027').tactics).toEqual(['defense-evasion', 'stealth']);
    expect(technique('T1027').tacticsFromRules).toEqual(['stealth']);
    // T1059 shares a rule with attack.stealth but the bundle files it under Execution only.
    expect(technique('T1059').tactics).toEqual(['execution']);
    expect(technique('T1059').tacticsFromRules).toBeUndefined();
    expect(tactic('stealth').techniques).toEqual(['T1027']);
  });

  test('a technique newer than the bundle is placed by unambiguous rule tags, never by every co-occurring tag', () => {
    expect(technique('T1685').source).toBe('tag');
    expect(technique('T1685').tactics).toEqual(['defense-impairment']);
    expect(technique('T1685').tacticsFromRules).toEqual(['defense-impairment']);
    expect(technique('T1690').tactics).toEqual([]);
    expect(technique('T1695').tactics).toEqual(['defense-impairment']);
    expect(technique('T1693').tactics).toEqual(['persistence']);
    expect(technique('T1694').tactics).toEqual(['persistence']);
    expect(technique('T1691').tactics).toEqual([]);
    expect(technique('T1692').tactics).toEqual([]);
    expect(tactic('defense-impairment').techniques).toEqual(['T1218', 'T1685', 'T1695']);
    expect(tactic('impact').techniques).toEqual([]);
  });

  test('a revoked technique leads to its replacement, whose rules it counts', () => {
    expect(technique('T1085')).toMatchObject({ revoked: true, revokedBy: 'T1218.011' });
    const tagged = technique('T1085').rules;
    expect(tagged).toHaveLength(1);
    expect(technique('T1218.011').rules).toEqual(tagged);
    expect(technique('T1218').rules).toEqual(expect.arrayContaining(tagged));
    expect(technique('T1108')).toMatchObject({ deprecated: true });
    expect(technique('T1108').revokedBy).toBeUndefined();
  });
});
