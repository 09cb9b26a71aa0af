/**
 * The page cache through the atlas cache (scripts/page-store.ts, src/lib/site/cache-keys.ts,
 * src/lib/cache/page-pack.ts), on a copy of the sample corpus: after one rule's title or one test's
 * name changes, or a rule is deleted (with `--previous`), `atlas build --cache` takes the pages
 * whose data did not change from the page pack and renders the rest, and its output is byte for
 * byte a cold `--no-cache` build of the same input.
 * List pages (facets, tags, log sources, tactics, gaps) are keyed too: those showing the change are
 * rendered again, the others taken. A damaged page pack is dropped, never published; `--no-cache` writes
 * nothing outside --out. The search bundle takes the fragments of unchanged pages from the search
 * cache (src/lib/cache/search-bundle.ts) and is the cold build's too.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { atlas, atlasAsync, exited, filesUnder, projectRoot, removeTemp, tempDir, treeHashes } from '../safety/helpers.ts';
import { runGit } from '../git/repo.ts';

interface ApiRule {
  title: string;
  slug: string;
  path: string;
  url: string;
  techniques: string[];
  predictedTests?: string[];
}
interface ApiTest {
  guid: string;
  name: string;
  technique: string;
  url: string;
  predicted?: string[];
}

let root: string;
const cache = () => path.join(root, 'cache');

/** Commits the Sigma folder (a git checkout, as in CI: every page's footer names its commit); returns the short hash. */
function commit(message: string): string {
  const git = (...args: string[]) => runGit(path.join(root, 'sigma'), args).trim();
  if (message === 'first') git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD').slice(0, 12);
}

function build(out: string, cached: boolean, extra: string[] = []) {
  const args = ['build', '--sigma', 'sigma', '--atomics', 'atomics', '--out', out, '--no-git', ...(cached ? ['--cache', 'cache'] : ['--no-cache']), ...extra];
  const run = atlas(args, { cwd: root });
  expect(run.status, run.stdout + run.stderr).toBe(0);
  const m = /(\d+) of (\d+) keyed pages taken from the page cache/.exec(run.stdout);
  const s = /indexed (\d+) pages for search \(.*, (\d+) fragments from the search cache\)/.exec(run.stdout);
  return {
    stdout: run.stdout,
    stderr: run.stderr,
    reused: m ? Number(m[1]) : undefined,
    keyed: m ? Number(m[2]) : undefined,
    indexed: s ? Number(s[1]) : undefined,
    seeded: s ? Number(s[2]) : undefined,
  };
}

const site = (name: string) => path.join(root, name);
const page = (out: string, url: string) => readFileSync(path.join(site(out), url, 'index.html'), 'utf8');
const api = <T>(out: string, file: string) => JSON.parse(readFileSync(path.join(site(out), 'api', file), 'utf8')) as T;

/** Where the list routes' keyed pages are (src/lib/site/list-keys.ts); the sample corpus is too small for paged lists. */
const LIST_PAGES = ['/tactics/', '/gaps/', '/rules/by/', '/tests/platform/', '/tests/executor/', '/logsources/', '/tags/'];

/** The cacheKey of each list page in the page pack (its second line indexes the pages: url, key, …), by output file. */
function listPageKeys(): Map<string, string> {
  const [, index] = readFileSync(path.join(cache(), 'pages.pack'), 'utf8').split('\n', 2);
  const keys = new Map<string, string>();
  for (const [url, key] of JSON.parse(index!) as [string, string][])
    if (LIST_PAGES.some((prefix) => url.startsWith(prefix))) keys.set(`${url.slice(1)}index.html`, key);
  return keys;
}

/**
 * The list pages a build rendered (their key changed) and copied (same key, same route code), and
 * those of them showing `text`; a copied page's body is the previous build's.
 */
