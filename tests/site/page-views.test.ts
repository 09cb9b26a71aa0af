/**
 * View models that used to be computed in .astro frontmatter: a test page's rule groups and
 * coverage line, a rule page's test panel, the prediction list, the technique page's notices,
 * the overview counts and the quoted value form. Real fixture catalog, edited per case.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Catalog, CatalogRule, CatalogTest } from '../../src/lib/catalog/types.ts';
import { buildModel } from '../../src/lib/site/model.ts';
import { analyzeTrust } from '../../src/lib/trust/analyze.ts';
import { overviewView } from '../../src/lib/site/overview.ts';
import { cutValue, EXPLAINED, predictionListView, VALUE_CHARS } from '../../src/lib/site/predictions.ts';
import { ruleTestsPanel } from '../../src/lib/site/rule-tests.ts';
import { predictedRules, STRONG_OPEN, testCoverage, testRulesView } from '../../src/lib/site/test-rules.ts';
import { ROWS_OPEN, testRules, type RuleRow, type TestRow } from '../../src/lib/site/trust-views.ts';
import { quotedValueView } from '../../src/lib/site/value-view.ts';
import { techniqueView } from '../../src/lib/site/views.ts';
import type { LinkBasis, Tier } from '../../src/lib/trust/confidence.ts';
import { fixtureCatalog } from './fixture-site.ts';

/** The site reads the catalog with its trust data, as the pipeline writes it. */
const withTrust = (catalog: Catalog) => ({ ...catalog, trust: analyzeTrust(catalog) });

const fixture = JSON.parse(readFileSync(fixtureCatalog, 'utf8')) as Catalog;
const fresh = (): Catalog => structuredClone(fixture);

const BASIS: Record<Tier, LinkBasis[]> = {
  1: ['observed'],
  2: ['test-reference'],
  3: ['predicted'],
  4: ['technique-reference'],
  5: ['shared-tag'],
  6: ['shared-tag'],
};
const ruleRow = (rule: CatalogRule, tier: Tier, basis = BASIS[tier]): RuleRow => ({ rule, link: { rule: rule.slug, test: 'x', tier, basis } });
const testRow = (test: CatalogTest, tier: Tier): TestRow => ({ test, link: { rule: 'r', test: test.guid, tier, basis: BASIS[tier] } });
/** A copy of a rule under another slug, so long lists can be made from the fixture's eight. */
const ruleCopy = (rule: CatalogRule, n: number): CatalogRule => ({ ...rule, slug: `${rule.slug}-${n}`, active: n % 2 === 0 });

