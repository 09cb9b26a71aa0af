import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { PreviousBuildError, readPreviousBuild } from '../../src/lib/changes/previous.ts';
import { runCatalog, writeOutputs } from '../../src/lib/pipeline.ts';
import { analyzeTrust } from '../../src/lib/trust/analyze.ts';
import { ATOMIC_TESTS, GUID, RULES, makeCorpus, rule, techniqueYaml, type Corpus } from '../cache/corpus.ts';

const NEW_GUID = '55555555-5555-4555-8555-555555555555';

let corpus: Corpus;
let out: string;
let v1: Catalog;
let v2: Catalog;

const build = (previous?: string) => runCatalog({ sigma: [corpus.sigma], atomics: corpus.atomics, previous });
async function publish(catalog: Catalog, name: string): Promise<string> {
  const dir = path.join(out, name);
  await writeOutputs(catalog, { dir, out: dir, work: dir });
  return path.join(dir, 'api');
}

/** Version 2 of the sample: every kind of change once. */
function editToVersion2() {
  corpus.write(
    'sigma/rules/windows/a.yml',
    RULES['rules/windows/a.yml']
      .replace('level: high', 'level: critical')
      .replace("contains: 'procdump'", "contains|all:\n      - 'procdump'\n      - 'lsass'")
      .replace('date: 2024-01-10\n', 'date: 2024-01-10\nmodified: 2024-03-01\n'),
  );
  const b = RULES['rules/windows/b.yml'].replace('description:', 'status: deprecated\ndescription:');
  corpus.write('sigma/rules/windows/b.yml', undefined);
  corpus.write('sigma/deprecated/windows/b.yml', b);
  corpus.write('sigma/rules/windows/c.yml', undefined);
  corpus.write('sigma/rules/windows/d.yml', `# a comment only\n${RULES['rules/windows/d.yml']}`);
  corpus.write(
    'sigma/rules/windows/e.yml',
    rule({
      id: 'eeeeeeee-0000-4000-8000-000000000005',
      title: 'Route Print',
      date: '2024-05-05',
      tags: ['attack.t1016'],
      selection: "Image|endswith: '\\route.exe'",
    }),
  );
  corpus.write(
    'atomics/T1003.001/T1003.001.yaml',
    techniqueYaml('T1003.001', 'OS Credential Dumping: LSASS Memory', [ATOMIC_TESTS.lsass, ATOMIC_TESTS.comsvcs.replace('MiniDump', 'MiniDump full')]),
  );
  const route = ATOMIC_TESTS.ifconfig.replace(GUID.ifconfig, NEW_GUID).replace('List Network Interfaces', 'Print Routes').replace('ifconfig -a', 'netstat -rn');
  corpus.write('atomics/T1016/T1016.yaml', techniqueYaml('T1016', 'System Network Configuration Discovery', [route]));
}

beforeAll(async () => {
  corpus = makeCorpus();
  out = mkdtempSync(path.join(tmpdir(), 'atlas-changes-'));
  v1 = await build();
  await publish(v1, 'v1');
  editToVersion2();
  v2 = await build(path.join(out, 'v1', 'api'));
});
afterAll(() => {
  corpus.remove();
  rmSync(out, { recursive: true, force: true });
});

