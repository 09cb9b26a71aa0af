import { describe, expect, test } from 'vitest';
import type { RawSigmaDocument } from '../../src/lib/sigma/load.ts';
import { expandLegacyCollection, toRule } from '../../src/lib/sigma/rule.ts';

function raw(data: unknown, extra: Partial<RawSigmaDocument> = {}): RawSigmaDocument {
  return { file: 'rules/x.yml', path: 'x.yml', collection: 'rules', document: 0, data, source: 'text', ...extra };
}

const base = {
  title: 'Net Use',
  id: '0940a971-809a-48f1-9c4d-b1d785e96ee5',
  status: 'test',
  level: 'low',
  tags: ['attack.discovery', 'attack.t1049', 'attack.T1003.001', 'attack.g0032'],
  logsource: { product: 'windows', category: 'process_creation' },
  detection: { selection: { 'Image|endswith': '\\net.exe' }, condition: 'selection' },
};

describe('toRule', () => {
  test('a valid rule with techniques and tactics from tags', () => {
    const { rule, diagnostics } = toRule(raw(base));
    expect(diagnostics).toEqual([]);
    expect(rule).toMatchObject({
      kind: 'rule',
      title: 'Net Use',
      techniques: ['T1003.001', 'T1049'],
      tactics: ['discovery'],
      active: true,
    });
    expect(rule!.detection!.identifiers.map((i) => i.name)).toEqual(['selection']);
  });

  test('a missing detection rejects the document', () => {
    const { detection: _d, ...rest } = base;
    const { rule, diagnostics } = toRule(raw(rest));
    expect(rule).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ code: 'schema', severity: 'error' });
    expect(diagnostics[0].message).toContain('detection');
  });

  test('a malformed optional field is dropped with a warning', () => {
    const { rule, diagnostics } = toRule(raw({ ...base, related: 'not a list' }));
    expect(rule?.related).toEqual([]);
    expect(diagnostics).toMatchObject([{ code: 'schema', severity: 'warning' }]);
  });

  test('deprecated by status or by folder is not active', () => {
    expect(toRule(raw({ ...base, status: 'deprecated' })).rule!.active).toBe(false);
    expect(toRule(raw(base, { collection: 'unsupported' })).rule!.active).toBe(false);
  });

  test('an id that is not a UUID is a warning', () => {
    expect(toRule(raw({ ...base, id: 'abc' })).diagnostics).toMatchObject([{ code: 'invalid-id', severity: 'warning' }]);
  });

  test('correlation and filter rules', () => {
    const correlation = toRule(
      raw({ title: 'Many', id: base.id, correlation: { type: 'event_count', rules: ['a'], 'group-by': ['User'], timespan: '5m', condition: { gte: 5 } } }),
    );
    expect(correlation.diagnostics).toEqual([]);
    expect(correlation.rule).toMatchObject({ kind: 'correlation', correlation: { type: 'event_count' } });
    const filter = toRule(
      raw({ title: 'F', id: base.id, logsource: { product: 'windows' }, filter: { rules: ['a'], selection: { User: 'x' }, condition: 'not selection' } }),
    );
    expect(filter.rule).toMatchObject({ kind: 'filter' });
  });

  test('an unknown correlation type is an error', () => {
    expect(toRule(raw({ title: 'Bad', correlation: { type: 'sometimes', rules: ['a'] } })).rule).toBeUndefined();
  });
});

test('legacy action: global collections merge the first document into the others', () => {
  const docs = [
    raw({ action: 'global', title: 'G', id: base.id, detection: { condition: 'selection' } }),
    raw({ logsource: { product: 'windows', service: 'security' }, detection: { selection: { EventID: 4697 } } }, { document: 1 }),
    raw({ logsource: { product: 'windows', service: 'system' }, detection: { selection: { EventID: 7045 } } }, { document: 2 }),
  ];
  const expanded = expandLegacyCollection(docs);
  expect(expanded).toHaveLength(2);
  expect(expanded[1].data).toEqual({
    title: 'G',
    id: base.id,
    logsource: { product: 'windows', service: 'system' },
    detection: { condition: 'selection', selection: { EventID: 7045 } },
  });
});
