/**
 * In a real browser: old addresses land on the permalink (meta refresh, no JavaScript), tombstone
 * pages lead to the replacement, and search finds Atomic tests by what their commands run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { fixtureSite } from '../site/fixture-site.ts';
import { hasChromium, launchChromium } from './chromium.ts';
import { serveStatic, type StaticServer } from './serve.ts';

const NET = '1c67a717-32ba-409b-a45d-0fb704a73a81';
const NET_TITLE = 'System Network Connections Discovery Via Net.EXE';
const VSS = 'b7c6d5e4-1111-4c2d-9e8f-a0b1c2d3e4f5';
const VSS_TITLE = 'Shadow Copies Deletion Using Operating Systems Utilities';
const REMOVED = 'a1a1a1a1-2222-4333-8444-555566667777';

describe.skipIf(!hasChromium() && !process.env.CI)('tombstones, redirects and command search in the browser', () => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const { dir } = await fixtureSite();
    server = await serveStatic(dir);
    browser = await launchChromium();
    // No JavaScript at all: the redirects must work without it.
    page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function landsOn(from: string, permalink: string): Promise<string> {
    await page.goto(server.url + from);
    await page.waitForURL(server.url + permalink, { timeout: 10_000 });
    return (await page.locator('h1').textContent()) ?? '';
  }

  it.each([
    ['an old file-name URL', '/rules/file/proc_creation_win_net_use_network_connections_discovery/', `/rules/${NET}/`, NET_TITLE],
    ['the id of a rule renamed long ago', '/rules/f00dbabe-3333-4444-8555-666677778888/', `/rules/${VSS}/`, VSS_TITLE],
    [
      'the file name of a removed rule',
      '/rules/file/proc_creation_win_vssadmin_delete_shadows/',
      `/rules/${REMOVED}/`,
      'Shadow Copy Deletion Via Vssadmin (Old)',
    ],
  ])('%s lands on the permalink', async (_what, from, permalink, title) => {
    expect(await landsOn(from, permalink)).toBe(title);
  });

  it('a removed rule tombstone leads to its replacement, which lists the rules it replaced', async () => {
    await page.goto(`${server.url}/rules/${REMOVED}/`);
    await expect(page.locator('.tombstone').textContent()).resolves.toContain('no longer in the rule repository');
    await page.click(`.tombstone a[href="/rules/${VSS}/"]`);
    await page.waitForURL(`${server.url}/rules/${VSS}/`);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Replaces: Shadow Copy Deletion Via Vssadmin \(Old\)/);
  });

  it('a deprecated rule says so and leads to the rule that obsoletes it', async () => {
    await page.goto(`${server.url}/rules/e2b1c7a0-3f4d-4e5a-9b8c-7d6e5f4a3b21/`);
    await expect(page.locator('.tombstone strong').first().textContent()).resolves.toBe('deprecated');
    await page.click(`.tombstone a[href="/rules/${NET}/"]`);
    await expect(page.locator('h1').textContent()).resolves.toBe(NET_TITLE);
  });

  describe('search inside test commands', () => {
    let search: Page;
    beforeAll(async () => {
      search = await browser.newPage();
    });

    async function results(query: string): Promise<string[]> {
      await search.goto(`${server.url}/search/?q=${encodeURIComponent(query)}`);
      const links = search.locator('.pagefind-ui__result-link');
      await links.first().waitFor({ timeout: 15_000 });
      return links.allTextContents();
    }

    it.each([
      ['rundll32', 'Rundll32 execute JavaScript Remote Payload With GetObject (T1218.011 #1)'],
      ['-enc', 'Run Encoded Command (T1059.001 #2)'],
      ['vssadmin delete shadows', 'Windows - Delete Volume Shadow Copies (T1490 #1)'],
      ['shadowcopy delete', 'Windows - Delete Volume Shadow Copies via WMI (T1490 #2)'],
    ])('%j finds the test whose command contains it', async (query, title) => {
      expect(await results(query)).toContain(title);
    });
  });
});
