/**
 * The search cache (src/lib/cache/search-bundle.ts) with real Pagefind on a few small records:
 * a warm write takes the fragments of unchanged pages from the cache, and the bundle is always the
 * one Pagefind writes without the cache, byte for byte — when a changed page lands on a seeded
 * name, when a seeded name is no longer used, when cached files or the manifest are damaged.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as pagefind from 'pagefind';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readBundleMeta, recordDigest, writeSearchBundle, type WriteSearchBundleResult } from '../../src/lib/cache/search-bundle.ts';
import { filesUnder, removeTemp, tempDir, treeHashes } from '../safety/helpers.ts';

interface Page {
  url: string;
  content: string;
}

const html = (title: string, body: string, kind = 'rule') =>
  `<html lang="en"><body><main data-pagefind-body><h1>${title}</h1><p data-pagefind-filter="kind">${kind}</p><p>${body}</p></main></body></html>`;

/** Pages in the order given to Pagefind (not URL order: the bundle keeps the order given). */
const V1: Page[] = [
  { url: '/rules/mimikatz/', content: html('Mimikatz Use', 'sekurlsa logonpasswords lsass dump') },
  { url: '/rules/certutil/', content: html('Certutil Download', 'certutil urlcache split force') },
  { url: '/techniques/T1003.001/', content: html('LSASS Memory', 'credential dumping from lsass', 'technique') },
  { url: '/tests/abc/', content: html('Dump LSASS with procdump', 'procdump -ma lsass.exe', 'test') },
  { url: '/rules/rundll32/', content: html('Rundll32 Comsvcs', 'rundll32 comsvcs.dll MiniDump') },
  { url: '/indicators/x/', content: html('CommandLine contains lsass', 'value lsass', 'indicator') },
];
/** One page changed, one removed, one added. */
const V2: Page[] = [
  V1[0]!,
  { url: '/rules/certutil/', content: html('Certutil Download Edited', 'certutil urlcache split force verifyctl') },
  V1[2]!,
  V1[4]!,
  V1[5]!,
  { url: '/rules/new/', content: html('New Rule', 'wmic shadowcopy delete') },
];

let root: string;
let n = 0;
const warnings: string[] = [];

/** Indexes `pages` and writes the bundle into a fresh folder, through the cache when one is given. */
async function write(
  pages: Page[],
  cache?: string,
  config = 'test',
  afterWrite?: (bundle: string, writes: number) => void,
  version?: string,
): Promise<{ bundle: string; result: WriteSearchBundleResult }> {
  const bundle = path.join(root, `out${++n}`, 'pagefind');
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
  expect(errors).toEqual([]);
  for (const page of pages) expect((await index!.addHTMLFile(page)).errors).toEqual([]);
  let writes = 0;
  const result = await writeSearchBundle({
    bundle,
    records: pages.map((p) => ({ url: p.url, digest: recordDigest(p) })),
    config,
    cache,
    binary: version,
    warn: (line) => warnings.push(line),
    write: async () => {
      writes++;
      expect((await index!.writeFiles({ outputPath: bundle })).errors).toEqual([]);
      afterWrite?.(bundle, writes);
    },
  });
  expect(writes).toBe(result.whole ? 0 : result.rewritten ? 2 : 1);
  await index!.deleteIndex();
  return { bundle, result };
}

/** The bundle Pagefind writes without any cache. */
const reference = async (pages: Page[]) => treeHashes((await write(pages)).bundle);

const fragmentText = (bundle: string, name: string) => gunzipSync(readFileSync(path.join(bundle, 'fragment', `${name}.pf_fragment`))).toString();
const names = (bundle: string) => readBundleMeta(bundle)[0]!.pages.map((p) => p.fragment);

/** Reads the cache manifest, lets `edit` change it, writes it back with a matching checksum (a consistent cache). */
function editManifest(cache: string, edit: (m: { pages: [string, string, string][]; files: Record<string, string> }) => void): void {
  const file = path.join(cache, 'manifest.json');
  const text = readFileSync(file, 'utf8');
  const manifest = JSON.parse(text.slice(text.indexOf('\n') + 1));
  edit(manifest);
  const body = JSON.stringify(manifest);
  writeFileSync(file, `${createHash('sha256').update(body).digest('hex')}\n${body}`);
}

/** Gives page `url`'s cached fragment the name `name` in the manifest; returns its real name. */
function renameCached(cache: string, url: string, name: string): string {
  let old = '';
  editManifest(cache, (m) => {
    const page = m.pages.find((p) => p[0] === url)!;
    old = page[2];
    page[2] = name;
    m.files[name] = m.files[old]!;
    delete m.files[old];
  });
  return old;
}

