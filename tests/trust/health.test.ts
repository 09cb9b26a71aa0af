import { describe, expect, test } from 'vitest';
import { indexTests, isPinned, parseAtomicReference, retargetAtomicUrl } from '../../src/lib/xref/atomic-reference.ts';
import { checkReference, type HealthContext } from '../../src/lib/trust/health.ts';

// Today's atomics: in T1049 "System Discovery using SharpView" moved from #4 to #7 and #4 is now another test.
const index = indexTests([
  { technique: 'T1049', guid: 'net-1', number: 1, name: 'System Network Connections Discovery', anchor: 'atomic-test-1-system-network-connections-discovery' },
  { technique: 'T1049', guid: 'net-4', number: 4, name: 'System Network Connections Discovery via ss or lsof (Linux/MacOS)' },
  { technique: 'T1049', guid: 'net-7', number: 7, name: 'System Discovery using SharpView', anchor: 'atomic-test-7-system-discovery-using-sharpview' },
  { technique: 'T1485', guid: 'dd-2', number: 2, name: 'FreeBSD/macOS/Linux - Overwrite file with DD' },
  { technique: 'T1685', guid: 'sysmon', number: 15, name: 'Uninstall Sysmon', anchor: 'atomic-test-15-uninstall-sysmon' },
  { technique: 'T1685.005', guid: 'evtlog', number: 1, name: 'Clear Logs' },
  { technique: 'T1082', guid: 'wmic', number: 27, name: 'System Information Discovery with WMIC' },
]);
const ctx: HealthContext = { index, successor: (t) => (t === 'T1070.001' ? { technique: 'T1685.005', basis: 'same-name' } : undefined) };
const PINNED = 'https://github.com/redcanaryco/atomic-red-team/blob/f339e7da7d05f6057fdfcdd3742bfcf365fee2a9/atomics';
const MASTER = 'https://github.com/redcanaryco/atomic-red-team/blob/master/atomics';
const check = (url: string) => checkReference(parseAtomicReference(url)!, ctx);

