/**
 * Detection Atlas installed as a rule repository's maintainer installs it: `npm pack` (which
 * compiles the CLI into dist-cli/), then `npm install` of the tarball in an empty folder (npm
 * fetches the dependencies from the registry), then `npx atlas build` over a small rule folder
 * there. Nothing of the checkout is used but the tarball: no tsx, no TypeScript CLI.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const RULE_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const RULE = `title: Whoami Execution
id: ${RULE_ID}
status: test
description: Detects whoami.exe, often run right after initial access.
author: Detection Atlas tests
date: 2026-01-01
tags:
    - attack.discovery
    - attack.t1033
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\whoami.exe'
    condition: selection
level: low
`;

/**
 * The child's environment: this Node (>= 22.12) first on PATH, and nothing of the checkout's
 * npm run (its node_modules/.bin, its npm_* settings), as in a fresh shell of the maintainer.
 */
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_'))),
  PATH: [path.dirname(process.execPath), ...(process.env.PATH ?? '').split(path.delimiter).filter((p) => !p.includes(`node_modules${path.sep}.bin`))].join(
    path.delimiter,
  ),
};

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0) throw new Error(`${what} failed (${result.signal ?? result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

describe('the packed and installed package', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'atlas-package-'));
  const app = path.join(work, 'rules-repo');
  const installed = path.join(app, 'node_modules', 'detection-atlas');
  let packed: string[] = [];
  let build: SpawnSyncReturns<string>;

  beforeAll(() => {
    ok(run('npm', ['pack', '--pack-destination', work], root), 'npm pack');
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    packed = ok(run('tar', ['-tzf', path.join(work, tarball)], work), 'tar')
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    mkdirSync(path.join(app, 'detections', 'windows'), { recursive: true });
    writeFileSync(path.join(app, 'package.json'), '{ "name": "rules-repo", "private": true }\n');
    writeFileSync(path.join(app, 'detections', 'windows', 'whoami.yml'), RULE);
    ok(run('npm', ['install', '--no-audit', '--no-fund', path.join(work, tarball)], app), 'npm install of the tarball');
    build = run('npx', ['atlas', 'build', '--sigma', 'detections', '--out', 'site'], app);
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('holds the compiled CLI, the site sources and nothing else', () => {
    expect(packed).toContain('scripts/atlas.mjs');
    expect(packed).toContain('dist-cli/scripts/cli.js');
    expect(packed).toContain('dist-cli/src/lib/pipeline.js');
    expect(packed).toContain('astro.config.mjs');
    expect(packed).toContain('src/pages/index.astro');
    expect(packed).toContain('src/lib/site/data.ts'); // the pages import it: Astro builds from the sources
    const allowed = /^(README\.md|package\.json|astro\.config\.mjs|tsconfig\.json|scripts\/atlas\.mjs|dist-cli\/.+\.js|src\/.+|public\/.+)$/;
    expect(packed.filter((f) => !allowed.test(f))).toEqual([]);
    expect(packed.filter((f) => f.startsWith('src/') && /\.test\.ts$/.test(f))).toEqual([]);
  });

  test('installs without a TypeScript loader', () => {
    expect(existsSync(path.join(installed, 'dist-cli', 'scripts', 'cli.js'))).toBe(true);
    expect(existsSync(path.join(installed, 'scripts', 'cli.ts'))).toBe(false);
    expect(existsSync(path.join(app, 'node_modules', 'tsx'))).toBe(false);
  });

  test('`npx atlas build` builds the rule folder into a complete site', () => {
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
    expect(build.stdout).toMatch(/\b1 rules, 0 diagnostics\b/);
    const site = path.join(app, 'site');
    for (const file of ['index.html', 'pagefind/pagefind.js', 'api/rules.json']) expect(existsSync(path.join(site, file)), file).toBe(true);
    expect(readFileSync(path.join(site, 'rules', RULE_ID, 'index.html'), 'utf8')).toContain('Whoami Execution');
    const rules = JSON.parse(readFileSync(path.join(site, 'api', 'rules.json'), 'utf8')) as { title: string }[];
    expect(rules.map((r) => r.title)).toEqual(['Whoami Execution']);
  });

  // The system Node of these machines is 20; skipped where no Node older than 22.12 is found.
  const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((bin) => {
    const version = spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout?.trim();
    if (!version) return false;
    const [major, minor] = version.split('.').map(Number) as [number, number];
    return major < 22 || (major === 22 && minor < 12);
  });
  test.skipIf(!oldNode)('on Node < 22.12 the command prints one line naming the Node it needs', () => {
    const result = spawnSync(oldNode!, [path.join(installed, 'scripts', 'atlas.mjs'), 'build'], { cwd: app, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^atlas needs Node >= 22\.12; this is Node \d+\.\d+\.\d+\.\n$/);
  });
});
