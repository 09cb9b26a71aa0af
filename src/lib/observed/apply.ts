/**
 * Observed records into the catalog: each test with records lists the rules seen firing (with
 * date and source), each rule the tests it was seen on. A record naming a test or rule the
 * catalog does not hold is a warning (file, line, reason), never a crash.
 */
import path from 'node:path';
import { compareDiagnostics, diagnostic, type Diagnostic } from '../diagnostics.ts';
import { compareStrings } from '../order.ts';
import { countBy } from '../catalog/stats.ts';
import type { Catalog, CatalogRule, ObservedFiring } from '../catalog/types.ts';
import type { ObservedLoad } from './load.ts';

/** Finds a rule by id, then by file name (sigma_redcanaryco writes `proc_creation_win_x.yml`), then by title. */
function ruleFinder(rules: CatalogRule[]): (name: string) => CatalogRule | undefined {
  const byId = new Map<string, CatalogRule>();
  const byFile = new Map<string, CatalogRule[]>();
  const byTitle = new Map<string, CatalogRule[]>();
  const add = (map: Map<string, CatalogRule[]>, key: string, r: CatalogRule) => map.set(key, [...(map.get(key) ?? []), r]);
  for (const r of rules) {
    if (r.id && !byId.has(r.id.toLowerCase())) byId.set(r.id.toLowerCase(), r);
    add(byFile, path.posix.basename(r.path).toLowerCase(), r);
    add(byTitle, r.title.trim().toLowerCase(), r);
  }
  const unique = (list: CatalogRule[] | undefined) => (list?.length === 1 ? list[0] : undefined);
  return (name) => {
    const key = name.trim().toLowerCase();
    return byId.get(key) ?? unique(byFile.get(key)) ?? unique(byTitle.get(key));
  };
}

/** The catalog with the observed records: new test and rule objects, the catalog given is left as it was. */
export function withObserved(catalog: Catalog, load: ObservedLoad): Catalog {
  const diagnostics: Diagnostic[] = [...load.diagnostics];
  const byGuid = new Map(catalog.tests.map((t) => [t.guid.toLowerCase(), t]));
  const findRule = ruleFinder(catalog.rules);
  const firings = new Map<string, Map<string, ObservedFiring>>();
  let records = 0;
  for (const record of load.records) {
    const at = record.line === undefined ? {} : { line: record.line };
    const test = byGuid.get(record.test);
    if (!test) {
      diagnostics.push(diagnostic(record.file, 'observed-unknown-test', `no Atomic test has the guid ${record.test}`, { severity: 'warning', ...at }));
      continue;
    }
    let seen = firings.get(test.guid);
    if (!seen) firings.set(test.guid, (seen = new Map()));
    records += 1;
    if (record.rule === undefined) continue;
    const rule = findRule(record.rule) ?? (record.alias ? findRule(record.alias) : undefined);
    if (!rule) {
      diagnostics.push(
        diagnostic(record.file, 'observed-unknown-rule', `no rule has the id, file name or title "${record.rule}" (test ${test.guid})`, {
          severity: 'warning',
          ...at,
        }),
      );
      continue;
    }
    const firing: ObservedFiring = { rule: rule.slug };
    if (record.date) firing.date = record.date;
    if (record.source) firing.source = record.source;
    // One entry per rule: the latest run, ties broken by source so the result does not depend on file order.
    const before = seen.get(rule.slug);
    if (
      !before ||
      compareStrings(firing.date ?? '', before.date ?? '') > 0 ||
      (firing.date === before.date && compareStrings(firing.source ?? '', before.source ?? '') < 0)
    ) {
      seen.set(rule.slug, firing);
    }
  }
  const byRule = new Map<string, string[]>();
  const tests = catalog.tests.map((test) => {
    const seen = firings.get(test.guid);
    if (!seen) return test;
    const observed = [...seen.values()].sort((a, b) => compareStrings(a.rule, b.rule));
    for (const f of observed) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), test.guid]);
    return { ...test, observed };
  });
  const rules = catalog.rules.map((rule) => {
    const seenOn = byRule.get(rule.slug);
    return seenOn ? { ...rule, observedTests: [...new Set(seenOn)].sort(compareStrings) } : rule;
  });
  const all = [...catalog.diagnostics, ...diagnostics].sort(compareDiagnostics);
  return {
    ...catalog,
    rules,
    tests,
    observed: { files: [...load.files].sort(compareStrings), records, tests: firings.size },
    diagnostics: all,
    stats: { ...catalog.stats, diagnosticsByCode: countBy(all, (d) => d.code) },
  };
}
