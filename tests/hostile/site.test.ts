/**
 * The site `atlas build` makes from the hostile corpus, read as a browser would read it: no
 * script but the site's own, no event-handler attribute, no attribute breakout, every link
 * http(s), mailto or internal and resolving, a page for every entity, and the same bytes on a
 * second build. Skips (with a message) until scripts/site.ts exists.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { removeCorpora, writeHostileCorpus } from './corpus.ts';
import { tokenize, URL_ATTRIBUTES, urlScheme, type Tag } from './html.ts';
import { MARK } from './payloads.ts';
import { filesUnder, hostileCatalog, projectRoot, treeHashes } from './run.ts';

const hasSite = existsSync(path.join(projectRoot, 'scripts/site.ts'));
if (!hasSite) console.warn('\n  hostile site tests skipped: scripts/site.ts does not exist yet\n');

const SITE_MS = 300_000;
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);
/** Elements that load or run content, or change how every URL resolves. */
const FORBIDDEN = new Set(['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'portal']);

let catalog: Catalog;
let root = '';
const sites: string[] = [];
/** Every script element the site itself ships, from the benign fixture site. */
let ownScripts = new Set<string>();

function htmlPages(dir: string): string[] {
  return filesUnder(dir).filter((f) => f.endsWith('.html'));
}

const scriptKey = (tag: Tag) => JSON.stringify([tag.attributes, (tag.text ?? '').trim()]);

beforeAll(async () => {
  if (!hasSite) return;
  // The fixture site (built by the project's globalSetup) holds the site's own scripts.
  const { fixtureSite } = await import('../site/fixture-site.ts');
  const fixture = await fixtureSite();
  for (const page of htmlPages(fixture.dir)) {
    for (const tag of tokenize(readFileSync(path.join(fixture.dir, page), 'utf8'))) if (tag.name === 'script') ownScripts.add(scriptKey(tag));
  }
  const corpus = writeHostileCorpus();
  root = corpus.root;
  catalog = (await hostileCatalog(corpus)).catalog; // the same data the command builds from
  for (const name of ['site-one', 'site-two']) {
    const out = path.join('sites', name);
    const args = [
      'build',
      '--sigma',
      'sigma',
      '--atomics',
      'atomics',
      '--attack',
      'attack.json',
      '--out',
      out,
      '--no-cache',
      '--no-git',
      '--title',
      `Hostile ${MARK} <script>alert(1)</script>`,
    ];
    const run = spawnSync(process.execPath, [path.join(projectRoot, 'scripts/atlas.mjs'), ...args], {
      cwd: root,
      encoding: 'utf8',
      timeout: SITE_MS / 3,
      killSignal: 'SIGKILL',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`atlas build failed (${run.signal ?? run.status}):\n${run.stdout}\n${run.stderr}`);
    sites.push(path.join(root, out));
  }
}, SITE_MS);

afterAll(removeCorpora);

describe.skipIf(!hasSite)('the site built from the hostile corpus', { timeout: SITE_MS }, () => {
  const pages = () => htmlPages(sites[0]!).map((file) => ({ file, tags: tokenize(readFileSync(path.join(sites[0]!, file), 'utf8')) }));

  test('no script but the site’s own', () => {
    const foreign = pages().flatMap(({ file, tags }) =>
      tags.filter((t) => t.name === 'script' && !ownScripts.has(scriptKey(t))).map((t) => `${file}: ${scriptKey(t).slice(0, 200)}`),
    );
    expect(foreign).toEqual([]);
  });

  test('no event handlers, no attribute breakout, no elements that load foreign content', () => {
    const problems = pages().flatMap(({ file, tags }) =>
      tags.flatMap((tag) => [
        ...(FORBIDDEN.has(tag.name) ? [`${file}: <${tag.name}>`] : []),
        ...(tag.name.includes(MARK) ? [`${file}: element <${tag.name}>`] : []),
        ...tag.attributes.filter(([name]) => name.startsWith('on') || !/^[a-z][a-z0-9:._-]*$/.test(name)).map(([name]) => `${file}: <${tag.name} ${name}=…>`),
        // Redirect pages (old file names, other id forms) refresh to an internal permalink; nothing else may.
        ...(tag.name === 'meta' &&
        tag.attributes.some(([n, v]) => n === 'http-equiv' && v.toLowerCase() === 'refresh') &&
        !tag.attributes.some(([n, v]) => n === 'content' && /^0; url=\/rules\/[a-z0-9][a-z0-9._-]*\/$/.test(v))
          ? [`${file}: meta refresh`]
          : []),
      ]),
    );
    expect(problems).toEqual([]);
  });

  test('script and style contents carry none of the payloads', () => {
    const problems = pages().flatMap(({ file, tags }) =>
      tags.filter((t) => (t.name === 'script' || t.name === 'style') && t.text?.includes(MARK)).map((t) => `${file}: <${t.name}> holds a payload`),
    );
    const styles = pages().flatMap(({ file, tags }) =>
      tags.flatMap((t) => t.attributes.filter(([n, v]) => n === 'style' && /url\s*\(|expression\s*\(|pwn/i.test(v)).map(() => `${file}: style attribute`)),
    );
    expect([...problems, ...styles]).toEqual([]);
  });

  test('every link and source is http(s), mailto or internal', () => {
    const problems = pages().flatMap(({ file, tags }) =>
      tags.flatMap((tag) =>
        tag.attributes
          .filter(([name, value]) => URL_ATTRIBUTES.has(name) || (name === 'srcset' && value))
          .filter(([, value]) => {
            const scheme = urlScheme(value);
            return scheme !== undefined && !SAFE_SCHEMES.has(scheme);
          })
          .map(([name, value]) => `${file}: <${tag.name} ${name}="${value.slice(0, 80)}">`),
      ),
    );
    expect(problems).toEqual([]);
  });

  test('internal links resolve (the link checker finds nothing broken)', async () => {
    const { checkLinks } = await import('../../src/lib/check/links.ts');
    const report = await checkLinks(sites[0]!);
    expect(report.broken.map((b) => `${b.page} → ${b.href} (${b.reason})`)).toEqual([]);
  });

  test('the payloads are shown as text: the markup rule page holds them escaped', () => {
    const rule = catalog.rules.find((r) => r.path === 'rules/markup.yml')!;
    const html = readFileSync(path.join(sites[0]!, rule.url, 'index.html'), 'utf8');
    expect(html).toContain('&lt;script&gt;alert(');
    expect(html).toContain('pwn-img');
  });

  test('every rule, test, technique, tactic and shared indicator has its page', () => {
    const urls = [...catalog.rules, ...catalog.tests, ...catalog.techniques, ...catalog.tactics, ...catalog.indicators].map((e) => e.url.split('#')[0]!);
    expect(urls.filter((u) => !existsSync(path.join(sites[0]!, u, 'index.html')))).toEqual([]);
  });

  test('the build writes only inside its output folder (and the catalog cache beside it)', () => {
    expect(readdirSync(path.join(root, 'sites')).sort()).toEqual(['site-one', 'site-two']);
    expect(readdirSync(root).filter((f) => !['sigma', 'atomics', 'attack.json', 'sites', '.cache'].includes(f))).toEqual([]);
  });

  test('two builds of the same input are byte-identical (pages, search index, api/, exports)', () => {
    expect(treeHashes(sites[1]!)).toEqual(treeHashes(sites[0]!));
  });

  test('every page declares a Content-Security-Policy that allows no injected script', () => {
    const problems = pages().flatMap(({ file, tags }) => {
      const csp = tags.find((t) => t.name === 'meta' && t.attributes.some(([n, v]) => n === 'http-equiv' && v.toLowerCase() === 'content-security-policy'));
      const policy = csp?.attributes.find(([n]) => n === 'content')?.[1] ?? '';
      if (!policy) return [`${file}: no policy`];
      const script = /(?:^|;)\s*script-src ([^;]*)/.exec(policy)?.[1] ?? /(?:^|;)\s*default-src ([^;]*)/.exec(policy)?.[1] ?? '*';
      return /'unsafe-inline'|(^|\s)\*(\s|$)|data:|https?:(\s|$)/.test(script) ? [`${file}: script-src ${script}`] : [];
    });
    expect(problems).toEqual([]);
  });
});
