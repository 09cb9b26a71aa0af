import { describe, expect, test } from 'vitest';
import { diagnosticRows } from '../../src/lib/site/diagnostics.ts';
import { catalog, rule } from '../catalog/entities.ts';

describe('diagnostics page rows', () => {
  const rows = diagnosticRows(
    catalog({
      rules: [rule('net-use', { title: 'Net Use' })],
      diagnostics: [
        {
          file: '../checkout/sigma/rules/net.yml',
          severity: 'error',
          code: 'condition',
          message: 'm',
          line: 8,
          column: 30,
          path: 'rules/net.yml',
          rule: 'net-use',
        },
        { file: '../checkout/atomics/T1003/T1003.yaml', severity: 'error', code: 'schema', message: 'm', line: 3, path: 'T1003/T1003.yaml' },
        { file: '/home/ci/lab/records.csv', severity: 'warning', code: 'observed-record', message: 'm', line: 2 },
      ],
    }),
  );

  test('a rule problem: path under the root, line and column, and a link to the rule page', () => {
    expect(rows[0]).toEqual({ location: 'rules/net.yml:8:30', href: '/rules/net-use/', rule: 'Net Use', severity: 'error', code: 'condition', message: 'm' });
  });

  test('no link without a rule; a file outside the roots is named by its base name', () => {
    expect(rows[1]).toMatchObject({ location: 'T1003/T1003.yaml:3' });
    expect(rows[1].href).toBeUndefined();
    expect(rows[2].location).toBe('records.csv:2');
  });
});
