/** Sigma and Atomic files that are not valid UTF-8: a diagnostic naming the file, line and byte offset. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadAtomics } from '../../src/lib/atomic/load.ts';
import { invalidUtf8Offset } from '../../src/lib/encoding.ts';
import { parseSigmaFile } from '../../src/lib/sigma/load.ts';
import { removeTemp, rule, tempDir } from './helpers.ts';

afterAll(removeTemp);

describe('UTF-8', () => {
  test('the first invalid byte', () => {
    expect(invalidUtf8Offset(Buffer.from('plain ascii'))).toBeUndefined();
    expect(invalidUtf8Offset(Buffer.from('é ✓ 𝄞 ok'))).toBeUndefined();
    expect(invalidUtf8Offset(Buffer.from([0x61, 0x62, 0xe9, 0x63]))).toBe(2); // Latin-1 é
    expect(invalidUtf8Offset(Buffer.from([0x61, 0x92]))).toBe(1); // Windows-1252 quote
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xe2, 0x9c]))).toBe(1); // truncated sequence
    expect(invalidUtf8Offset(Buffer.from([0xc0, 0xaf]))).toBe(0); // overlong
    expect(invalidUtf8Offset(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // surrogate
  });

  test('a Latin-1 Sigma rule: an encoding diagnostic with line and offset; the rule still loads', () => {
    const text = rule('Caf\u00e9 Rule');
    const bytes = Buffer.from(text, 'latin1');
    const result = parseSigmaFile(bytes, 'rules/cafe.yml', 'cafe.yml', 'rules');
    expect(result.documents).toHaveLength(1);
    const offset = text.indexOf('\u00e9');
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ file: 'rules/cafe.yml', code: 'encoding', line: 1, message: expect.stringContaining(`byte 0xe9 at offset ${offset}`) }),
    ]);
  });

  test('a Latin-1 Atomic file: the same diagnostic', async () => {
    const root = tempDir('atomics');
    mkdirSync(path.join(root, 'T1016'));
    const yaml = [
      'attack_technique: T1016',
      'display_name: Discovery',
      'atomic_tests:',
      '- name: Caf\u00e9 test',
      '  auto_generated_guid: 11111111-1111-4111-8111-111111111111',
      '  description: x',
      '  supported_platforms: [linux]',
      '  executor:',
      '    name: sh',
      '    command: ip a',
      '',
    ].join('\n');
    writeFileSync(path.join(root, 'T1016', 'T1016.yaml'), Buffer.from(yaml, 'latin1'));
    const result = await loadAtomics(root);
    expect(result.techniques[0].tests).toHaveLength(1);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'encoding', line: 4, message: expect.stringContaining(`at offset ${yaml.indexOf('\u00e9')}`) }),
    ]);
  });
});
