import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codeFingerprint, installedVersions, siteFingerprint } from '../../src/lib/cache/fingerprint.ts';

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

  it("follows each package's own dependencies, so an update that only the lockfile names changes it", async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atlas-fingerprint-'));
    const installWith = (root: string, name: string, version: string, dependencies: Record<string, string>) => {
      mkdirSync(path.join(root, 'node_modules', name), { recursive: true });
      writeFileSync(path.join(root, 'node_modules', name, 'package.json'), JSON.stringify({ name, version, dependencies }));
    };
    installWith(dir, 'rehype-sanitize', '6.0.0', { 'hast-util-sanitize': '^5' });
    installWith(dir, 'hast-util-sanitize', '5.0.1', { 'rehype-sanitize': '^6' }); // a cycle is followed once
    // A nested copy is found from the package that depends on it.
    installWith(path.join(dir, 'node_modules', 'rehype-sanitize'), 'unist-util-visit', '5.0.0', {});
    installWith(dir, 'rehype-sanitize', '6.0.0', { 'hast-util-sanitize': '^5', 'unist-util-visit': '^5', 'absent-optional': '^1' });
    expect(await installedVersions(dir, ['rehype-sanitize'])).toBe(
      ['absent-optional@missing', 'hast-util-sanitize@5.0.1', 'rehype-sanitize@6.0.0', 'unist-util-visit@5.0.0'].join('\n'),
    );
    installWith(dir, 'hast-util-sanitize', '5.0.2', { 'rehype-sanitize': '^6' });
    expect(await installedVersions(dir, ['rehype-sanitize'])).toContain('hast-util-sanitize@5.0.2');
  });

  it('is stable for the same code and packages', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atlas-fingerprint-'));
    expect(await codeFingerprint()).toBe(await codeFingerprint());
  });

  it("the site's changes with a component, the Astro configuration or an installed package", async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'atlas-fingerprint-'));
    mkdirSync(path.join(dir, 'src', 'components'), { recursive: true });
    writeFileSync(path.join(dir, 'src', 'components', 'Rule.astro'), '<h1>rule</h1>');
    writeFileSync(path.join(dir, 'astro.config.mjs'), 'export default {};');
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ dependencies: { astro: '^7' } }));
    install(dir, 'astro', '7.3.5');
    const seen = new Set([await siteFingerprint(dir)]);
    expect(await siteFingerprint(dir)).toBe([...seen][0]);
    writeFileSync(path.join(dir, 'src', 'components', 'Rule.astro'), '<h1>rule</h1><p>more</p>');
    seen.add(await siteFingerprint(dir));
    writeFileSync(path.join(dir, 'astro.config.mjs'), 'export default { base: "/x/" };');
    seen.add(await siteFingerprint(dir));
    install(dir, 'astro', '7.3.6');
    seen.add(await siteFingerprint(dir));
    expect(seen.size).toBe(4);
  });
});
