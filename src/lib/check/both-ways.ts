/**
 * Both-ways check over a built site: whatever `api/` says links two entities, both pages say it
 * too, at every tier. rule ↔ test and rule ↔ technique from api/links.json, test ↔ technique
 * from api/tests.json, indicator ↔ rule from api/indicators.json. A pair counts as listed when
 * the page holds a link to the other entity's page (folded lists included: `<details>` is in the HTML).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileForPath } from './links.ts';

export interface OneWay {
  kind: 'rule-test' | 'rule-technique' | 'test-technique' | 'indicator-rule';
  /** The page that lacks the link. */
  page: string;
  /** The page it should link to. */
  missing: string;
  tier?: number;
}

export interface BothWaysReport {
  pairs: Record<OneWay['kind'], number>;
  oneWay: OneWay[];
}

const HREF = /\shref="([^"#]*)(?:#[^"]*)?"/g;

interface Api {
  links: { tests: Array<{ rule: string; test: string; tier: number }>; techniques: Array<{ rule: string; technique: string; tier: number }> };
  rules: Array<{ slug: string; url: string }>;
  tests: Array<{ guid: string; technique: string; url: string }>;
  techniques: Array<{ id: string; url: string }>;
  indicators: Array<{ url: string; rules: string[] }>;
}

export async function checkBothWays(outDir: string): Promise<BothWaysReport> {
  const read = async (name: string) => JSON.parse(await readFile(path.join(outDir, 'api', name), 'utf8'));
  const api: Api = {
    links: await read('links.json'),
    rules: await read('rules.json'),
    tests: await read('tests.json'),
    techniques: await read('techniques.json'),
    indicators: await read('indicators.json'),
  };
  const hrefCache = new Map<string, Set<string>>();
  const hrefsOf = async (url: string): Promise<Set<string>> => {
    const page = url.split('#')[0]!;
    let set = hrefCache.get(page);
    if (!set) {
      let html = '';
      try {
        html = await readFile(path.join(outDir, fileForPath(page)[0]!), 'utf8');
      } catch {
        // A missing page lists nothing: every pair through it is reported.
      }
      set = new Set([...html.matchAll(HREF)].map((m) => m[1]!));
      hrefCache.set(page, set);
    }
    return set;
  };
  const ruleUrl = new Map(api.rules.map((r) => [r.slug, r.url]));
  const testUrl = new Map(api.tests.map((t) => [t.guid, t.url]));
  const techniqueUrl = new Map(api.techniques.map((t) => [t.id, t.url]));
  const oneWay: OneWay[] = [];
  const pairs: BothWaysReport['pairs'] = { 'rule-test': 0, 'rule-technique': 0, 'test-technique': 0, 'indicator-rule': 0 };
  const both = async (kind: OneWay['kind'], a: string | undefined, b: string | undefined, tier?: number, bLinks = b) => {
    if (!a || !b) return;
    pairs[kind] += 1;
    const extra = tier === undefined ? {} : { tier };
    if (!(await hrefsOf(a)).has(bLinks!.split('#')[0]!)) oneWay.push({ kind, page: a, missing: b, ...extra });
    if (!(await hrefsOf(b)).has(a.split('#')[0]!)) oneWay.push({ kind, page: b, missing: a, ...extra });
  };
  for (const l of api.links.tests) await both('rule-test', ruleUrl.get(l.rule), testUrl.get(l.test), l.tier);
  for (const l of api.links.techniques) await both('rule-technique', ruleUrl.get(l.rule), techniqueUrl.get(l.technique), l.tier);
  for (const t of api.tests) await both('test-technique', t.url, techniqueUrl.get(t.technique));
  for (const i of api.indicators) for (const slug of i.rules) await both('indicator-rule', i.url, ruleUrl.get(slug));
  return { pairs, oneWay };
}
