import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { checkLinks, fileForPath } from '../../src/lib/check/links.ts';

function site(pages: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'atlas-links-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const [file, html] of Object.entries(pages)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), html);
  }
  return dir;
}

test('pretty URLs map to index.html', () => {
  expect(fileForPath('/rules/x/')).toEqual(['rules/x/index.html']);
  expect(fileForPath('/')).toEqual(['index.html']);
  expect(fileForPath('/a.css')).toEqual(['a.css']);
});

test('finds missing pages, missing fragments and disallowed schemes', async () => {
  const dir = site({
    'index.html':
      '<a href="/rules/a/">a</a> <a href="/rules/b/">b</a> <a href="/f/#i-1">ok</a> <a href="/f/#i-2">no</a> <a href="javascript:alert(1)">x</a> <a href="https://example.com">e</a>',
    'rules/a/index.html': '<a href="../../">home</a><link href="/s.css">',
    'f/index.html': '<li id="i-1">one</li>',
    's.css': '',
  });
  const report = await checkLinks(dir);
  expect(report.pages).toBe(3);
  expect(report.external).toBe(1);
  expect(report.broken.map((b) => [b.page, b.href, b.reason])).toEqual([
    ['index.html', '/rules/b/', 'no such page or file'],
    ['index.html', '/f/#i-2', 'no element with id "i-2"'],
    ['index.html', 'javascript:alert(1)', 'scheme not allowed'],
  ]);
});
