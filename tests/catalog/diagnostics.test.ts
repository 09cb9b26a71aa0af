/** The catalog places each diagnostic: its path under its input root, the rule page it belongs to, and for duplicate ids and unresolved references the line. */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildCatalog } from '../../src/lib/catalog/build.ts';
import { diagnostic } from '../../src/lib/diagnostics.ts';
import { modelSigmaFile } from '../../src/lib/sigma/rule.ts';
import { parseSigmaFile } from '../../src/lib/sigma/load.ts';

const root = path.join('inputs', 'sigma');

function load(files: Record<string, string>) {
  const rules = [];
  const diagnostics = [];
  for (const [rel, text] of Object.entries(files)) {
    const loaded = parseSigmaFile(Buffer.from(text), path.join(root, rel), rel, 'rules');
    const modelled = modelSigmaFile(loaded.documents);
    rules.push(...modelled.rules);
    diagnostics.push(...loaded.diagnostics, ...modelled.diagnostics);
  }
  return { rules, diagnostics };
}

const rule = (id: string, extra = '') => `title: Rule ${id}
id: ${id}
${extra}logsource:
    product: windows
detection:
    selection:
        Image: x
    condition: selection
`;

describe('diagnostics placed by the catalog', () => {
  const { rules, diagnostics } = load({
    'windows/a.yml': rule('0940a971-809a-48f1-9c4d-b1d785e96ee5'),
    'windows/b.yml': rule(
      '0940a971-809a-48f1-9c4d-b1d785e96ee5',
      `references:
    - https://example.com/
    - https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1562.001/T1562.001.md
`,
    ),
    'windows/broken.yml': 'title: [\n',
    'multi.yml': `${rule('11111111-1111-4111-8111-111111111111')}---\n${rule('22222222-2222-4222-8222-222222222222').replace('condition: selection', 'condition: selection or')}`,
  });
  const atomicsFile = path.join('inputs', 'atomics', 'T1003', 'T1003.yaml');
  const catalog = buildCatalog({
    rules,
    atomics: [],
    diagnostics: [...diagnostics, diagnostic(atomicsFile, 'schema', 'bad test', { line: 3 })],
    files: { sigma: 4, atomics: 1, attack: 0 },
    roots: [root, path.join('inputs', 'atomics')],
  });
  const slugOf = (file: string, document = 0) => catalog.rules.find((r) => r.path === file && r.document === document)!.slug;
  const find = (code: string, file: string) => catalog.diagnostics.filter((d) => d.code === code && d.path === file);

  test('a duplicate id points at the id of each rule and links to it', () => {
    expect(find('duplicate-id', 'windows/a.yml')).toMatchObject([{ line: 2, column: 5, rule: slugOf('windows/a.yml') }]);
    expect(find('duplicate-id', 'windows/b.yml')).toMatchObject([{ line: 2, column: 5, rule: slugOf('windows/b.yml') }]);
  });

  test('an unresolved Atomic reference points at its entry in references', () => {
    expect(find('unresolved-reference', 'windows/b.yml')).toMatchObject([{ line: 5, column: 7, rule: slugOf('windows/b.yml') }]);
  });

  test('in a file of several rules, a diagnostic links to the rule of its document', () => {
    expect(find('condition', 'multi.yml')).toMatchObject([{ line: 17, column: 28, rule: slugOf('multi.yml', 1) }]);
  });

  test('a file that gave no rule, and an Atomic file, get their path but no rule', () => {
    const broken = find('yaml-syntax', 'windows/broken.yml');
    expect(broken).toHaveLength(1);
    expect(broken[0].rule).toBeUndefined();
    expect(find('schema', 'T1003/T1003.yaml')).toEqual([
      { file: atomicsFile, severity: 'error', code: 'schema', message: 'bad test', line: 3, path: 'T1003/T1003.yaml' },
    ]);
  });

  test('file keeps the path as given; the published rule does not carry positions', () => {
    expect(find('duplicate-id', 'windows/a.yml')[0].file).toBe(path.join(root, 'windows', 'a.yml'));
    expect(catalog.rules.every((r) => !('positions' in r))).toBe(true);
  });
});