function listPagesAfter(before: Map<string, string>, out: string, previous: string, text: string) {
  const after = listPageKeys();
  const rendered = [...after.keys()].filter((f) => before.get(f) !== after.get(f));
  const copied = [...after.keys()].filter((f) => before.get(f) === after.get(f));
  const showing = [...after.keys()].filter((f) => readFileSync(path.join(site(out), f), 'utf8').includes(text));
  const body = (dir: string, f: string) => {
    const html = readFileSync(path.join(site(dir), f), 'utf8');
    return html.slice(0, html.lastIndexOf('<footer class="foot">'));
  };
  for (const f of copied) expect(body(out, f), f).toBe(body(previous, f));
  return { all: [...after.keys()], rendered, copied, showing };
}

/** Files whose bytes differ between two sites (present in both). */
function changed(a: string, b: string): string[] {
  const ha = treeHashes(site(a));
  const hb = treeHashes(site(b));
  return Object.keys(hb).filter((f) => ha[f] !== undefined && ha[f] !== hb[f]);
}

let edited: ApiRule;
let renamed: ApiTest;
let ruleOfRenamed: ApiRule;

beforeAll(() => {
  root = tempDir('incremental');
  cpSync(path.join(projectRoot, 'rules'), path.join(root, 'sigma'), { recursive: true });
  cpSync(path.join(projectRoot, 'atomics'), path.join(root, 'atomics'), { recursive: true });
  commit('first');
  const first = build('v1', true);
  expect(first.reused).toBe(0);
  expect(first.seeded).toBe(0);
  expect(first.indexed).toBeGreaterThan(50);
  expect(first.keyed).toBeGreaterThan(50);
  const rules = api<ApiRule[]>('v1', 'rules.json');
  const tests = api<ApiTest[]>('v1', 'tests.json');
  // A rule alone in its file, with a technique and a test predicted to fire it: its title shows on all three kinds of page.
  edited = rules.find((r) => r.techniques.length > 0 && (r.predictedTests?.length ?? 0) > 0 && rules.filter((o) => o.path === r.path).length === 1)!;
  expect(edited).toBeDefined();
  renamed = tests.find((t) => (t.predicted?.length ?? 0) > 0 && !edited.predictedTests!.includes(t.guid))!;
  expect(renamed).toBeDefined();
  ruleOfRenamed = rules.find((r) => r.slug === renamed.predicted![0])!;
}, 300_000);

afterAll(removeTemp);

