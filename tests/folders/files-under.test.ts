/** src/lib/folders.ts filesUnder (every file below a folder, relative, links listed and not followed) and listFilesUnder. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { filesUnder, listFilesUnder } from '../../src/lib/folders.ts';
import { removeTemp, tempDir } from '../safety/helpers.ts';

afterAll(removeTemp);

describe('filesUnder', () => {
  test('files at every depth, relative to the folder; empty folders give nothing; a link to a folder is listed, not entered', async () => {
    const dir = tempDir('files-under');
    for (const file of ['index.html', 'rules/a/index.html', 'rules/c d/index.html', 'pagefind/fragment/x.pf_fragment']) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), file);
    }
    mkdirSync(path.join(dir, 'empty', 'deeper'), { recursive: true });
    symlinkSync(path.join(dir, 'rules'), path.join(dir, 'link'));
    const files: string[] = [];
    for await (const file of filesUnder(dir)) files.push(file);
    expect(files.sort()).toEqual(
      ['index.html', 'link', 'pagefind/fragment/x.pf_fragment', 'rules/a/index.html', 'rules/c d/index.html'].map((f) => f.split('/').join(path.sep)),
    );
  });

  test('a walk of more folders than it reads between two turns of the event loop lists them all, and lets timers run', async () => {
    const dir = tempDir('files-under-many');
    for (let i = 0; i < 700; i++) {
      mkdirSync(path.join(dir, `p${i}`));
      writeFileSync(path.join(dir, `p${i}`, 'index.html'), '');
    }
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    const files: string[] = [];
    for await (const file of filesUnder(dir)) files.push(file);
    clearInterval(timer);
    expect(files.sort()).toEqual(
      listFilesUnder(dir)
        .map((f) => f.split('/').join(path.sep))
        .sort(),
    );
    expect(files).toHaveLength(700);
    expect(turns).toBeGreaterThan(0);
  });

  test('a folder that does not exist is an error, as before', async () => {
    const walk = async () => {
      for await (const _ of filesUnder(path.join(tempDir('files-under-missing'), 'nope'))) void _;
    };
    await expect(walk()).rejects.toThrow(/ENOENT/);
  });
});

describe('listFilesUnder', () => {
  test('with regularOnly, regular files at every depth, `/`-separated; links to files or folders neither listed nor entered; the folder itself may be a link', () => {
    const dir = tempDir('regular-files-under');
    for (const file of ['a.ps1', 'sub/b.ps1', 'sub/deeper/c.ps1', 'outside/d.ps1']) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), file);
    }
    symlinkSync(path.join(dir, 'outside'), path.join(dir, 'sub', 'linked'));
    symlinkSync(path.join(dir, 'a.ps1'), path.join(dir, 'sub', 'e.ps1'));
    symlinkSync(path.join(dir, 'sub'), path.join(dir, 'loop'));
    expect(listFilesUnder(path.join(dir, 'sub'), true).sort()).toEqual(['b.ps1', 'deeper/c.ps1']);
    expect(listFilesUnder(path.join(dir, 'loop'), true).sort()).toEqual(['b.ps1', 'deeper/c.ps1']);
    // Without regularOnly the links are listed, still not entered.
    expect(listFilesUnder(path.join(dir, 'sub')).sort()).toEqual(['b.ps1', 'deeper/c.ps1', 'e.ps1', 'linked']);
  });
});
