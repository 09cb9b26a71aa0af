/**
 * The full corpus as CI sees it: build the whole site from ../shared/corpus with the real `atlas`
 * command, then check that every entity in api/ has its page, that no internal link is broken,
 * and that search in a real browser finds a rule by an indicator.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkBothWays } from '../../src/lib/check/both-ways.ts';
import { checkLinks, fileForPath } from '../../src/lib/check/links.ts';
import { hasChromium, launchChromium } from '../browser/chromium.ts';
import { serveStatic, type StaticServer } from '../browser/serve.ts';
import { corpusPaths, hasCorpus } from '../corpus/corpus.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe.skipIf(!hasCorpus)('full-corpus site', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'atlas-full-'));
  const api = <T>(name: string): T => JSON.parse(readFileSync(path.join(out, 'api', name), 'utf8'));

  beforeAll(() => {
    const result = spawnSync(
      process.execPath,
      [
        'scripts/atlas.mjs',
        'build',
        '--sigma',
        corpusPaths.sigma,
        '--atomics',
        corpusPaths.atomics,
        '--attack',
        corpusPaths.attack,
        '--attack-version',
        '18.1',
        '--payloads',
        corpusPaths.payloads,
        '--out',
        out,
      ],
      { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    console.log(result.stdout);
    if (result.status !== 0) throw new Error(`atlas build failed (${result.status}):\n${result.stderr}`);
  });

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('a page for every rule, technique, tactic, test and indicator in api/', () => {
    const urls = [
      ...api<{ url: string }[]>('rules.json'),
      ...api<{ url: string }[]>('techniques.json'),
      ...api<{ url: string }[]>('tactics.json'),
      ...api<{ url: string }[]>('tests.json'),
      ...api<{ url: string }[]>('indicators.json'),
    ].map((e) => e.url);
    expect(urls.length).toBeGreaterThan(40_000);
    const missing = urls.filter((url) => !fileForPath(url.split('#')[0]).some((f) => existsSync(path.join(out, f))));
    expect(missing.slice(0, 20)).toEqual([]);
  });

  test('an honest ATT&CK model: no two tactics share an id, the footer names ATT&CK v18.1', () => {
    const ids = api<{ externalId?: string }[]>('tactics.json').flatMap((t) => (t.externalId ? [t.externalId] : []));
    expect(ids.length).toBe(new Set(ids).size);
    expect(api<{ attack: { name: string; version: string } }>('provenance.json').attack).toMatchObject({ name: 'Enterprise ATT&CK', version: '18.1' });
    const home = readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(home).toContain('Enterprise ATT&amp;CK v18.1');
    const stealth = readFileSync(path.join(out, 'tactics/stealth/index.html'), 'utf8');
    expect(stealth).toContain('not in ATT&amp;CK v18.1 (the bundle used)');
  });

  test('no page is over 200 KB of HTML', () => {
    const sizes: Array<[string, number]> = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.html')) sizes.push([path.relative(out, full), statSync(full).size]);
      }
    };
    walk(out);
    sizes.sort((a, b) => b[1] - a[1]);
    console.log(
      `largest pages: ${sizes
        .slice(0, 5)
        .map(([f, n]) => `${f} ${Math.round(n / 1024)} KiB`)
        .join(', ')}`,
    );
    expect(sizes.length).toBeGreaterThan(10_000);
    expect(sizes.filter(([, n]) => n > 200_000)).toEqual([]);
  });

  test('no broken internal links', async () => {
    const report = await checkLinks(out);
    console.log(`link check: ${report.pages} pages, ${report.internal} internal links, ${report.external} external`);
    expect(report.pages).toBeGreaterThan(10_000);
    expect(report.broken.slice(0, 20)).toEqual([]);
  });

  test('every link both ways: each rule ↔ test, rule ↔ technique, test ↔ technique and indicator ↔ rule pair on both pages', async () => {
    const report = await checkBothWays(out);
    console.log(`both ways: ${JSON.stringify(report.pairs)} pairs, ${report.oneWay.length} listed on one page only`);
    expect(report.pairs['rule-test']).toBeGreaterThan(50_000);
    expect(report.oneWay.slice(0, 20)).toEqual([]);
  });

  test('no technique-level link between a Windows, Linux or macOS rule and a test of another platform outside the "other platform" group', () => {
    const rules = new Map(api<{ slug: string; logsource: { product?: string } }[]>('rules.json').map((r) => [r.slug, r.logsource.product]));
    const tests = new Map(api<{ guid: string; platforms: string[] }[]>('tests.json').map((t) => [t.guid, t.platforms.map((p) => p.trim().toLowerCase())]));
    const links = api<{ tests: { rule: string; test: string; tier: number }[] }>('links.json').tests;
    const sees: Record<string, string[]> = { windows: ['windows'], linux: ['linux', 'containers'], macos: ['macos'] };
    const across = links.filter((l) => {
      const can = sees[rules.get(l.rule) ?? ''];
      return can && (l.tier === 4 || l.tier === 5) && !tests.get(l.test)!.some((p) => can.includes(p));
    });
    expect(across.slice(0, 20)).toEqual([]);
    expect(links.filter((l) => l.tier === 6).length).toBeGreaterThan(0);
  });

  describe.skipIf(!hasChromium() && process.env.CI !== 'true')('in the browser', () => {
    let server: StaticServer;
    let browser: Browser;
    beforeAll(async () => {
      server = await serveStatic(out);
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    test('the search box of a rule page finds the rule by its indicator', async () => {
      const rule = api<{ url: string; title: string; path: string }[]>('rules.json').find(
        (r) => r.path === 'rules/windows/process_creation/proc_creation_win_net_share_unmount.yml',
      )!;
      const page = await browser.newPage();
      await page.goto(server.url + rule.url);
      await page.fill('#site-search', 'net.exe share /delete');
      await page.press('#site-search', 'Enter');
      await page.waitForURL(/\/search\/\?q=/);
      const results = page.locator('.pagefind-ui__result-link');
      await results.first().waitFor({ timeout: 30_000 });
      const hrefs = await results.evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
      expect(hrefs).toContain(rule.url);
    });

    test.each([
      ['rundll32', 'Rundll32 execute JavaScript Remote Payload With GetObject'],
      ['-enc', 'ATHPowerShellCommandLineParameter -EncodedCommand parameter variations with encoded arguments'],
      ['vssadmin delete shadows', 'Windows - Delete Volume Shadow Copies'],
    ])('search finds the Atomic tests whose commands contain %j', async (query, name) => {
      const tests = api<{ name: string; url: string }[]>('tests.json');
      const expected = tests.find((t) => t.name === name)!.url;
      const page = await browser.newPage();
      await page.goto(`${server.url}/search/`);
      // A string, so that the test runner leaves the page's dynamic import alone.
      const urls = (await page.evaluate(`(async () => {
        const pagefind = await import('/pagefind/pagefind.js');
        const found = await pagefind.search(${JSON.stringify(query)}, { filters: { kind: 'atomic test' } });
        return Promise.all(found.results.map(async (r) => (await r.data()).url));
      })()`)) as string[];
      expect(urls).toContain(expected);
    });

    /** Result links of the search page opened at `query` (a URL query string), once they stop arriving. */
    async function searchPage(query: string): Promise<{ page: import('playwright-core').Page; hrefs: string[] }> {
      const page = await browser.newPage();
      await page.goto(`${server.url}/search/?${query}`);
      const links = page.locator('.pagefind-ui__result-link');
      await links.first().waitFor({ timeout: 30_000 });
      let count = -1;
      while (count !== (await links.count())) {
        count = await links.count();
        await page.waitForTimeout(400);
      }
      const hrefs = await links.evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
      return { page, hrefs };
    }

    test('a hash taken from a rule finds that rule', async () => {
      const rule = api<{ url: string; path: string }[]>('rules.json').find((r) => r.path === 'rules/windows/driver_load/driver_load_win_vuln_drivers.yml')!;
      const source = readFileSync(path.join(corpusPaths.sigma, rule.path), 'utf8');
      // One far down the list (the page prints only the first hundred values), in no other rule.
      const hashes = [...source.matchAll(/MD5=([0-9a-f]{32})/g)].map((m) => m[1]!);
      expect(hashes.length).toBeGreaterThan(1000);
      const hash = hashes[Math.floor(hashes.length * 0.8)]!;
      for (const query of [hash, `MD5=${hash}`]) {
        const { page, hrefs } = await searchPage(`q=${encodeURIComponent(query)}`);
        expect(hrefs[0]).toBe(rule.url);
        await page.close();
      }
    });

    test('a technique id finds its technique page first', async () => {
      const { page, hrefs } = await searchPage('q=T1003.001');
      expect(hrefs[0]).toBe('/techniques/T1003.001/');
      await page.close();
    });

    test.each([
      ['mimikatz', /mimikatz/i],
      ['rundll32', /rundll32/i],
    ])('%j finds a rule about it in the top 5', async (query, about) => {
      const { page, hrefs } = await searchPage(`q=${query}`);
      const rules = api<{ url: string; title: string }[]>('rules.json');
      const top = hrefs
        .slice(0, 5)
        .map((href) => rules.find((r) => r.url === href))
        .filter((r) => r !== undefined);
      expect(top.map((r) => r.title).filter((t) => about.test(t)).length).toBeGreaterThan(0);
      await page.close();
    });

    test('results show their kind, and level and status for rules', async () => {
      const { page } = await searchPage('q=mimikatz&kind=rule');
      const tags = await page.locator('.pagefind-ui__result').first().locator('.pagefind-ui__result-tag').allTextContents();
      expect(tags.join(' | ')).toMatch(/kind: rule/i);
      expect(tags.join(' | ')).toMatch(/level: \w+/i);
      expect(tags.join(' | ')).toMatch(/status: \w+/i);
      await page.close();
    });

    test('the query and filters are restored from the URL and written back to it', async () => {
      const { page, hrefs } = await searchPage('q=lsass&kind=rule&technique=T1003.001');
      expect(await page.locator('.pagefind-ui__search-input').inputValue()).toBe('lsass');
      expect(await page.locator('.pagefind-ui__filter-checkbox[name="kind"][value="rule"]').isChecked()).toBe(true);
      expect(hrefs.length).toBeGreaterThan(0);
      expect(hrefs.every((h) => h.startsWith('/rules/'))).toBe(true);
      await page.fill('.pagefind-ui__search-input', 'procdump');
      await page.waitForFunction(() => location.search.includes('q=procdump'));
      const params = new URL(page.url()).searchParams;
      expect(params.getAll('kind')).toEqual(['rule']);
      expect(params.getAll('technique')).toEqual(['T1003.001']);
      await page.close();
    });
  });
});
