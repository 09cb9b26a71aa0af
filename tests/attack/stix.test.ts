import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAttackBundle, parseAttackBundle } from '../../src/lib/attack/stix.ts';
import type { AttackData } from '../../src/lib/attack/types.ts';

const fixtures = path.relative(process.cwd(), path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/attack'));
const tiny = path.join(fixtures, 'tiny-bundle.json');

/** A minimal attack-pattern for inline bundles. */
const pattern = (id: string, extra: Record<string, unknown> = {}) => ({
  type: 'attack-pattern',
  id: `attack-pattern--${id}`,
  name: `Technique ${id}`,
  external_references: [{ source_name: 'mitre-attack', external_id: id }],
  kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }],
  ...extra,
});
const bundle = (...objects: unknown[]) => ({ type: 'bundle', id: 'bundle--x', objects });

describe('loadAttackBundle on a tiny bundle', () => {
  let data: AttackData;
  beforeAll(async () => {
    const result = await loadAttackBundle(tiny);
    expect(result.diagnostics).toEqual([]);
    data = result.data!;
  });

  it('orders tactics by the matrix, not by file order', () => {
    expect(data.tactics).toEqual([
      { id: 'execution', name: 'Execution', externalId: 'TA0002', order: 0 },
      { id: 'persistence', name: 'Persistence', externalId: 'TA0003', order: 1 },
      { id: 'credential-access', name: 'Credential Access', externalId: 'TA0006', order: 2 },
    ]);
  });

  it('lists techniques by id, sub-techniques with their parent', () => {
    expect(data.techniques.map((t) => [t.id, t.parent ?? null])).toEqual([
      ['T1003', null],
      ['T1003.001', 'T1003'],
      ['T1059', null],
      ['T1064', null],
      ['T1108', null],
      ['T1547', null],
      ['T1564', null],
    ]);
  });

  it('reads a technique in full', () => {
    expect(data.techniques.find((t) => t.id === 'T1003.001')).toEqual({
      id: 'T1003.001',
      name: 'LSASS Memory',
      description: 'Adversaries may use **LSASS Memory**.(Citation: Example)',
      tactics: ['credential-access'],
      platforms: ['Windows'],
      parent: 'T1003',
      deprecated: false,
      revoked: false,
      url: 'https://attack.mitre.org/techniques/T1003/001',
    });
  });

  it('keeps revoked and deprecated techniques, flagged', () => {
    const flags = (id: string) => {
      const t = data.techniques.find((technique) => technique.id === id)!;
      return { revoked: t.revoked, deprecated: t.deprecated };
    };
    expect(flags('T1064')).toEqual({ revoked: true, deprecated: false });
    expect(flags('T1108')).toEqual({ revoked: false, deprecated: true });
  });

  it('orders a technique’s tactics by the matrix and ignores other kill chains', () => {
    expect(data.techniques.find((t) => t.id === 'T1547')!.tactics).toEqual(['execution', 'persistence']);
    expect(data.techniques.find((t) => t.id === 'T1059')!.tactics).toEqual(['execution']);
  });

  it('keeps a tactic the bundle does not define', () => {
    expect(data.techniques.find((t) => t.id === 'T1564')!.tactics).toEqual(['stealth']);
  });

  it('parses the same from JSON in memory', () => {
    expect(parseAttackBundle(JSON.parse(readFileSync(tiny, 'utf8')), tiny)).toEqual({ data, diagnostics: [] });
  });
});

describe('loadAttackBundle on bad files', () => {
  it('reports invalid JSON with line and column', async () => {
    const file = path.join(fixtures, 'broken.json');
    expect(await loadAttackBundle(file)).toEqual({
      diagnostics: [
        {
          file,
          severity: 'error',
          code: 'attack-bundle',
          message: 'invalid JSON: Expected double-quoted property name',
          line: 4,
          column: 33,
        },
      ],
    });
  });

  it('reports a missing file', async () => {
    const file = path.join(fixtures, 'missing.json');
    const result = await loadAttackBundle(file);
    expect(result.data).toBeUndefined();
    expect(result.diagnostics).toMatchObject([{ file, code: 'attack-bundle', message: expect.stringContaining('ENOENT') }]);
  });
});

