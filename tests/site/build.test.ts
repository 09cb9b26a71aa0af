/** Builds the fixture site once and checks the pages as a reader and a link checker would. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { fixtureCatalog, fixtureSite } from './fixture-site.ts';

const catalog = JSON.parse(readFileSync(fixtureCatalog, 'utf8')) as Catalog;
let dir = '';

function page(url: string): string {
  return readFileSync(path.join(dir, url.split('#')[0]!, 'index.html'), 'utf8');
}

function htmlFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  dir = (await fixtureSite()).dir;
});

describe('scripts/site.ts', () => {
  it('exports buildSite and the project root only', async () => {
    expect(Object.keys(await import('../../scripts/site.ts')).sort()).toEqual(['buildSite', 'projectRoot']);
  });
});

describe('fixture site', () => {
  it('has a page at the url of every rule, technique, tactic, test and shared indicator', () => {
    const urls = [
      ...catalog.rules.map((r) => r.url),
      ...catalog.techniques.map((t) => t.url),
      ...catalog.tactics.map((t) => t.url),
      ...catalog.tests.map((t) => t.url),
      ...catalog.indicators.map((i) => i.url),
    ];
    const missing = urls.filter((u) => !existsSync(path.join(dir, u.split('#')[0]!, 'index.html')));
    expect(missing).toEqual([]);
  });

  it('reports the pages it wrote: every HTML file of the site but the search bundle, redirect pages included', () => {
    const result = JSON.parse(readFileSync(path.join(dir, '..', 'site-result.json'), 'utf8')) as { pages: number; indexedPages: number };
    const html = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html') && !f.startsWith(`pagefind${path.sep}`));
    const redirects = html.filter((f) => readFileSync(path.join(dir, f), 'utf8').includes('http-equiv="refresh"'));
    expect(redirects.length).toBeGreaterThan(0);
    expect(result.pages).toBe(html.length);
    expect(result.indexedPages).toBeGreaterThan(0);
  });

  it('keeps what else the output directory holds (api/, the catalog file)', () => {
    expect(existsSync(path.join(dir, 'api/catalog.json'))).toBe(true);
  });

  it('has the indexes, search, diagnostics and a 404 page', () => {
    for (const url of [
      '/',
      '/rules/',
      '/rules/by/date/',
      '/rules/by/level/',
      '/rules/by/level/high/',
      '/techniques/',
      '/tests/',
      '/tests/platform/windows/',
      '/tests/executor/powershell/',
      '/logsources/',
      '/indicators/',
      '/indicators/fields/commandline/',
      '/indicators/fields/-keywords/',
      '/tags/',
      '/tags/cve.2021-1234/',
      '/search/',
      '/diagnostics/',
    ]) {
      expect(existsSync(path.join(dir, url, 'index.html')), url).toBe(true);
    }
    expect(readFileSync(path.join(dir, '404.html'), 'utf8')).toContain('Page not found');
    expect(existsSync(path.join(dir, 'pagefind/pagefind-ui.js'))).toBe(true);
  });

  it('renders a rule page with coverage, stages, indicators and resolved Atomic references', () => {
    const html = page('/rules/1c67a717-32ba-409b-a45d-0fb704a73a81/');
    expect(html).toContain('<h1>System Network Connections Discovery Via Net.EXE</h1>');
    expect(html).toContain('href="/techniques/T1049/">T1049 System Network Connections Discovery</a>');
    expect(html).toContain('→ Atomic test: <a href="/tests/0940a971-809a-48f1-9c4d-b1d785e96ee5/">T1049 #1 System Network Connections Discovery</a>');
    expect(html).toContain('unique to this rule');
    expect(html).toContain('<span class="op">ALL OF</span>');
    expect(html).toMatch(
      /<span class="field">Image<\/span>\s*<span>ends with<\/span>\s*<span class="op">ANY OF<\/span>\s*<span class="vals"><code>&#39;\\net.exe&#39;<\/code><code>&#39;\\net1.exe&#39;<\/code>/,
    );
    expect(html).toContain('Sysmon');
    expect(html).toContain('4688');
    expect(html).toContain('view source');
    expect(html).toContain('data-pagefind-filter="kind:rule"');
    expect(html).toContain('data-pagefind-filter="tactic:Discovery"');
  });

  it('escapes rule text and links only safe references', () => {
    // Attribute values (the meta description) may hold a literal `<`: inert inside quotes.
    const html = page('/rules/1c67a717-32ba-409b-a45d-0fb704a73a81/');
    expect(html.replace(/\s[a-z-]+="[^"]*"/g, '')).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('javascript:alert(&#39;ref&#39;) <span class="muted small">(not a web link)</span>');
  });

  it('marks deprecated and unsupported rules and keeps both rules of a duplicate id', () => {
    expect(page('/rules/e2b1c7a0-3f4d-4e5a-9b8c-7d6e5f4a3b21/')).toContain('This rule is <strong>deprecated</strong>');
    expect(page('/rules/unsupported-lnx-shell-history-cleared/')).toContain('This rule is <strong>unsupported</strong>');
    expect(page('/rules/d0d0d0d0-1111-4222-8333-444455556666-lsass-access/')).toContain('LSASS Memory Access');
    expect(page('/rules/d0d0d0d0-1111-4222-8333-444455556666-mimikatz-keywords/')).toContain('Mimikatz Keywords');
  });

  it('sanitizes technique markdown and shows citations', () => {
    const html = page('/techniques/T1003.001/');
    expect(html).not.toMatch(/<script>alert|onerror|href="javascript:/);
    expect(html).toContain('<a href="#d-cite-1">[1]</a>');
    expect(html).toContain('<li id="d-cite-1">Microsoft Security Subsystem</li>');
    expect(page('/techniques/T1003/')).toContain('<a href="/techniques/T1003.001/">LSASS Memory</a>');
  });

  it('renders a test page with coverage marker, commands and arguments', () => {
    const html = page('/tests/a5b3c2d1-0e9f-4a8b-9c7d-6e5f4a3b2c1d/');
    expect(html).toContain('Covered: 1 active rule references this test explicitly.');
    expect(html).toContain('powershell.exe -enc JABzAD0AJwBoAGkAJwA=');
    expect(html).toContain('Output &lt;file&gt;');
    expect(page('/tests/bcf05343-ef1d-4052-8a27-b00c9be42b9f/')).toContain('Not referenced by any rule');
  });

  it('lists indicators with their rules', () => {
    const shared = catalog.indicators.find((i) => i.value === '\\net.exe')!;
    expect(page(shared.url)).toContain('Net.EXE Execution (Old Version)');
    const single = catalog.indicators.find((i) => i.value === '\\net1.exe')!;
    expect(page(single.url)).toContain(`id="i-${single.id}"`);
  });

  it('downloads page links the exports and the API; the changes page lists the change list', () => {
    const downloads = page('/downloads/');
    for (const file of ['navigator-rules.json', 'navigator-tests.json', 'rules.csv', 'catalog.json.gz', 'rules.json']) {
      expect(downloads).toContain(`href="/api/${file}"`);
    }
    expect(page('/changes/')).toMatch(/<h3>Removed \(1\)<\/h3>/);
    expect(page('/')).toContain('type="application/atom+xml"');
    expect(page('/')).toContain('href="/downloads/"');
  });

  it('home page shows counts and the matrix', () => {
    const html = page('/');
    expect(html).toContain('ATT&CK matrix');
    expect(html).toMatch(/class="s1 p0 t">\s*<a href="\/techniques\/T1049\/">/);
    expect(html).toContain('id="matrix-predicted"');
  });

  it('keeps pages small and loads nothing from the network', () => {
    for (const file of htmlFiles(dir)) {
      const html = readFileSync(file, 'utf8');
      expect(html, file).not.toMatch(/<(script|link|img)[^>]+(src|href)="(https?:)?\/\//);
      if (file.includes(`${path.sep}rules${path.sep}`)) expect(statSync(file).size, file).toBeLessThan(50_000);
    }
  });

  it('gives Pagefind every page that carries data-pagefind-body, once, and no other', () => {
    const indexed = htmlFiles(dir)
      .filter((file) => readFileSync(file, 'utf8').includes('data-pagefind-body'))
      .map((file) => `/${path.relative(dir, path.dirname(file)).split(path.sep).join('/')}/`)
      .sort();
    // A fragment is the gzipped JSON of one indexed page, after Pagefind's signature.
    const fragments = path.join(dir, 'pagefind', 'fragment');
    const urls = readdirSync(fragments)
      .map(
        (name) =>
          JSON.parse(
            gunzipSync(readFileSync(path.join(fragments, name)))
              .toString('utf8')
              .slice('pagefind_dcd'.length),
          ) as { url: string },
      )
      .map((fragment) => fragment.url)
      .sort();
    expect(indexed.length).toBeGreaterThan(20);
    expect(indexed.some((url) => url.startsWith('/rules/'))).toBe(true);
    expect(urls).toEqual(indexed);
  });

  it("indexes a page's own text, not the explanations printed alike on thousands of pages", () => {
    const fragments = path.join(dir, 'pagefind', 'fragment');
    const contents = readdirSync(fragments).map(
      (name) =>
        JSON.parse(
          gunzipSync(readFileSync(path.join(fragments, name)))
            .toString('utf8')
            .slice('pagefind_dcd'.length),
        ) as { url: string; content: string },
    );
    const BOILERPLATE = [
      'Confidence, strongest first',
      'Predicted by static evaluation',
      'Predicted detections derive events',
      'Predicted detections cannot derive events',
    ];
    for (const phrase of BOILERPLATE) {
      // Printed on the pages (rule pages, test pages with predictions), never in what search indexes.
      expect(
        htmlFiles(dir).some((file) => readFileSync(file, 'utf8').includes(phrase)),
        phrase,
      ).toBe(true);
      expect(
        contents.filter((f) => f.content.includes(phrase)).map((f) => f.url),
        phrase,
      ).toEqual([]);
    }
    const rule = contents.find((f) => f.url.startsWith('/rules/') && f.content.includes('Event coverage'))!;
    expect(rule.content).toContain('Atomic tests');
  });

  it('has no broken internal links', () => {
    const broken: string[] = [];
    for (const file of htmlFiles(dir)) {
      const html = readFileSync(file, 'utf8');
      const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
      for (const [, href] of html.matchAll(/\shref="([^"]+)"/g)) {
        if (/^(https?:|mailto:)/.test(href!)) continue;
        const [target, anchor] = href!.split('#');
        if (!target) {
          if (anchor && !ids.has(anchor)) broken.push(`${path.relative(dir, file)} → #${anchor}`);
          continue;
        }
        const resolved = path.join(dir, decodeURIComponent(target!));
        const exists = target!.endsWith('/') ? existsSync(path.join(resolved, 'index.html')) : existsSync(resolved);
        if (!exists) broken.push(`${path.relative(dir, file)} → ${href}`);
        else if (anchor && target!.endsWith('/') && !readFileSync(path.join(resolved, 'index.html'), 'utf8').includes(`id="${anchor}"`)) {
          broken.push(`${path.relative(dir, file)} → ${href}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('values with significant spaces', () => {
  it("shows ' use' quoted and named on the rule page and the field's indicator page", () => {
    for (const url of ['/rules/1c67a717-32ba-409b-a45d-0fb704a73a81/', '/indicators/fields/commandline/']) {
      const html = page(url);
      expect(html).toMatch(
        /<code class="val edge-space"[^>]* title="starts with a space"[^>]*>&#39; use&#39;<\/code><span class="sr-only"> \(value starts with a space\)<\/span>/,
      );
      expect(html).not.toMatch(/<code class="val"[^>]*> use<\/code>/);
    }
  });
});
