import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codeFingerprint, installedVersions } from '../../src/lib/cache/fingerprint.ts';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function install(root: string, name: string, version: string): void {
  mkdirSync(path.join(root, 'node_modules', name), { recursive: true });
  writeFileSync(path.join(root, 'node_modules', name, 'package.json'), JSON.stringify({ name, version }));
}

describe('the cache fingerprint', () => {
  it('names the installed version of each dependency, found as Node finds it (the nearest node_modules up)', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atlas-fingerprint-'));
    const tool = path.join(dir, 'project', 'node_modules', 'detection-atlas');
    mkdirSync(tool, { recursive: true });
    install(path.join(dir, 'project'), 'js-yaml', '4.1.0');
    install(tool, 'zod', '4.0.0');
    expect(await installedVersions(tool, ['zod', 'js-yaml', 'fast-glob'])).toBe('fast-glob@missing\njs-yaml@4.1.0\nzod@4.0.0');
    // An update within the manifest's range changes it, so cache entries modelled by the old version are dropped.
    install(path.join(dir, 'project'), 'js-yaml', '4.1.1');
    expect(await installedVersions(tool, ['zod', 'js-yaml', 'fast-glob'])).toBe('fast-glob@missing\njs-yaml@4.1.1\nzod@4.0.0');
  });

  it('is stable for the same code and packages', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atlas-fingerprint-'));
    expect(await codeFingerprint()).toBe(await codeFingerprint());
  });
});
