/** src/lib/output/marker.ts listFiles: what the marker lists and --out is compared against. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { listFiles } from '../../src/lib/output/marker.ts';
import { removeTemp, tempDir } from '../safety/helpers.ts';

afterAll(removeTemp);

describe('listFiles', () => {
  test('every file at every depth, forward slashes, sorted; a link to a folder listed, not entered; empty folders give nothing', async () => {
    const dir = tempDir('list-files');
    for (const file of ['rules/b/index.html', 'index.html', 'api/rules/x.json', 'rules/a b/index.html', '.atlas-build.json']) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), file);
    }
    mkdirSync(path.join(dir, 'empty', 'deeper'), { recursive: true });
    symlinkSync(path.join(dir, 'rules'), path.join(dir, 'link'));
    expect(await listFiles(dir)).toEqual(['.atlas-build.json', 'api/rules/x.json', 'index.html', 'link', 'rules/a b/index.html', 'rules/b/index.html']);
    expect(await listFiles(path.join(dir, 'empty'))).toEqual([]);
  });

  test('a folder that cannot be read is an error', async () => {
    await expect(listFiles(path.join(tempDir('list-files-missing'), 'nope'))).rejects.toThrow(/ENOENT/);
  });
});