describe('the change list between two versions', () => {
  it('lists rules added, modified with their fields, deprecated and removed', () => {
    const c = v2.changes!;
    expect(c.previous).toEqual({ rules: 4, tests: 3 });
    expect(c.summary.rules).toEqual({ added: 1, modified: 2, deprecated: 1, removed: 1 });
    expect(c.rules.added).toEqual([
      {
        id: 'eeeeeeee-0000-4000-8000-000000000005',
        slug: 'eeeeeeee-0000-4000-8000-000000000005',
        title: 'Route Print',
        path: 'rules/windows/e.yml',
        collection: 'rules',
        level: 'high',
        url: '/rules/eeeeeeee-0000-4000-8000-000000000005/',
        date: '2024-05-05',
      },
    ]);
    expect(c.rules.modified.map((r) => [r.path, r.fields, r.date])).toEqual([
      ['rules/windows/a.yml', ['detection', 'level', 'modified'], '2024-03-01'],
      ['rules/windows/d.yml', ['source'], '2024-01-10'],
    ]);
    expect(c.rules.deprecated).toEqual([
      expect.objectContaining({
        path: 'deprecated/windows/b.yml',
        collection: 'deprecated',
        status: 'deprecated',
        fields: ['path', 'status'],
        url: '/rules/bbbbbbbb-0000-4000-8000-000000000002/',
      }),
    ]);
    expect(c.rules.removed).toEqual([
      {
        id: 'cccccccc-0000-4000-8000-000000000003',
        slug: 'cccccccc-0000-4000-8000-000000000003',
        title: 'Network Interfaces Listed',
        path: 'rules/windows/c.yml',
        collection: 'rules',
        level: 'high',
        url: '/rules/cccccccc-0000-4000-8000-000000000003/', // its tombstone page
      },
    ]);
    expect(c.feed.find((e) => e.change === 'removed' && e.kind === 'rule')?.url).toBe('/rules/cccccccc-0000-4000-8000-000000000003/');
    expect(c.moved).toEqual([]);
  });

  it('lists Atomic tests added, modified with their fields, and removed', () => {
    const { tests, summary } = v2.changes!;
    expect(summary.tests).toEqual({ added: 1, modified: 1, removed: 1 });
    expect(tests.added).toEqual([{ guid: NEW_GUID, technique: 'T1016', number: 1, name: 'Print Routes', url: `/tests/${NEW_GUID}/` }]);
    expect(tests.modified).toEqual([
      { guid: GUID.comsvcs, technique: 'T1003.001', number: 2, name: 'Dump LSASS with comsvcs', url: `/tests/${GUID.comsvcs}/`, fields: ['command'] },
    ]);
    expect(tests.removed).toEqual([{ guid: GUID.ifconfig, technique: 'T1016', number: 1, name: 'List Network Interfaces' }]);
  });

  it('dates entries from the rules, never the clock', () => {
    const c = v2.changes!;
    expect(c.date).toBe('2024-05-05');
    const updated = Object.fromEntries(c.feed.map((e) => [e.title, e.updated]));
    expect(updated).toMatchObject({
      'Rule added: Route Print': '2024-05-05',
      'Rule modified: Procdump Dumping LSASS (detection, level, modified)': '2024-03-01',
      'Rule removed: Network Interfaces Listed': '2024-05-05',
    });
    expect(c.feed).toHaveLength(8);
    expect(new Set(c.feed.map((e) => e.id)).size).toBe(8);
  });

  it('is the same when read from the per-rule files of an api/ folder without catalog.json.gz', async () => {
    const copy = path.join(out, 'v1-files');
    cpSync(path.join(out, 'v1'), copy, { recursive: true });
    rmSync(path.join(copy, 'api', 'catalog.json.gz'));
    const again = await build(copy); // the site folder holding api/ is accepted too
    expect(again.changes).toEqual(v2.changes);
  });

  it('carries earlier entries into the next feed', async () => {
    await publish(v2, 'v2');
    corpus.write('sigma/rules/windows/f.yml', rule({ id: 'ffffffff-0000-4000-8000-000000000006', title: 'Sixth', date: '2024-06-01', selection: 'Image: x' }));
    const v3 = await build(path.join(out, 'v2', 'api'));
    expect(v3.changes!.summary.rules).toEqual({ added: 1, modified: 0, deprecated: 0, removed: 0 });
    expect(v3.changes!.feed.map((e) => e.title)).toEqual(['Rule added: Sixth', ...v2.changes!.feed.map((e) => e.title)]);
    const published = JSON.parse(readFileSync(path.join(out, 'v2', 'api', 'changes.json'), 'utf8'));
    expect(published).toEqual(v2.changes);
  });

  it('carries the removed rules into the next builds, so their tombstones stay, until a rule takes their permalink again', async () => {
    const removed = v2.changes!.rules.removed.map(({ url, ...entry }) => entry);
    expect(v2.changes!.gone).toEqual(removed);
    const v3 = await build(path.join(out, 'v2', 'api')); // as published by the test before
    expect(v3.changes!.rules.removed).toEqual([]);
    expect(v3.changes!.gone).toEqual(removed);
    await publish(v3, 'v3');
    corpus.write('sigma/rules/windows/c.yml', RULES['rules/windows/c.yml']);
    const v4 = await build(path.join(out, 'v3', 'api'));
    expect(v4.changes!.rules.added.map((r) => r.slug)).toEqual([removed[0]!.slug]);
    expect(v4.changes!.gone).toEqual([]);
    corpus.write('sigma/rules/windows/c.yml', undefined);
  });

  it("takes a change list without removed rules carried (an older build's) to have kept this build's removals; a bad list is dropped, not the feed", async () => {
    const api = path.join(out, 'v2-old', 'api');
    cpSync(path.join(out, 'v2', 'api'), api, { recursive: true });
    rmSync(path.join(api, 'catalog.json.gz'));
    const changes = JSON.parse(readFileSync(path.join(api, 'changes.json'), 'utf8'));
    delete changes.gone;
    writeFileSync(path.join(api, 'changes.json'), JSON.stringify(changes));
    const older = await build(api);
    expect(older.changes!.gone).toEqual(v2.changes!.gone);
    writeFileSync(path.join(api, 'changes.json'), JSON.stringify({ ...changes, gone: 'not a list' }));
    const bad = await build(api);
    expect(bad.changes!.gone).toEqual(v2.changes!.gone);
    expect(bad.changes!.feed).toEqual(older.changes!.feed);
    expect(bad.changes!.feed.length).toBeGreaterThan(v2.changes!.feed.length);
    // Entry by entry: a damaged entry, or one whose slug is no slug this tool writes (a folder name
    // from outside: upper case, too long, `index.html`), is dropped and the others kept.
    const kept = { ...v2.changes!.rules.removed[0]!, slug: 'dddddddd-0000-4000-8000-000000000009', id: 'dddddddd-0000-4000-8000-000000000009' };
    const damaged = [
      { title: 'no slug' },
      { ...kept, slug: 'DDDD' },
      { ...kept, slug: 'x'.repeat(300) },
      { ...kept, slug: 'index.html' },
      { ...kept, slug: '../x' },
    ];
    writeFileSync(path.join(api, 'changes.json'), JSON.stringify({ ...changes, gone: [...damaged, ...v2.changes!.rules.removed, kept] }));
    expect((await build(api)).changes!.gone!.map((r) => r.slug)).toEqual([...v2.changes!.rules.removed.map((r) => r.slug), kept.slug].sort());
  });
});