/** The cache's file holding fragment `name` (files are named by the SHA-256 of their bytes). */
function cachedFile(cache: string, name: string): string {
  const text = readFileSync(path.join(cache, 'manifest.json'), 'utf8');
  return path.join(cache, 'files', JSON.parse(text.slice(text.indexOf('\n') + 1)).files[name]);
}

/** SHA-256 of every file of a bundle (its fragments and the rest, for a later bundle of the same pages): the names of the cache's files. */
const fileSums = (bundle: string) =>
  [
    ...new Set(
      filesUnder(bundle).map((f) =>
        createHash('sha256')
          .update(readFileSync(path.join(bundle, f)))
          .digest('hex'),
      ),
    ),
  ].sort();

beforeAll(() => {
  root = tempDir('search-bundle');
});
afterAll(async () => {
  await pagefind.close();
  removeTemp();
});

describe('the bundle meta', () => {
  test('lists every page in the order given, with its fragment file; every index chunk and filter file', async () => {
    const { bundle } = await write(V1);
    const [meta, ...others] = readBundleMeta(bundle);
    expect(others).toEqual([]);
    expect(meta!.language).toBe('en');
    expect(meta!.version).toBe(JSON.parse(readFileSync(path.join(bundle, 'pagefind-entry.json'), 'utf8')).version);
    expect(meta!.pages.map((p) => JSON.parse(fragmentText(bundle, p.fragment).slice('pagefind_dcd'.length)).url)).toEqual(V1.map((p) => p.url));
    for (const p of meta!.pages) expect(JSON.parse(fragmentText(bundle, p.fragment).slice(12)).word_count).toBe(p.wordCount);
    expect(filesUnder(path.join(bundle, 'fragment'))).toEqual(meta!.pages.map((p) => `${p.fragment}.pf_fragment`).sort());
    expect(filesUnder(path.join(bundle, 'index'))).toEqual(meta!.indexChunks.map((c) => `${c.file}.pf_index`).sort());
    expect(meta!.filters.map((f) => f.filter)).toEqual(['kind']);
    expect(filesUnder(path.join(bundle, 'filter'))).toEqual(meta!.filters.map((f) => `${f.file}.pf_filter`));
    expect(meta!.indexChunks[0]!.from <= meta!.indexChunks[0]!.to).toBe(true);
  });
});

