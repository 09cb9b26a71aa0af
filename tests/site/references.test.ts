import { describe, expect, it } from 'vitest';
import type { CatalogTest } from '../../src/lib/catalog/types.ts';
import { describeReferences, parseAtomicLink, resolveAtomicTest, safeHref } from '../../src/lib/site/references.ts';

const test = (technique: string, number: number, name: string): CatalogTest => ({
  guid: `${technique}-${number}`, technique, number, name, platforms: ['windows'], executor: 'powershell',
  elevationRequired: false, inputArguments: [], dependencies: [], anchor: '', rules: [], url: `/tests/${technique}-${number}/`,
});

describe('safeHref', () => {
  it.each([
    ['https://example.org/a b', 'https://example.org/a%20b'],
    ['http://example.org/', 'http://example.org/'],
    ['mailto:soc@example.org', 'mailto:soc@example.org'],
    ['javascript:alert(1)', undefined],
    [' JavaScript:alert(1)', undefined],
    ['data:text/html,x', undefined],
    ['/relative/path', undefined],
    ['Internal research', undefined],
    [undefined, undefined],
  ])('%j → %j', (input, expected) => {
    expect(safeHref(input)).toBe(expected);
  });
});

describe('Atomic references', () => {
  it('parses old and new anchors', () => {
    expect(parseAtomicLink('https://github.com/redcanaryco/atomic-red-team/blob/abc/atomics/T1049/T1049.md#atomic-test-1---system-network-connections-discovery')).toEqual({
      technique: 'T1049', number: 1, nameSlug: 'systemnetworkconnectionsdiscovery',
    });
    expect(parseAtomicLink('https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1003.001/T1003.001.md#atomic-test-2-dump-lsass')).toEqual({
      technique: 'T1003.001', number: 2, nameSlug: 'dumplsass',
    });
    expect(parseAtomicLink('https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1003.001/T1003.001.md')).toEqual({ technique: 'T1003.001' });
    expect(parseAtomicLink('https://example.org/T1049')).toBeUndefined();
  });

  it('resolves by name before number, since numbers shift', () => {
    const tests = [test('T1049', 1, 'System Network Connections Discovery'), test('T1049', 2, 'Other')];
    expect(resolveAtomicTest({ technique: 'T1049', number: 2, nameSlug: 'systemnetworkconnectionsdiscovery' }, tests)?.number).toBe(1);
    expect(resolveAtomicTest({ technique: 'T1049', number: 2, nameSlug: 'renamed' }, tests)?.number).toBe(2);
    expect(resolveAtomicTest({ technique: 'T1049' }, tests)).toBeUndefined();
  });

  it('describes references with links only where safe', () => {
    const views = describeReferences(
      ['javascript:alert(1)', 'https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1049/T1049.md#atomic-test-1-system-network-connections-discovery'],
      [test('T1049', 1, 'System Network Connections Discovery')],
    );
    expect(views[0]).toEqual({ text: 'javascript:alert(1)' });
    expect(views[1]!.test?.guid).toBe('T1049-1');
  });
});