describe('addresses that move while the rule stays', () => {
  const D = 'sigma/rules/windows/d.yml';
  const OLD = 'dddddddd-0000-4000-8000-000000000004';
  const MID = 'dddddddd-0000-4000-8000-00000000000a';
  const NEW = 'dddddddd-0000-4000-8000-00000000000b';
  const api = (name: string) => path.join(out, name, 'api');
  const movedRedirects = (c: Catalog) => analyzeTrust(c).redirects.filter((r) => r.reason === 'moved');

  it('redirect the old address of a rule whose id was edited in place, in the next builds too, following the rule when it moves again', async () => {
    await publish(await build(api('v1')), 'm0');
    corpus.write(D, RULES['rules/windows/d.yml'].replace(OLD, MID));
    const m1 = await build(api('m0'));
    expect(m1.changes!.rules.modified).toEqual([expect.objectContaining({ slug: MID, fields: ['id'] })]);
    expect(m1.changes!.rules.removed).toEqual([]);
    expect(m1.changes!.moved).toEqual([{ from: OLD, to: MID }]);
    expect(movedRedirects(m1)).toEqual([{ from: `/rules/${OLD}/`, to: `/rules/${MID}/`, reason: 'moved' }]);
    await publish(m1, 'm1');
    const published = JSON.parse(readFileSync(path.join(api('m1'), 'redirects.json'), 'utf8')).redirects;
    expect(published).toContainEqual({ from: `/rules/${OLD}/`, to: `/rules/${MID}/`, reason: 'moved' });

    const m2 = await build(api('m1')); // nothing changed: the address stays redirected
    expect(m2.changes!.moved).toEqual([{ from: OLD, to: MID }]);
    await publish(m2, 'm2');
    corpus.write(D, RULES['rules/windows/d.yml'].replace(OLD, NEW));
    const m3 = await build(api('m2'));
    expect(m3.changes!.moved).toEqual([
      { from: OLD, to: NEW },
      { from: MID, to: NEW },
    ]);
    await publish(m3, 'm3');
    corpus.write(D, RULES['rules/windows/d.yml']); // the first id back: its address is the rule's page again
    const m4 = await build(api('m3'));
    expect(m4.changes!.moved).toEqual([
      { from: MID, to: OLD },
      { from: NEW, to: OLD },
    ]);
    expect(movedRedirects(m4).map((r) => r.to)).toEqual([`/rules/${OLD}/`, `/rules/${OLD}/`]);
  });

  it("redirect the '-2' address of a rule sharing its id once the other rule is gone", async () => {
    const SHARED = 'abababab-0000-4000-8000-00000000000c';
    const g = rule({ id: SHARED, title: 'Shared First', selection: 'Image: g.exe' });
    const h = rule({ id: SHARED, title: 'Shared Second', selection: 'Image: h.exe' });
    corpus.write('sigma/rules/windows/g.yml', g);
    corpus.write('sigma/rules/windows/h.yml', h);
    const s1 = await build(api('m0'));
    expect(s1.rules.filter((r) => r.id === SHARED).map((r) => [r.path, r.slug])).toEqual([
      ['rules/windows/g.yml', SHARED],
      ['rules/windows/h.yml', `${SHARED}-2`],
    ]);
    await publish(s1, 's1');
    corpus.write('sigma/rules/windows/g.yml', undefined);
    const s2 = await build(api('s1'));
    expect(s2.changes!.moved).toEqual([{ from: `${SHARED}-2`, to: SHARED }]);
    expect(s2.changes!.gone!.map((r) => r.slug)).not.toContain(SHARED); // the id's address is the other rule's page
    expect(movedRedirects(s2)).toEqual([{ from: `/rules/${SHARED}-2/`, to: `/rules/${SHARED}/`, reason: 'moved' }]);
    // The '-2' rule deleted instead: no tombstone (the id lives on), its address leads to the id's page.
    corpus.write('sigma/rules/windows/g.yml', g);
    corpus.write('sigma/rules/windows/h.yml', undefined);
    const s3 = await build(api('s1'));
    expect(s3.changes!.rules.removed.map((r) => [r.slug, r.url])).toEqual([[`${SHARED}-2`, undefined]]);
    expect(s3.changes!.moved).toEqual([{ from: `${SHARED}-2`, to: SHARED }]);
    corpus.write('sigma/rules/windows/g.yml', undefined);
  });

  it('reads the moved addresses of the previous build entry by entry', async () => {
    const dir = path.join(out, 'm-bad');
    cpSync(path.join(out, 'm1'), dir, { recursive: true });
    rmSync(path.join(dir, 'api', 'catalog.json.gz'));
    const file = path.join(dir, 'api', 'changes.json');
    const changes = JSON.parse(readFileSync(file, 'utf8'));
    // The feed links its entries (absolute with a site URL): a url that is no page address of this tool is dropped, the entry kept.
    const feed = [
      { ...changes.feed[0], url: 'xjavascript:alert(1)' },
      { ...changes.feed[0], id: 'other', url: '/rules/../x/' },
    ];
    writeFileSync(
      file,
      JSON.stringify({ ...changes, feed, moved: [{ from: 'INDEX.HTML', to: MID }, { from: '../x', to: MID }, { from: OLD }, ...changes.moved] }),
    );
    corpus.write(D, RULES['rules/windows/d.yml'].replace(OLD, MID));
    const read = await build(api('m-bad'));
    expect(read.changes!.moved).toEqual([{ from: OLD, to: MID }]);
    expect(read.changes!.feed.map((e) => [e.id, e.url])).toEqual([
      [changes.feed[0].id, undefined],
      ['other', undefined],
    ]);
    writeFileSync(file, JSON.stringify({ ...changes, moved: 'not a list' }));
    expect((await build(api('m-bad'))).changes!.moved).toEqual([]);
    corpus.write(D, RULES['rules/windows/d.yml']);
  });
});

