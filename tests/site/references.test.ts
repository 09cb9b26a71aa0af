import { describe, expect, it } from 'vitest';
import type { CatalogTest } from '../../src/lib/catalog/types.ts';
import { describeReferences, safeHref } from '../../src/lib/site/references.ts';
import type { ReferenceHealth } from '../../src/lib/trust/health.ts';
import { test as catalogTest } from '../catalog/entities.ts';

const test = (technique: string, number: number, name: string): CatalogTest => catalogTest(`${technique}-${number}`, technique, number, name);

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

describe('references with their health', () => {
  it('attaches the health and the resolved test to Atomic links, and links only what is safe', () => {
    const url = 'https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1049/T1049.md#atomic-test-1-system-network-connections-discovery';
    const t = test('T1049', 1, 'System Network Connections Discovery');
    const health: ReferenceHealth = {
      url,
      technique: 'T1049',
      number: 1,
      nameSlug: 'system-network-connections-discovery',
      resolvedBy: 'name',
      test: t.guid,
      pinned: false,
      note: '',
    };
    const views = describeReferences(['javascript:alert(1)', url], [health], (g) => (g === t.guid ? t : undefined));
    expect(views[0]).toEqual({ text: 'javascript:alert(1)' });
    expect(views[1]).toMatchObject({ href: url, test: { guid: 'T1049-1' }, health: { resolvedBy: 'name' } });
  });

  it('names the technique of a link that resolved to no test', () => {
    const url = 'https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1562.001/T1562.001.md';
    const health: ReferenceHealth = { url, technique: 'T1562.001', resolvedBy: 'none', problem: 'technique-gone', pinned: false, note: '' };
    expect(describeReferences([url], [health], () => undefined)[0]).toMatchObject({ technique: 'T1562.001', health: { problem: 'technique-gone' } });
  });
});
