import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/lib/atomic/yaml.ts';

describe('parseYaml', () => {
  it('keeps numbers as written, so a default of 16.0 stays "16.0"', () => {
    const parsed = parseYaml('a: 16.0\nb: 0755\nc: 1e3\nd: true\ne:\nf: 2024-01-01\n', 'x.yaml');
    expect('value' in parsed && parsed.value).toEqual({ a: '16.0', b: '0755', c: '1e3', d: true, e: null, f: '2024-01-01' });
  });

  it('records the 1-based line where each test mapping starts', () => {
    const text = 'atomic_tests:\n- name: one\n  x: 1\n- name: two\n';
    const parsed = parseYaml(text, 'x.yaml');
    if (!('value' in parsed)) throw new Error('expected a value');
    const tests = (parsed.value as { atomic_tests: object[] }).atomic_tests;
    expect(tests.map((test) => parsed.lineOf(test))).toEqual([2, 4]);
  });

  it('reports a syntax error with line and column', () => {
    expect(parseYaml('a: 1\nb: [unclosed\n', 'x.yaml')).toEqual({
      error: { message: expect.stringContaining('flow collection'), line: 3, column: 1 },
    });
  });
});