describe('parseAttackBundle', () => {
  it('rejects something that is not a bundle', () => {
    expect(parseAttackBundle({ type: 'attack-pattern' }, 'x.json')).toEqual({
      diagnostics: [
        {
          file: 'x.json',
          severity: 'error',
          code: 'attack-bundle',
          message: 'not a STIX bundle: type: Invalid input: expected "bundle"; objects: Invalid input: expected array, received undefined',
        },
      ],
    });
    expect(parseAttackBundle(null, 'x.json').data).toBeUndefined();
  });

  it('turns malformed objects into diagnostics and keeps the rest', () => {
    const { data, diagnostics } = parseAttackBundle(
      bundle(
        pattern('T1059'),
        42,
        { id: 'no-type' },
        { ...pattern('T1001'), name: undefined },
        { ...pattern('T1002'), kill_chain_phases: 'execution' },
        pattern('T1003', { external_references: [{ source_name: 'capec', external_id: 'CAPEC-1' }] }),
        pattern('T12', {}),
        { type: 'x-mitre-tactic', id: 'x-mitre-tactic--bad', name: 'No shortname' },
        { type: 'relationship', id: 'relationship--ignored' },
      ),
      'x.json',
    );
    expect(data!.techniques.map((t) => t.id)).toEqual(['T1059']);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'objects[1] is not a STIX object (no "type")',
      'objects[2] is not a STIX object (no "type")',
      'objects[3] (attack-pattern--T1001): name: Invalid input: expected string, received undefined',
      'objects[4] (attack-pattern--T1002 "Technique T1002"): kill_chain_phases: Invalid input: expected array, received string',
      'objects[7] (x-mitre-tactic--bad "No shortname"): x_mitre_shortname: Invalid input: expected string, received undefined',
      'attack-pattern attack-pattern--T1003 (Technique T1003) has no mitre-attack external id',
      'attack-pattern attack-pattern--T12 (Technique T12) has an invalid ATT&CK id "T12"',
    ]);
  });

  it('keeps the live object when two share an ATT&CK id', () => {
    const { data, diagnostics } = parseAttackBundle(
      bundle(pattern('T1059', { id: 'attack-pattern--old', name: 'Old', revoked: true }), pattern('T1059', { id: 'attack-pattern--new', name: 'New' })),
      'x.json',
    );
    expect(data!.techniques).toMatchObject([{ id: 'T1059', name: 'New', revoked: false }]);
    expect(diagnostics).toMatchObject([
      {
        severity: 'warning',
        message: 'T1059 is used by 2 attack-patterns (attack-pattern--old, attack-pattern--new); kept attack-pattern--new',
      },
    ]);
  });

  it('orders tactics by the built-in matrix when the bundle has no matrix', () => {
    const tactic = (short: string, name: string) => ({
      type: 'x-mitre-tactic',
      id: `x-mitre-tactic--${short}`,
      name,
      x_mitre_shortname: short,
      external_references: [],
    });
    const { data, diagnostics } = parseAttackBundle(
      bundle(tactic('impact', 'Impact'), tactic('stealth', 'Stealth'), tactic('execution', 'Execution')),
      'x.json',
    );
    expect(data!.tactics.map((t) => [t.id, t.order])).toEqual([
      ['execution', 0],
      ['impact', 1],
      ['stealth', 2],
    ]);
    expect(diagnostics.map((d) => [d.severity, d.message])).toEqual([['warning', 'no x-mitre-matrix: tactics ordered by the built-in Enterprise matrix']]);
  });

  it('reports a matrix entry that names no tactic and keeps orders contiguous', () => {
    const matrix = {
      type: 'x-mitre-matrix',
      id: 'x-mitre-matrix--m',
      name: 'M',
      tactic_refs: ['x-mitre-tactic--gone', 'x-mitre-tactic--impact'],
    };
    const impact = {
      type: 'x-mitre-tactic',
      id: 'x-mitre-tactic--impact',
      name: 'Impact',
      x_mitre_shortname: 'impact',
      external_references: [{ source_name: 'mitre-attack', external_id: 'TA0040' }],
    };
    const { data, diagnostics } = parseAttackBundle(bundle(matrix, impact), 'x.json');
    expect(data!.tactics).toEqual([{ id: 'impact', name: 'Impact', externalId: 'TA0040', order: 0 }]);
    expect(diagnostics.map((d) => d.message)).toEqual(['matrix "M" names unknown tactic x-mitre-tactic--gone']);
  });

  it('ignores object types it does not read, even ones named like Object methods', () => {
    expect(parseAttackBundle(bundle({ type: 'toString' }, { type: 'intrusion-set' }), 'x.json')).toEqual({
      data: { techniques: [], tactics: [] },
      diagnostics: [],
    });
  });

  it('orders technique tactics by the built-in matrix when the bundle has no tactics', () => {
    const { data } = parseAttackBundle(
      bundle(
        pattern('T1547', {
          kill_chain_phases: ['stealth', 'persistence', 'execution'].map((phase_name) => ({
            kill_chain_name: 'mitre-attack',
            phase_name,
          })),
        }),
      ),
      'x.json',
    );
    expect(data).toEqual({
      tactics: [],
      techniques: [
        {
          id: 'T1547',
          name: 'Technique T1547',
          tactics: ['execution', 'persistence', 'stealth'],
          platforms: [],
          deprecated: false,
          revoked: false,
          url: 'https://attack.mitre.org/techniques/T1547/',
        },
      ],
    });
  });
});
