import { describe, expect, test } from 'vitest';
import { collectionOf, parseSigmaYaml } from '../../src/lib/sigma/load.ts';

const RULE = 'title: T\nid: 1\nlogsource: {product: windows}\ndetection: {sel: {a: 1}, condition: sel}\n';

describe('parseSigmaYaml', () => {
  test('broken YAML is a diagnostic with line and column', () => {
    const { documents, diagnostics } = parseSigmaYaml(Buffer.from('title: x\ndetection:\n  sel: [a, b\n'), 'bad.yml');
    expect(documents).toEqual([]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: 'bad.yml', code: 'yaml-syntax', severity: 'error', line: 4 });
    expect(diagnostics[0].column).toBeGreaterThan(0);
  });

  test('empty and binary files are diagnostics', () => {
    expect(parseSigmaYaml(Buffer.from('  \n'), 'e.yml').diagnostics[0].code).toBe('empty-file');
    expect(parseSigmaYaml(Buffer.from([0x74, 0x00, 0x01]), 'b.yml').diagnostics[0].code).toBe('binary-file');
  });

  test('byte-order mark and CRLF are accepted', () => {
    const { documents } = parseSigmaYaml(Buffer.from(`\uFEFF${RULE.replace(/\n/g, '\r\n')}`), 'crlf.yml');
    expect(documents).toHaveLength(1);
    expect((documents[0].data as { title: string }).title).toBe('T');
  });

  test('dates stay strings', () => {
    const { documents } = parseSigmaYaml(Buffer.from('title: x\ndate: 2024-01-02\n'), 'd.yml');
    expect((documents[0].data as { date: unknown }).date).toBe('2024-01-02');
  });

  test('multi-document files keep each document and its text', () => {
    const { documents } = parseSigmaYaml(Buffer.from(`${RULE}---\n${RULE.replace('T', 'U')}`), 'm.yml');
    expect(documents.map((d) => d.document)).toEqual([0, 1]);
    expect(documents[1].source).toContain('title: U');
    expect(documents[0].source).not.toContain('title: U');
  });
});

describe('collectionOf', () => {
  test('top folders of a SigmaHQ checkout', () => {
    expect(collectionOf('/x/sigma', 'rules/windows/a.yml')).toBe('rules');
    expect(collectionOf('/x/sigma', 'rules-emerging-threats/2023/a.yml')).toBe('emerging-threats');
    expect(collectionOf('/x/sigma', 'rules-threat-hunting/a.yml')).toBe('threat-hunting');
    expect(collectionOf('/x/sigma', 'deprecated/windows/a.yml')).toBe('deprecated');
    expect(collectionOf('/x/sigma', 'unsupported/a.yml')).toBe('unsupported');
  });

  test('a root that is itself a collection folder', () => {
    expect(collectionOf('/x/sigma/deprecated', 'windows/a.yml')).toBe('deprecated');
    expect(collectionOf('/x/my-rules', 'windows/a.yml')).toBe('rules');
  });
});