describe('test page rules (testRulesView)', () => {
  const model = buildModel(withTrust(fresh()));
  const [a, b, c] = fixture.rules;
  const test = model.catalog.tests[0]!;

  it('shows strong links open up to twice ROWS_OPEN, folds the rest, and splits tag-only and other-platform links', () => {
    const rows = [
      ...Array.from({ length: STRONG_OPEN + 3 }, (_, i) => ruleRow(ruleCopy(a!, i), ((i % 4) + 1) as Tier)),
      ruleRow(b!, 5),
      ruleRow(ruleCopy(b!, 1), 5),
      ruleRow(c!, 6),
    ];
    const v = testRulesView(model, test, rows);
    expect(STRONG_OPEN).toBe(ROWS_OPEN * 2);
    expect(v.strongOpen.map((r) => r.slug)).toEqual(rows.slice(0, STRONG_OPEN).map((r) => r.rule.slug));
    expect(v.strongFolded.map((r) => r.slug)).toEqual(rows.slice(STRONG_OPEN, STRONG_OPEN + 3).map((r) => r.rule.slug));
    expect(v.strongTiers.size).toBe(STRONG_OPEN + 3);
    expect(v.strongTiers.get(`${a!.slug}-3`)).toBe(4);
    expect(v.tagOnly.map((r) => r.slug)).toEqual([b!.slug, `${b!.slug}-1`]);
    expect(v.otherPlatform.map((r) => r.slug)).toEqual([c!.slug]);
    expect(v.observed).toBeUndefined();
    expect(v.agreement).toBeUndefined();
  });

  it('resolves observed firings and the observed/predicted agreement to rules, keeping unknown slugs as text', () => {
    const catalog = fresh();
    const t = catalog.tests[0]!;
    t.observed = [{ rule: a!.slug, date: '2026-11-20', source: 'lab' }, { rule: 'not-in-catalog' }];
    t.predicted = [a!.slug, b!.slug];
    const m = buildModel(withTrust(catalog));
    const v = testRulesView(m, t, testRules(m, t));
    expect(v.observed).toEqual([{ slug: a!.slug, rule: m.rule(a!.slug), date: '2026-11-20', source: 'lab' }, { slug: 'not-in-catalog' }]);
    expect(v.agreement).toEqual({
      both: 1,
      observedNotPredicted: [{ slug: 'not-in-catalog' }],
      predictedNotObserved: [{ slug: b!.slug, rule: m.rule(b!.slug) }],
    });
  });

  it('an empty run record list is shown as a run where nothing fired', () => {
    const catalog = fresh();
    catalog.tests[0]!.observed = [];
    const m = buildModel(withTrust(catalog));
    const v = testRulesView(m, catalog.tests[0]!, []);
    expect(v.observed).toEqual([]);
    expect(v.agreement).toEqual({ both: 0, observedNotPredicted: [], predictedNotObserved: [] });
  });

  it('words the coverage line from the strongest tier, counting active rules at that tier', () => {
    const active = { ...a!, active: true };
    const inactive = { ...b!, active: false };
    expect(testCoverage([ruleRow(active, 1)], 1)).toEqual({ ok: true, text: 'Covered: 1 active rule was observed firing when the test really ran.' });
    expect(testCoverage([ruleRow(active, 2), ruleRow({ ...active, slug: 'x' }, 2), ruleRow(inactive, 2)], 2).text).toBe(
      'Covered: 2 active rules reference this test explicitly.',
    );
    expect(testCoverage([ruleRow(active, 6)], 6)).toEqual({
      ok: false,
      text: 'No rule for its platform: 1 active rule of the same technique watches other platforms only.',
    });
    expect(testCoverage([ruleRow(active, 5), ruleRow({ ...active, slug: 'y' }, 5)], 5).text).toBe(
      'Not referenced by any rule; 2 active rules only share its ATT&CK tag.',
    );
    expect(testCoverage([], undefined)).toEqual({ ok: false, text: expect.stringMatching(/^No rule covers this test/) });
  });

  it('lists the rules whose link rests on a prediction', () => {
    // Tier 1 also predicted: still listed; tier 3 without a prediction basis is not.
    const rows = [ruleRow(a!, 1, ['observed', 'predicted']), ruleRow(b!, 2), ruleRow(c!, 3, ['shared-tag'])];
    expect([...predictedRules(rows).keys()]).toEqual([a!.slug]);
  });
});

describe('rule page tests (ruleTestsPanel)', () => {
  const catalog = fresh();
  const rule = catalog.rules[0]!;
  const [t1, t2, t3] = catalog.tests;
  t1!.observed = [{ rule: 'someone-else' }, { rule: rule.slug, date: '2026-11-20', source: 'lab' }];
  const model = buildModel(withTrust(catalog));

  it('opens the first rows with the run record of tier-1 ones and folds the rest per tier, in order of first appearance', () => {
    const rows = [testRow(t1!, 1), ...Array.from({ length: ROWS_OPEN - 1 }, () => testRow(t2!, 2)), testRow(t3!, 3), testRow(t2!, 2), testRow(t3!, 3)];
    const p = ruleTestsPanel(model, rule, { rows, techniques: [], otherPlatform: [] });
    expect(p.open).toHaveLength(ROWS_OPEN);
    expect(p.open[0]!.seen).toEqual({ rule: rule.slug, date: '2026-11-20', source: 'lab' });
    expect(p.open.slice(1).every((r) => r.seen === undefined)).toBe(true);
    expect(p.foldedByTier.map((g) => [g.tier, g.rows.length])).toEqual([
      [3, 2],
      [2, 1],
    ]);
    expect(p.empty).toBe(false);
  });

  it('links technique groups to the technique page when the catalog has it, and counts other-platform tests', () => {
    const p = ruleTestsPanel(model, rule, {
      rows: [],
      techniques: [
        { tier: 4, technique: 'T1049', tests: [t1!, t2!] },
        { tier: 5, technique: 'T9999', tests: [t3!] },
      ],
      otherPlatform: [
        { tier: 6, technique: 'T1049', tests: [t2!] },
        { tier: 6, technique: 'T1490', tests: [t1!, t3!] },
      ],
    });
    expect(p.techniques.map((g) => g.href)).toEqual(['/techniques/T1049/#tests', undefined]);
    expect(p.otherPlatformTests).toBe(3);
    expect(ruleTestsPanel(model, rule, { rows: [], techniques: [], otherPlatform: [] }).empty).toBe(true);
  });
});