describe('reading the previous build', () => {
  it('is skipped, not failed, when the folder does not exist yet (a first build)', async () => {
    const lines: string[] = [];
    const catalog = await runCatalog({ sigma: [corpus.sigma], previous: path.join(out, 'nothing-here') }, (l) => lines.push(l));
    expect(catalog.changes).toBeUndefined();
    expect(lines.find((l) => l.startsWith('changes '))).toMatch(/no previous build \(.*nothing-here does not exist\): no change list/);
  });

  it('says so when the previous build has no change list: nothing removed before it is carried', async () => {
    const lines: string[] = [];
    const catalog = await runCatalog({ sigma: [corpus.sigma], atomics: corpus.atomics, previous: path.join(out, 'v1', 'api') }, (l) => lines.push(l));
    expect(catalog.changes).toBeDefined();
    expect(lines.find((l) => l.startsWith('changes '))).toMatch(
      /the previous build has no change list, so the tombstones of rules removed before it and the old addresses of rules that moved \(if any\) are not carried over/,
    );
  });

  it('refuses a previous build whose rule slugs are no slugs this tool writes (they would name folders)', async () => {
    const api = path.join(out, 'v1-bad-slug', 'api');
    cpSync(path.join(out, 'v1', 'api'), api, { recursive: true });
    rmSync(path.join(api, 'catalog.json.gz'));
    const rules = JSON.parse(readFileSync(path.join(api, 'rules.json'), 'utf8')) as { url: string }[];
    const file = path.join(api, 'rules', `${rules[0]!.url.split('/').filter(Boolean).pop()}.json`);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), slug: 'index.html' }));
    await expect(readPreviousBuild(api)).rejects.toThrow(/not a Detection Atlas catalog: rules\.0\.slug: not a slug Detection Atlas writes/);
  });

  it('fails clearly on a folder that is not a build', async () => {
    await expect(readPreviousBuild(corpus.dir)).rejects.toThrow(/no catalog\.json\.gz or rules\.json here/);
  });

  it('fails clearly on a URL that cannot be fetched', async () => {
    const error = await readPreviousBuild('http://127.0.0.1:9/site/api/').catch((e) => e);
    expect(error).toBeInstanceOf(PreviousBuildError);
    expect(error.message).toMatch(/^cannot fetch the previous build from http:\/\/127\.0\.0\.1:9\/site\/api\/catalog\.json\.gz: .+ Download its api\/ folder/);
  });
});