describe('atlas build with the page cache', { timeout: 300_000 }, () => {
  test('nothing changed: every keyed page is copied, the output is the same', () => {
    const again = build('v1-again', true);
    expect(again.reused).toBe(again.keyed);
    expect(again.seeded).toBe(again.indexed);
    expect(treeHashes(site('v1-again'))).toEqual(treeHashes(site('v1')));
    // Search records of the copied pages came from the record cache, none read back from the output.
    expect(again.stdout).toMatch(/indexed \d+ pages for search/);
    expect(again.stdout).not.toMatch(/read back/);
    // The same search records, in the same order: the search bundle is the cached one, Pagefind writes nothing.
    expect(again.stdout).toMatch(/the bundle taken whole from the search cache/);
  });

  test('search records cache damaged or lost: the copied pages are read back, the output is the same', () => {
    const records = path.join(cache(), 'search-records.json');
    const text = readFileSync(records, 'utf8');
    writeFileSync(records, text.replace('data-pagefind-body', 'data-pagefind-bodz'));
    const damaged = build('v1-records-damaged', true);
    expect(damaged.reused).toBe(damaged.keyed);
    expect(damaged.stdout).toMatch(/\d+ pages read back from the output/);
    expect(treeHashes(site('v1-records-damaged'))).toEqual(treeHashes(site('v1')));
    // Written afresh by that build.
    expect(readFileSync(records, 'utf8')).toBe(text);
    rmSync(records);
    const lost = build('v1-records-lost', true);
    expect(lost.stdout).toMatch(/\d+ pages read back from the output/);
    expect(treeHashes(site('v1-records-lost'))).toEqual(treeHashes(site('v1')));
  });

  test("one rule's title changed: its pages re-rendered, the rest copied; identical to a cold build", () => {
    const keysBefore = listPageKeys();
    const file = path.join(root, 'sigma', edited.path);
    const text = readFileSync(file, 'utf8');
    const newTitle = `${edited.title} Edited Title`;
    writeFileSync(file, text.replace(`title: ${edited.title}\n`, `title: ${newTitle}\n`));
    const head = commit('second');
    const warm = build('v2', true);
    build('v2-cold', false);
    expect(treeHashes(site('v2'))).toEqual(treeHashes(site('v2-cold')));
    // Search: the fragments of the pages showing the title written anew, the others from the search cache.
    expect(treeHashes(path.join(site('v2'), 'pagefind'))).toEqual(treeHashes(path.join(site('v2-cold'), 'pagefind')));
    expect(warm.seeded).toBeGreaterThan(warm.indexed! / 2);
    expect(warm.seeded).toBeLessThan(warm.indexed!);

    // Pages were copied, and not all of them.
    expect(warm.reused).toBeGreaterThan(0);
    expect(warm.reused).toBeLessThan(warm.keyed!);
    // The rule's page and the pages showing its title changed.
    const technique = api<{ id: string; url: string }[]>('v2', 'techniques.json').find((t) => t.id === edited.techniques[0])!;
    const tests = api<ApiTest[]>('v2', 'tests.json').filter((t) => edited.predictedTests!.includes(t.guid));
    const diff = changed('v1', 'v2');
    for (const url of [edited.url, technique.url, ...tests.map((t) => t.url)]) {
      expect(page('v2', url)).toContain(newTitle);
      expect(diff).toContain(path.join(url.replace(/^\//, ''), 'index.html'));
    }
    // A page that does not show the rule was copied as it was, but for the footer naming the new commit.
    const untouched = api<ApiRule[]>('v2', 'rules.json').find((r) => r.slug !== edited.slug && !page('v1', r.url).includes(edited.title))!;
    const body = (html: string) => html.slice(0, html.lastIndexOf('<footer class="foot">'));
    expect(body(page('v2', untouched.url))).toBe(body(page('v1', untouched.url)));
    expect(page('v1', untouched.url)).not.toContain(`commit ${head}`);
    expect(page('v2', untouched.url)).toContain(`commit ${head}`);

    // List pages: every list route is keyed; those showing the rule were rendered again and show
    // the new title (its log source, its level and other facets, its tactics), the others copied.
    const lists = listPagesAfter(keysBefore, 'v2', 'v1', newTitle);
    for (const route of ['tactics/', 'gaps/', 'rules/by/', 'tests/platform/', 'tests/executor/', 'logsources/', 'tags/']) {
      expect(
        lists.all.some((f) => f.startsWith(route)),
        route,
      ).toBe(true);
    }
    expect(lists.showing.filter((f) => f.startsWith('logsources/'))).toHaveLength(1);
    expect(lists.showing.filter((f) => f.startsWith('rules/by/level/'))).toHaveLength(1);
    expect(lists.showing.length).toBeGreaterThan(4);
    for (const f of lists.showing) expect(lists.rendered).toContain(f);
    for (const f of lists.showing) expect(diff).toContain(f);
    expect(lists.copied.length).toBeGreaterThan(lists.rendered.length);
    expect(lists.copied.filter((f) => f.startsWith('logsources/')).length).toBeGreaterThan(0);
    expect(lists.copied.filter((f) => f.startsWith('rules/by/level/')).length).toBeGreaterThan(0);
  });

  test("one test's name changed: the rule pages listing it re-rendered; identical to a cold build", () => {
    const keysBefore = listPageKeys();
    const file = path.join(root, 'atomics', renamed.technique, `${renamed.technique}.yaml`);
    const text = readFileSync(file, 'utf8');
    const newName = `${renamed.name} Renamed`;
    expect(text).toContain(`- name: ${renamed.name}\n`);
    writeFileSync(file, text.replace(`- name: ${renamed.name}\n`, `- name: ${newName}\n`));
    const warm = build('v3', true);
    build('v3-cold', false);
    expect(treeHashes(site('v3'))).toEqual(treeHashes(site('v3-cold')));
    expect(warm.reused).toBeGreaterThan(0);
    expect(warm.reused).toBeLessThan(warm.keyed!);
    expect(page('v2', ruleOfRenamed.url)).not.toContain(newName);
    expect(page('v3', ruleOfRenamed.url)).toContain(newName);
    // Its platform and executor pages were rendered again; no rule list shows a test.
    const lists = listPagesAfter(keysBefore, 'v3', 'v2', newName);
    expect(lists.showing.filter((f) => f.startsWith('tests/platform/')).length).toBeGreaterThan(0);
    expect(lists.showing.filter((f) => f.startsWith('tests/executor/'))).toHaveLength(1);
    for (const f of lists.showing) expect(lists.rendered).toContain(f);
    expect(lists.rendered.filter((f) => f.startsWith('rules/by/') || f.startsWith('tags/') || f.startsWith('logsources/'))).toEqual([]);
  });

  test('with --previous, a rule deleted: its tombstone page and the rule naming it re-rendered, not every page; the next build keeps the tombstone and renders nothing; identical to cold builds', () => {
    const previous = (out: string) => ['--previous', path.join(site(out), 'api')];
    build('v4', true, previous('v3')); // the first build with a change list: every page shows its link
    const gone = api<ApiRule[]>('v4', 'rules.json').find(
      (r) => r.path === 'rules/windows/process_creation/proc_creation_win_net_network_connections_discovery.yml',
    )!;
    const naming = api<ApiRule[]>('v4', 'rules.json').find(
      (r) => r.path === 'rules/linux/process_creation/proc_creation_lnx_network_connections_discovery.yml',
    )!;
    const file = path.join(root, 'sigma', gone.path);
    const text = readFileSync(file, 'utf8');
    rmSync(file);
    try {
      const removal = build('v5', true, previous('v4'));
      build('v5-cold', false, previous('v4'));
      expect(treeHashes(site('v5'))).toEqual(treeHashes(site('v5-cold')));
      expect(page('v5', gone.url)).toContain('it is no longer in the rule repository');
      expect(page('v5', naming.url)).toContain(`<a href="${gone.url}">${gone.title}</a>`);
      // The change list links the removed rule to its tombstone, on the changes page and in the feed.
      expect(page('v5', '/changes/')).toContain(`<a href="${gone.url}">${gone.title}</a>`);
      expect(readFileSync(path.join(site('v5'), 'api', 'changes.xml'), 'utf8')).toContain(`href="..${gone.url}"`);
      // Its technique, tests, indicators and lists show it no more; the other pages were copied.
      expect(removal.reused).toBeGreaterThan(removal.keyed! / 2);
      expect(removal.reused).toBeLessThan(removal.keyed!);
      // The next build has no removal since its previous one: the tombstone stays (carried in the
      // change list), and every keyed page is taken from the cache.
      const next = build('v6', true, previous('v5'));
      build('v6-cold', false, previous('v5'));
      expect(treeHashes(site('v6'))).toEqual(treeHashes(site('v6-cold')));
      expect(page('v6', gone.url)).toContain('it is no longer in the rule repository');
      expect(page('v6', naming.url)).toContain(`<a href="${gone.url}">${gone.title}</a>`);
      expect(next.reused).toBe(next.keyed);
    } finally {
      writeFileSync(file, text); // the later tests build the corpus as the earlier ones left it
    }
  });

  test('a damaged page pack, a deleted one: not used, the output is still the cold one; a page cache of earlier versions is removed', () => {
    const pack = path.join(cache(), 'pages.pack');
    const bytes = readFileSync(pack);
    const at = bytes.lastIndexOf('<title>') + '<title>'.length;
    expect(at).toBeGreaterThan(6);
    bytes[at] = bytes[at] === 0x58 ? 0x59 : 0x58;
    writeFileSync(pack, bytes);
    const damaged = build('v4', true);
    expect(damaged.stderr).toMatch(/cache: .*pages\.pack is damaged \(its content does not match its SHA-256\)/);
    expect(damaged.reused).toBe(0);
    expect(treeHashes(site('v4'))).toEqual(treeHashes(site('v3-cold')));

    rmSync(pack);
    // What Astro's incremental build, used by earlier versions, left in the cache, with a killed build's lock.
    mkdirSync(path.join(cache(), 'astro', 'dist', 'rules'), { recursive: true });
    writeFileSync(path.join(cache(), 'astro', 'incremental-build.json'), '{}');
    writeFileSync(path.join(cache(), 'astro.lock'), '1 host 1 nonce');
    const old = new Date(Date.now() - 7 * 3600_000);
    utimesSync(path.join(cache(), 'astro.lock'), old, old);
    const deleted = build('v5', true);
    expect(deleted.stderr).not.toMatch(/damaged/);
    expect(deleted.stdout).toMatch(/cache: removed .*astro, the page cache of earlier versions/);
    expect(existsSync(path.join(cache(), 'astro'))).toBe(false);
    expect(existsSync(path.join(cache(), 'astro.lock'))).toBe(false);
    // An astro/ folder holding anything else is not atlas's: kept.
    mkdirSync(path.join(cache(), 'astro', 'notes'), { recursive: true });
    writeFileSync(path.join(cache(), 'astro', 'notes', 'keep.txt'), 'mine');
    build('v5-foreign', true);
    expect(readFileSync(path.join(cache(), 'astro', 'notes', 'keep.txt'), 'utf8')).toBe('mine');
    rmSync(path.join(cache(), 'astro'), { recursive: true });
    expect(deleted.reused).toBe(0);
    expect(treeHashes(site('v5'))).toEqual(treeHashes(site('v3-cold')));

    // Written afresh: the next build takes every keyed page again.
    const healed = build('v7', true);
    expect(healed.stderr).not.toMatch(/damaged/);
    expect(healed.reused).toBe(healed.keyed);
    expect(treeHashes(site('v7'))).toEqual(treeHashes(site('v3-cold')));
  });

  test('a damaged search cache fragment is not published; the output is still the cold one', () => {
    const fragments = path.join(cache(), 'search', 'files');
    const [name] = readdirSync(fragments);
    const file = path.join(fragments, name!);
    const bytes = readFileSync(file);
    bytes[bytes.length - 9]! ^= 1;
    writeFileSync(file, bytes);
    const damaged = build('v7-search', true);
    expect(damaged.stderr).toMatch(/cache: 1 search fragments in .* do not match its manifest/);
    expect(damaged.seeded).toBe(damaged.indexed! - 1);
    expect(treeHashes(site('v7-search'))).toEqual(treeHashes(site('v3-cold')));
    const healed = build('v7-healed', true);
    expect(healed.stderr).not.toMatch(/do not match/);
    expect(healed.seeded).toBe(healed.indexed);
  });

  test('two builds sharing the cache at once: both succeed with the cold output, and leave a whole pack', async () => {
    rmSync(path.join(cache(), 'pages.pack'));
    const args = (out: string) => ['build', '--sigma', 'sigma', '--atomics', 'atomics', '--out', out, '--no-git', '--cache', 'cache'];
    const [a, b] = await Promise.all([exited(atlasAsync(args('v9-a'), { cwd: root })), exited(atlasAsync(args('v9-b'), { cwd: root }))]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(treeHashes(site('v9-a'))).toEqual(treeHashes(site('v3-cold')));
    expect(treeHashes(site('v9-b'))).toEqual(treeHashes(site('v3-cold')));
    expect(readdirSync(cache()).filter((name) => name.startsWith('pages.pack'))).toEqual(['pages.pack']);
    const after = build('v9-after', true);
    expect(after.stderr).not.toMatch(/damaged/);
    expect(after.reused).toBe(after.keyed);
  });

  test('--no-cache writes nothing outside --out', () => {
    const before = { here: readdirSync(root).sort(), cache: treeHashes(cache()), project: readdirSync(path.join(projectRoot, '.cache')).sort() };
    build('v8', false);
    expect(readdirSync(root).sort()).toEqual([...before.here, 'v8'].sort());
    expect(treeHashes(cache())).toEqual(before.cache);
    expect(readdirSync(path.join(projectRoot, '.cache')).sort()).toEqual(before.project);
    // Astro makes its default cacheDir (empty) in the tool's own folder, as it did before; nothing goes in it.
    expect(filesUnder(path.join(projectRoot, 'node_modules', '.astro'))).toEqual([]);
  });
});
