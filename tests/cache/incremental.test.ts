import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAtomicsIncremental, type AtomicFolderEntry } from '../../src/lib/cache/atomics.ts';
import { CACHE_VERSION } from '../../src/lib/cache/fingerprint.ts';
import { modelSigma, scanSigma, type SigmaFileEntry } from '../../src/lib/cache/sigma.ts';
import { BuildCache } from '../../src/lib/cache/store.ts';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { runCatalog } from '../../src/lib/pipeline.ts';
import { GUID, RULES, makeCorpus, rule, type Corpus } from './corpus.ts';

let corpus: Corpus;
let cacheDir: string;
beforeEach(() => {
  corpus = makeCorpus();
  cacheDir = mkdtempSync(path.join(tmpdir(), 'atlas-cache-'));
});
afterEach(() => {
  corpus.remove();
  rmSync(cacheDir, { recursive: true, force: true });
});

/** One Sigma load as a build runs it: open the cache, scan, model, save. */
async function loadSigma() {
  const cache = await BuildCache.open(cacheDir);
  const section = await cache.section<SigmaFileEntry>('sigma');
  const scan = await scanSigma([corpus.sigma], section);
  const model = modelSigma(scan, section);
  const saved = await cache.save();
  return { scan, model, saved };
}

async function loadAtomicFolders() {
  const cache = await BuildCache.open(cacheDir);
  const result = await loadAtomicsIncremental(corpus.atomics, await cache.section<AtomicFolderEntry>('atomics'));
  await cache.save();
  return result;
}

const build = (cache: string | undefined = cacheDir) => runCatalog({ sigma: [corpus.sigma], atomics: corpus.atomics, cache });
const slugs = (catalog: Catalog) => catalog.rules.map((r) => r.slug);

describe('Sigma files', () => {
  it('are read and modelled once, then answered from the cache while unchanged', async () => {
    const cold = await loadSigma();
    expect(cold.scan).toMatchObject({ files: 4, cached: 0, read: 4, hashChecked: 0 });
    expect(cold.model.modelled).toBe(4);
    expect(cold.saved).toMatchObject({ updated: 4, dropped: 0, written: 1 });

    const warm = await loadSigma();
    expect(warm.scan).toMatchObject({ files: 4, cached: 4, read: 0, hashChecked: 0 });
    expect(warm.model.modelled).toBe(0);
    expect(warm.saved).toMatchObject({ updated: 0, dropped: 0, written: 0 });
    expect(warm.model.rules).toEqual(cold.model.rules);
    expect(warm.model.indicators).toEqual(cold.model.indicators);
  });

  it('re-reads a changed file and only that file', async () => {
    await loadSigma();
    corpus.write('sigma/rules/windows/b.yml', RULES['rules/windows/b.yml'].replace('level: medium', 'level: critical'), 1_700_000_100);
    const after = await loadSigma();
    expect(after.scan).toMatchObject({ cached: 3, read: 1 });
    expect(after.model.modelled).toBe(1);
    expect(after.model.rules.find((r) => r.path === 'rules/windows/b.yml')?.level).toBe('critical');
  });

  it('confirms a file whose stat changed but whose content did not by its hash, without parsing it', async () => {
    await loadSigma();
    corpus.write('sigma/rules/windows/c.yml', RULES['rules/windows/c.yml'], 1_700_000_200);
    const after = await loadSigma();
    expect(after.scan).toMatchObject({ cached: 4, read: 0, hashChecked: 1 });
    expect(after.model.modelled).toBe(0);
  });

  it('re-checks by hash a file written just before it was cached (same size and tick would hide an edit)', async () => {
    corpus.write('sigma/rules/windows/c.yml', RULES['rules/windows/c.yml'], Date.now() / 1000);
    await loadSigma();
    const after = await loadSigma();
    expect(after.scan).toMatchObject({ cached: 4, read: 0, hashChecked: 1 });
  });

  it('starts afresh from a cache file it cannot read', async () => {
    await loadSigma();
    writeFileSync(path.join(cacheDir, 'sigma.v8'), 'not a cache');
    expect((await loadSigma()).scan).toMatchObject({ cached: 0, read: 4 });
  });

  it('has a format version that is part of every entry’s fingerprint', () => {
    expect(CACHE_VERSION).toBeGreaterThanOrEqual(1);
  });
});