describe('prediction list (predictionListView)', () => {
  const catalog = fresh();
  const test = catalog.tests.find((t) => t.predictions?.length)!;
  const rules = new Map(catalog.rules.map((r) => [r.slug, r]));

  it('explains a prediction: event source, identifiers, matched values and non-empty event fields', () => {
    const p = structuredClone(test.predictions![0]!);
    p.event.fields = { ...p.event.fields, Empty: '', Missing: undefined, Long: 'A'.repeat(VALUE_CHARS + 1) };
    p.explanation.identifiers.push({ name: 'filter', value: null }, { name: 'other', value: false });
    p.explanation.matches.push({ identifier: 'filter', field: null, modifiers: [], matches: [{ value: 'x', field: 'CommandLine' }] } as never);
    const [v] = predictionListView({ ...test, predictions: [p] }, rules).explained;
    expect(v).toMatchObject({
      slug: p.rule,
      rule: rules.get(p.rule),
      source: 'windows/process_creation',
      condition: 'selection',
      identifiers: [
        { name: 'selection', state: 'true' },
        { name: 'filter', state: 'unknown' },
        { name: 'other', state: 'false' },
      ],
      matches: [
        {
          identifier: 'selection',
          field: 'CommandLine',
          modifiers: ['contains', 'all'],
          value: 'shadow',
          event: { field: 'CommandLine', value: 'vssadmin.exe delete shadows /all /quiet' },
        },
        { identifier: 'filter', field: 'keyword', modifiers: [], value: 'x' },
      ],
    });
    expect(v!.matches[1]!.event).toBeUndefined();
    expect(v!.fields.map(([k]) => k)).toEqual(['Image', 'CommandLine', 'Long']);
    expect(v!.fields[2]![1]).toBe(`${'A'.repeat(VALUE_CHARS)}… (${VALUE_CHARS + 1} characters)`);
  });

  it('explains the first EXPLAINED predictions and lists the rest by rule, unknown rules by slug', () => {
    const predictions = Array.from({ length: EXPLAINED + 2 }, (_, i) => ({
      ...test.predictions![0]!,
      rule: i === EXPLAINED + 1 ? 'gone' : test.predictions![0]!.rule,
    }));
    const v = predictionListView({ ...test, predictions }, rules);
    expect(v.explained).toHaveLength(EXPLAINED);
    expect(v.rest).toEqual([{ slug: test.predictions![0]!.rule, rule: rules.get(test.predictions![0]!.rule) }, { slug: 'gone' }]);
  });

  it('cuts only values longer than the limit, around the match when it is past the start', () => {
    expect(cutValue('a'.repeat(VALUE_CHARS))).toBe('a'.repeat(VALUE_CHARS));
    expect(cutValue(42)).toBe('42');
    const long = `${'a'.repeat(1000)}EnableSmartScreen${'b'.repeat(1000)}`;
    expect(cutValue(long)).toBe(`${'a'.repeat(VALUE_CHARS)}… (2017 characters)`);
    const around = cutValue(long, 1000);
    expect(around).toContain('EnableSmartScreen');
    expect(around).toMatch(/^…a+EnableSmartScreenb+… \(2017 characters\)$/);
    expect(cutValue(long, 10)).toBe(cutValue(long)); // near the start: the start
    expect(cutValue(long, 2010).endsWith(`${'b'.repeat(7)} (2017 characters)`)).toBe(true); // near the end: the end, no trailing …
  });
});

