/**
 * Identities that try to leave their folder or take another's place: rule ids, test guids,
 * technique and tactic ids, file names. Every URL the catalog hands out and every file
 * `writeApi` writes must stay a plain segment inside the output folder, one owner each.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeApi } from '../../src/lib/catalog/write.ts';
import { analyzeTrust } from '../../src/lib/trust/analyze.ts';
import { writeTrustApi } from '../../src/lib/trust/api.ts';
import { removeCorpora } from './corpus.ts';
import { BOUND_MS, filesUnder, hostileCatalog, type HostileRun } from './run.ts';

const SEGMENT = /^[a-z0-9][a-z0-9._-]{0,127}$/;

let run: HostileRun;
let out: string;
let written: number;
let before: string[];

beforeAll(async () => {
  run = await hostileCatalog();
  // Deep inside the temporary root, so `../../x` escaping the output folder lands where we look.
  out = path.join(run.corpus.root, 'a', 'b', 'c', 'out');
  mkdirSync(out, { recursive: true });
  before = filesUnder(run.corpus.root);
  written = (await writeApi(run.catalog, out)) + (await writeTrustApi(analyzeTrust(run.catalog), path.join(out, 'api'))).length;
}, BOUND_MS);

afterAll(removeCorpora);

/** The path of a catalog URL, checked: `/<kind>/<segment>/`, the segment plain. */
function segmentOf(url: string, kind: string): string {
  const match = new RegExp(`^/${kind}/([^/#?]+)/(#i-[0-9a-f]{16})?$`).exec(url);
  expect(match, url).not.toBeNull();
  return match![1]!;
}

describe('URLs in the catalog', { timeout: BOUND_MS }, () => {
  test('rule URLs are plain, unique segments', () => {
    const segments = run.catalog.rules.map((r) => segmentOf(r.url, 'rules'));
    for (const s of segments) expect(s, s).toMatch(SEGMENT);
    expect(segments.filter((s) => s.includes('..') || s === 'index.html')).toEqual([]);
    expect(new Set(segments).size).toBe(segments.length);
    expect(run.catalog.rules.every((r) => r.url === `/rules/${r.slug}/`)).toBe(true);
  });

  test('test URLs are plain, unique segments', () => {
    const segments = run.catalog.tests.map((t) => segmentOf(t.url, 'tests'));
    for (const s of segments) expect(s, s).toMatch(SEGMENT);
    expect(new Set(segments).size).toBe(segments.length);
  });

  test('technique and tactic URLs carry only well-formed ids', () => {
    for (const t of run.catalog.techniques) expect(segmentOf(t.url, 'techniques')).toMatch(/^T\d{4}(\.\d{3})?$/);
    for (const t of run.catalog.tactics) expect(segmentOf(t.url, 'tactics')).toMatch(/^[a-z]+(-[a-z]+)*$/);
    const ids = run.catalog.techniques.map((t) => t.id.toLowerCase());
    expect(new Set(ids).size).toBe(ids.length); // no two techniques differ only by case
  });

  test('indicator URLs are hashes or a field page (or a numbered slice of it) with an anchor', () => {
    const urls = [...run.catalog.indicators.map((i) => i.url), ...run.catalog.rules.flatMap((r) => r.indicators.map((i) => i.url))];
    for (const url of urls) {
      if (url.startsWith('/indicators/fields/'))
        expect(url).toMatch(/^\/indicators\/fields\/(-keywords|[a-z0-9][a-z0-9._-]*)\/([1-9][0-9]*\/)?#i-[0-9a-f]{16}$/);
      else expect(segmentOf(url, 'indicators')).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  test('every link between entities points at an entity that exists', () => {
    const rules = new Set(run.catalog.rules.map((r) => r.slug));
    const tests = new Set(run.catalog.tests.map((t) => t.guid));
    const techniques = new Set(run.catalog.techniques.map((t) => t.id));
    const tactics = new Set(run.catalog.tactics.map((t) => t.id));
    for (const r of run.catalog.rules) {
      for (const rel of [...r.related, ...r.relatedFrom]) if (rel.slug) expect(rules.has(rel.slug), rel.slug).toBe(true);
      for (const id of r.techniques) expect(techniques.has(id), id).toBe(true);
      for (const id of r.tactics) expect(tactics.has(id), id).toBe(true);
      for (const guid of r.tests) expect(tests.has(guid), guid).toBe(true);
    }
    for (const t of run.catalog.techniques) for (const slug of t.rules) expect(rules.has(slug)).toBe(true);
  });
});

describe('collisions', { timeout: BOUND_MS }, () => {
  const byPath = (file: string) => run.catalog.rules.find((r) => r.path === file)!;

  test('a duplicate id keeps both rules, each reachable under its own slug', () => {
    const a = byPath('ids/dup-a.yml');
    const b = byPath('ids/dup-b.yml');
    expect(a.id).toBe(b.id);
    expect(a.slug).not.toBe(b.slug);
    expect([a.title, b.title].sort()).toEqual(['Duplicate A', 'Duplicate B']);
  });

  test("ids 'ABC' and 'abc' get distinct slugs; so do ids and file names that slug alike", () => {
    expect(byPath('ids/case-upper.yml').slug).not.toBe(byPath('ids/case-lower.yml').slug);
    const slugs = [
      'ids/slug-collision-a.yml',
      'ids/slug-collision-b.yml',
      'ids/slug-collision-c.yml',
      'ids/slug-suffix.yml',
      'names/a b.yml',
      'names/a-b.yml',
    ].map((f) => byPath(f).slug);
    expect(new Set(slugs).size).toBe(slugs.length);
  });

  test("an id named like the index page ('index.html') or a Windows device ('con') does not take that name", () => {
    expect(byPath('ids/traversal-14.yml').slug).not.toBe('index.html');
    expect(byPath('ids/traversal-13.yml').slug).not.toBe('con');
  });

  test('test guids that differ only by case, or slug alike, get distinct pages', () => {
    const urls = run.catalog.tests.map((t) => t.url);
    expect(new Set(urls).size).toBe(urls.length);
    expect(run.catalog.tests.filter((t) => t.guid.toLowerCase() === 'abcdefab-1111-4111-8111-111111111111')).toHaveLength(2);
  });
});

describe('files written by writeApi', { timeout: BOUND_MS }, () => {
  test('nothing is written outside the output folder', () => {
    const after = filesUnder(run.corpus.root);
    const added = after.filter((f) => !before.includes(f));
    const outside = added.filter((f) => !path.resolve(run.corpus.root, f).startsWith(path.join(out, 'api') + path.sep));
    expect(outside).toEqual([]);
  });

  test('no file overwrites another: one file per rule, per test and per list', () => {
    const files = filesUnder(path.join(out, 'api'));
    expect(files).toHaveLength(written);
    expect(files.filter((f) => f.startsWith(`rules${path.sep}`))).toHaveLength(run.catalog.rules.length);
    expect(files.filter((f) => f.startsWith(`tests${path.sep}`))).toHaveLength(run.catalog.tests.length);
    for (const f of files) expect(path.basename(f), f).toMatch(/^[a-z0-9][a-z0-9._-]*\.json$/);
  });

  test("each rule's and test's file is named by the slug its url is built from", () => {
    const files = filesUnder(path.join(out, 'api'));
    const named = [...run.catalog.rules.map((r) => ['rules', r.slug, r.url]), ...run.catalog.tests.map((t) => ['tests', t.slug, t.url])];
    for (const [folder, slug, url] of named) {
      expect(files).toContain(path.join(folder, `${slug}.json`));
      expect(url).toBe(`/${folder}/${slug}/`);
    }
  });
});
