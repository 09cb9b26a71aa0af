import { describe, expect, test } from 'vitest';
import { indexTests, parseAtomicReference, resolveAtomicReference } from '../../src/lib/xref/atomic-reference.ts';

const tests = indexTests([
  { technique: 'T1049', guid: 'g1', number: 1, name: 'System Network Connections Discovery' },
  { technique: 'T1049', guid: 'g2', number: 2, name: 'System Network Connections Discovery with PowerShell' },
  { technique: 'T1049', guid: 'g5', number: 5, name: 'System Network Connections Discovery FreeBSD, Linux & MacOS' },
  { technique: 'T1685', guid: 'g9', number: 3, name: 'Uninstall Sysmon' },
]);

describe('parseAtomicReference', () => {
  test('old anchor with a pinned commit', () => {
    expect(
      parseAtomicReference(
        'https://github.com/redcanaryco/atomic-red-team/blob/f339e7da7d05f6057fdfcdd3742bfcf365fee2a9/atomics/T1049/T1049.md#atomic-test-1---system-network-connections-discovery',
      ),
    ).toEqual({
      url: 'https://github.com/redcanaryco/atomic-red-team/blob/f339e7da7d05f6057fdfcdd3742bfcf365fee2a9/atomics/T1049/T1049.md#atomic-test-1---system-network-connections-discovery',
      technique: 'T1049',
      number: 1,
      nameSlug: 'system-network-connections-discovery',
    });
  });

  test('new anchor on master', () => {
    const ref = parseAtomicReference(
      'https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1003.001/T1003.001.md#atomic-test-2-dump-lsassexe-memory-using-comsvcsdll',
    );
    expect(ref).toMatchObject({ technique: 'T1003.001', number: 2, nameSlug: 'dump-lsassexe-memory-using-comsvcsdll' });
  });

  test('technique page without anchor', () => {
    expect(parseAtomicReference('https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1049/T1049.md')).toEqual({
      url: 'https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1049/T1049.md',
      technique: 'T1049',
    });
  });

  test('atomicredteam.io links', () => {
    expect(parseAtomicReference('https://www.atomicredteam.io/atomic-red-team/atomics/T1048.003#atomic-test-8---python3-httpserver')).toMatchObject({
      technique: 'T1048.003',
      number: 8,
      nameSlug: 'python3-httpserver',
    });
    expect(parseAtomicReference('https://atomicredteam.io/defense-evasion/T1220/')).toMatchObject({ technique: 'T1220' });
  });

  test('a line anchor on the yaml keeps the technique', () => {
    expect(parseAtomicReference('https://github.com/redcanaryco/atomic-red-team/blob/dd52/atomics/T1112/T1112.yaml#L790')).toMatchObject({
      technique: 'T1112',
      otherAnchor: 'L790',
    });
  });

  test('payloads and unrelated links are not references', () => {
    expect(parseAtomicReference('https://github.com/redcanaryco/atomic-red-team/raw/master/atomics/T1218.010/bin/calc.dll')).toBeUndefined();
    expect(parseAtomicReference('https://example.com/atomics/T1049/T1049.md')).toBeUndefined();
  });
});

describe('resolveAtomicReference', () => {
  const ref = (anchor: string) => parseAtomicReference(`https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1049/T1049.md#${anchor}`)!;

  test('by name in the old format', () => {
    expect(resolveAtomicReference(ref('atomic-test-1---system-network-connections-discovery'), tests)).toEqual({ kind: 'test', guid: 'g1', via: 'name' });
  });

  test('by name when the number has shifted', () => {
    expect(resolveAtomicReference(ref('atomic-test-4-system-network-connections-discovery-with-powershell'), tests)).toEqual({
      kind: 'test',
      guid: 'g2',
      via: 'name',
    });
  });

  test('by name with punctuation in the heading', () => {
    expect(resolveAtomicReference(ref('atomic-test-5-system-network-connections-discovery-freebsd-linux--macos'), tests)).toEqual({
      kind: 'test',
      guid: 'g5',
      via: 'name',
    });
  });

  test('by number when the name matches no test', () => {
    expect(resolveAtomicReference(ref('atomic-test-2---old-name'), tests)).toEqual({ kind: 'test', guid: 'g2', via: 'number' });
  });

  test('unresolved when neither matches', () => {
    expect(resolveAtomicReference(ref('atomic-test-9---gone'), tests)).toMatchObject({ kind: 'unresolved' });
  });

  test('technique-level and missing technique', () => {
    expect(resolveAtomicReference(parseAtomicReference('https://atomicredteam.io/discovery/T1049/')!, tests)).toEqual({
      kind: 'technique',
      technique: 'T1049',
    });
    const gone = parseAtomicReference('https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1562.001/T1562.001.md#atomic-test-1-x')!;
    expect(resolveAtomicReference(gone, tests)).toMatchObject({ kind: 'unresolved', reason: 'no Atomic technique T1562.001 (folder removed or renumbered)' });
  });

  test('a test whose technique folder is gone is found by its unique name', () => {
    const moved = parseAtomicReference(
      'https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1562.001/T1562.001.md#atomic-test-11---uninstall-sysmon',
    )!;
    expect(resolveAtomicReference(moved, tests)).toEqual({ kind: 'test', guid: 'g9', via: 'moved' });
  });
});
