/**
 * The full corpus as CI sees it: build the whole site from ../shared/corpus with the real `atlas`
 * command, then check that every entity in api/ has its page, that no internal link is broken,
 * and that search in a real browser finds a rule by an indicator.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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
      ['scripts/atlas.mjs', 'build', '--sigma', corpusPaths.sigma, '--atomics', corpusPaths.atomics, '--attack', corpusPaths.attack, '--payloads', corpusPaths.payloads, '--out', out],
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

  test('no broken internal links', async () => {
    const report = await checkLinks(out);
    console.log(`link check: ${report.pages} pages, ${report.internal} internal links, ${report.external} external`);
    expect(report.pages).toBeGreaterThan(10_000);
    expect(report.broken.slice(0, 20)).toEqual([]);
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
      const rule = api<{ url: string; title: string; path: string }[]>('rules.json').find((r) => r.path === 'rules/windows/process_creation/proc_creation_win_net_share_unmount.yml')!;
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
  });
});