describe('Atomic technique folders', () => {
  it('are reused while unchanged; a changed folder alone is read again', async () => {
    const cold = await loadAtomicFolders();
    expect(cold).toMatchObject({ files: 2, cached: 0, read: 2 });
    const warm = await loadAtomicFolders();
    expect(warm).toMatchObject({ files: 2, cached: 2, read: 0 });
    expect(warm.techniques).toEqual(cold.techniques);

    const yaml = 'atomics/T1016/T1016.yaml';
    corpus.write(yaml, readFileSync(path.join(corpus.dir, yaml), 'utf8').replace('ifconfig -a', 'ip addr'), 1_700_000_300);
    const changed = await loadAtomicFolders();
    expect(changed).toMatchObject({ cached: 1, read: 1 });
    expect(changed.techniques.find((t) => t.id === 'T1016')?.tests[0].command).toBe('ip addr');
  });
});

describe('a build with the cache', () => {
  it('gives the same catalog as a build without it, cold and warm', async () => {
    const uncached = JSON.stringify(await build(undefined));
    expect(JSON.stringify(await build())).toBe(uncached);
    expect(JSON.stringify(await build())).toBe(uncached);
  });

  it('reports cache hits on its stage lines', async () => {
    await build();
    corpus.write('sigma/rules/windows/a.yml', RULES['rules/windows/a.yml'].replace('level: high', 'level: low'), 1_700_000_400);
    const lines: string[] = [];
    await runCatalog({ sigma: [corpus.sigma], atomics: corpus.atomics, cache: cacheDir }, (line) => lines.push(line));
    expect(lines.find((l) => l.startsWith('sigma '))).toMatch(/^sigma +4 files \(3 cached, 1 read\), 4 YAML documents \(\d+\.\d\d s\)$/);
    expect(lines.find((l) => l.startsWith('atomics '))).toMatch(/^atomics +2 files \(2 cached, 0 read\)/);
    expect(lines.find((l) => l.startsWith('rules '))).toMatch(/^rules +4 rules \(1 file modelled\)/);
    expect(lines.join('\n')).not.toMatch(/\u001b/);
  });

  it('drops a deleted file everywhere: rules, indicators, techniques, tests and the cache', async () => {
    const before = await build();
    const lsass = (c: Catalog) => c.indicators.find((i) => i.field === 'CommandLine' && i.value === 'procdump')!;
    expect(lsass(before).rules).toEqual(['aaaaaaaa-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002']);
    expect(lsass(before).count).toBe(2);
    expect(before.techniques.find((t) => t.id === 'T1003.001')!.rules).toContain('bbbbbbbb-0000-4000-8000-000000000002');
    expect(before.tests.find((t) => t.guid === GUID.lsass)!.rules).toContain('bbbbbbbb-0000-4000-8000-000000000002');

    corpus.write('sigma/rules/windows/b.yml', undefined);
    const lines: string[] = [];
    const after = await runCatalog({ sigma: [corpus.sigma], atomics: corpus.atomics, cache: cacheDir }, (l) => lines.push(l));
    const gone = 'bbbbbbbb-0000-4000-8000-000000000002';
    expect(slugs(after)).not.toContain(gone);
    expect(lsass(after)).toMatchObject({ rules: ['aaaaaaaa-0000-4000-8000-000000000001'], count: 1 });
    expect(after.indicators.flatMap((i) => i.rules)).not.toContain(gone);
    expect(after.techniques.flatMap((t) => [...t.rules, ...t.referencingRules])).not.toContain(gone);
    expect(after.tactics.flatMap((t) => t.rules)).not.toContain(gone);
    expect(after.tests.flatMap((t) => t.rules)).not.toContain(gone);
    expect(after.stats.files.sigma).toBe(3);
    expect(lines.find((l) => l.startsWith('cache '))).toMatch(/0 entries stored, 1 dropped/);
    expect(JSON.stringify(after)).toBe(JSON.stringify(await build(undefined)));
  });

  it('sees a new file and a rule that moved to another file', async () => {
    await build();
    const moved = RULES['rules/windows/d.yml'];
    corpus.write('sigma/rules/windows/d.yml', undefined);
    corpus.write('sigma/rules/windows/moved/d.yml', moved);
    corpus.write(
      'sigma/rules/windows/e.yml',
      rule({ id: 'eeeeeeee-0000-4000-8000-000000000005', title: 'New', tags: ['attack.t1016'], selection: "Image|endswith: '\\route.exe'" }),
    );
    const after = await build();
    expect(after.rules.map((r) => r.path)).toEqual([
      'rules/windows/a.yml',
      'rules/windows/b.yml',
      'rules/windows/c.yml',
      'rules/windows/e.yml',
      'rules/windows/moved/d.yml',
    ]);
    expect(after.techniques.find((t) => t.id === 'T1016')!.rules).toEqual(['cccccccc-0000-4000-8000-000000000003', 'eeeeeeee-0000-4000-8000-000000000005']);
  });
});
