/**
 * Search in a real browser: open a rule page of the fixture site, type an indicator into the
 * header search box, and find the rule among the Pagefind results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { fixtureSite } from '../site/fixture-site.ts';
import { hasChromium, launchChromium } from './chromium.ts';
import { serveStatic, type StaticServer } from './serve.ts';

const RULE = '/rules/1c67a717-32ba-409b-a45d-0fb704a73a81/';
const RULE_TITLE = 'System Network Connections Discovery Via Net.EXE';

describe.skipIf(!hasChromium() && !process.env.CI)('search in the browser', () => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const { dir } = await fixtureSite();
    server = await serveStatic(dir);
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function searchFromRulePage(query: string): Promise<string[]> {
    await page.goto(server.url + RULE);
    await page.fill('#site-search', query);
    await page.press('#site-search', 'Enter');
    await page.waitForURL(/\/search\/\?q=/);
    const results = page.locator('.pagefind-ui__result-link');
    await results.first().waitFor({ timeout: 15_000 });
    return results.allTextContents();
  }

  it('search works under the Content-Security-Policy without violations', async () => {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const titles = await searchFromRulePage('net1.exe');
    expect(titles).toContain(RULE_TITLE);
    expect(violations).toEqual([]);
  });

  it('finds the rule by an indicator typed into the search box of a rule page', async () => {
    const titles = await searchFromRulePage('net1.exe');
    expect(titles).toContain(`${RULE_TITLE}`);
  });

  it.each(['net.exe', '\\net1.exe', ' sessions', 'T1049', '1c67a717-32ba-409b-a45d-0fb704a73a81'])('finds the rule for %j', async (query) => {
    const titles = await searchFromRulePage(query);
    expect(titles).toContain(RULE_TITLE);
  });

  it.each([
    ['-enc', 'Suspicious Encoded PowerShell Command Line'],
    ['a5b3c2d1-0e9f-4a8b-9c7d-6e5f4a3b2c1d', 'Run Encoded Command (T1059.001 #2)'],
    ['T1049', 'T1049 System Network Connections Discovery'],
  ])('finds %j', async (query, title) => {
    const titles = await searchFromRulePage(query);
    expect(titles).toContain(title);
  });
});