describe('reference health verdicts', () => {
  test('by name, number agreeing: healthy', () => {
    expect(check(`${PINNED}/T1049/T1049.md#atomic-test-1---system-network-connections-discovery`)).toEqual({
      url: `${PINNED}/T1049/T1049.md#atomic-test-1---system-network-connections-discovery`,
      technique: 'T1049',
      number: 1,
      nameSlug: 'system-network-connections-discovery',
      pinned: true,
      resolvedBy: 'name',
      test: 'net-1',
      note: 'T1049 #1 "System Network Connections Discovery": name and number agree',
    });
  });

  test('renumbered: the old anchor number now points at another test', () => {
    const h = check(`${PINNED}/T1049/T1049.md#atomic-test-4---system-discovery-using-sharpview`);
    expect(h).toMatchObject({ resolvedBy: 'name', problem: 'renumbered', test: 'net-7', numberNow: 'net-4' });
    expect(h.note).toBe(
      'the anchor names "System Discovery using SharpView", now #7; its number #4 is now "System Network Connections Discovery via ss or lsof (Linux/MacOS)"',
    );
    // The fix: today's test, on master (the pinned commit is where the old number was right), current anchor format.
    expect(h.fix).toBe(`${MASTER}/T1049/T1049.md#atomic-test-7-system-discovery-using-sharpview`);
  });

  test('renumbered: the old anchor number names no test any more', () => {
    const h = check(`${MASTER}/T1082/T1082.md#atomic-test-25---system-information-discovery-with-wmic`);
    expect(h).toMatchObject({
      resolvedBy: 'name',
      problem: 'renumbered',
      test: 'wmic',
      fix: `${MASTER}/T1082/T1082.md#atomic-test-27-system-information-discovery-with-wmic`,
    });
    expect(h.numberNow).toBeUndefined();
    expect(h.note).toContain('its number #25 names no test any more');
  });

  test('by number only: an anchor without a name cannot be checked, but is not suspicious', () => {
    const h = check(`${MASTER}/T1049/T1049.md#atomic-test-4`);
    expect(h).toMatchObject({ resolvedBy: 'number', test: 'net-4' });
    expect(h).not.toHaveProperty('problem');
    expect(h).not.toHaveProperty('fix');
  });

  test('test missing: the name matches no test (renamed), kept by number, fix to the current anchor', () => {
    const h = check(`${PINNED}/T1485/T1485.md#atomic-test-2---macoslinux---overwrite-file-with-dd`);
    expect(h).toMatchObject({ resolvedBy: 'number', problem: 'test-missing', test: 'dd-2' });
    expect(h.fix).toBe(`${MASTER}/T1485/T1485.md#atomic-test-2-freebsdmacoslinux---overwrite-file-with-dd`);
    expect(h.note).toContain('check it is the same test');
  });

  test('test missing: the name is found in another technique, and the fix points there', () => {
    const h = check(`${MASTER}/T1049/T1049.md#atomic-test-1---uninstall-sysmon`);
    expect(h).toMatchObject({ resolvedBy: 'number', problem: 'test-missing', test: 'net-1', fix: `${MASTER}/T1685/T1685.md#atomic-test-15-uninstall-sysmon` });
    expect(h.note).toContain('a test with that name is T1685 #15 "Uninstall Sysmon"');
  });

  test('not found in an existing technique: the fix links the technique page', () => {
    expect(check(`${MASTER}/T1049/T1049.md#atomic-test-9---gone`)).toMatchObject({
      resolvedBy: 'none',
      problem: 'test-missing',
      fix: `${MASTER}/T1049/T1049.md`,
    });
  });

  test('moved: the technique folder is gone, the test is found by its unique name elsewhere', () => {
    expect(check(`${PINNED}/T1562.001/T1562.001.md#atomic-test-11---uninstall-sysmon`)).toMatchObject({
      resolvedBy: 'moved',
      problem: 'technique-gone',
      test: 'sysmon',
      fix: `${MASTER}/T1685/T1685.md#atomic-test-15-uninstall-sysmon`,
    });
    expect(check('https://www.atomicredteam.io/atomic-red-team/atomics/T156001#atomic-test-3---uninstall-sysmon')).toMatchObject({
      resolvedBy: 'moved',
      fix: 'https://www.atomicredteam.io/atomic-red-team/atomics/T1685#atomic-test-15-uninstall-sysmon',
    });
  });

  test('technique gone, with and without a known successor', () => {
    expect(check(`${PINNED}/T1070.001/T1070.001.md`)).toMatchObject({
      resolvedBy: 'none',
      problem: 'technique-gone',
      fix: `${MASTER}/T1685.005/T1685.005.md`,
    });
    const lost = check(`${MASTER}/T1562.012/T1562.012.md#atomic-test-1---nothing-like-it`);
    expect(lost).toMatchObject({ resolvedBy: 'none', problem: 'technique-gone' });
    expect(lost.fix).toBeUndefined();
  });

  test('technique only: a link to an existing technique page is healthy', () => {
    const h = check('https://atomicredteam.io/discovery/T1049/');
    expect(h).toMatchObject({ resolvedBy: 'technique', pinned: false });
    expect(h).not.toHaveProperty('problem');
  });

  test('every fix resolves cleanly by name', () => {
    const urls = [
      `${PINNED}/T1049/T1049.md#atomic-test-4---system-discovery-using-sharpview`,
      `${PINNED}/T1485/T1485.md#atomic-test-2---macoslinux---overwrite-file-with-dd`,
      `${PINNED}/T1562.001/T1562.001.md#atomic-test-11---uninstall-sysmon`,
    ];
    for (const url of urls) {
      const again = check(check(url).fix!);
      expect(again.resolvedBy, url).toBe('name');
      expect(again.problem, url).toBeUndefined();
    }
  });
});

describe('retargetAtomicUrl', () => {
  const retarget = (url: string, technique: string, anchor?: string) =>
    retargetAtomicUrl(parseAtomicReference(url)!, { technique, ...(anchor ? { anchor } : {}) });

  test('keeps a branch, moves a pinned commit to master, renames folder and file', () => {
    expect(retarget(`https://github.com/acme/atomic-red-team/blob/dev/atomics/T1562.004/T1562.004.md#atomic-test-3---x`, 'T1686', 'atomic-test-3-x')).toBe(
      'https://github.com/acme/atomic-red-team/blob/dev/atomics/T1686/T1686.md#atomic-test-3-x',
    );
    expect(retarget('https://raw.githubusercontent.com/redcanaryco/atomic-red-team/0123abc/atomics/T1049/T1049.md', 'T1049')).toBe(
      'https://raw.githubusercontent.com/redcanaryco/atomic-red-team/master/atomics/T1049/T1049.md',
    );
    expect(retarget('https://github.com/redcanaryco/atomic-red-team/tree/master/atomics/t1562.001', 'T1685')).toBe(
      'https://github.com/redcanaryco/atomic-red-team/tree/master/atomics/T1685',
    );
  });

  test('isPinned', () => {
    expect(isPinned(`${PINNED}/T1049/T1049.md`)).toBe(true);
    expect(isPinned(`${MASTER}/T1049/T1049.md`)).toBe(false);
    expect(isPinned('https://atomicredteam.io/discovery/T1049/')).toBe(false);
  });
});