describe('writeSearchBundle', { timeout: 60_000 }, () => {
  test('without a cache: Pagefind writes alone, nothing else is written', async () => {
    const { bundle, result } = await write(V1);
    expect(result).toEqual({ pages: 6, seeded: 0, damaged: 0, saved: false });
    expect(readFileSync(path.join(bundle, 'pagefind-entry.json'), 'utf8')).toContain('"page_count":6');
  });

  test('a warm write takes the unchanged pages from the cache; the bundle is the cold one', async () => {
    const cache = path.join(root, 'warm', 'search');
    const cold = await write(V1, cache);
    expect(cold.result).toMatchObject({ pages: 6, seeded: 0, damaged: 0, saved: true });
    expect(treeHashes(cold.bundle)).toEqual(await reference(V1));
    // The cache holds the bundle's files, hard-linked, named by their SHA-256.
    expect(filesUnder(path.join(cache, 'files'))).toEqual(fileSums(cold.bundle));
    const first = names(cold.bundle)[0]!;
    expect(statSync(cachedFile(cache, first)).ino).toBe(statSync(path.join(cold.bundle, 'fragment', `${first}.pf_fragment`)).ino);

    const warm = await write(V2, cache);
    expect(warm.result).toMatchObject({ pages: 6, seeded: 4, damaged: 0, saved: true }); // changed and new pages written by Pagefind
    expect(treeHashes(warm.bundle)).toEqual(await reference(V2));
    // The changed and removed pages' files are gone from the cache, the new ones added.
    expect(filesUnder(path.join(cache, 'files'))).toEqual(fileSums(warm.bundle));

    const again = await write(V2, cache);
    expect(again.result.seeded).toBe(6);
    expect(treeHashes(again.bundle)).toEqual(await reference(V2));
    // Other index options: nothing is seeded.
    const other = await write(V2, cache, 'other options');
    expect(other.result.seeded).toBe(0);
    expect(treeHashes(other.bundle)).toEqual(await reference(V2));
    expect(warnings).toEqual([]);
  });

  test('the same pages and records in the same order, the same Pagefind binary and environment: the whole bundle is taken from the cache, Pagefind writes nothing', async () => {
    const cache = path.join(root, 'cache-whole');
    const BINARY = 'pagefind binary sha256 and environment';
    const cold = await write(V1, cache, 'test', undefined, BINARY);
    expect(cold.result.whole).toBeUndefined();
    const again = await write(V1, cache, 'test', undefined, BINARY);
    expect(again.result).toMatchObject({ whole: true, seeded: V1.length, damaged: 0 });
    expect(treeHashes(again.bundle)).toEqual(await reference(V1));
    // Files named by their content are linked; the others (scripts, styles, entry) are copies, which a maintainer may edit.
    const inode = (file: string) => statSync(path.join(again.bundle, file)).ino;
    const cold2 = (file: string) => statSync(path.join(cold.bundle, file)).ino;
    const chunk0 = filesUnder(path.join(again.bundle, 'index'))[0]!;
    expect(inode(`index/${chunk0}`)).toBe(cold2(`index/${chunk0}`));
    expect(inode('pagefind-ui.css')).not.toBe(cold2('pagefind-ui.css'));
    expect(inode('pagefind-entry.json')).not.toBe(cold2('pagefind-entry.json'));
    // A manifest naming a folder as a bundle file (written by hand): not taken, no failure.
    const sums = JSON.parse(readFileSync(path.join(cache, 'manifest.json'), 'utf8').split('\n')[1]!).bundle as Record<string, string>;
    editManifest(cache, (m) => Object.assign(m, { bundle: { ...sums, fragment: Object.values(sums)[0] } }));
    const odd = await write(V1, cache, 'test', undefined, BINARY);
    expect(odd.result.whole).toBeUndefined();
    expect(treeHashes(odd.bundle)).toEqual(await reference(V1));
    // Anything else: another order, another page, another Pagefind, another option.
    expect((await write([...V1].reverse(), cache, 'test', undefined, BINARY)).result.whole).toBeUndefined();
    const changed = await write(V2, cache, 'test', undefined, BINARY);
    expect(changed.result.whole).toBeUndefined();
    expect(treeHashes(changed.bundle)).toEqual(await reference(V2));
    expect((await write(V2, cache, 'test', undefined, 'another binary or PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE')).result.whole).toBeUndefined();
    expect((await write(V2, cache, 'other', undefined, BINARY)).result.whole).toBeUndefined();
    // A damaged cached file of the bundle (an index chunk edited through a link from a published output): not taken, Pagefind writes.
    await write(V2, cache, 'test', undefined, BINARY);
    const whole = await write(V2, cache, 'test', undefined, BINARY);
    expect(whole.result.whole).toBe(true);
    const chunk = filesUnder(path.join(whole.bundle, 'index'))[0]!;
    writeFileSync(path.join(whole.bundle, 'index', chunk), 'edited in place');
    warnings.length = 0;
    const afterDamage = await write(V2, cache, 'test', undefined, BINARY);
    expect(afterDamage.result).toMatchObject({ damaged: 1, saved: true });
    expect(afterDamage.result.whole).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/does not match its manifest/);
    expect(treeHashes(afterDamage.bundle)).toEqual(await reference(V2));
    expect((await write(V2, cache, 'test', undefined, BINARY)).result.whole).toBe(true);
  });

  test('a changed page that lands on a seeded name: written again without seeds, the bundle is the cold one', async () => {
    const cache = path.join(root, 'collision', 'search');
    await write(V1, cache);
    // The name the changed page gets, and an unchanged page whose previous fragment had that name
    // (as if the two fragments' SHA-1s shared their first 28 bits).
    const cold = await write(V2);
    const changed = names(cold.bundle)[1]!;
    renameCached(cache, V1[0]!.url, changed);
    // Pagefind alone would keep the seeded file: another page's text under the changed page's name.
    expect(readFileSync(cachedFile(cache, changed))).not.toEqual(readFileSync(path.join(cold.bundle, 'fragment', `${changed}.pf_fragment`)));

    const warm = await write(V2, cache);
    expect(warm.result.rewritten).toBe(`/rules/certutil/ got the fragment name ${changed}, seeded for /rules/mimikatz/`);
    expect(warm.result.seeded).toBe(0);
    expect(treeHashes(warm.bundle)).toEqual(treeHashes(cold.bundle));
    // The cache is the new bundle's: the next write seeds every page.
    const next = await write(V2, cache);
    expect(next.result).toMatchObject({ pages: 6, seeded: 6, damaged: 0, saved: true });
    expect(treeHashes(next.bundle)).toEqual(treeHashes(cold.bundle));
  });

  test('a seeded name the new bundle does not use is removed', async () => {
    const cache = path.join(root, 'unused', 'search');
    await write(V1, cache);
    // As if the page's name had been extended by a collision with a page that is gone.
    const real = renameCached(cache, V1[3]!.url, 'en_0123456789');
    const warm = await write(V1, cache);
    expect(warm.result).toMatchObject({ pages: 6, seeded: 5, damaged: 0, saved: true });
    expect(existsSync(path.join(warm.bundle, 'fragment', 'en_0123456789.pf_fragment'))).toBe(false);
    expect(names(warm.bundle)[3]).toBe(real);
    expect(treeHashes(warm.bundle)).toEqual(await reference(V1));
  });

  test('damaged, truncated or edited cached fragments never reach the bundle', async () => {
    const cache = path.join(root, 'damaged', 'search');
    const cold = await write(V1, cache);
    const [a, b, c] = names(cold.bundle);
    const flip = cachedFile(cache, a!);
    const bytes = readFileSync(flip);
    bytes[bytes.length - 9]! ^= 1;
    writeFileSync(flip, bytes);
    const cut = cachedFile(cache, b!);
    writeFileSync(cut, readFileSync(cut).subarray(0, 20));
    // An edit of the published bundle in place reaches the cache's file through the hard link.
    const published = path.join(cold.bundle, 'fragment', `${c}.pf_fragment`);
    expect(statSync(published).nlink).toBeGreaterThan(1);
    writeFileSync(published, readFileSync(path.join(cold.bundle, 'fragment', `${a}.pf_fragment`)));

    warnings.length = 0;
    const warm = await write(V1, cache);
    expect(warm.result).toMatchObject({ pages: 6, seeded: 3, damaged: 3, saved: true });
    expect(warnings).toEqual([`cache: 3 search fragments in ${cache} do not match its manifest: not used (Pagefind writes them)`]);
    expect(treeHashes(warm.bundle)).toEqual(await reference(V1));
    // The damaged files were replaced: the next write seeds every page.
    warnings.length = 0;
    expect((await write(V1, cache)).result.seeded).toBe(6);
    expect(warnings).toEqual([]);
  });

  test('a damaged or missing manifest: nothing seeded, the cache written afresh', async () => {
    const cache = path.join(root, 'manifest', 'search');
    await write(V1, cache);
    const file = path.join(cache, 'manifest.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('/rules/certutil/', '/rules/certutiL/'));
    warnings.length = 0;
    const warm = await write(V1, cache);
    expect(warm.result.seeded).toBe(0);
    expect(warnings).toEqual([`cache: ${file} is damaged: not used; every search fragment is written and the cache rebuilt`]);
    expect(treeHashes(warm.bundle)).toEqual(await reference(V1));
    expect((await write(V1, cache)).result.seeded).toBe(6);
  });

  test('a meta it cannot read (another Pagefind layout): written again without seeds, nothing kept, no failure', async () => {
    const cache = path.join(root, 'layout', 'search');
    await write(V1, cache);
    const unreadable = (bundle: string) => {
      const entry = JSON.parse(readFileSync(path.join(bundle, 'pagefind-entry.json'), 'utf8'));
      writeFileSync(path.join(bundle, `pagefind.${entry.languages.en.hash}.pf_meta`), 'not gzip');
    };
    const once = await write(V1, cache, 'test', (bundle, writes) => writes === 1 && unreadable(bundle));
    expect(once.result).toMatchObject({ seeded: 0, rewritten: 'the bundle does not list the pages given, in one language', saved: true });
    expect(treeHashes(once.bundle)).toEqual(await reference(V1));
    const always = await write(V1, cache, 'test', unreadable);
    expect(always.result).toMatchObject({ seeded: 0, saved: false });
    expect(always.result.rewritten).toBeDefined();
  });

  // /dev/shm is a tmpfs on Linux: another file system than the temp folder, where links fail (EXDEV).
  const otherFs = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(tmpdir()).dev;
  test.skipIf(!otherFs)('a cache on another file system: files are copied, the bundle is the same', async () => {
    const cache = mkdtempSync('/dev/shm/atlas-search-cache-');
    try {
      const cold = await write(V1, path.join(cache, 'search'));
      expect(cold.result).toMatchObject({ seeded: 0, saved: true });
      const file = filesUnder(path.join(cache, 'search', 'files'))[0]!;
      expect(statSync(path.join(cache, 'search', 'files', file)).nlink).toBe(1);
      const warm = await write(V2, path.join(cache, 'search'));
      expect(warm.result).toMatchObject({ seeded: 4, damaged: 0, saved: true });
      expect(treeHashes(warm.bundle)).toEqual(await reference(V2));
      expect(filesUnder(path.join(cache, 'search')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  test('folders left by a killed build are removed; a bundle folder that exists is refused', async () => {
    const cache = path.join(root, 'stale', 'search');
    const stale = [
      path.join(cache, 'manifest.json.2147483646-0123456789abcdef.tmp'),
      path.join(cache, 'files', `${'0'.repeat(64)}.2147483646-0123456789abcdef.tmp`),
    ];
    mkdirSync(path.join(cache, 'files'), { recursive: true });
    for (const file of stale) writeFileSync(file, 'half written');
    await write(V1, cache);
    for (const file of stale) expect(existsSync(file)).toBe(false);
    const bundle = path.join(root, 'exists');
    mkdirSync(bundle);
    await expect(writeSearchBundle({ bundle, records: [], config: '', cache, write: async () => {} })).rejects.toThrow(/exists/);
  });
});