describe('technique page notices (techniqueView)', () => {
  const catalog = fresh();
  const byId = (id: string) => catalog.techniques.find((t) => t.id === id)!;
  // T1027 revoked and replaced by T1059; T1003.001 revoked without revoked-by, and T1003 renamed so one live namesake exists.
  Object.assign(byId('T1027'), { revoked: true, revokedBy: 'T1059' });
  Object.assign(byId('T1003.001'), { revoked: true, name: 'OS Credential Dumping' });
  byId('T1049').tacticsFromRules = ['discovery'];
  // T1070.003 (known from rule tags only) takes T1490's name: ATT&CK renumbered it after the bundle.
  Object.assign(byId('T1070.003'), { name: byId('T1490').name });
  catalog.tactics.find((t) => t.id === 'discovery')!.source = 'tag';
  catalog.provenance = { ...catalog.provenance, attack: { version: '18.1' } } as Catalog['provenance'];
  const model = buildModel(withTrust(catalog));
  const view = (id: string) => techniqueView(model, model.technique(id)!);

  it('names the replacement of a revoked technique, or else its one live namesake', () => {
    expect(view('T1027').replacement?.id).toBe('T1059');
    expect(view('T1027').namesake).toBeUndefined();
    expect(view('T1003.001').replacement).toBeUndefined();
    expect(view('T1003.001').namesake?.id).toBe('T1003');
    expect(view('T1059').replacement).toBeUndefined();
  });

  it('links a bundle technique and a newer one of the same name both ways (a renumbering after the bundle)', () => {
    expect(byId('T1490').source).toBe('attack');
    expect(byId('T1070.003').source).toBe('tag');
    expect(view('T1490').renumbered?.id).toBe('T1070.003');
    expect(view('T1070.003').renumbered?.id).toBe('T1490');
    expect(view('T1059').renumbered).toBeUndefined();
    // Not for a revoked technique (its namesake hint says it) nor between two bundle techniques.
    expect(view('T1003.001').renumbered).toBeUndefined();
  });

  it('says where a technique outside the bundle is known from, and which tactics rule tags placed', () => {
    expect(view('T1070.003').sourceNote).toBe('Known only from rule tags (not in Atomic Red Team either): not in ATT&CK v18.1 (the bundle used).');
    expect(view('T1059').sourceNote).toBeUndefined();
    expect([...view('T1049').tacticNotes]).toEqual([['discovery', 'placed by rule tags; tactic not in ATT&CK v18.1 (the bundle used)']]);
    expect(view('T1059').tacticNotes.size).toBe(0);
  });
});

describe('overview counts (overviewView)', () => {
  const model = buildModel(withTrust(fresh()));
  const o = overviewView(model);

  it('counts rules, techniques and tests as the catalog holds them', () => {
    expect(o.rules).toBe(8);
    expect(o.activeRules).toBe(fixture.rules.filter((r) => r.active).length);
    expect(o.activeRules).toBe(6);
    expect(o.tests).toBe(7);
    expect(o.referencedTests).toBe(3);
    // Live techniques with an active rule: checked against the rule lists by hand.
    const live = fixture.techniques.filter((t) => t.rules.some((s) => fixture.rules.find((r) => r.slug === s)?.active));
    expect(o.coveredTechniques).toBe(live.length);
    expect(o.coveredTechniques).toBeGreaterThan(0);
  });

  it('orders levels by severity and statuses by maturity, each linked to its facet page', () => {
    expect(o.byLevel.map((r) => r.label)).toEqual(['critical', 'high', 'medium', 'low']);
    expect(o.byLevel.map((r) => r.count)).toEqual([1, 2, 3, 2]);
    expect(o.byLevel[0]!.href).toBe('/rules/by/level/critical/');
    expect(o.byStatus.map((r) => r.label)).toEqual(['stable', 'test', 'experimental', 'deprecated', 'unsupported']);
  });

  it('lists test platforms most first', () => {
    expect(o.byPlatform.map((r) => [r.label, r.count])).toEqual([
      ['Windows', 6],
      ['Linux', 1],
      ['macOS', 1],
    ]);
    expect(o.byPlatform[0]!.href).toBe('/tests/platform/windows/');
  });
});

describe('quoted value form (quotedValueView)', () => {
  it('notes edge spaces between single quotes and leaves other text as it is', () => {
    expect(quotedValueView("' use'")).toEqual({ text: "' use'", note: 'starts with a space' });
    expect(quotedValueView("'a  '")).toEqual({ text: "'a  '", note: 'ends with 2 spaces' });
    expect(quotedValueView("'use'")).toEqual({ text: "'use'" });
    expect(quotedValueView(' use')).toEqual({ text: ' use' });
  });
});
